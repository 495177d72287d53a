/**
 * `lr-schedules/transformers`: Hugging Face transformers' schedules (`transformers.optimization`, 5.17), under their
 * own names in camelCase. Each is `learningRate * lambda(step)`: transformers' lambda, which torch's `LambdaLR`
 * multiplies by the optimizer's rate, computed in float64 as Python computes it, operation for operation (within
 * 3.1e-15 relative of transformers on every fixture case, 99% of the rates equal to the bit; the others differ where
 * V8's cos or pow differs from glibc's). The optimizer's rate is the named option `learningRate`; the other arguments
 * are transformers', positional in transformers' order after `optimizer` (`last_epoch` has no counterpart: a schedule
 * is a function of the step).
 *
 * Step k is the rate of optimizer update k (k updates before it), as for Keras's schedules. transformers calls its
 * lambda with whole steps; a fractional step evaluates the same formula at that real step. A tensor step
 * (`lr-schedules/tfjs`) computes the same formula with float32 tensor operations, so it is near the float64 value, not
 * equal to it (farther where float32 cancels, as in a polynomial of power below 1 close to its end).
 * @module lr-schedules/transformers
 */
// The entry lr-schedules/transformers: one export line per schedule (src/catalogue.ts finds them here).
import type { OptionArguments } from "../options.js";
import type { LearningRateSchedule, ScheduleClass } from "../schedule.js";
import { scheduleFunction, type ScheduleFunction } from "../scheduleFunction.js";
import {
  ConstantSchedule,
  type ConstantScheduleConfig,
  type ConstantScheduleOptions,
  type ConstantScheduleOrder,
} from "./getConstantSchedule.js";
import {
  ConstantScheduleWithWarmup,
  type ConstantScheduleWithWarmupConfig,
  type ConstantScheduleWithWarmupOptions,
  type ConstantScheduleWithWarmupOrder,
} from "./getConstantScheduleWithWarmup.js";
import {
  CosineScheduleWithWarmup,
  type CosineScheduleWithWarmupConfig,
  type CosineScheduleWithWarmupOptions,
  type CosineScheduleWithWarmupOrder,
} from "./getCosineScheduleWithWarmup.js";
import {
  CosineWithHardRestartsScheduleWithWarmup,
  type CosineWithHardRestartsScheduleWithWarmupConfig,
  type CosineWithHardRestartsScheduleWithWarmupOptions,
  type CosineWithHardRestartsScheduleWithWarmupOrder,
} from "./getCosineWithHardRestartsScheduleWithWarmup.js";
import {
  CosineWithMinLrScheduleWithWarmup,
  type CosineWithMinLrScheduleWithWarmupConfig,
  type CosineWithMinLrScheduleWithWarmupOptions,
  type CosineWithMinLrScheduleWithWarmupOrder,
} from "./getCosineWithMinLrScheduleWithWarmup.js";
import {
  CosineWithMinLrScheduleWithWarmupLrRate,
  type CosineWithMinLrScheduleWithWarmupLrRateConfig,
  type CosineWithMinLrScheduleWithWarmupLrRateOptions,
  type CosineWithMinLrScheduleWithWarmupLrRateOrder,
} from "./getCosineWithMinLrScheduleWithWarmupLrRate.js";
import {
  InverseSqrtSchedule,
  type InverseSqrtScheduleConfig,
  type InverseSqrtScheduleOptions,
  type InverseSqrtScheduleOrder,
} from "./getInverseSqrtSchedule.js";
import {
  LinearScheduleWithWarmup,
  type LinearScheduleWithWarmupConfig,
  type LinearScheduleWithWarmupOptions,
  type LinearScheduleWithWarmupOrder,
} from "./getLinearScheduleWithWarmup.js";
import {
  PolynomialDecayScheduleWithWarmup,
  type PolynomialDecayScheduleWithWarmupConfig,
  type PolynomialDecayScheduleWithWarmupOptions,
  type PolynomialDecayScheduleWithWarmupOrder,
} from "./getPolynomialDecayScheduleWithWarmup.js";
import { WsdSchedule, type WsdScheduleConfig, type WsdScheduleOptions, type WsdScheduleOrder } from "./getWsdSchedule.js";

export type {
  ConstantScheduleOptions,
  ConstantScheduleWithWarmupOptions,
  CosineScheduleWithWarmupOptions,
  CosineWithHardRestartsScheduleWithWarmupOptions,
  CosineWithMinLrScheduleWithWarmupLrRateOptions,
  CosineWithMinLrScheduleWithWarmupOptions,
  InverseSqrtScheduleOptions,
  LinearScheduleWithWarmupOptions,
  PolynomialDecayScheduleWithWarmupOptions,
  WsdScheduleOptions,
};

/**
 * A transformers schedule function: a {@link ScheduleFunction} whose calls always end with the options object, which
 * holds the required `learningRate` (`getCosineScheduleWithWarmup(500, 10000)` does not compile).
 */
export interface TransformersScheduleFunction<Options, Order extends readonly (keyof Options | undefined)[], Config extends object> {
  (options: Options): LearningRateSchedule<Config>;
  (...args: Extract<OptionArguments<Options, Order>, readonly [...unknown[], object]>): LearningRateSchedule<Config>;
  /** The class whose instances the function returns: its `className`, `fields`, `fromConfig` and `examples`. */
  readonly scheduleClass: ScheduleClass<LearningRateSchedule<Config>>;
}

/** {@link scheduleFunction} typed as a {@link TransformersScheduleFunction}. */
function withRate<Options, Order extends readonly (keyof Options | undefined)[], Config extends object>(
  cls: ScheduleClass<LearningRateSchedule<Config>>,
): TransformersScheduleFunction<Options, Order, Config> {
  const fn: ScheduleFunction<Options, Order, Config> = scheduleFunction<Options, Order, Config>(cls);
  return fn;
}

/**
 * transformers' `get_constant_schedule`: the optimizer's rate at every step.
 *
 * ```text
 * lr = learningRate * 1
 * ```
 * @example
 * import { getConstantSchedule } from 'lr-schedules/transformers';
 * const lr = getConstantSchedule({ learningRate: 5e-5 });
 * lr(0); //=> 5e-5
 * lr(1000); //=> 5e-5
 * @throws {ScheduleTypeError} `learningRate` missing or not a number.
 * @throws {ScheduleOptionError} `learningRate` negative or not finite.
 */
export const getConstantSchedule = withRate<ConstantScheduleOptions, ConstantScheduleOrder, ConstantScheduleConfig>(ConstantSchedule);

/**
 * transformers' `get_constant_schedule_with_warmup`: a linear warmup from 0 to the optimizer's rate over
 * `numWarmupSteps`, then that rate.
 *
 * ```text
 * lr = learningRate * (step < numWarmupSteps ? step / max(1, numWarmupSteps) : 1)
 * ```
 * @example
 * import { getConstantScheduleWithWarmup } from 'lr-schedules/transformers';
 * const lr = getConstantScheduleWithWarmup(500, { learningRate: 5e-5 });
 * lr(0); //=> 0
 * lr(250); //=> 2.5e-5
 * lr(500); //=> 5e-5
 * @throws {ScheduleTypeError} an argument of the wrong kind, or `learningRate` missing.
 * @throws {ScheduleOptionError} `numWarmupSteps` not an integer >= 0; `learningRate` negative.
 */
export const getConstantScheduleWithWarmup = withRate<
  ConstantScheduleWithWarmupOptions,
  ConstantScheduleWithWarmupOrder,
  ConstantScheduleWithWarmupConfig
>(ConstantScheduleWithWarmup);

/**
 * transformers' `get_linear_schedule_with_warmup` (the Trainer's default, `'linear'`): a linear warmup from 0 to the
 * optimizer's rate, then a straight line to 0 at `numTrainingSteps`, and 0 after.
 *
 * ```text
 * lr = learningRate * step / max(1, numWarmupSteps)                                                    step < numWarmupSteps
 * lr = learningRate * max(0, (numTrainingSteps - step) / max(1, numTrainingSteps - numWarmupSteps))   otherwise
 * ```
 * @example
 * import { getLinearScheduleWithWarmup } from 'lr-schedules/transformers';
 * const lr = getLinearScheduleWithWarmup(500, 10000, { learningRate: 5e-5 });
 * lr(250); //=> 2.5e-5
 * lr(500); //=> 5e-5 (the peak)
 * lr(5250); //=> 2.5e-5
 * lr(10000); //=> 0
 * @throws {ScheduleTypeError} an argument of the wrong kind, or `learningRate` missing.
 * @throws {ScheduleOptionError} a step count not an integer (`numTrainingSteps` >= 1), or `numWarmupSteps` above
 * `numTrainingSteps` (transformers would never end the warmup); `learningRate` negative.
 */
export const getLinearScheduleWithWarmup = withRate<LinearScheduleWithWarmupOptions, LinearScheduleWithWarmupOrder, LinearScheduleWithWarmupConfig>(
  LinearScheduleWithWarmup,
);

/**
 * transformers' `get_cosine_schedule_with_warmup` (`'cosine'`): a linear warmup from 0 to the optimizer's rate, then
 * `numCycles` waves of a cosine (0.5: one fall to 0 at `numTrainingSteps`).
 *
 * ```text
 * p  = (step - numWarmupSteps) / max(1, numTrainingSteps - numWarmupSteps)
 * lr = learningRate * step / max(1, numWarmupSteps)                          step < numWarmupSteps
 * lr = learningRate * max(0, 0.5 * (1 + cos(pi * numCycles * 2 * p)))      otherwise
 * ```
 * Past `numTrainingSteps` the cosine goes on (with 0.5 cycles it rises again), as transformers' lambda does; the
 * Trainer stops before.
 *
 * @example
 * import { getCosineScheduleWithWarmup } from 'lr-schedules/transformers';
 * const lr = getCosineScheduleWithWarmup(500, 10000, { learningRate: 5e-5 });
 * lr(250); //=> 2.5e-5
 * lr(500); //=> 5e-5 (the peak)
 * lr(5250); //=> 2.5e-5 (half way)
 * lr(10000); //=> 0
 * @throws {ScheduleTypeError} an argument of the wrong kind, or `learningRate` missing.
 * @throws {ScheduleOptionError} a step count not an integer (`numTrainingSteps` >= 1), `numWarmupSteps` above
 * `numTrainingSteps`, `numCycles` negative; `learningRate` negative.
 */
export const getCosineScheduleWithWarmup = withRate<CosineScheduleWithWarmupOptions, CosineScheduleWithWarmupOrder, CosineScheduleWithWarmupConfig>(
  CosineScheduleWithWarmup,
);

/**
 * transformers' `get_cosine_with_hard_restarts_schedule_with_warmup` (`'cosine_with_restarts'`): a linear warmup,
 * then `numCycles` half cosines from the optimizer's rate to 0, each restarting at the peak; 0 from
 * `numTrainingSteps` on.
 *
 * ```text
 * p  = (step - numWarmupSteps) / max(1, numTrainingSteps - numWarmupSteps)
 * lr = learningRate * step / max(1, numWarmupSteps)                          step < numWarmupSteps
 * lr = 0                                                                     p >= 1
 * lr = learningRate * max(0, 0.5 * (1 + cos(pi * ((numCycles * p) % 1))))  otherwise
 * ```
 * @example
 * import { getCosineWithHardRestartsScheduleWithWarmup } from 'lr-schedules/transformers';
 * const lr = getCosineWithHardRestartsScheduleWithWarmup(500, 10000, 3, { learningRate: 5e-5 });
 * lr(500); //=> 5e-5
 * lr(3666); //=> 5.4679246769273606e-12 (the end of the first cycle)
 * lr(3667); //=> 0.000049999998633018794 (restarted)
 * lr(10000); //=> 0
 * @throws {ScheduleTypeError} an argument of the wrong kind, or `learningRate` missing.
 * @throws {ScheduleOptionError} a step count not an integer (`numTrainingSteps` >= 1), `numWarmupSteps` above
 * `numTrainingSteps`, `numCycles` negative; `learningRate` negative.
 */
export const getCosineWithHardRestartsScheduleWithWarmup = withRate<
  CosineWithHardRestartsScheduleWithWarmupOptions,
  CosineWithHardRestartsScheduleWithWarmupOrder,
  CosineWithHardRestartsScheduleWithWarmupConfig
>(CosineWithHardRestartsScheduleWithWarmup);

/**
 * transformers' `get_polynomial_decay_schedule_with_warmup` (`'polynomial'`): a linear warmup to the optimizer's rate,
 * then a polynomial of degree `power` down to `lrEnd` at `numTrainingSteps`, and `lrEnd` after.
 *
 * ```text
 * lr = learningRate * step / max(1, numWarmupSteps)        step < numWarmupSteps
 * lr = learningRate * (lrEnd / learningRate)                step > numTrainingSteps
 * lr = learningRate * (((learningRate - lrEnd) * (1 - (step - numWarmupSteps) / (numTrainingSteps - numWarmupSteps)) ** power + lrEnd) / learningRate)
 * ```
 * (transformers' lambda divides by the rate that `LambdaLR` then multiplies by, so `lr(numTrainingSteps)` is `lrEnd`
 * within an ulp.)
 *
 * @example
 * import { getPolynomialDecayScheduleWithWarmup } from 'lr-schedules/transformers';
 * const lr = getPolynomialDecayScheduleWithWarmup(500, 10000, 1e-7, 2, { learningRate: 5e-5 });
 * lr(500); //=> 5e-5
 * lr(5250); //=> 0.000012575
 * lr(10000); //=> 9.999999999999998e-8 (lrEnd, divided then multiplied)
 * @throws {ScheduleTypeError} an argument of the wrong kind, or `learningRate` missing.
 * @throws {ScheduleOptionError} `lrEnd` not below `learningRate` (transformers raises too); `numTrainingSteps` not
 * above `numWarmupSteps` (transformers divides by zero at `numTrainingSteps`); `power` or `lrEnd` negative.
 */
export const getPolynomialDecayScheduleWithWarmup = withRate<
  PolynomialDecayScheduleWithWarmupOptions,
  PolynomialDecayScheduleWithWarmupOrder,
  PolynomialDecayScheduleWithWarmupConfig
>(PolynomialDecayScheduleWithWarmup);

/**
 * transformers' `get_inverse_sqrt_schedule` (`'inverse_sqrt'`): a linear warmup to the optimizer's rate, then decay as
 * one over the square root of the step, on a `timescale` (by default `numWarmupSteps`, or 10000 without warmup).
 *
 * ```text
 * lr = learningRate * step / max(1, numWarmupSteps)                                  step < numWarmupSteps
 * lr = learningRate / sqrt((step + timescale - numWarmupSteps) / timescale)         otherwise
 * ```
 * With the default timescale it is Keras's own `InverseSqrtDecay` in float64.
 *
 * @example
 * import { getInverseSqrtSchedule } from 'lr-schedules/transformers';
 * const lr = getInverseSqrtSchedule(1000, { learningRate: 1e-3 });
 * lr(500); //=> 0.0005
 * lr(1000); //=> 0.001
 * lr(4000); //=> 0.0005
 * @throws {ScheduleTypeError} an argument of the wrong kind, or `learningRate` missing.
 * @throws {ScheduleOptionError} `numWarmupSteps` not an integer >= 0, `timescale` not an integer >= 1 (or null);
 * `learningRate` negative.
 */
export const getInverseSqrtSchedule = withRate<InverseSqrtScheduleOptions, InverseSqrtScheduleOrder, InverseSqrtScheduleConfig>(InverseSqrtSchedule);

/**
 * transformers' `get_cosine_with_min_lr_schedule_with_warmup` (`'cosine_with_min_lr'`): the cosine of
 * {@link getCosineScheduleWithWarmup}, falling to a minimum given as `minLr` or as `minLrRate` (exactly one).
 *
 * ```text
 * m  = minLrRate, or minLr / learningRate
 * p  = (step - numWarmupSteps) / max(1, numTrainingSteps - numWarmupSteps)
 * lr = learningRate * step / max(1, numWarmupSteps)                                          step < numWarmupSteps
 * lr = learningRate * max(0, 0.5 * (1 + cos(pi * numCycles * 2 * p)) * (1 - m) + m)         otherwise
 * ```
 * @example
 * import { getCosineWithMinLrScheduleWithWarmup } from 'lr-schedules/transformers';
 * const lr = getCosineWithMinLrScheduleWithWarmup(500, 10000, { minLrRate: 0.1, learningRate: 5e-5 });
 * lr(500); //=> 5e-5
 * lr(10000); //=> 5e-6 (a tenth of the rate)
 * @throws {ScheduleTypeError} an argument of the wrong kind, `learningRate` missing, or neither `minLr` nor
 * `minLrRate` given.
 * @throws {ScheduleOptionError} both `minLr` and `minLrRate` given (transformers raises too), `minLr` above
 * `learningRate` or with a `learningRate` of 0 (transformers divides by it), `minLrRate` outside [0, 1], a step
 * count not an integer, `numWarmupSteps` above `numTrainingSteps`.
 */
export const getCosineWithMinLrScheduleWithWarmup = withRate<
  CosineWithMinLrScheduleWithWarmupOptions,
  CosineWithMinLrScheduleWithWarmupOrder,
  CosineWithMinLrScheduleWithWarmupConfig
>(CosineWithMinLrScheduleWithWarmup);

/**
 * transformers' `get_cosine_with_min_lr_schedule_with_warmup_lr_rate` (`'cosine_warmup_with_min_lr'`): as
 * {@link getCosineWithMinLrScheduleWithWarmup}, but counted one step ahead: the warmup starts at
 * `1 / numWarmupSteps` of the rate (or at `warmupLrRate`) and peaks at step `numWarmupSteps - 1`, and the cosine
 * reaches its minimum at step `numTrainingSteps - 1`.
 *
 * ```text
 * m  = minLrRate, or minLr / learningRate
 * p  = (step - numWarmupSteps + 1) / max(1, numTrainingSteps - numWarmupSteps)
 * lr = learningRate * (step + 1) / max(1, numWarmupSteps)                                       step < numWarmupSteps, warmupLrRate null
 * lr = learningRate * (warmupLrRate + (1 - warmupLrRate) * step / max(1, numWarmupSteps - 1))   step < numWarmupSteps
 * lr = learningRate * max(0, 0.5 * (1 + cos(pi * numCycles * 2 * p)) * (1 - m) + m)             otherwise
 * ```
 * @example
 * import { getCosineWithMinLrScheduleWithWarmupLrRate } from 'lr-schedules/transformers';
 * const lr = getCosineWithMinLrScheduleWithWarmupLrRate(500, 10000, { minLrRate: 0.1, learningRate: 5e-5 });
 * lr(0); //=> 1.0000000000000001e-7 (1/500 of the rate)
 * lr(499); //=> 5e-5 (the peak)
 * lr(9999); //=> 5e-6 (the minimum)
 * @throws {ScheduleTypeError} an argument of the wrong kind, `learningRate` missing, or neither `minLr` nor
 * `minLrRate` given.
 * @throws {ScheduleOptionError} both `minLr` and `minLrRate` given, `minLr` above `learningRate` or with a
 * `learningRate` of 0, `minLrRate` or `warmupLrRate` outside [0, 1], a step count not an integer, `numWarmupSteps`
 * above `numTrainingSteps`.
 */
export const getCosineWithMinLrScheduleWithWarmupLrRate = withRate<
  CosineWithMinLrScheduleWithWarmupLrRateOptions,
  CosineWithMinLrScheduleWithWarmupLrRateOrder,
  CosineWithMinLrScheduleWithWarmupLrRateConfig
>(CosineWithMinLrScheduleWithWarmupLrRate);

/**
 * transformers' `get_wsd_schedule` (`'warmup_stable_decay'`): warmup, stable, decay. The warmup rises from
 * `minLrRatio` of the optimizer's rate to the rate (`warmupType`: linear, cosine or 1-sqrt), the stable phase keeps
 * it, the decay falls back to `minLrRatio` of it (`decayType`), which stays after.
 *
 * ```text
 * w, s, d = numWarmupSteps, numStableSteps (or numTrainingSteps - w - d), numDecaySteps
 * lr = learningRate * max(0, up(step / max(1, w)) * (1 - minLrRatio) + minLrRatio)             step < w
 * lr = learningRate                                                                            step < w + s
 * lr = learningRate * max(0, down((step - w - s) / max(1, d)) * (1 - minLrRatio) + minLrRatio)  step < w + s + d
 * lr = learningRate * minLrRatio                                                               after
 * up:   linear p, cosine 0.5 * (1 - cos(pi * p)), 1-sqrt 1 - sqrt(1 - p)
 * down: linear 1 - p, cosine 0.5 * (1 + cos(pi * numCycles * 2 * p)), 1-sqrt 1 - sqrt(p)
 * ```
 * @example
 * import { getWsdSchedule } from 'lr-schedules/transformers';
 * const lr = getWsdSchedule(500, 2000, 10000, { learningRate: 5e-5 });
 * lr(250); //=> 2.5e-5
 * lr(7999); //=> 5e-5 (stable until 10000 - 2000)
 * lr(9000); //=> 2.5e-5 (half way down the cosine)
 * lr(10000); //=> 0
 * @throws {ScheduleTypeError} an argument of the wrong kind, `learningRate` missing, or neither `numTrainingSteps`
 * nor `numStableSteps` given.
 * @throws {ScheduleOptionError} `numTrainingSteps` below `numWarmupSteps + numDecaySteps` (transformers would start
 * the decay before the warmup ends), a step count not an integer, `minLrRatio` outside [0, 1], a type not one of
 * 'linear', 'cosine', '1-sqrt'.
 */
export const getWsdSchedule = withRate<WsdScheduleOptions, WsdScheduleOrder, WsdScheduleConfig>(WsdSchedule);

export { getScheduler, SCHEDULER_TYPES, type GetSchedulerOptions, type SchedulerType } from "./getScheduler.js";
export { fromTrainingArguments, type TrainingArgumentsOptions } from "./fromTrainingArguments.js";
