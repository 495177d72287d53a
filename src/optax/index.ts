/**
 * `lr-schedules/optax`: optax's 14 schedule builders (optax 0.2.8), under their own names in camelCase,
 * with optax's numbers: float32 as jax computes with x64 off, the same operations in the same order (equal to the bit
 * on every golden value). Arguments in optax's positional order, as one options object, or both. Each returns a
 * `LearningRateSchedule`: tensor steps with `lr-schedules/tfjs`, `sample`, Keras JSON as `lr-schedules>name`.
 * @module lr-schedules/optax
 */
// The entry lr-schedules/optax: one export line per schedule (src/catalogue.ts finds them here).
import { scheduleFunction } from "../scheduleFunction.js";
import { ConstantSchedule, type ConstantScheduleConfig, type ConstantScheduleOptions, type ConstantScheduleOrder } from "./constantSchedule.js";
import { CosineDecaySchedule, type CosineDecayScheduleConfig, type CosineDecayScheduleOptions, type CosineDecayScheduleOrder } from "./cosineDecaySchedule.js";
import { CosineOnecycleSchedule, type CosineOnecycleScheduleConfig, type CosineOnecycleScheduleOptions, type CosineOnecycleScheduleOrder } from "./cosineOnecycleSchedule.js";
import { OptaxExponentialDecay, type ExponentialDecayConfig, type ExponentialDecayOptions, type ExponentialDecayOrder } from "./exponentialDecay.js";
// eslint-disable-next-line import-x/no-cycle -- joinSchedules reads nested schedules through the registry: see src/keras/schedules.ts
import { JoinSchedules, type JoinSchedulesConfig, type JoinSchedulesOptions, type JoinSchedulesOrder } from "./joinSchedules.js";
import { LinearOnecycleSchedule, type LinearOnecycleScheduleConfig, type LinearOnecycleScheduleOptions, type LinearOnecycleScheduleOrder } from "./linearOnecycleSchedule.js";
import { LinearSchedule, type LinearScheduleConfig, type LinearScheduleOptions, type LinearScheduleOrder } from "./linearSchedule.js";
import { PiecewiseConstantSchedule, type PiecewiseConstantScheduleConfig, type PiecewiseConstantScheduleOptions, type PiecewiseConstantScheduleOrder } from "./piecewiseConstantSchedule.js";
import {
  PiecewiseInterpolateSchedule,
  type PiecewiseInterpolateScheduleConfig,
  type PiecewiseInterpolateScheduleOptions,
  type PiecewiseInterpolateScheduleOrder,
} from "./piecewiseInterpolateSchedule.js";
import { PolynomialSchedule, type PolynomialScheduleConfig, type PolynomialScheduleOptions, type PolynomialScheduleOrder } from "./polynomialSchedule.js";
import { SgdrSchedule, type SgdrScheduleConfig, type SgdrScheduleOptions, type SgdrScheduleOrder } from "./sgdrSchedule.js";
import { WarmupConstantSchedule, type WarmupConstantScheduleConfig, type WarmupConstantScheduleOptions, type WarmupConstantScheduleOrder } from "./warmupConstantSchedule.js";
import {
  WarmupCosineDecaySchedule,
  type WarmupCosineDecayScheduleConfig,
  type WarmupCosineDecayScheduleOptions,
  type WarmupCosineDecayScheduleOrder,
} from "./warmupCosineDecaySchedule.js";
import {
  WarmupExponentialDecaySchedule,
  type WarmupExponentialDecayScheduleConfig,
  type WarmupExponentialDecayScheduleOptions,
  type WarmupExponentialDecayScheduleOrder,
} from "./warmupExponentialDecaySchedule.js";

export type { InterpolateType } from "./piecewiseInterpolateSchedule.js";
export type { SgdrCycle } from "./sgdrSchedule.js";
export type {
  ConstantScheduleOptions, PolynomialScheduleOptions, LinearScheduleOptions, PiecewiseConstantScheduleOptions, ExponentialDecayOptions,
  CosineDecayScheduleOptions, PiecewiseInterpolateScheduleOptions, LinearOnecycleScheduleOptions, CosineOnecycleScheduleOptions,
  WarmupConstantScheduleOptions, WarmupCosineDecayScheduleOptions, WarmupExponentialDecayScheduleOptions, SgdrScheduleOptions, JoinSchedulesOptions,
};

/**
 * optax's `constant_schedule(value)`: the same rate at every step.
 *
 * ```text
 * lr = value
 * ```
 * optax returns `value` itself; its optimizers cast it to float32, as this does (`dtype: 'float64'` keeps it).
 *
 * @example
 * import { constantSchedule } from 'lr-schedules/optax';
 * const lr = constantSchedule(0.1);       // or constantSchedule({ value: 0.1 })
 * lr(0); //=> 0.10000000149011612 (0.1 in float32)
 * lr(1e6); //=> 0.10000000149011612
 * @throws {ScheduleOptionError} `value` negative or not finite.
 * @throws {ScheduleTypeError} `value` missing or not a number.
 * @see optax `optax.constant_schedule`; Keras-style `Constant` in 'lr-schedules'.
 */
export const constantSchedule = scheduleFunction<ConstantScheduleOptions, ConstantScheduleOrder, ConstantScheduleConfig>(ConstantSchedule);

/**
 * optax's `polynomial_schedule(init_value, end_value, power, transition_steps, transition_begin=0)`: from
 * `initValue` to `endValue` along a power curve, after `transitionBegin` steps at `initValue`.
 *
 * ```text
 * t  = clip(step - transitionBegin, 0, transitionSteps)
 * lr = (initValue - endValue) * (1 - t / transitionSteps) ** power + endValue
 * ```
 * As jax computes it with x64 off: `initValue - endValue` in double, every operation with the step in float32, a
 * whole `power` by repeated products (jax's `integer_pow`), another by `pow`; a result below float32's smallest normal
 * is 0 (XLA on CPU flushes subnormals). Hence step 0 is `initValue` only to float32 rounding. Keras's
 * `PolynomialDecay` has no `transitionBegin` and can `cycle`.
 *
 * Refused where optax lets it through: `transitionSteps <= 0` (optax returns `initValue` at every step: use
 * `constantSchedule`), `transitionBegin < 0` (optax uses 0), `power <= 0`.
 *
 * @example
 * import { polynomialSchedule } from 'lr-schedules/optax';
 * const lr = polynomialSchedule(1, 0.01, 2, 100);   // or polynomialSchedule({ initValue: 1, endValue: 0.01, power: 2, transitionSteps: 100 })
 * lr(0); //=> 1
 * lr(50); //=> 0.2574999928474426 (0.99 * 0.5 ** 2 + 0.01 in float32)
 * lr(100); //=> 0.009999999776482582 (endValue from here on)
 * @throws {ScheduleOptionError} `transitionSteps` not > 0, `transitionBegin` or a value negative, `power` not > 0; any not finite.
 * @throws {ScheduleTypeError} an option of the wrong kind, or a required one missing.
 * @see optax `optax.polynomial_schedule`
 */
export const polynomialSchedule = scheduleFunction<PolynomialScheduleOptions, PolynomialScheduleOrder, PolynomialScheduleConfig>(PolynomialSchedule);

/**
 * optax's `linear_schedule(init_value, end_value, transition_steps, transition_begin=0)`: a straight line from
 * `initValue` to `endValue` over `transitionSteps`, after `transitionBegin` steps at `initValue`
 * ({@link polynomialSchedule} with power 1).
 *
 * ```text
 * t  = clip(step - transitionBegin, 0, transitionSteps)
 * lr = (initValue - endValue) * (1 - t / transitionSteps) + endValue
 * ```
 * In float32 as jax computes it (`initValue - endValue` in double): the start is `initValue` only to float32
 * rounding, as in optax. Refused where optax lets it through: `transitionSteps <= 0` (optax returns `initValue` at
 * every step), `transitionBegin < 0` (optax uses 0).
 *
 * @example
 * import { linearSchedule } from 'lr-schedules/optax';
 * const lr = linearSchedule(0, 0.1, 10);   // or linearSchedule({ initValue: 0, endValue: 0.1, transitionSteps: 10 })
 * lr(0); //=> 0
 * lr(5); //=> 0.05000000074505806
 * lr(10); //=> 0.10000000149011612 (and from here on)
 * linearSchedule(0.01, 0.1, 7, { transitionBegin: 10 })(0); //=> 0.009999997913837433 (0.01 to float32 rounding, as optax)
 * @throws {ScheduleOptionError} `transitionSteps` not > 0, `transitionBegin` or a value negative; any not finite.
 * @throws {ScheduleTypeError} an option of the wrong kind, or a required one missing.
 * @see optax `optax.linear_schedule`
 */
export const linearSchedule = scheduleFunction<LinearScheduleOptions, LinearScheduleOrder, LinearScheduleConfig>(LinearSchedule);

/**
 * optax's `piecewise_constant_schedule(init_value, boundaries_and_scales=None)`: `initValue`, multiplied by each
 * scale from its step on.
 *
 * ```text
 * lr = initValue * (product of boundariesAndScales[b] for every boundary b <= step)
 * ```
 * `boundariesAndScales` is an object keyed by step, as optax's dict (`{ 100: 0.1, 200: 0.1 }`). A boundary belongs to
 * the piece it starts, as in optax: `lr(b)` is already scaled. Keras's `PiecewiseConstantDecay` does the opposite
 * (its `step <= boundary` keeps the earlier value at the boundary) and lists values, not scales. The products are
 * float32, in step order. Given as the last positional argument, an object of step keys is the boundaries, not the
 * options object.
 *
 * @example
 * import { piecewiseConstantSchedule } from 'lr-schedules/optax';
 * const lr = piecewiseConstantSchedule(0.1, { 100: 0.1, 200: 0.1 });
 * lr(99); //=> 0.10000000149011612
 * lr(100); //=> 0.010000000707805157 (scaled at the boundary itself)
 * lr(200); //=> 0.0010000000474974513
 * @throws {ScheduleOptionError} `initValue` or a scale negative or not finite (optax refuses negative scales too), a
 *   key that is not a whole step in [0, 2^31 - 1].
 * @throws {ScheduleTypeError} an option of the wrong kind, or `initValue` missing.
 * @see optax `optax.piecewise_constant_schedule`
 */
export const piecewiseConstantSchedule = scheduleFunction<PiecewiseConstantScheduleOptions, PiecewiseConstantScheduleOrder, PiecewiseConstantScheduleConfig>(
  PiecewiseConstantSchedule,
);

/**
 * optax's `exponential_decay(init_value, transition_steps, decay_rate, transition_begin=0, staircase=False,
 * end_value=None)`: the rate multiplied by `decayRate` every `transitionSteps`, after `transitionBegin` steps.
 *
 * ```text
 * p  = (step - transitionBegin) / transitionSteps           (floor(p) when staircase)
 * lr = initValue                                            for step <= transitionBegin
 *    = initValue * decayRate ** p                           after
 * then lr = max(lr, endValue) when decayRate < 1, min(lr, endValue) when > 1  (endValue not null)
 * ```
 * In float32 as jax computes it; a rate below float32's smallest normal is 0 (XLA on CPU flushes subnormals). Keras's
 * `ExponentialDecay` has neither `transitionBegin` nor `endValue`. Refused where optax lets it through:
 * `transitionSteps <= 0` or `decayRate` 0 (optax returns `initValue` at every step), `transitionBegin < 0` (optax
 * uses 0), a negative `decayRate` (NaN between whole periods).
 *
 * @example
 * import { exponentialDecay } from 'lr-schedules/optax';
 * const lr = exponentialDecay(1, 10, 0.5);   // or exponentialDecay({ initValue: 1, transitionSteps: 10, decayRate: 0.5 })
 * lr(10); //=> 0.5
 * lr(15); //=> 0.3535533845424652 (0.5 ** 1.5)
 * const stairs = exponentialDecay(1, 10, 0.5, { staircase: true, endValue: 0.2 });
 * stairs(15); //=> 0.5
 * stairs(30); //=> 0.20000000298023224 (0.125, floored at endValue)
 * @throws {ScheduleOptionError} `transitionSteps` or `decayRate` not > 0, `transitionBegin`, `initValue` or
 *   `endValue` negative; any not finite.
 * @throws {ScheduleTypeError} an option of the wrong kind, or a required one missing.
 * @see optax `optax.exponential_decay`
 */
export const exponentialDecay = scheduleFunction<ExponentialDecayOptions, ExponentialDecayOrder, ExponentialDecayConfig>(OptaxExponentialDecay);

/**
 * optax's `cosine_decay_schedule(init_value, decay_steps, alpha=0.0, exponent=1.0)`: half a cosine from
 * `initValue` down to `alpha * initValue`, then flat.
 *
 * ```text
 * c  = (1 + cos(pi * min(step, decaySteps) / decaySteps)) / 2
 * lr = initValue * ((1 - alpha) * c ** exponent + alpha)
 * ```
 * In float32 as jax computes it (`1 - alpha` in double, `pi` rounded to float32 first). Keras's `CosineDecay` is the
 * same curve without `exponent` (and with a warmup of its own); PyTorch's `CosineAnnealingLR` rises again after
 * `T_max`, this stays flat.
 *
 * @example
 * import { cosineDecaySchedule } from 'lr-schedules/optax';
 * const lr = cosineDecaySchedule(0.1, 100);   // or cosineDecaySchedule({ initValue: 0.1, decaySteps: 100 })
 * lr(0); //=> 0.10000000149011612
 * lr(50); //=> 0.04999999701976776
 * lr(100); //=> 0
 * cosineDecaySchedule(0.1, 100, 0.1)(150); //=> 0.010000000707805157 (alpha * initValue)
 * @throws {ScheduleOptionError} `decaySteps` or `exponent` not > 0 (optax refuses `decaySteps <= 0` too), `alpha` or
 *   `initValue` negative; any not finite.
 * @throws {ScheduleTypeError} an option of the wrong kind, or a required one missing.
 * @see optax `optax.cosine_decay_schedule`
 */
export const cosineDecaySchedule = scheduleFunction<CosineDecayScheduleOptions, CosineDecayScheduleOrder, CosineDecayScheduleConfig>(CosineDecaySchedule);

/**
 * optax's `piecewise_interpolate_schedule(interpolate_type, init_value, boundaries_and_scales=None)`: knots at
 * step 0 and at each boundary, the rate at each knot the running product of the scales, joined by straight lines or
 * half cosines.
 *
 * ```text
 * rate[0] = initValue,  rate[i] = rate[i-1] * scale[i]          (boundaries b[1] < b[2] < ..., b[0] = 0)
 * pct     = (step - b[i]) / max(b[i+1] - b[i], 1)               for b[i] <= step < b[i+1]
 * lr      = rate[i] + (rate[i+1] - rate[i]) * pct                              'linear'
 *         = rate[i+1] + (rate[i] - rate[i+1]) / 2 * (cos(pi * pct) + 1)        'cosine'
 * lr      = rate[n] from the last boundary on
 * ```
 * `boundariesAndScales` is an object keyed by step, as optax's dict. A boundary at 0 makes the first piece empty: the
 * rate starts at the first product. In float32 as jax computes it.
 *
 * @example
 * import { piecewiseInterpolateSchedule } from 'lr-schedules/optax';
 * const lr = piecewiseInterpolateSchedule('linear', 1, { 4: 0.1, 8: 0.01 });
 * lr(0); //=> 1
 * lr(2); //=> 0.550000011920929 (halfway from 1 to 0.1)
 * lr(4); //=> 0.10000000149011612
 * lr(8); //=> 0.0010000000474974513 (1 * 0.1 * 0.01, and from here on)
 * @throws {ScheduleOptionError} `interpolateType` neither 'linear' nor 'cosine' (optax refuses it too), `initValue`
 *   or a scale negative or not finite, a key that is not a whole step in [0, 2^31 - 1].
 * @throws {ScheduleTypeError} an option of the wrong kind, or a required one missing.
 * @see optax `optax.piecewise_interpolate_schedule`
 */
export const piecewiseInterpolateSchedule = scheduleFunction<
  PiecewiseInterpolateScheduleOptions,
  PiecewiseInterpolateScheduleOrder,
  PiecewiseInterpolateScheduleConfig
>(PiecewiseInterpolateSchedule);

/**
 * optax's `linear_onecycle_schedule(transition_steps, peak_value, pct_start=0.3, pct_final=0.85, div_factor=25.0,
 * final_div_factor=1e4)`: Smith's one cycle with straight lines, a {@link piecewiseInterpolateSchedule}.
 *
 * ```text
 * up = int(pctStart * transitionSteps),  down = int(pctFinal * transitionSteps)
 * lr: peakValue / divFactor at 0 -> peakValue at up -> peakValue / divFactor at down
 *     -> peakValue / divFactor / finalDivFactor at transitionSteps, and after
 * ```
 * optax's knots are whole steps (`int(...)`); its dict silently keeps one scale when two knots fall on one step
 * (a short cycle): refused here. PyTorch's `OneCycleLR(anneal_strategy='linear', three_phase=True)` is the nearest
 * recipe; Keras-style `OneCycle` in 'lr-schedules' has two phases.
 *
 * @example
 * import { linearOnecycleSchedule } from 'lr-schedules/optax';
 * const lr = linearOnecycleSchedule(100, 0.1);   // or linearOnecycleSchedule({ transitionSteps: 100, peakValue: 0.1 })
 * lr(0); //=> 0.004000000189989805 (peakValue / 25)
 * lr(30); //=> 0.10000000149011612
 * lr(85); //=> 0.004000000189989805
 * lr(100); //=> 4.0000000467443897e-7
 * @throws {ScheduleOptionError} `transitionSteps` not a whole number >= 1 or so short that two knots share a step,
 *   `pctStart` or `pctFinal` outside (0, 1), `divFactor` or `finalDivFactor` not > 0, `peakValue` negative.
 * @throws {ScheduleTypeError} an option of the wrong kind, or a required one missing.
 * @see optax `optax.linear_onecycle_schedule`; Smith and Topin, "Super-Convergence" (2017), https://arxiv.org/abs/1708.07120
 */
export const linearOnecycleSchedule = scheduleFunction<LinearOnecycleScheduleOptions, LinearOnecycleScheduleOrder, LinearOnecycleScheduleConfig>(LinearOnecycleSchedule);

/**
 * optax's `cosine_onecycle_schedule(transition_steps, peak_value, pct_start=0.3, div_factor=25.0,
 * final_div_factor=1e4)`: Smith's one cycle with half cosines, a {@link piecewiseInterpolateSchedule}.
 *
 * ```text
 * up = int(pctStart * transitionSteps)
 * lr: peakValue / divFactor at 0 -> peakValue at up -> peakValue / (divFactor * finalDivFactor) at transitionSteps
 * ```
 * Note optax's final rate: `peakValue / (divFactor * finalDivFactor)`, the start divided by `finalDivFactor`, as
 * PyTorch's `OneCycleLR` (whose start is `max_lr / div_factor` too).
 *
 * @example
 * import { cosineOnecycleSchedule } from 'lr-schedules/optax';
 * const lr = cosineOnecycleSchedule(100, 0.1);   // or cosineOnecycleSchedule({ transitionSteps: 100, peakValue: 0.1 })
 * lr(0); //=> 0.0040000006556510925 (peakValue / 25, through optax's cosine)
 * lr(30); //=> 0.10000000149011612
 * lr(100); //=> 4.0000000467443897e-7
 * @throws {ScheduleOptionError} `transitionSteps` not a whole number >= 1 (optax refuses <= 0 too), `pctStart` outside
 *   [0, 1), `divFactor` or `finalDivFactor` not > 0, `peakValue` negative.
 * @throws {ScheduleTypeError} an option of the wrong kind, or a required one missing.
 * @see optax `optax.cosine_onecycle_schedule`; PyTorch `OneCycleLR`
 */
export const cosineOnecycleSchedule = scheduleFunction<CosineOnecycleScheduleOptions, CosineOnecycleScheduleOrder, CosineOnecycleScheduleConfig>(CosineOnecycleSchedule);

/**
 * optax's `warmup_constant_schedule(init_value, peak_value, warmup_steps)`: a linear warmup from `initValue` to
 * `peakValue`, then `peakValue`.
 *
 * ```text
 * lr = (initValue - peakValue) * (1 - min(step, warmupSteps) / warmupSteps) + peakValue
 * ```
 * Refused where optax lets it through: `warmupSteps <= 0`, for which optax returns `initValue` at every step, never
 * `peakValue` (without warmup, use `constantSchedule(peakValue)`).
 *
 * @example
 * import { warmupConstantSchedule } from 'lr-schedules/optax';
 * const lr = warmupConstantSchedule(0, 0.1, 10);   // or warmupConstantSchedule({ initValue: 0, peakValue: 0.1, warmupSteps: 10 })
 * lr(5); //=> 0.05000000074505806
 * lr(10); //=> 0.10000000149011612 (and from here on)
 * @throws {ScheduleOptionError} `warmupSteps` not > 0, a value negative; any not finite.
 * @throws {ScheduleTypeError} an option of the wrong kind, or a required one missing.
 * @see optax `optax.warmup_constant_schedule`; transformers `get_constant_schedule_with_warmup`
 */
export const warmupConstantSchedule = scheduleFunction<WarmupConstantScheduleOptions, WarmupConstantScheduleOrder, WarmupConstantScheduleConfig>(WarmupConstantSchedule);

/**
 * optax's `warmup_cosine_decay_schedule(init_value, peak_value, warmup_steps, decay_steps, end_value=0.0,
 * exponent=1.0)`: a linear warmup to `peakValue`, then a cosine down to `endValue`, reached at `decaySteps`.
 *
 * ```text
 * lr = linearSchedule(initValue, peakValue, warmupSteps)(step)                       step < warmupSteps
 *    = cosineDecaySchedule(peakValue, decaySteps - warmupSteps,
 *                          endValue / peakValue, exponent)(step - warmupSteps)         after
 * ```
 * `decaySteps` counts the warmup: the whole schedule lasts `decaySteps` steps, the cosine `decaySteps - warmupSteps`.
 * (Keras's `CosineDecay(warmup_steps=...)` adds its warmup before its `decay_steps`; transformers'
 * `get_cosine_schedule_with_warmup` counts it inside `num_training_steps`, as optax.) The end rate is
 * `peakValue * (endValue / peakValue)` in float32, as optax computes it.
 *
 * @example
 * import { warmupCosineDecaySchedule } from 'lr-schedules/optax';
 * const lr = warmupCosineDecaySchedule(0, 0.1, 10, 100);   // or warmupCosineDecaySchedule({ initValue: 0, peakValue: 0.1, warmupSteps: 10, decaySteps: 100 })
 * lr(5); //=> 0.05000000074505806
 * lr(10); //=> 0.10000000149011612 (the peak)
 * lr(55); //=> 0.04999999701976776 (halfway through the cosine's 90 steps)
 * lr(100); //=> 0
 * @throws {ScheduleOptionError} `decaySteps` not > `warmupSteps` (optax refuses it too), `warmupSteps` or a value
 *   negative, `exponent` not > 0; any not finite.
 * @throws {ScheduleTypeError} an option of the wrong kind, or a required one missing.
 * @see optax `optax.warmup_cosine_decay_schedule`
 */
export const warmupCosineDecaySchedule = scheduleFunction<WarmupCosineDecayScheduleOptions, WarmupCosineDecayScheduleOrder, WarmupCosineDecayScheduleConfig>(
  WarmupCosineDecaySchedule,
);

/**
 * optax's `warmup_exponential_decay_schedule(init_value, peak_value, warmup_steps, transition_steps, decay_rate,
 * transition_begin=0, staircase=False, end_value=None)`: a linear warmup to `peakValue`, then
 * {@link exponentialDecay} from `peakValue`, counted from the end of the warmup.
 *
 * ```text
 * lr = linearSchedule(initValue, peakValue, warmupSteps)(step)              step < warmupSteps
 *    = exponentialDecay(peakValue, transitionSteps, decayRate,
 *                       transitionBegin, staircase, endValue)(step - warmupSteps)   after
 * ```
 * Refused where optax lets it through: `transitionSteps <= 0` or `decayRate` 0 (optax stays at `peakValue`),
 * `transitionBegin < 0`.
 *
 * @example
 * import { warmupExponentialDecaySchedule } from 'lr-schedules/optax';
 * const lr = warmupExponentialDecaySchedule(0, 0.1, 10, 10, 0.5);
 * lr(5); //=> 0.05000000074505806
 * lr(10); //=> 0.10000000149011612
 * lr(20); //=> 0.05000000074505806 (one period after the warmup)
 * @throws {ScheduleOptionError} `transitionSteps` or `decayRate` not > 0, `warmupSteps`, `transitionBegin` or a value
 *   negative; any not finite.
 * @throws {ScheduleTypeError} an option of the wrong kind, or a required one missing.
 * @see optax `optax.warmup_exponential_decay_schedule`
 */
export const warmupExponentialDecaySchedule = scheduleFunction<
  WarmupExponentialDecayScheduleOptions,
  WarmupExponentialDecayScheduleOrder,
  WarmupExponentialDecayScheduleConfig
>(WarmupExponentialDecaySchedule);

/**
 * optax's `sgdr_schedule(cosine_kwargs)`: warm restarts, {@link warmupCosineDecaySchedule} cycles one after another.
 *
 * ```text
 * start[0] = 0,  start[i] = start[i-1] + cosineKwargs[i-1].decaySteps
 * lr = warmupCosineDecaySchedule(cosineKwargs[i])(step - start[i])     for start[i] <= step < start[i+1]
 * ```
 * Each cycle is the options of a `warmupCosineDecaySchedule`, in camelCase or with optax's snake_case keys
 * (`init_value`...); the config holds them in camelCase with defaults filled in. The last cycle stays at its
 * `endValue`. Keras's `CosineDecayRestarts` derives its cycles from `tMul` and `mMul` and has no warmup.
 *
 * @example
 * import { sgdrSchedule } from 'lr-schedules/optax';
 * const lr = sgdrSchedule([
 *   { initValue: 0, peakValue: 0.1, warmupSteps: 10, decaySteps: 100 },
 *   { initValue: 0, peakValue: 0.05, warmupSteps: 10, decaySteps: 200 },
 * ]);
 * lr(10); //=> 0.10000000149011612 (the first peak)
 * lr(100); //=> 0 (the second cycle starts, from initValue)
 * lr(110); //=> 0.05000000074505806 (the second peak)
 * @throws {ScheduleOptionError} no cycle, or a cycle's option out of range (`cosineKwargs[1].decaySteps`...), as
 *   {@link warmupCosineDecaySchedule} refuses it.
 * @throws {ScheduleTypeError} `cosineKwargs` not an array of objects, or a cycle's option of the wrong kind.
 * @see optax `optax.sgdr_schedule`; Loshchilov and Hutter, "SGDR" (2016), https://arxiv.org/abs/1608.03983
 */
export const sgdrSchedule = scheduleFunction<SgdrScheduleOptions, SgdrScheduleOrder, SgdrScheduleConfig>(SgdrSchedule);

/**
 * optax's `join_schedules(schedules, boundaries)`: schedules one after another, each on its own clock.
 *
 * ```text
 * b[-1] = 0
 * lr = schedules[i](step - b[i-1])      for b[i-1] <= step < b[i]
 *    = schedules[n](step - b[n-1])      from the last boundary on      (n = boundaries.length)
 * ```
 * At a boundary the next schedule runs, from its own step 0 (optax's `step < boundary` keeps the earlier one only
 * before it). Any schedule may be joined, Keras-style ones too; each computes in its own dtype. The same as
 * `Sequence` in 'lr-schedules', under optax's name. Refused where optax lets it through: boundaries that do not
 * increase strictly (optax's chain of `where`s then skips schedules).
 *
 * @example
 * import { constantSchedule, cosineDecaySchedule, joinSchedules } from 'lr-schedules/optax';
 * const decay = cosineDecaySchedule(0.1, 100);
 * const lr = joinSchedules([constantSchedule(0.1), decay], [10]);
 * lr(9); //=> 0.10000000149011612
 * lr(60) === decay(50); //=> true
 * @throws {ScheduleOptionError} `schedules` empty, `boundaries` not one fewer, negative, or not strictly increasing;
 *   schedules nested more than `JSON_LIMITS.maxDepth` deep.
 * @throws {ScheduleTypeError} a schedule that is not a LearningRateSchedule, a boundary that is not a number.
 * @see optax `optax.join_schedules`
 */
export const joinSchedules = scheduleFunction<JoinSchedulesOptions, JoinSchedulesOrder, JoinSchedulesConfig>(JoinSchedules);
