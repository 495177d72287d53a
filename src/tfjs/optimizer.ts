/**
 * The base of every Keras-faithful optimizer, Keras's `BaseOptimizer` on tf.js's `Optimizer`: the options, the learning
 * rate (a number or a schedule), `iterations`, the config, and `applyGradients` as Keras's `apply_gradients` runs it
 * (check, accumulate, clip, decay, update, average, count). Each mechanism it orchestrates has its own module: the
 * slot variables with their saving and restoring (slots.ts), the gradients given (givenGradients.ts), accumulation
 * (gradientAccumulation.ts), clipping (gradientClipping.ts), the weights' moving average (movingAverage.ts), the
 * weight-decay exclusions (weightDecayExclusions.ts) and each call's scalars (callScalars.ts). Each optimizer's own
 * file holds its options, its slots (`build`) and its update rule (`updateStep`), nothing else.
 */
import * as tf from "@tensorflow/tfjs-core";
import { ScheduleOptionError, ScheduleTypeError } from "../errors.js";
import {
  checkFloat32,
  checkNumber,
  declareOptions,
  option,
  resolveOptions,
  type Declaration,
  type Declared,
  type Fields,
  type NumberRule,
  type Option,
  type OptionsOf,
} from "../options.js";
import { publicConfig } from "../keras/keys.js";
import { optionsOfTfjsConfig, scheduleToTfjsConfig } from "../keras/tfjsConfig.js";
import { LearningRateSchedule } from "../schedule.js";
import { CallScalars } from "./callScalars.js";
import { MissingGradientWarning, readGradients } from "./givenGradients.js";
import { GradientAccumulation, updatesOf } from "./gradientAccumulation.js";
import { checkOneClipOption, clipGradients } from "./gradientClipping.js";
import { MovingAverage, variablesOf, type VariablesOrModel } from "./movingAverage.js";
import { callCount, MAX_CALLS, readSavedWeights, SlotStore, type NamedTensor } from "./slots.js";
import { noExclusions, readExclusions, type ExcludedFromDecay, type WeightDecayExclusions } from "./weightDecayExclusions.js";

const expectedRate = "a finite number >= 0 or a LearningRateSchedule";

/** Checks a learning rate: a schedule as it is, or a finite number >= 0. */
function checkLearningRate(value: unknown, owner: string, option: string): number | LearningRateSchedule {
  if (value instanceof LearningRateSchedule) return value;
  if (typeof value !== "number") throw new ScheduleTypeError(owner, option, value, expectedRate);
  return checkFloat32(value, owner, option, "nonNegative");
}

/** An optimizer's `learningRate` option, with the class's default (Keras's); a schedule nests in Keras JSON. */
function learningRate(defaultValue: number): Option<number | LearningRateSchedule> & {
  /** The class's default rate (Keras's). */
  readonly default: number;
} {
  return { expected: expectedRate, default: defaultValue, nested: "schedule", check: checkLearningRate };
}

/** The base options, Keras's `BaseOptimizer` arguments after `learning_rate`, in its signature order; taken by name only. */
const baseOptions = {
  /**
   * Decoupled weight decay: before each update, every variable with a gradient (and not excluded with
   * {@link KerasOptimizer.excludeFromWeightDecay}) becomes `w - w * weightDecay * lr`, in float32. `null`: none.
   * @defaultValue null (AdamW: 0.004)
   */
  weightDecay: option.named(option.nullableNumber({ rule: "nonNegative" })),
  /** Clip each gradient to this L2 norm (per tensor, as `tf.clip_by_norm`). `null`: no clipping. @defaultValue null */
  clipnorm: option.named(option.nullableNumber({ rule: "positive" })),
  /** Clip each gradient element to [-clipvalue, clipvalue]. `null`: no clipping. @defaultValue null */
  clipvalue: option.named(option.nullableNumber({ rule: "positive" })),
  /** Scale all gradients together so that their global L2 norm is at most this. `null`: no clipping. @defaultValue null */
  globalClipnorm: option.named(option.nullableNumber({ rule: "positive" })),
  /**
   * Keep an exponential moving average of the variables (updated after every `applyGradients` call). Read it into the
   * variables with {@link KerasOptimizer.finalizeVariableValues}, or with `FinalizeVariableValues` at the end of
   * `fit`, as Keras's `fit` does. @defaultValue false
   */
  useEma: option.named(option.boolean(false)),
  /** The average's momentum: `average = emaMomentum * average + (1 - emaMomentum) * w`. In [0, 1]. @defaultValue 0.99 */
  emaMomentum: option.named(option.number({ rule: "unit" }, 0.99)),
  /**
   * With `useEma`, overwrite the variables with their averages after every `emaOverwriteFrequency` updates (an integer
   * >= 1). `null`: only when finalized. @defaultValue null
   */
  emaOverwriteFrequency: option.named(option.nullableNumber({ rule: { min: 1, integer: true } })),
  /**
   * Apply an update only every `gradientAccumulationSteps` calls (an integer >= 2), with the mean of the gradients
   * summed since the last one; the calls in between only add to the sums. As in Keras, `iterations` counts applied
   * updates (`floor(calls / steps)`) while the schedule sees every call. `null`: update on every call.
   * @defaultValue null
   */
  gradientAccumulationSteps: option.named(option.nullableNumber({ rule: { min: 2, integer: true } })),
} satisfies Declaration;

type BaseOptions = typeof baseOptions;

/**
 * The options every Keras-faithful optimizer takes: Keras's `BaseOptimizer` arguments in camelCase. The base options
 * after `learningRate` are taken by name only (in the options object), never by position.
 */
export interface OptimizerOptions extends OptionsOf<BaseOptions> {
  /**
   * The learning rate: a finite number >= 0, or any `LearningRateSchedule`, which is called with the number of
   * `applyGradients` calls before this one (the first update uses `schedule(0)`), as Keras does. Each optimizer has its
   * own default (Keras's).
   */
  learningRate?: number | LearningRateSchedule;
  /** Keras's `name`. @defaultValue Keras's default name of the class, as `'sgd'` or `'adam'` */
  name?: string;
}

/** The validated base options, every default filled in. */
export type OptimizerConfig = Readonly<Required<OptimizerOptions>>;

/** What an optimizer's declaration holds besides its own options: its learning rate first and its name last. */
type OptimizerDeclaration = Declaration & { readonly learningRate: ReturnType<typeof learningRate>; readonly name: Option<string> };

/**
 * An optimizer's option table from its one declaration, as {@link declareOptions} makes a schedule's: the learning
 * rate ({@link optimizerOption}`.learningRate`) first, then the optimizer's own options in Keras's positional order,
 * `name` (`option.name`) last, as Keras's signatures have them; the base options (by name only) are inserted before
 * `name`. An optimizer that takes a base option by position, as AdamW takes `weightDecay`, declares it among its own,
 * which replaces the base option. The options type ({@link OptionsOf}), the config type (`ConfigOf`), the Keras
 * keys, the defaults and the constraints follow from the table.
 *
 * @example
 * import { SGD } from 'lr-schedules/tfjs';
 * Object.keys(SGD.fields).slice(0, 4); //=> ['learningRate', 'momentum', 'nesterov', 'weightDecay']
 * SGD.fields.momentum.keras; //=> 'momentum'
 * SGD.fields.momentum.constraint; //=> { kind: 'number', min: 0, max: 1 }
 */
export function declareOptimizerOptions<D extends OptimizerDeclaration>(declaration: D): Declared<D & Omit<BaseOptions, keyof D>> {
  const { name, ...own } = declaration;
  const base = Object.fromEntries(Object.entries(baseOptions).filter(([key]) => !Object.hasOwn(own, key)));
  return declareOptions({ ...own, ...base, name }) as Declared<D & Omit<BaseOptions, keyof D>>;
}

/** The option kinds only optimizers have, beside {@link option}'s. */
export const optimizerOption = Object.freeze({ learningRate });

/** {@link declareOptimizerOptions} from the learning rate's and the name's defaults and the own options. */
export function optimizerFields<D extends Declaration>(defaults: { learningRate: number; name: string }, own: D): Fields {
  return declareOptimizerOptions({ learningRate: learningRate(defaults.learningRate), ...own, name: option.name(defaults.name) });
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

/**
 * The key of {@link KerasOptimizer}'s method that returns the options as given, which `optimizerToKeras` writes
 * (`getConfig` may protect values from tf.js's loader); shared by every copy of this package.
 */
export const GIVEN_CONFIG = Symbol.for("lr-schedules.KerasOptimizer.givenConfig");
/** The key of `applyGradients` in steps (see KerasOptimizer's method of that key). */
export const PREPARE_UPDATE = Symbol.for("lr-schedules.KerasOptimizer.prepareUpdate");

/** An update checked by `[PREPARE_UPDATE]`: `build` builds the slots on the first update (checking restored weights), `apply` applies it. */
export interface PreparedUpdate {
  build(): void;
  apply(): void;
}

/**
 * The rule of a beta that a bias correction divides by `1 - beta^t`: 1, or a value that rounds to 1 in float32, makes
 * that divisor 0 and every weight NaN, so it is refused (Keras takes it).
 */
export const biasCorrectedBeta: NumberRule = { min: 0, max: 1, maxOpen: true, because: "a bias correction divides by 1 - beta^t, which is 0 at 1" };

/**
 * The base of every Keras-faithful optimizer: Keras's `BaseOptimizer` as a tf.js `Optimizer`, so that a subclass works
 * in `model.compile`, `model.fit`, `optimizer.minimize`, `model.save(..., { includeOptimizer: true })` and
 * `tf.loadLayersModel`.
 *
 * What it does, as Keras does, in this order on each `applyGradients` call:
 * - every gradient, variable and slot is checked first (a live float32 tensor of its variable's shape), so that a
 *   refused call changes nothing;
 * - variables without a gradient are left out, with a warning naming them (once per distinct set); a call without any
 *   gradient throws;
 * - with `gradientAccumulationSteps` N, a call that is not the N-th only adds the gradients to accumulators; the N-th
 *   uses `(g + accumulated) / N` and resets every accumulator after the update;
 * - the gradients are clipped (`clipnorm`, `globalClipnorm` or `clipvalue`), then weight decay, then the optimizer's
 *   own update (`updateStep`, one variable at a time), with `lr = schedule(calls so far)` or the number;
 * - with `useEma`, the moving averages of all the variables are updated (every call), and written into the variables
 *   every `emaOverwriteFrequency` updates.
 *
 * Slot variables are created on the first update for the variables it updates, in Keras's order (EMA averages, then
 * gradient accumulators, then the optimizer's own slots, with {@link KerasOptimizer.addOptimizerVariables}), and saved
 * as `<variable>/<slot>` after `iter`; restoring is by position, because tf.js renames a reloaded model's variables
 * (`dense/kernel_1`), and each slot's kind (`<slot>`) and shape are checked before anything is assigned.
 *
 * A subclass declares its options with `declareOptimizerOptions` (the base reads its constructor's arguments with that
 * table) and implements `build(variables)` (its slots, with `addOptimizerVariables`) and
 * `updateStep(gradient, variable, learningRate)` (Keras's update rule, in float32 tensor operations); the base runs
 * every update inside `tf.tidy`.
 *
 * Two statics name a class, one meaning each. `kerasName` is Keras's `class_name` (`'SGD'`): the name Keras JSON holds
 * and the only one the Keras JSON code (`optimizerFromKeras`, `optimizerToKeras`) and the error messages read.
 * `className` is the key of tf.js's serialization registry, which `tf.serialization.registerClass` and tf.js's model
 * loader read under that name and tf.js saves in `model.json`: `'lr-schedules>SGD'`, in the form of Keras's
 * `registered_name`, since tf.js's own `SGD` and `Adam` already hold `'SGD'` and `'Adam'` there. A schedule has no
 * tf.js registry: its `className` is its key in this package's registry, which is Keras's `class_name` (`'CosineDecay'`).
 *
 * @example
 * import { InverseTimeDecay } from 'lr-schedules';
 * import { SGD } from 'lr-schedules/tfjs';
 * import * as tf from '@tensorflow/tfjs';
 * const w = tf.variable(tf.tensor1d([1, 2]));
 * const optimizer = new SGD({ learningRate: new InverseTimeDecay(0.1, 1, 0.5), momentum: 0.9, clipnorm: 1 });
 * optimizer.learningRate; //=> 0.10000000149011612 (the schedule at step 0)
 * optimizer.minimize(() => tf.sum(tf.square(w)));
 * optimizer.iterations; //=> 1
 * optimizer.learningRate; //=> 0.06666667014360428 (the schedule at step 1, for the next update)
 * optimizer.dispose();
 * @throws {ScheduleOptionError} a negative or non-finite rate, `emaMomentum` outside [0, 1], a clipping option that
 * is not > 0 or more than one of them, `gradientAccumulationSteps` not an integer >= 2, `emaOverwriteFrequency` not an
 * integer >= 1, a negative `weightDecay`, an unknown option.
 * @see Keras `keras.optimizers.Optimizer`
 */
export abstract class KerasOptimizer<C extends OptimizerConfig = OptimizerConfig> extends tf.Optimizer {
  /**
   * The name tf.js saves and registers the class under: for a class that sets its own {@link KerasOptimizer.kerasName},
   * `'lr-schedules>'` then that name (`'lr-schedules>SGD'`, never tf.js's own `'SGD'`), built from a literal, so it
   * survives minification; for a user's subclass that sets none (`class MyAdam extends Adam {}`), its JavaScript name,
   * as schedules are named, so that `tf.serialization.registerClass(MyAdam)` cannot take Adam's place.
   */
  static get className(): string {
    return Object.hasOwn(this, "kerasName") ? `lr-schedules>${this.kerasName}` : this.name;
  }
  /** A subclass's `static className = '...'`, compiled as an assignment by some builds, becomes its own property. */
  static set className(value: string) {
    Object.defineProperty(this, "className", { value, writable: true, configurable: true });
  }
  /** Keras's `class_name`, what Keras JSON holds (not tf.js's {@link KerasOptimizer.className}); a subclass sets its own. */
  static readonly kerasName: string = "Optimizer";
  /** The option table; a subclass sets its own with `declareOptimizerOptions`. */
  static readonly fields: Fields = {};
  /**
   * Whether the update rule divides by the learning rate (Ftrl), so that a rate of 0 must make every weight NaN: such
   * an optimizer refuses a rate of 0, at construction, when set, and from a schedule at the update it would be used for.
   */
  static readonly dividesByRate: boolean = false;

  /** The validated options with defaults filled in, but the learning rate: {@link learningRate} holds it. */
  protected readonly config: Readonly<Omit<C, "learningRate">>;
  #rate: number | LearningRateSchedule;
  /** The slot variables, built on the first update, saved and restored. */
  readonly #slots: SlotStore;
  /** With `useEma`, once built: the averages of the variables. */
  #average: MovingAverage | null = null;
  /** With `gradientAccumulationSteps`, once built: the sums of the gradients between updates. */
  #accumulation: GradientAccumulation | null = null;
  /** The sets of variables without a gradient already warned about. */
  readonly #missingGradients = new MissingGradientWarning();
  /** The `iter` tensor of the last `getWeights` call. */
  #savedIterations: tf.Tensor | null = null;
  #excluded: ExcludedFromDecay = noExclusions;
  /** This call's scalars of {@link KerasOptimizer.scalar}; freed when the call ends. */
  readonly #callScalars = new CallScalars();
  readonly #scalarOf = (value: number) => this.#callScalars.get(value);

  /**
   * Reads the options with the subclass's table (`fields`): Keras's positional order, an options object, or leading
   * positional arguments then an options object; unknown options are refused.
   */
  protected constructor(...args: unknown[]) {
    super();
    const cls = new.target as unknown as KerasOptimizerClass;
    const config = resolveOptions<C>(cls.kerasName, cls.fields, args);
    checkOneClipOption(cls.kerasName, config);
    const { learningRate, ...rest } = config;
    this.config = Object.freeze(rest);
    this.#slots = new SlotStore(cls.kerasName);
    this.#rate = typeof learningRate === "number" ? this.#checkRateDivisor(learningRate) : learningRate;
  }

  /** A number rate in float32, refused where the update divides by it and it is 0 ({@link dividesByRate}). */
  #checkRateDivisor(rate: number, step?: number): number {
    const rounded = Math.fround(rate);
    if (rounded === 0 && (this.constructor as typeof KerasOptimizer).dividesByRate) {
      const at = step === undefined ? "" : ` (the schedule gives 0 at step ${step})`;
      throw new ScheduleOptionError(
        this.#owner,
        "learningRate",
        rate,
        `a finite number > 0 also in float32, or a schedule that is > 0 at every step: ${this.#owner} divides by the learning rate${at}`,
      );
    }
    return rounded;
  }

  /**
   * Every `applyGradients` call so far, Keras's raw `_iterations`: what the schedule is called with and what is saved
   * as `iter`. tf.js's own counter holds it.
   */
  get #calls(): number {
    return super.iterations;
  }

  /**
   * The number of updates applied so far, Keras's `iterations`: every `applyGradients` call, or with
   * `gradientAccumulationSteps` N, `floor(calls / N)`. Update rules that depend on the step (Adam's bias correction)
   * read `iterations + 1`.
   */
  override get iterations(): number {
    return updatesOf(this.#calls, this.config.gradientAccumulationSteps);
  }

  /**
   * Sets the number of updates applied so far, as assigning Keras's `optimizer.iterations` does: a fresh optimizer
   * then starts its schedule, and its bias corrections, at update `value`. With `gradientAccumulationSteps` N, the
   * call count becomes `value * N`, the start of an accumulation, and any partial sum is dropped. `getWeights` saves
   * it, and `setWeights` restores it, as any other count.
   *
   * @example
   * import { CosineDecay } from 'lr-schedules';
   * import { Adam } from 'lr-schedules/tfjs';
   * const optimizer = new Adam({ learningRate: new CosineDecay(0.1, 100) });
   * optimizer.iterations = 50;
   * optimizer.learningRate; //=> 0.04999999701976776 (the schedule at step 50, for the next update)
   * optimizer.dispose();
   * @throws {ScheduleOptionError} `value` is not an integer >= 0, or its call count does not fit `iter`'s int32.
   * @throws {ScheduleTypeError} `value` is not a number.
   */
  override set iterations(value: number) {
    const steps = this.config.gradientAccumulationSteps ?? 1;
    const rule: NumberRule = { ok: (x) => callCount.ok(x * steps), expected: `an integer in [0, ${Math.floor(MAX_CALLS / steps)}]` };
    const updates = checkNumber(value, this.#owner, "iterations", rule);
    this.#accumulation?.reset();
    this.iterations_ = updates * steps;
  }

  /** Keras's `local_step`: the number of this update, `iterations + 1`, in float32, what update rules raise betas to. */
  protected get localStep(): number {
    return Math.fround(this.iterations + 1);
  }

  /**
   * `base ^ exponent` as Keras's update rules compute `ops.power(beta, local_step)`: float32 operands, the result
   * rounded to float32. The exponent defaults to this update's {@link localStep}.
   */
  protected power(base: number, exponent = this.localStep): number {
    return Math.fround(Math.pow(Math.fround(base), Math.fround(exponent)));
  }

  /** Keras's name of this optimizer's class, which errors name. */
  get #owner(): string {
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
   * Keras's `_backend_update_step`: runs `updateStep` for each variable in order. An optimizer with state shared by
   * all its variables (Nadam's `u_product`) overrides it to update that first.
   */
  protected applyUpdates(gradients: readonly tf.Tensor[], variables: readonly tf.Variable[], learningRate: number): void {
    // A tidy per variable frees each one's temporaries before the next: peak memory is one variable's worth.
    gradients.forEach((gradient, i) => tf.tidy(() => this.updateStep(gradient, variables[i]!, learningRate)));
  }

  /**
   * Keras's `_apply_weight_decay`: `w = w - w * weightDecay * lr` for each variable not excluded, before the update,
   * with each variable's {@link weightDecayFor}.
   */
  protected applyWeightDecay(variables: readonly tf.Variable[], learningRate: number): void {
    for (const variable of variables) {
      const decay = this.weightDecayFor(variable);
      if (decay !== null && this.usesWeightDecay(variable)) variable.assign(tf.sub(variable, tf.mul(tf.mul(variable, this.scalar(decay)), this.scalar(learningRate))));
    }
  }

  /**
   * The weight decay of `variable`, `null` for none: the `weightDecay` option. Muon overrides it, as its decay depends
   * on which of its two rules updates the variable.
   */
  protected weightDecayFor(_variable: tf.Variable): number | null {
    return this.config.weightDecay;
  }

  /** Whether weight decay applies to `variable`: false for those {@link excludeFromWeightDecay} named. */
  protected usesWeightDecay(variable: tf.Variable): boolean {
    return !this.#excluded(variable);
  }

  /**
   * Excludes variables from weight decay, Keras's `exclude_from_weight_decay(var_list, var_names)`: those in `varList`,
   * and those whose name contains one of `varNames`. Each call replaces the previous exclusions, as in Keras. The
   * exclusions are not part of the config (Keras's neither): call it again on a reloaded optimizer.
   *
   * Keras matches `var_names` as regular expressions against its short variable name (`'kernel'`); here they are plain
   * substrings of tf.js's full name (`'dense_Dense1/kernel'`), so `'bias'` works the same and `'dense'` excludes a whole
   * layer.
   *
   * @example
   * import { AdamW } from 'lr-schedules/tfjs';
   * import * as tf from '@tensorflow/tfjs';
   * const kernel = tf.variable(tf.ones([2]), true, 'example-wd/kernel');
   * const bias = tf.variable(tf.ones([2]), true, 'example-wd/bias');
   * const optimizer = new AdamW({ learningRate: 0.5, weightDecay: 0.1 });
   * optimizer.excludeFromWeightDecay({ varNames: ['bias'] });
   * optimizer.applyGradients({ [kernel.name]: tf.zeros([2]), [bias.name]: tf.zeros([2]) });
   * kernel.dataSync()[0]; //=> 0.949999988079071 (1 - 1 * 0.1 * 0.5, in float32)
   * bias.dataSync()[0]; //=> 1
   * @throws {ScheduleTypeError} `varList` holds something that is not a variable, or `varNames` something that is not a
   * string.
   */
  excludeFromWeightDecay(exclusions: WeightDecayExclusions = {}): void {
    this.#excluded = readExclusions(this.#owner, exclusions);
  }


  /**
   * The learning rate the next update will use, in float32: the number, or `schedule(calls)`, where `calls` counts
   * every `applyGradients` call so far (with gradient accumulation, more than `iterations`, as in Keras).
   *
   * Setting it takes a finite number >= 0 (rounded to float32, as Keras stores it) or a schedule. As in Keras, an
   * optimizer whose rate is a schedule refuses a number, with a `ScheduleTypeError` (a `TypeError`).
   */
  get learningRate(): number {
    const rate = this.#rate;
    return typeof rate === "number" ? rate : Math.fround(rate(this.#calls));
  }

  /** Sets the rate: a number (rounded to float32), or a schedule; a number is refused once a schedule drives it. */
  set learningRate(value: number | LearningRateSchedule) {
    if (value instanceof LearningRateSchedule) {
      this.#rate = value;
      return;
    }
    if (this.#rate instanceof LearningRateSchedule) {
      throw new ScheduleTypeError(
        this.#owner,
        "learningRate",
        value,
        "left as it is: this optimizer's learning rate is a LearningRateSchedule, so it cannot be set to a number " +
          "(as in Keras); create the optimizer with a number to set its rate",
      );
    }
    this.#rate = this.#checkRateDivisor(checkLearningRate(value, this.#owner, "learningRate") as number);
  }

  /**
   * Applies one update, Keras's `apply_gradients` (see the class's description for the order of operations), and
   * counts the call. tf.js's `minimize` and `model.fit` call it.
   *
   * Every argument is checked before anything changes, so a refused call leaves the variables, the slots and the count
   * as they were. A variable listed without a gradient (as `model.fit` lists a layer that the loss does not reach) is
   * left unchanged, with a `console.warn` naming it, once per distinct set of such variables, as Keras warns.
   * (`minimize(f)` without a `varList` drops such variables before the optimizer sees them: pass the list to be warned.)
   *
   * @throws {ScheduleOptionError} no gradient at all, a variable listed twice, a variable tf.js does not know, a variable this optimizer was
   * not built for (as Keras refuses it), a gradient not of its variable's shape or already disposed, a disposed slot
   * or EMA variable, a learning rate of 0 where the update divides by it, or restored weights that do not fit the slots
   * built on the first update (the restore is then undone: the count goes back to what it was before `setWeights`).
   * @throws {ScheduleTypeError} a gradient that is not a float32 tensor (a number, an int32 or bool tensor).
   * @throws {ScheduleValueError} the schedule's rate for this update is not a finite number >= 0.
   */
  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const update = this[PREPARE_UPDATE](variableGradients);
    if (!update) return;
    update.build();
    update.apply();
  }

  /**
   * `applyGradients` in steps: its checks and the rate, which change nothing; then the returned update's `build` (the
   * slots, on the first update, with their check of restored weights) and `apply`. A MultiOptimizer runs each step
   * for every inner optimizer before the next, so that a refused update changes none. Null for an empty list.
   * @internal
   */
  [PREPARE_UPDATE](variableGradients: tf.NamedTensorMap | NamedTensor[]): PreparedUpdate | null {
    const given = readGradients(this.#owner, variableGradients);
    if (!given) return null;
    const built = this.#slots.variables;
    if (built) {
      this.#slots.checkUpdatable(given.variables);
      this.#average?.checkAlive(this.#owner, built);
    }
    const learningRate = this.#rateForNextUpdate();
    return {
      build: () => this.#ensureBuilt(given.variables),
      apply: () => {
        this.#missingGradients.warn(this.#owner, given.missing);
        try {
          tf.tidy(() => this.#apply(given.gradients, given.updated, learningRate));
        } finally {
          this.#callScalars.release();
        }
        this.iterations_ = this.#calls + 1;
      },
    };
  }

  /** The learning rate of the update about to be applied, checked where the update divides by it. */
  #rateForNextUpdate(): number {
    const rate = this.learningRate;
    return rate === 0 ? this.#checkRateDivisor(rate, this.#calls) : rate;
  }

  /**
   * The body of `applyGradients`, inside its `tf.tidy`, as Keras's `apply_gradients`: accumulate (a call between
   * updates ends there), clip, decay, update, then average.
   */
  #apply(gradients: tf.Tensor[], variables: readonly tf.Variable[], learningRate: number): void {
    const scalar = this.#scalarOf;
    const accumulation = this.#accumulation;
    const ready = accumulation ? accumulation.accumulate(gradients, variables.map((v) => this.variableIndex(v)), this.#calls, scalar) : gradients;
    if (ready) {
      const clipped = clipGradients(ready, this.config, scalar);
      this.applyWeightDecay(variables, learningRate);
      this.applyUpdates(clipped, variables, learningRate);
      accumulation?.reset();
    }
    this.#average?.update(this.#slots.variables!, this.iterations, scalar);
  }

  /**
   * Writes the moving averages into the variables, Keras's `finalize_variable_values`, which Keras's `fit` calls at
   * its end: with `useEma`, each variable becomes its average; without, nothing happens. tf.js's `fit` does not call
   * it: call it after `fit`, or pass the `FinalizeVariableValues` callback to `fit`. Before the first update (and
   * without restored weights) there is no average yet, and nothing happens.
   *
   * @param target a model (its trainable weights are used) or the variables the optimizer updates.
   * @example
   * import { SGD } from 'lr-schedules/tfjs';
   * import * as tf from '@tensorflow/tfjs';
   * const w = tf.variable(tf.scalar(4));
   * const optimizer = new SGD({ learningRate: 1, useEma: true, emaMomentum: 0.5 });
   * optimizer.applyGradients({ [w.name]: tf.scalar(1) }); // w = 3, average = 3 (the first update copies)
   * optimizer.applyGradients({ [w.name]: tf.scalar(1) }); // w = 2, average = 0.5 * 3 + 0.5 * 2
   * optimizer.finalizeVariableValues([w]);
   * w.dataSync()[0]; //=> 2.5
   * @throws {ScheduleOptionError} a variable this optimizer does not update, or not as many variables as it updates.
   * @throws {ScheduleTypeError} `target` is neither a model nor an array of variables.
   */
  finalizeVariableValues(target: VariablesOrModel): void {
    if (!this.config.useEma) return;
    const variables = variablesOf(this.#owner, target);
    if (!this.#slots.variables) {
      if (this.#slots.pendingCallsBefore === null) return;
      this.#ensureBuilt(variables);
    }
    const built = this.#slots.variables!;
    if (variables.length !== built.length) {
      throw new ScheduleOptionError(this.#owner, "target", `[${variables.length} variables]`, `the ${built.length} variables this optimizer updates`);
    }
    this.#average!.writeInto(variables, (v) => this.variableIndex(v));
  }

  /**
   * A float32 scalar tensor of `value` (rounded to float32; -0 is 0), for an update rule's constants and per-update
   * numbers, valid until the end of the current `applyGradients` call: one tensor per distinct value and call, however
   * many variables use it, and freed when the call ends, so that between updates an optimizer holds only its slots.
   */
  protected scalar(value: number): tf.Scalar {
    return this.#callScalars.get(value);
  }

  /** The position of `variable` in the list the slots were built for: Keras's `_get_variable_index`. */
  protected variableIndex(variable: tf.Variable): number {
    return this.#slots.indexOf(variable);
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
    return this.#slots.add(name, shape, initialValue);
  }

  /**
   * Builds the slots on the first update. Weights restored before then are checked against the slots just built: if
   * they do not fit, the slots are dropped, the restore is undone (the count goes back to what it was before
   * `setWeights`) and the error is thrown.
   */
  #ensureBuilt(variables: readonly tf.Variable[]): void {
    if (this.#slots.variables) return;
    const callsBefore = this.#slots.pendingCallsBefore;
    try {
      const restored = this.#slots.build(variables, (built) => {
        // Keras's BaseOptimizer.build: the averages, then the accumulators, before the optimizer's own slots.
        const { useEma, gradientAccumulationSteps: steps } = this.config;
        if (useEma) this.#average = new MovingAverage(this.addOptimizerVariables(built, "average"), this.config);
        if (steps !== null) this.#accumulation = new GradientAccumulation(steps, this.addOptimizerVariables(built, "gradient_accumulator"));
        this.build(built);
      });
      if (restored) this.#average?.markFilled();
    } catch (e) {
      this.#average = null;
      this.#accumulation = null;
      if (callsBefore !== null) this.iterations_ = callsBefore;
      throw e;
    }
  }

  /**
   * The weights tf.js saves with `includeOptimizer`: `iter` (int32, every `applyGradients` call), then every slot
   * variable in Keras's order (EMA averages, gradient accumulators, the optimizer's own), named `<variable>/<slot>`.
   * Before the first update, the weights restored by `setWeights`, if any.
   *
   * The tensors are the optimizer's own, not copies: do not dispose them. The `iter` scalar is disposed by the next
   * `getWeights()` call or by `dispose()`, so read it (or `tf.clone` it) before calling again; the slot tensors live as
   * long as the optimizer's slots.
   *
   * @example
   * import { SGD } from 'lr-schedules/tfjs';
   * import * as tf from '@tensorflow/tfjs';
   * const optimizer = new SGD(0.1);
   * const [iter] = await optimizer.getWeights();
   * iter.tensor.dataSync()[0]; //=> 0
   * await optimizer.getWeights();
   * iter.tensor.isDisposed; //=> true (replaced by the second call's)
   * optimizer.dispose();
   */
  override async getWeights(): Promise<NamedTensor[]> {
    this.#savedIterations?.dispose();
    this.#savedIterations = tf.scalar(this.#calls, "int32");
    return [{ name: "iter", tensor: this.#savedIterations }, ...this.#slots.saved()];
  }

  /**
   * Restores the call count and the slot variables from `getWeights()`'s output, by position (tf.js renames a
   * reloaded model's variables), checking every weight before changing anything: `iter` first, a whole number in
   * int32's range; then one live numeric tensor per slot, of the kind (the name after the last `/`) and shape of the
   * slot at its position. So the weights of another optimizer class, or of other options that shape the slots
   * (`amsgrad`, `centered`, `useEma`, `gradientAccumulationSteps`...), are refused, and a refused restore leaves the
   * optimizer as it was.
   *
   * Before the first update, when tf.js restores a loaded model's optimizer, the slots do not exist yet: the count is
   * set and the values are kept, then checked and assigned when the first update builds the slots; if they do not fit,
   * that update throws and changes nothing, and the count goes back to what it was before this call.
   *
   * @throws {ScheduleOptionError} `iter` missing, not first, or not a whole number >= 0; a disposed tensor; slots that
   * do not fit (now, or at the first update).
   * @throws {ScheduleTypeError} `weightValues` is not an array of `{ name, tensor }`, or a tensor is not numeric.
   */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const { calls, slots } = await readSavedWeights(this.#owner, weightValues);
    const assigned = this.#slots.restore(slots, this.#calls);
    this.iterations_ = calls;
    if (assigned) this.#average?.markFilled();
  }

  /** Frees the slot variables and any restored weights; the next update builds fresh slots. */
  override dispose(): void {
    this.#slots.dispose();
    this.#average = null;
    this.#accumulation = null;
    this.#savedIterations?.dispose();
    this.#savedIterations = null;
    super.dispose();
  }

  /**
   * The options as given, in camelCase, with the learning rate as it is: a number or the schedule itself. Base options
   * left at their default are left out. What Keras JSON holds, under Keras's keys.
   * @internal
   */
  [GIVEN_CONFIG](): Record<string, unknown> {
    const cls = this.constructor as KerasOptimizerClass;
    const config = publicConfig(cls.fields, this.config as unknown as Record<string, unknown>);
    config.learningRate = this.#rate;
    return config;
  }

  /**
   * The options that rebuild this optimizer, in camelCase, with the current learning rate: a number, or the
   * schedule's Keras JSON as text in which every `_` is written `\u005f`. Base options left at their default are left
   * out. tf.js saves it with `includeOptimizer`.
   *
   * The schedule is text because tf.js's loader camelCases every key and every string holding a `_` of a saved
   * config: a registered schedule's snake_case options and a `registered_name` such as `'my_pkg>StepDrop'` would not
   * come back. A string without `_` comes back as it was, and `JSON.parse` reads `\u005f` as `_`.
   *
   * @example
   * import { InverseTimeDecay } from 'lr-schedules';
   * import { SGD } from 'lr-schedules/tfjs';
   * const config = new SGD({ learningRate: new InverseTimeDecay(0.1, 1, 0.5) }).getConfig();
   * typeof config.learningRate; //=> 'string'
   * JSON.parse(config.learningRate as string).config.decay_rate; //=> 0.5
   */
  override getConfig(): tf.serialization.ConfigDict {
    const config = this[GIVEN_CONFIG]();
    const rate = config.learningRate;
    if (rate instanceof LearningRateSchedule) config.learningRate = scheduleToTfjsConfig(rate);
    return config as tf.serialization.ConfigDict;
  }

  /**
   * Builds an optimizer from `getConfig()`'s output, as `tf.loadLayersModel` does: the schedule as the text `getConfig`
   * writes; the `customObjects` the loader adds are ignored.
   */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(optionsOfTfjsConfig(config, (cls as unknown as KerasOptimizerClass).kerasName));
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
