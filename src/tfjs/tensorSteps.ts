/**
 * Tensor steps: after `import 'lr-schedules/tfjs'`, a schedule called with a tf.js tensor or variable computes its
 * formula with tf.js operations on the backend and returns a float32 scalar, without reading the step back.
 */
import * as tf from "@tensorflow/tfjs-core";
import { ScheduleTypeError, ScheduleValueError } from "../errors.js";
import type { Step } from "../index.js";
import { LearningRateSchedule, scheduleTree } from "../schedule.js";
import { tensorOps } from "./tensorOps.js";

// Named through the core's entry, a path that also exists next to the built types (dist/index.d.ts); ../schedule.js
// becomes a hashed chunk there.
declare module "../index.js" {
  interface LearningRateSchedule {
    /**
     * The rate at a tensor step (after `import 'lr-schedules/tfjs'`): a float32 `tf.Scalar` computed on the backend,
     * equal to the number path to the bit on the cpu backend (but for PiecewiseConstantDecay's exact comparison of whole
     * steps above 2^24, which tensors make in float32).
     */
    (step: tf.Tensor): tf.Scalar;
    // Repeated so that the number signature stays the last overload, the one TypeScript infers `[0, 1].map(lr)` from.
    (step: Step): number;
  }
}

const stepDtypes: ReadonlySet<string> = new Set(["float32", "int32"]);

/** A short label for a tensor in an error message. */
function label(step: tf.Tensor): string {
  return `tensor(${step.dtype}, shape [${step.shape.join(", ")}])`;
}

/**
 * The rate of `schedule` at a tensor step: the step is cast to float32 (as Keras casts it) and the schedule's formula
 * runs with {@link tensorOps} inside `tf.tidy`, so only the returned scalar survives.
 *
 * The step is not checked for being negative or NaN: that would read it back from the device. Such a step gives what
 * the formula gives, as in Keras (an optimizer's step never is).
 *
 * @example
 * import { InverseTimeDecay } from 'lr-schedules';
 * import 'lr-schedules/tfjs';
 * import * as tf from '@tensorflow/tfjs';
 * const lr = new InverseTimeDecay(0.1, 1, 0.5);
 * const rate = lr(tf.scalar(2, 'int32'));
 * rate.dtype; //=> 'float32'
 * rate.dataSync()[0] === lr(2); //=> true
 * @throws {ScheduleTypeError} the step is disposed or not a scalar (rank 0) float32 or int32 tensor, or the schedule
 * or any schedule nested in it computes in float64, which tf.js has no tensors for.
 * @throws {ScheduleValueError} a custom schedule's `compute` returned something other than a float32 scalar tensor.
 */
export function tensorStep(schedule: LearningRateSchedule, step: tf.Tensor): tf.Scalar {
  const owner = schedule.className;
  if (step.isDisposed) throw new ScheduleTypeError(owner, "step", label(step), "a tensor that is not disposed");
  if (!stepDtypes.has(step.dtype) || step.rank !== 0) {
    throw new ScheduleTypeError(owner, "step", label(step), "a scalar (rank 0) float32 or int32 tensor");
  }
  if (computesInFloat64(schedule)) {
    throw new ScheduleTypeError(owner, "step", label(step), "a number or a bigint: this schedule computes in float64 and tf.js has no float64 tensors");
  }
  // On the cpu backend a cast from int32 keeps the integers (2^24 + 1 stays odd); adding 0 writes real float32s, so
  // the step rounds as Keras casts it and as the number path does.
  // Inside the tidy, a result refused is disposed with everything else the formula made. Adding 0 turns a -0 into 0,
  // as the number path does, and changes no other value.
  return tf.tidy(() => {
    const rate: unknown = schedule.compute(tensorOps, tf.add(tf.cast(step, "float32"), 0));
    if (!(rate instanceof tf.Tensor && rate.dtype === "float32" && rate.rank === 0)) {
      throw new ScheduleValueError(owner, label(step), rate instanceof tf.Tensor ? label(rate) : rate, "a float32 scalar tensor");
    }
    return tf.add(rate, 0) as tf.Scalar;
  });
}

/**
 * Whether `schedule` or a schedule nested in its options (at any depth) has `dtype: 'float64'`: its number path then
 * computes that part in float64, which the tensor path could only approximate. Reads each built-in's validated
 * options; a user's class without them is taken as float32.
 */
function computesInFloat64(schedule: LearningRateSchedule): boolean {
  return scheduleTree(schedule).some(({ dtype }) => dtype === "float64");
}
