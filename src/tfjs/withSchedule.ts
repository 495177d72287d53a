/**
 * `withSchedule`: a LearningRateSchedule drives one of tf.js's own optimizers, whose update rule stays tf.js's.
 * Also the two learning-rate accessors the callbacks share, since every kind of optimizer keeps its rate differently.
 */
import type { Optimizer } from "@tensorflow/tfjs-core";
import { ScheduleTypeError } from "../errors.js";
import { LearningRateSchedule } from "../schedule.js";

const DRIVER = Symbol.for("lr-schedules.withSchedule");

/** The members this file reads or patches: tf.js's `Optimizer`, seen without its `protected` modifiers. */
interface Patchable {
  readonly iterations: number;
  learningRate?: unknown;
  setLearningRate?: (learningRate: number) => void;
  applyGradients(gradients: unknown): void;
  minimize?: unknown;
  computeGradients?: unknown;
  getClassName?: () => string;
  [DRIVER]?: Driver;
}

/** The per-optimizer state of `withSchedule`: the schedule, the rate of the step last asked, the rate last written. */
class Driver {
  private step = -1;
  private rate = 0;
  private written = NaN;
  /** True while the driver itself writes the rate, so that the guard lets the write through. */
  writing = false;

  constructor(
    private readonly optimizer: Patchable,
    private schedule: LearningRateSchedule,
    /** Pushes a rate into the optimizer; null when the optimizer reads `learningRate` (our getter) at each update. */
    private readonly write: ((learningRate: number) => void) | null,
  ) {}

  /** The rate of `step`, each step computed once however often tf.js reads it. */
  rateAt(step: number): number {
    if (step !== this.step) {
      this.rate = this.schedule(step);
      this.step = step;
    }
    return this.rate;
  }

  /** Makes the next update use schedule(iterations); writes only when the rate changed (SGD allocates a scalar). */
  sync(): void {
    const rate = this.rateAt(this.optimizer.iterations);
    if (this.write === null || rate === this.written) return;
    this.writing = true;
    try {
      this.write(rate);
    } finally {
      this.writing = false;
    }
    this.written = rate;
  }

  use(schedule: LearningRateSchedule): void {
    schedule(this.optimizer.iterations); // throws for a rate that is not a finite number >= 0, before the switch
    this.schedule = schedule;
    this.step = -1;
    this.sync();
  }
}

function isOptimizer(x: unknown): x is Patchable {
  if (typeof x !== "object" || x === null) return false;
  const o = x as Patchable;
  return typeof o.applyGradients === "function" && typeof o.minimize === "function" && typeof o.computeGradients === "function";
}

/** The name errors give an optimizer: Keras's for ours (`SGD`, not `lr-schedules>SGD`), tf.js's for tf.js's. */
function optimizerNameOf(optimizer: Patchable): string {
  const kerasName = (optimizer.constructor as { kerasName?: unknown }).kerasName;
  if (typeof kerasName === "string") return kerasName;
  return typeof optimizer.getClassName === "function" ? optimizer.getClassName() : optimizer.constructor.name;
}

function notSettable(optimizer: Patchable, value: unknown): ScheduleTypeError {
  return new ScheduleTypeError(
    optimizerNameOf(optimizer),
    "learningRate",
    value,
    "left to its schedule: withSchedule() sets this optimizer's rate before every update and, as in Keras, the rate of " +
      "an optimizer driven by a LearningRateSchedule cannot be set",
  );
}

/** The `learningRate` property's descriptor, wherever it sits on the prototype chain. */
function findProperty(target: object, key: string): PropertyDescriptor | undefined {
  for (let o: object | null = target; o !== null; o = Object.getPrototypeOf(o) as object | null) {
    const d = Object.getOwnPropertyDescriptor(o, key);
    if (d) return d;
  }
  return undefined;
}

/**
 * Drives a tf.js optimizer by a schedule: before each update the rate becomes `schedule(iterations)`, where
 * `iterations` counts the updates already applied, as Keras counts (the first update uses `schedule(0)`). The update
 * rule stays the optimizer's own, tf.js's; for Keras's rules use this package's optimizers, which take the schedule as
 * their `learningRate`.
 *
 * It patches and returns **the same optimizer**, not a wrapper, so that everything else about it stays as it was:
 * `instanceof tf.AdamOptimizer`, `model.compile({ optimizer })`, `optimizer.minimize(f)`, `getWeights` / `setWeights`.
 * Works with `sgd`, `momentum`, `adam`, `adamax`, `adagrad`, `adadelta` and `rmsprop` from `tf.train`, and with any
 * optimizer that has a `setLearningRate` method, a numeric `learningRate` field or a `learningRate` setter.
 *
 * Afterwards `optimizer.learningRate` (public in the returned type, `protected` in tf.js's) reads the rate the next
 * update will use, and setting the rate
 * (`learningRate = x`, or `setLearningRate(x)`) throws a `TypeError`, as Keras does for an optimizer built with a
 * schedule; so a `LearningRateScheduler` or `ReduceLROnPlateau` callback on it fails loudly instead of being
 * overwritten at the next step. Calling `withSchedule` again on the same optimizer replaces its schedule.
 *
 * Not kept by serialization: `getConfig()` (and a saved model's optimizer) holds the current rate as a constant.
 *
 * @example
 * import * as tf from '@tensorflow/tfjs';
 * import { InverseTimeDecay } from 'lr-schedules';
 * import { withSchedule } from 'lr-schedules/tfjs';
 *
 * const optimizer = withSchedule(tf.train.adam(), new InverseTimeDecay(0.01, 1, 0.5));
 * optimizer.learningRate;  //=> 0.009999999776482582 (the rate at step 0)
 * const w = tf.variable(tf.scalar(1));
 * optimizer.minimize(() => tf.square(w));  // uses schedule(0)
 * optimizer.minimize(() => tf.square(w));  // uses schedule(1)
 * optimizer.learningRate;  //=> 0.004999999888241291 (the rate at step 2)
 * @throws {ScheduleTypeError} `optimizer` is not a tf.js optimizer with a learning rate, or `schedule` is not a
 *   LearningRateSchedule; or the optimizer's own rate cannot be set (one of ours built with a schedule).
 * @throws {ScheduleValueError} at an update (or at once for the current step), the schedule's rate is not a finite
 *   number >= 0 (the schedule itself refuses it).
 */
export function withSchedule<O extends Optimizer>(
  optimizer: O,
  schedule: LearningRateSchedule,
): O & {
  /** The rate the next update will use: `schedule(iterations)`, in float32. */
  readonly learningRate: number;
} {
  if (!isOptimizer(optimizer)) {
    throw new ScheduleTypeError("withSchedule", "optimizer", optimizer, "a tf.js optimizer (tf.train.sgd(0.1), tf.train.adam(), ...)");
  }
  if (!(schedule instanceof LearningRateSchedule)) {
    throw new ScheduleTypeError("withSchedule", "schedule", schedule, "a LearningRateSchedule (new InverseTimeDecay(0.1, 1, 0.5), ...)");
  }
  const o: Patchable = optimizer;
  const driven = o[DRIVER];
  if (driven) {
    driven.use(schedule);
    return optimizer as O & { readonly learningRate: number };
  }

  const expected =
    "a tf.js optimizer with a learning rate: a `setLearningRate` method, a numeric `learningRate` field or a `learningRate` setter";
  const property = findProperty(o, "learningRate");
  const setLearningRate = o.setLearningRate;
  let write: ((lr: number) => void) | null;
  if (typeof setLearningRate === "function") {
    // SGD and Momentum update with a scalar cached from the rate, which only setLearningRate refreshes.
    write = (lr) => setLearningRate.call(o, lr);
  } else if (property && "value" in property) {
    if (typeof property.value !== "number") throw new ScheduleTypeError("withSchedule", "optimizer", optimizer, expected);
    // Adam, Adamax, Adagrad, Adadelta and RMSProp read the field at each update: the getter below answers.
    write = null;
  } else if (property?.set) {
    const set = property.set;
    write = (lr) => set.call(o, lr);
  } else {
    throw new ScheduleTypeError("withSchedule", "optimizer", optimizer, expected);
  }

  const driver = new Driver(o, schedule, write);
  driver.sync(); // refuses before anything is patched: a custom schedule's bad rate, an optimizer's own refusal
  const apply = o.applyGradients;
  Object.defineProperties(o, {
    [DRIVER]: { value: driver },
    learningRate: {
      get: () => driver.rateAt(o.iterations),
      set: (value: unknown) => {
        if (!driver.writing) throw notSettable(o, value);
      },
      configurable: true,
      enumerable: true,
    },
    applyGradients: {
      value(gradients: unknown): void {
        driver.sync();
        apply.call(o, gradients);
      },
      configurable: true,
      writable: true,
    },
  });
  if (typeof setLearningRate === "function") {
    Object.defineProperty(o, "setLearningRate", {
      value: (value: unknown) => {
        throw notSettable(o, value);
      },
      configurable: true,
      writable: true,
    });
  }
  return optimizer as O & { readonly learningRate: number };
}

/**
 * The float32 rate an optimizer's next update uses, as Keras's callbacks read `optimizer.learning_rate`: tf.js's
 * optimizers hold a double that their float32 arithmetic rounds; ours and `withSchedule`'s already give the float32.
 *
 * @throws {ScheduleTypeError} the optimizer has no numeric `learningRate`; the message names `owner`.
 */
export function learningRateOf(optimizer: Optimizer, owner: string): number {
  const rate = (optimizer as unknown as Patchable | null)?.learningRate;
  if (typeof rate !== "number") {
    throw new ScheduleTypeError(owner, "model.optimizer", optimizer, "a compiled model's optimizer with a numeric `learningRate`");
  }
  return Math.fround(rate);
}

/**
 * Sets an optimizer's rate the way its kind needs: `setLearningRate` for tf.js's SGD and Momentum (the only way their
 * update sees it), the `learningRate` field or setter for the others. An optimizer driven by a schedule throws the
 * `TypeError` Keras throws.
 */
export function setLearningRateOf(optimizer: Optimizer, learningRate: number): void {
  const o = optimizer as unknown as Patchable;
  if (typeof o.setLearningRate === "function") o.setLearningRate(learningRate);
  else o.learningRate = learningRate;
}
