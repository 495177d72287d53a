import { ScheduleOptionError, ScheduleTypeError, ScheduleValueError } from "./errors.js";
import { numberOps, type Dtype, type Ops } from "./ops.js";
import { optionsOfKerasConfig, publicConfig, readNested } from "./keras/keys.js";
import type { Fields } from "./options.js";
import { isPlainObject } from "./plainObject.js";

/** A step a schedule accepts from plain JavaScript: a number or bigint in [0, float32's largest], fractions too. */
export type Step = number | bigint;

/** What `lr-schedules/tfjs` installs so that schedules accept tensor steps; see {@link LearningRateSchedule}. */
export type TensorStepHandler = (schedule: LearningRateSchedule, step: object) => unknown;

const BRAND = Symbol.for("lr-schedules.LearningRateSchedule");
const TENSOR_STEP = Symbol.for("lr-schedules.tensorStep");
// The key predates the name `EVALUATE`; kept, since `instanceof` recognizes schedules of other copies by it.
const EVALUATE = Symbol.for("lr-schedules.formula");
const DEPTH = Symbol.for("lr-schedules.depth");
type Slots = { [TENSOR_STEP]?: TensorStepHandler };

/** Installs the tensor-step path; called once by `lr-schedules/tfjs` on import. */
export function setTensorStepHandler(handler: TensorStepHandler): void {
  (globalThis as Slots)[TENSOR_STEP] = handler;
}

/** A schedule class as the registry and `deserialize` see it. */
export interface ScheduleClass<S extends LearningRateSchedule = LearningRateSchedule> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  new (...args: any[]): S;
  /** Keras's `class_name` for the class's instances. */
  readonly className: string;
  /** The option table of a built-in class (the playground builds its forms from it); a user's class has none. */
  readonly fields?: Fields;
  /** How a built-in class whose options hold schedules reads one nested in Keras JSON, at `path`. */
  readonly readNestedJson?: (value: unknown, path: string) => unknown;
  /** A built-in class's examples: what its chart draws. */
  readonly examples?: ScheduleExamples;
  /** Builds an instance from `getConfig()`'s output, or from Keras's snake_case config. */
  fromConfig(config: Record<string, unknown>): S;
}

/**
 * A class's examples, as `lr-schedules` expressions (the CLI, the playground and the tests read them), and the steps
 * from 0 that show them: the class's chart in docs/seeing.md draws them over that range.
 *
 * @example
 * import { OneCycle } from 'lr-schedules';
 * OneCycle.examples.expressions[0]; //=> 'OneCycle(0.01, 10000)'
 * OneCycle.examples.steps; //=> 10000
 */
export interface ScheduleExamples {
  /** Schedules of the class, in the expression language (`'OneCycle(0.01, 10000)'`). */
  readonly expressions: readonly string[];
  /** The steps from 0 over which the examples are drawn. */
  readonly steps: number;
}

/** The call signature: an instance of any schedule class is a function of the optimizer step. */
export interface LearningRateSchedule {
  (step: Step): number;
}

/**
 * The base of every schedule, Keras's `LearningRateSchedule`: a 1-arg callable of the optimizer step, with
 * `getConfig()` and `fromConfig()`.
 *
 * A schedule is a function (`typeof s === 'function'`, `[0, 1, 2].map(s)` works) that is also an instance of its
 * class. It never changes after construction. The step is checked on every call: a number or bigint in
 * [0, float32's largest], or, after `import 'lr-schedules/tfjs'`, a tf.js tensor or variable (the result is then a
 * float32 `tf.Scalar`).
 * Anything else throws; a schedule never returns NaN.
 *
 * To write your own, extend this class, call `super()` with no arguments, implement `compute(ops, step)` with the
 * `ops` it is given (so that the same formula serves numbers and tensors) and `getConfig()`; register it with
 * {@link registerSchedule} to serialize it.
 *
 * @example
 * import { LearningRateSchedule, float32Ops, type Ops } from 'lr-schedules';
 *
 * class HalveEvery extends LearningRateSchedule {
 *   static readonly className = 'HalveEvery';
 *   constructor(readonly options: { every: number }) { super(); }  // fromConfig(c) is new HalveEvery(c)
 *   compute<T, B>(o: Ops<T, B>, step: T): T {
 *     return o.div(o.constant(1), o.pow(o.constant(2), o.floor(o.div(step, o.constant(this.options.every)))));
 *   }
 *   getConfig() { return { ...this.options }; }
 * }
 * const lr = new HalveEvery({ every: 10 });
 * lr(25); //=> 0.25
 * lr instanceof LearningRateSchedule; //=> true
 */
export abstract class LearningRateSchedule<C extends object = Record<string, unknown>> {
  /**
   * A class's Keras `class_name`, as a literal so that minifiers cannot change it. A class that sets none is named by
   * its JavaScript name, and never by a parent's (a class extending `CosineDecay` is not `'CosineDecay'`): the rule
   * the registry and `instance.className` follow.
   */
  static get className(): string {
    return this === LearningRateSchedule ? "LearningRateSchedule" : this.name;
  }
  /**
   * Builds that compile a subclass's `static className = '...'` as an assignment (tsup's CommonJS output) would hit
   * the getter above, which has no setter in a strict-mode class body: the assignment becomes the subclass's own
   * property, as a class field defines it.
   */
  static set className(value: string) {
    Object.defineProperty(this, "className", { value, writable: true, configurable: true });
  }
  /** The option table of a built-in class; a user's class has none and implements `getConfig` itself. */
  static readonly fields?: Fields;
  /**
   * A built-in class's formula in one line of text, for people: what `lr-schedules show` prints. (The function a
   * schedule computes with is its evaluator, given to `super`.)
   */
  static readonly formula?: string;
  /**
   * How `fromConfig` reads a schedule nested in a config as Keras JSON: given by the built-in classes whose options
   * hold schedules (`LinearWarmup`, `Sequence`), from the registry of every class, which this base cannot import
   * (every class imports it).
   */
  static readonly readNestedJson?: (value: unknown, path: string) => unknown;
  /** A built-in class's examples: every built-in class has some (a test checks). */
  static readonly examples?: ScheduleExamples;
  /** The validated options with defaults filled in (built-in classes). */
  declare protected readonly config: Readonly<C>;

  /**
   * @param config - a built-in class's validated options.
   * @param evaluate - a built-in class's evaluator: its formula for a step already known to be a finite number >= 0.
   */
  constructor(config?: Readonly<C>, evaluate?: (step: number) => number) {
    // A built-in's own formula, unless a subclass overrides `compute`: then numbers must go through that override too.
    const ops = numberOps((config as { dtype?: Dtype } | undefined)?.dtype ?? "float32");
    // A user's compute may return anything: its type is checked where the value leaves it, so that a formula it is
    // nested in never coerces a string or null into a number.
    const run = evaluate && computesAsBuiltIn(new.target) ? evaluate : (step: number): number => {
      const rate: unknown = self.compute(ops, ops.constant(step));
      if (typeof rate !== "number") throw new ScheduleValueError((self as unknown as LearningRateSchedule).className, step, rate);
      return rate;
    };
    const self = function schedule(this: unknown, step: unknown): unknown {
      if (new.target) throw notAConstructor(self as unknown as LearningRateSchedule);
      if (typeof step === "number" && step >= 0 && step <= MAX_STEP) {
        const rate = run(step);
        // `+ 0` turns a -0 into 0 and leaves every other number as it is.
        if (isRate(rate)) return rate + 0;
        throw new ScheduleValueError((self as unknown as LearningRateSchedule).className, step, rate);
      }
      return otherStep(self as unknown as LearningRateSchedule, step);
    } as unknown as LearningRateSchedule<C>;
    // A function's own `name` and `length` would hide the schedule's `name` getter.
    delete (self as { name?: string }).name;
    delete (self as { length?: number }).length;
    if (config) Object.defineProperty(self, "config", { value: config });
    Object.defineProperty(self, EVALUATE, { value: run });
    Object.defineProperty(self, DEPTH, { value: nestingDepthOf(nestedSchedules(new.target as unknown as ScheduleClass, config)) });
    return Object.setPrototypeOf(self, new.target.prototype);
  }

  /**
   * The formula, written once against `ops` so that numbers and tensors go through the same operations. `step` is
   * already converted: a float32-rounded number, or a float32 tensor.
   */
  abstract compute<T, B>(ops: Ops<T, B>, step: T): T;

  /**
   * The options that rebuild this schedule, in camelCase, with defaults filled in. `fromConfig(getConfig())` is an
   * equal schedule.
   */
  getConfig(): Record<string, unknown> {
    const fields = (this.constructor as ScheduleClass).fields;
    if (!fields || !this.config) {
      throw new TypeError(`${this.className}: a custom schedule must implement getConfig()`);
    }
    return publicConfig(fields, this.config as Record<string, unknown>);
  }

  /** The `name` option (Keras's), or the class name for a schedule that has none. */
  get name(): string {
    const name = this.getConfig().name;
    return typeof name === "string" ? name : this.className;
  }

  /** The Keras class name of this schedule's class: its own `className`, else its JavaScript name. */
  get className(): string {
    return classNameOf(this.constructor as ScheduleClass);
  }

  /**
   * Builds a schedule from `getConfig()`'s output, or from Keras's snake_case config, whose nested schedules may be
   * Keras JSON objects.
   *
   * @example
   * import { InverseTimeDecay } from 'lr-schedules';
   * InverseTimeDecay.fromConfig({ initial_learning_rate: 0.1, decay_steps: 1, decay_rate: 0.5 })(1); //=> 0.06666667014360428
   */
  static fromConfig<S extends LearningRateSchedule>(this: ScheduleClass<S>, config: Record<string, unknown>): S {
    if (!isPlainObject(config)) {
      throw new ScheduleTypeError(this.className, "config", config, "a plain object of options");
    }
    if (!this.fields) return new this(config);
    const { fields, readNestedJson } = this;
    const options = optionsOfKerasConfig(fields, config, {
      owner: this.className,
      at: (key) => key,
      optionNames: true,
      value: (name, value, path) => (readNestedJson ? readNested(fields[name], value, path, readNestedJson) : value),
    });
    return new this(options);
  }

  /**
   * True for a schedule from any copy of this package (0.1.0 on); subclasses keep the ordinary prototype check. Either
   * way the function must be a schedule itself, not a wrapper of one (`lr.bind(null)` inherits the prototype but is
   * not one).
   */
  static [Symbol.hasInstance](x: unknown): boolean {
    if (typeof x !== "function" || !Object.hasOwn(x, EVALUATE)) return false;
    if (this !== LearningRateSchedule) return Function.prototype[Symbol.hasInstance].call(this, x);
    return (x as unknown as Record<symbol, unknown>)[BRAND] === true;
  }
}
Object.setPrototypeOf(LearningRateSchedule.prototype, Function.prototype);
Object.defineProperty(LearningRateSchedule.prototype, BRAND, { value: true });

/** The largest float32: a larger step would become Infinity when Keras casts it, and the rate NaN or 0. */
export const MAX_STEP = 3.4028234663852886e38;
const expectedStep = `a number or bigint in [0, ${MAX_STEP}] (float32's range), or a tf.js tensor`;

function otherStep(schedule: LearningRateSchedule, step: unknown): unknown {
  const owner = schedule.className;
  if (typeof step === "bigint") {
    if (step < 0n) throw new ScheduleOptionError(owner, "step", step, expectedStep);
    const value = bigintToFloat32Exact(step);
    if (!(value <= MAX_STEP)) throw new ScheduleOptionError(owner, "step", step, expectedStep);
    return schedule(value);
  }
  if (typeof step === "number") throw new ScheduleOptionError(owner, "step", step, expectedStep);
  if (isTensorLike(step)) {
    const handler = (globalThis as Slots)[TENSOR_STEP];
    if (!handler) {
      throw new ScheduleTypeError(owner, "step", step, `${expectedStep}; to pass a tensor, import 'lr-schedules/tfjs' once first`);
    }
    return handler(schedule, step);
  }
  throw new ScheduleTypeError(owner, "step", step, expectedStep);
}

/**
 * A bigint as a number whose float32 rounding equals the bigint's own float32 rounding (as Keras casts an int64
 * step). `Math.fround(Number(b))` rounds twice and can miss by one ulp above 2^53; rounding to odd on 26 bits first
 * makes the final rounding exact.
 */
function bigintToFloat32Exact(b: bigint): number {
  if (b <= 2n ** 53n) return Number(b);
  const shift = BigInt(b.toString(2).length - 26);
  const kept = (b >> shift) | ((b & ((1n << shift) - 1n)) === 0n ? 0n : 1n);
  return Number(kept) * 2 ** Number(shift);
}

/**
 * A schedule's evaluator: the function that computes what a call returns once the step is known to be a number in
 * [0, float32's max], checking neither the step nor the value, for loops that check their steps once (`sample`) and
 * compositions that hand their children steps already checked. Every schedule has one (`instanceof` requires it).
 * (Not to be confused with a class's `formula`, the one-line text `lr-schedules show` prints.)
 */
export function evaluatorOf(schedule: LearningRateSchedule): (step: number) => number {
  return (schedule as unknown as { [EVALUATE]: (step: number) => number })[EVALUATE];
}

/**
 * The schedules nested in a built-in class's validated options (its `schedule` and `schedules` fields), in order; a
 * user's class has no option table, so none are known.
 */
function nestedSchedules(cls: ScheduleClass, config: object | undefined): LearningRateSchedule[] {
  const found: LearningRateSchedule[] = [];
  const fields = cls.fields;
  if (!fields || !config) return found;
  for (const name of Object.keys(fields)) {
    if (!fields[name]!.nested) continue;
    const value = (config as Record<string, unknown>)[name];
    for (const child of Array.isArray(value) ? value : [value]) if (child instanceof LearningRateSchedule) found.push(child);
  }
  return found;
}

/** How deep a schedule nests schedules: 1 for a schedule that holds none, else one more than its deepest child. */
export function nestingDepth(schedule: LearningRateSchedule): number {
  return (schedule as unknown as { [DEPTH]: number })[DEPTH];
}

/** The depth of a schedule whose children are `children`: one more than the deepest of them. */
export function nestingDepthOf(children: readonly LearningRateSchedule[]): number {
  let deepest = 0;
  for (const child of children) deepest = Math.max(deepest, nestingDepth(child));
  return deepest + 1;
}

/**
 * The schedule and every schedule nested in its options, at any depth, with the dtype each computes in: a built-in
 * class's validated options say; a user's class is a leaf whose dtype is not known (`undefined`). A loop over an
 * explicit stack, never a spread of an array into a call, so that wide or deep trees cannot exhaust the call stack.
 */
export function scheduleTree(schedule: LearningRateSchedule): { schedule: LearningRateSchedule; dtype: string | undefined }[] {
  const found: { schedule: LearningRateSchedule; dtype: string | undefined }[] = [];
  const pending: LearningRateSchedule[] = [schedule];
  while (pending.length) {
    const value = pending.pop()!;
    const cls = value.constructor as ScheduleClass;
    const config = cls.fields ? (value as unknown as { config: Record<string, unknown> }).config : undefined;
    found.push({ schedule: value, dtype: config?.dtype as string | undefined });
    for (const child of nestedSchedules(cls, config)) pending.push(child);
  }
  return found;
}

/**
 * Whether instances of `cls` compute as the built-in class it is or extends: that class itself, or a subclass that
 * does not override `compute`. Only then do the built-in's number formula and its `compute` over other arithmetic
 * (tensors) describe the instance.
 */
export function computesAsBuiltIn(cls: abstract new (...args: never[]) => unknown): boolean {
  let builtIn: unknown = cls;
  while (typeof builtIn === "function" && !(Object.hasOwn(builtIn, "fields") && (builtIn as ScheduleClass).fields)) {
    builtIn = Object.getPrototypeOf(builtIn);
  }
  return typeof builtIn === "function" && (cls.prototype as LearningRateSchedule).compute === (builtIn.prototype as LearningRateSchedule).compute;
}

/**
 * The name of a schedule class, as Keras's `class_name`: its own static `className` where the class itself defines
 * one (a string literal, which minifiers leave alone), otherwise its JavaScript name, as Keras names a class by its
 * `__name__`. Never a parent's: `class Mine extends CosineDecay {}` is `'Mine'`, not `'CosineDecay'`.
 */
export function classNameOf(cls: ScheduleClass): string {
  return Object.hasOwn(cls, "className") ? cls.className : cls.name;
}

/** Whether `x` is a class that extends LearningRateSchedule (from any copy of this package), not that base itself. */
export function isScheduleClass(x: unknown): x is ScheduleClass {
  const prototype = typeof x === "function" ? (x.prototype as Record<symbol, unknown> | undefined) : undefined;
  return prototype?.[BRAND] === true && !Object.hasOwn(prototype, BRAND);
}

/**
 * Whether a computed value may be returned as a rate: a finite number >= 0 (not NaN, Infinity or negative, and not a
 * string, null, a boolean or anything else that `>=` would coerce).
 */
export function isRate(value: unknown): value is number {
  return typeof value === "number" && value >= 0 && value < Infinity;
}

/** What `new lr(step)` throws: a schedule is a function of the step, not a class. */
function notAConstructor(schedule: LearningRateSchedule): ScheduleTypeError {
  return new ScheduleTypeError(schedule.className, "new", "new lr(...)", "absent: a schedule is a function of the step, call it as lr(step)");
}

/** A tf.js tensor or variable, recognized without importing tf.js: it has a dtype, a shape and a dataId. */
export function isTensorLike(x: unknown): x is { dtype: string; shape: number[] } {
  return typeof x === "object" && x !== null && "dataId" in x && "dtype" in x && Array.isArray((x as { shape?: unknown }).shape);
}

