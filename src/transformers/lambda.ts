/**
 * What the transformers schedules share: their option kinds, the pieces of their lambdas (the warmup ramp, the
 * half cosine), and the checks between two options. Each schedule is `learningRate * lambda(step)`, as torch's
 * `LambdaLR` multiplies the optimizer's rate by transformers' lambda.
 */
import { ScheduleOptionError, ScheduleTypeError } from "../errors.js";
import type { Ops } from "../ops.js";
import { option } from "../options.js";

/**
 * The optimizer's rate (torch's `optimizer.defaults["lr"]`, transformers' `learning_rate`), which the lambda
 * multiplies: named only (`{ learningRate: 5e-5 }`), since transformers' functions take it from the optimizer.
 */
export const learningRateOption = option.named(option.number({ rule: "nonNegative" }));

/** A count of steps, transformers' `int`: a whole number >= `min`. */
export const stepsOption = (min = 0) => option.number({ rule: { min, integer: true }, steps: true });

/** transformers' `num_cycles` of a cosine: a finite number >= 0 (a negative one only mirrors the positive). */
export const numCyclesOption = (defaultValue: number) => option.number({ rule: "nonNegative" }, defaultValue);

/**
 * Refuses a warmup longer than the training: transformers then never ends its warmup within training, and past it
 * the cosines divide by `max(1, numTrainingSteps - numWarmupSteps) = 1`, so that they swing between 0 and the peak
 * at every step.
 */
export function checkWarmupWithinTraining(owner: string, numWarmupSteps: number, numTrainingSteps: number): void {
  if (numWarmupSteps > numTrainingSteps) {
    throw new ScheduleOptionError(owner, "numWarmupSteps", numWarmupSteps, `an integer in [0, numTrainingSteps] (numTrainingSteps=${numTrainingSteps})`);
  }
}

/**
 * transformers' warmup, `step / max(1, numWarmupSteps)` while `step < numWarmupSteps`, then `after()`. Each
 * operation is rounded as `o` rounds (float64 for numbers, as Python's floats; float32 for tensors).
 */
export function warmupThen<T, B>(o: Ops<T, B>, step: T, numWarmupSteps: number, after: () => T): T {
  return o.cond(o.less(step, o.constant(numWarmupSteps)), () => o.div(step, o.constant(Math.max(1, numWarmupSteps))), after);
}

/** `0.5 * (1 + cos(pi * numCycles * 2 * progress))`, in Python's order of operations. */
export function halfCosine<T, B>(o: Ops<T, B>, progress: T, numCycles: number): T {
  return o.mul(o.constant(0.5), o.add(o.constant(1), o.cos(o.mul(o.constant(Math.PI * numCycles * 2), progress))));
}

/** `(step - start) / max(1, length)`: how far into a phase of `length` steps that begins at `start`. */
export function progressOf<T, B>(o: Ops<T, B>, step: T, start: number, length: number): T {
  return o.div(o.sub(step, o.constant(start)), o.constant(Math.max(1, length)));
}

/** `factor * (1 - floor) + floor`: a factor in [0, 1] lifted to [floor, 1], as transformers writes it (no fma). */
export function lift<T, B>(o: Ops<T, B>, factor: T, floor: number): T {
  return o.add(o.mul(factor, o.constant(1 - floor)), o.constant(floor));
}

/** The rate: the optimizer's `learningRate` times the lambda, as `LambdaLR` computes `base_lr * lambda(step)`. */
export function times<T, B>(o: Ops<T, B>, learningRate: number, lambda: T): T {
  return o.mul(o.constant(learningRate), lambda);
}

/** The positional options of both cosines with a minimum rate, in transformers' order. */
export const cosineWithMinLrOptions = {
  /** Steps of the warmup (config key `num_warmup_steps`). An integer >= 0. */
  numWarmupSteps: stepsOption(),
  /** Steps of the whole training (config key `num_training_steps`). An integer >= 1. */
  numTrainingSteps: stepsOption(1),
  /** Waves of the cosine after the warmup; 0.5 falls from the peak to the minimum once (config key `num_cycles`). @defaultValue 0.5 */
  numCycles: numCyclesOption(0.5),
  /** The rate the cosine falls to (config key `min_lr`): in [0, learningRate], or null to give `minLrRate`. @defaultValue null */
  minLr: option.nullableNumber({ rule: "nonNegative" }),
  /** The rate the cosine falls to, over `learningRate` (config key `min_lr_rate`): in [0, 1], or null to give `minLr`. @defaultValue null */
  minLrRate: option.nullableNumber({ rule: "unit" }),
};

/**
 * The floor of a cosine with a minimum, over `learningRate`: `minLr / learningRate` as transformers divides it, or
 * `minLrRate`. Exactly one of the two is given (transformers raises otherwise), and `minLr` is at most `learningRate`
 * and needs a `learningRate` > 0 to divide by (transformers raises ZeroDivisionError at 0).
 */
export function minLrRateOf(owner: string, c: { minLr: number | null; minLrRate: number | null; learningRate: number }): number {
  if (c.minLr !== null && c.minLrRate !== null) {
    throw new ScheduleOptionError(owner, "minLr", c.minLr, `null when minLrRate is given (only one of the two; minLrRate=${c.minLrRate})`);
  }
  if (c.minLr !== null) {
    if (!(c.minLr <= c.learningRate && c.learningRate > 0)) {
      throw new ScheduleOptionError(owner, "minLr", c.minLr, `a finite number in [0, learningRate] with learningRate > 0 (learningRate=${c.learningRate})`);
    }
    return c.minLr / c.learningRate;
  }
  if (c.minLrRate === null) throw new ScheduleTypeError(owner, "minLrRate", null, "a finite number in [0, 1] when minLr is null (one of the two is required)");
  return c.minLrRate;
}
