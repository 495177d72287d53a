/**
 * The base of every Keras-faithful optimizer, Keras's `BaseOptimizer` on tf.js's `Optimizer`: the learning rate
 * (a number or a schedule), `iterations`, slot variables by name and in Keras's order, saving and restoring them,
 * disposal and the config. Each optimizer's own file holds its options, its slots (`build`) and its update rule
 * (`updateStep`), nothing else.
 */
import * as tf from "@tensorflow/tfjs-core";
import { ScheduleOptionError, ScheduleTypeError } from "../errors.js";
import { checkNumber, isPlainObject, nameField, publicConfig, resolveOptions, type Field, type Fields } from "../options.js";
import { LearningRateSchedule } from "../schedule.js";
import * as schedules from "../schedules/index.js";
import { parseKerasJson, readSchedule, serialize } from "../serialization.js";

/** One weight as tf.js saves it (tf.js does not export this type at the top level). */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/** The options every Keras-faithful optimizer takes: Keras's `BaseOptimizer` arguments in camelCase. */
export interface OptimizerOptions {
  /**
   * The learning rate: a finite number >= 0, or any `LearningRateSchedule`, which is called with the number of
   * updates applied before this one (the first update uses `schedule(0)`), as Keras does. Each optimizer has its
   * own default (Keras's).
   */
  learningRate?: number | LearningRateSchedule;
  /** Keras's `name`. @defaultValue Keras's default name of the class, as `'sgd'` or `'adam'` */
  name?: string;
}

/** The validated base options, every default filled in. */
export type OptimizerConfig = Readonly<Required<OptimizerOptions>>;

const expectedRate = "a finite number >= 0 or a LearningRateSchedule";

/** Checks a learning rate: a schedule as it is, or a finite number >= 0. */
function checkLearningRate(value: unknown, owner: string, option: string): number | LearningRateSchedule {
  if (value instanceof LearningRateSchedule) return value;
  if (typeof value !== "number") throw new ScheduleTypeError(owner, option, value, expectedRate);
  return checkNumber(value, owner, option, "nonNegative");
}

/**
 * An optimizer's option table: the learning rate first, then the optimizer's own options in Keras's positional
 * order, then the base options, `name` last, as Keras's signatures have them.
 */
export function optimizerFields<F extends Fields>(
  defaults: { learningRate: number; name: string },
  own: F,
): { learningRate: Field<number | LearningRateSchedule> } & F & { name: Field<string> } {
  const learningRate: Field<number | LearningRateSchedule> = {
    keras: "learning_rate",
    expected: expectedRate,
    default: defaults.learningRate,
    nested: "schedule",
    check: checkLearningRate,
  };
  return { learningRate, ...own, name: nameField(defaults.name) };
}

/** A Keras-faithful optimizer class, as the Keras JSON reader and tf.js serialization see it. */
export interface KerasOptimizerClass<O extends KerasOptimizer = KerasOptimizer> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  new (...args: any[]): O;
  /** The name tf.js saves and registers the class under (`'lr-schedules>SGD'`): not tf.js's own `'SGD'`. */
  readonly className: string;
  /** Keras's `class_name`. */
  readonly kerasName: string;
  /** The option table: option name to Keras key, check and default, in Keras's positional order. */
  readonly fields: Fields;
}

const BRAND = Symbol.for("lr-schedules.KerasOptimizer");

/** A slot variable and the name it is saved under (`<variable>/<slot>`). */
interface Slot {
  readonly name: string;
  readonly variable: tf.Variable;
}

/** The built-in schedules' option names and tf.js's camelCasing of their Keras keys, back to the Keras keys. */
let kerasKeys: Map<string, string> | undefined;
function kerasKeyMap(): Map<string, string> {
  if (!kerasKeys) {
    // tf.js's loader camelCases every key as `key.replace(/_+(\w|$)/g, upper)`; this undoes it for known keys.
    const tfjsCamel = (key: string) => key.replace(/_+(\w|$)/g, (_m, c: string) => c.toUpperCase());
    kerasKeys = new Map([
      ["className", "class_name"],
      ["registeredName", "registered_name"],
    ]);
    for (const cls of Object.values(schedules)) {
      for (const [option, field] of Object.entries(cls.fields ?? {})) {
        kerasKeys.set(option, field.keras);
        kerasKeys.set(tfjsCamel(field.keras), field.keras);
      }
    }
  }
  return kerasKeys;
}

/** Keras JSON of a schedule back from tf.js's loader, which camelCased its keys; Keras JSON passes unchanged. */
function kerasJsonFromTfjs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(kerasJsonFromTfjs);
  if (!isPlainObject(value)) return value;
  const map = kerasKeyMap();
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    Object.defineProperty(out, map.get(key) ?? key, { value: kerasJsonFromTfjs(v), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * The base of every Keras-faithful optimizer: Keras's `BaseOptimizer` as a tf.js `Optimizer`, so that a subclass works
 * in `model.compile`, `model.fit`, `optimizer.minimize`, `model.save(..., { includeOptimizer: true })` and
 * `tf.loadLayersModel`.
 *
 * What it does, as Keras does:
 * - the learning rate is a number or any `LearningRateSchedule`; each update uses `schedule(iterations)` with
 *   `iterations` counted before that update, so the first update uses `schedule(0)`;
 * - slot variables are created on the first update for the variables it updates, per variable and in Keras's order
 *   (`addOptimizerVariables`), and saved as `<variable>/<slot>` after `iter`; restoring is by position, because
 *   tf.js renames a reloaded model's variables (`dense/kernel_1`);
 * - a variable whose gradient is missing is skipped; a call without any gradient throws, as Keras refuses it.
 *
 * A subclass declares its options with {@link optimizerFields} (the base reads its constructor's arguments with that
 * table) and implements `build(variables)` (its slots, with `addOptimizerVariables`) and
 * `updateStep(gradient, variable, learningRate)` (Keras's update rule, in float32 tensor operations); the base runs
 * every update inside `tf.tidy`.
 *
 * @example
 * import { InverseTimeDecay } from 'lr-schedules';
 * import { SGD } from 'lr-schedules/tfjs';
 * import * as tf from '@tensorflow/tfjs';
 * const w = tf.variable(tf.tensor1d([1, 2]));
 * const optimizer = new SGD({ learningRate: new InverseTimeDecay(0.1, 1, 0.5), momentum: 0.9 });
 * optimizer.learningRate; //=> 0.10000000149011612 (the schedule at step 0)
 * optimizer.minimize(() => tf.sum(tf.square(w)));
 * optimizer.iterations; //=> 1
 * optimizer.learningRate; //=> 0.06666667014360428 (the schedule at step 1, for the next update)
 * optimizer.dispose();
 */
export abstract class KerasOptimizer<C extends OptimizerConfig = OptimizerConfig> extends tf.Optimizer {
  /** The name tf.js saves and registers the class under; a subclass sets its own (`'lr-schedules>SGD'`). */
  static readonly className: string = "lr-schedules>KerasOptimizer";
  /** Keras's `class_name`; a subclass sets its own. */
  static readonly kerasName: string = "Optimizer";
  /** The option table; a subclass sets its own with {@link optimizerFields}. */
  static readonly fields: Fields = {};

  /** The validated options with defaults filled in; `learningRate` is the one given to the constructor. */
  protected readonly config: C;
  private rate: number | LearningRateSchedule;
  private built: { variables: readonly tf.Variable[]; index: Map<tf.Variable, number> } | null = null;
  private slots: Slot[] = [];
  private restored: NamedTensor[] | null = null;
  private savedIterations: tf.Tensor | null = null;

  /**
   * Reads the options with the subclass's table (`fields`): Keras's positional order, an options object, or leading
   * positional arguments then an options object; unknown options are refused.
   */
  protected constructor(...args: unknown[]) {
    super();
    const cls = new.target as unknown as KerasOptimizerClass;
    const config = resolveOptions<C>(cls.kerasName, cls.fields, args);
    this.config = config;
    this.rate = typeof config.learningRate === "number" ? Math.fround(config.learningRate) : config.learningRate;
  }

  /**
   * Every `applyGradients` call so far, Keras's raw `_iterations`: what the schedule is called with and what is saved
   * as `iter`. Read from tf.js's own counter, so that a subclass may count `iterations` differently (Keras counts
   * applied updates there, which differ with gradient accumulation).
   */
  private get calls(): number {
    return super.iterations;
  }

  /** Keras's name of this optimizer's class, which errors name. */
  private get owner(): string {
    return (this.constructor as KerasOptimizerClass).kerasName;
  }

  /**
   * Creates the slot variables for `variables`, in Keras's order, with {@link addOptimizerVariables}. Called once,
   * on the first update, with every variable that update is given (those without a gradient too).
   */
  protected abstract build(variables: readonly tf.Variable[]): void;

  /**
   * Keras's `update_step`: updates one variable (and its slots) from its gradient, with `assign`. Runs inside
   * `tf.tidy`. `learningRate` is this update's rate, already rounded to float32.
   */
  protected abstract updateStep(gradient: tf.Tensor, variable: tf.Variable, learningRate: number): void;

  /**
   * The learning rate the next update will use, in float32: the number, or `schedule(iterations)`.
   *
   * Setting it takes a finite number >= 0 (rounded to float32, as Keras stores it) or a schedule. As in Keras, an
   * optimizer whose rate is a schedule refuses a number, with a `ScheduleTypeError` (a `TypeError`).
   */
  get learningRate(): number {
    const rate = this.rate;
    return typeof rate === "number" ? rate : Math.fround(rate(this.calls));
  }

  set learningRate(value: number | LearningRateSchedule) {
    if (value instanceof LearningRateSchedule) {
      this.rate = value;
      return;
    }
    if (this.rate instanceof LearningRateSchedule) {
      throw new ScheduleTypeError(
        this.owner,
        "learningRate",
        value,
        "left as it is: this optimizer's learning rate is a LearningRateSchedule, so it cannot be set to a number " +
          "(as in Keras); create the optimizer with a number to set its rate",
      );
    }
    this.rate = Math.fround(checkLearningRate(value, this.owner, "learningRate") as number);
  }

  /**
   * Applies one update, Keras's `apply_gradients`: builds the slots on the first call, then runs `updateStep` for each
   * variable that has a gradient, with this update's learning rate, and counts the update. tf.js's `minimize` and
   * `model.fit` call it.
   *
   * @throws {ScheduleOptionError} no gradient at all, a variable tf.js does not know, or a variable this optimizer
   * was not built for (as Keras refuses it).
   */
  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const names = Array.isArray(variableGradients) ? variableGradients.map((g) => g.name) : Object.keys(variableGradients);
    if (names.length === 0) return;
    const registered = tf.engine().registeredVariables;
    const variables = names.map((name) => {
      const variable = Object.hasOwn(registered, name) ? registered[name] : undefined;
      if (!variable) throw new ScheduleOptionError(this.owner, "variable", name, "the name of a tf.js variable");
      return variable;
    });
    const gradients = Array.isArray(variableGradients)
      ? variableGradients.map((g) => g.tensor)
      : names.map((name) => variableGradients[name]);
    const index = this.ensureBuilt(variables);
    if (!gradients.some((g) => g != null)) {
      throw new ScheduleOptionError(this.owner, "gradients", `[${names.join(", ")}]`, "a gradient for at least one variable (no gradients provided for any variable)");
    }
    for (const v of variables) {
      if (!index.has(v)) {
        throw new ScheduleOptionError(this.owner, "variable", v.name, "one of the variables of this optimizer's first update, as Keras requires; use a new optimizer for other variables");
      }
    }
    const learningRate = this.learningRate;
    tf.tidy(() => {
      gradients.forEach((gradient, i) => {
        if (gradient != null) this.updateStep(gradient, variables[i]!, learningRate);
      });
    });
    this.incrementIterations();
  }

  /** The position of `variable` in the list the slots were built for: Keras's `_get_variable_index`. */
  protected variableIndex(variable: tf.Variable): number {
    const i = this.built?.index.get(variable);
    if (i === undefined) throw new ScheduleOptionError(this.owner, "variable", variable.name, "a variable this optimizer was built for");
    return i;
  }

  /**
   * Creates slot variables, Keras's `add_optimizer_variables`: for each variable in order, one slot per name
   * (interleaved: `v0/m, v0/v, v1/m, v1/v, ...`), shaped like the variable and filled with `initialValue`. Returns
   * one array per name, indexed like `variables`. Separate calls append whole blocks, as in Keras.
   */
  protected addOptimizerVariables(variables: readonly tf.Variable[], name: string, initialValue?: number): tf.Variable[];
  protected addOptimizerVariables<const N extends readonly string[]>(
    variables: readonly tf.Variable[],
    names: N,
    initialValue?: number,
  ): { -readonly [K in keyof N]: tf.Variable[] };
  protected addOptimizerVariables(
    variables: readonly tf.Variable[],
    names: string | readonly string[],
    initialValue = 0,
  ): tf.Variable[] | tf.Variable[][] {
    const list = typeof names === "string" ? [names] : names;
    const out: tf.Variable[][] = list.map(() => []);
    for (const variable of variables) {
      list.forEach((name, k) => out[k]!.push(this.addVariable(`${variable.name}/${name}`, variable.shape, initialValue)));
    }
    return typeof names === "string" ? out[0]! : out;
  }

  /** Creates one optimizer variable, saved under `name` in creation order. */
  protected addVariable(name: string, shape: readonly number[], initialValue = 0): tf.Variable {
    const registered = tf.engine().registeredVariables;
    let unique = name;
    for (let k = 1; Object.hasOwn(registered, unique); k++) unique = `${name}_${k}`;
    const variable = tf.tidy(() => tf.variable(tf.fill([...shape], initialValue, "float32"), false, unique));
    this.slots.push({ name, variable });
    return variable;
  }

  /** Builds on the first update; afterwards, the index of the variables it was built for. */
  private ensureBuilt(variables: readonly tf.Variable[]): Map<tf.Variable, number> {
    if (this.built) return this.built.index;
    const built = { variables: [...variables], index: new Map(variables.map((v, i) => [v, i] as const)) };
    this.built = built;
    try {
      this.build(built.variables);
      if (this.restored) this.assignSlots(this.restored);
    } catch (e) {
      this.disposeSlots();
      throw e;
    }
    this.disposeRestored();
    return built.index;
  }

  /** Assigns saved slot values by position, after checking they fit this optimizer's slots. */
  private assignSlots(values: readonly NamedTensor[]): void {
    if (values.length !== this.slots.length) {
      throw new ScheduleOptionError(
        this.owner,
        "weights",
        `[${values.length} slot variables]`,
        `the ${this.slots.length} slot variables this optimizer creates for its ${this.built?.variables.length ?? 0} variables (saved with other options, or for another model?)`,
      );
    }
    values.forEach((w, i) => {
      const slot = this.slots[i]!;
      if (!tf.util.arraysEqual(w.tensor.shape, slot.variable.shape)) {
        throw new ScheduleOptionError(this.owner, `weights[${i}]`, `${w.name} of shape [${w.tensor.shape.join(", ")}]`, `of shape [${slot.variable.shape.join(", ")}] for ${slot.name}`);
      }
    });
    tf.tidy(() => values.forEach((w, i) => this.slots[i]!.variable.assign(tf.cast(w.tensor, "float32"))));
  }

  /**
   * The weights tf.js saves with `includeOptimizer`: `iter` (int32), then every slot variable in Keras's order, named
   * `<variable>/<slot>`. Before the first update, the weights restored by `setWeights`, if any.
   */
  override async getWeights(): Promise<NamedTensor[]> {
    this.savedIterations?.dispose();
    this.savedIterations = tf.scalar(this.calls, "int32");
    const slots = this.built ? this.slots.map((s) => ({ name: s.name, tensor: s.variable as tf.Tensor })) : (this.restored ?? []);
    return [{ name: "iter", tensor: this.savedIterations }, ...slots];
  }

  /**
   * Restores `iterations` and the slot variables from `getWeights()`'s output, by position (tf.js renames a reloaded
   * model's variables). Before the first update the values are kept, and assigned when the slots are built; a
   * mismatch in number or shape throws then.
   */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const first = weightValues[0];
    if (!first || first.name !== "iter") {
      throw new ScheduleOptionError(this.owner, "weights[0]", first?.name, `"iter", the number of updates, first`);
    }
    const rest = await this.extractIterations(weightValues);
    const copies = rest.map((w) => ({ name: w.name, tensor: tf.keep(tf.clone(w.tensor)) }));
    if (this.built) {
      try {
        this.assignSlots(copies);
      } finally {
        tf.dispose(copies.map((c) => c.tensor));
      }
      return;
    }
    this.disposeRestored();
    this.restored = copies;
  }

  /** Frees the slot variables and any restored weights; the next update builds fresh slots. */
  override dispose(): void {
    this.disposeSlots();
    this.disposeRestored();
    this.savedIterations?.dispose();
    this.savedIterations = null;
    super.dispose();
  }

  private disposeSlots(): void {
    for (const slot of this.slots) slot.variable.dispose();
    this.slots = [];
    this.built = null;
  }

  private disposeRestored(): void {
    if (this.restored) tf.dispose(this.restored.map((w) => w.tensor));
    this.restored = null;
  }

  /**
   * The options that rebuild this optimizer, in camelCase, with the current learning rate: a number, or the
   * schedule's Keras JSON. tf.js saves it with `includeOptimizer`.
   */
  override getConfig(): tf.serialization.ConfigDict {
    const cls = this.constructor as KerasOptimizerClass;
    const config = publicConfig(cls.fields, this.config as unknown as Record<string, unknown>);
    const rate = this.rate;
    config.learningRate = rate instanceof LearningRateSchedule ? serialize(rate) : rate;
    return config as tf.serialization.ConfigDict;
  }

  /**
   * Builds an optimizer from `getConfig()`'s output, as `tf.loadLayersModel` does. tf.js's loader camelCases the keys
   * of the nested schedule JSON and adds `customObjects`; both are undone here.
   */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    const owner = (cls as unknown as KerasOptimizerClass).kerasName;
    if (!isPlainObject(config)) throw new ScheduleTypeError(owner, "config", config, "a plain object of options");
    const options: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(config)) {
      if (key === "customObjects") continue;
      const v = key === "learningRate" && isPlainObject(value) ? readSchedule(parseKerasJson(kerasJsonFromTfjs(value), owner), "learningRate") : value;
      Object.defineProperty(options, key, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return new cls(options);
  }

  /**
   * tf.js's `Optimizer` answers `instanceof` for anything with `minimize`, so every optimizer would pass for ours:
   * `KerasOptimizer` checks a brand (shared by every copy of this package), a subclass its prototype chain.
   */
  static override [Symbol.hasInstance](x: unknown): boolean {
    if (this !== KerasOptimizer) return Function.prototype[Symbol.hasInstance].call(this, x);
    return typeof x === "object" && x !== null && (x as Record<symbol, unknown>)[BRAND] === true;
  }
}
Object.defineProperty(KerasOptimizer.prototype, BRAND, { value: true });
