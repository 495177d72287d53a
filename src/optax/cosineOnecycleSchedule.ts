import { numberOps, type Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { LearningRateSchedule } from "../schedule.js";
import { interpolate, knots, type Knots } from "./piecewiseInterpolateSchedule.js";

const fields = declareOptions({
  /** The length of the cycle (optax's `transition_steps`). An integer >= 1. */
  transitionSteps: option.number({ rule: { min: 1, integer: true }, steps: true }),
  /** The rate at the top of the cycle (`peak_value`). A finite number >= 0. */
  peakValue: option.number({ rule: "nonNegative" }),
  /** The fraction of the cycle spent rising (`pct_start`). In [0, 1). @defaultValue 0.3 */
  pctStart: option.number({ rule: { min: 0, max: 1, maxOpen: true } }, 0.3),
  /** The start rate is `peakValue / divFactor` (`div_factor`). A finite number > 0. @defaultValue 25 */
  divFactor: option.number({ rule: "positive" }, 25),
  /** The last rate is the start rate divided by this (`final_div_factor`). A finite number > 0. @defaultValue 1e4 */
  finalDivFactor: option.number({ rule: "positive" }, 1e4),
  /** `'float32'` computes as optax (jax, x64 off); `'float64'` the same formula in doubles. @defaultValue 'float32' */
  dtype: option.dtype,
});

/** The positional arguments, in optax's order. */
export type CosineOnecycleScheduleOrder = [
  transitionSteps: "transitionSteps",
  peakValue: "peakValue",
  pctStart?: "pctStart",
  divFactor?: "divFactor",
  finalDivFactor?: "finalDivFactor",
];
/** The options of {@link cosineOnecycleSchedule}. */
export type CosineOnecycleScheduleOptions = OptionsOf<typeof fields>;
/** The validated options of {@link cosineOnecycleSchedule}. */
export type CosineOnecycleScheduleConfig = ConfigOf<typeof fields>;

/**
 * optax's knots: `int(pctStart * transitionSteps)` and `transitionSteps`, scaled by `divFactor` and
 * `1 / (divFactor * finalDivFactor)` (in double), from `peakValue / divFactor`.
 */
function cycleKnots(o: Ops<number>, c: CosineOnecycleScheduleConfig): Knots {
  const up = Math.trunc(c.pctStart * c.transitionSteps);
  return knots(o, "cosine", c.peakValue / c.divFactor, { [up]: c.divFactor, [c.transitionSteps]: 1 / (c.divFactor * c.finalDivFactor) });
}

/** optax's `cosine_onecycle_schedule`, built by `cosineOnecycleSchedule` of 'lr-schedules/optax' (documented there). */
export class CosineOnecycleSchedule extends LearningRateSchedule<CosineOnecycleScheduleConfig> {
  static override readonly className = "cosineOnecycleSchedule";
  /** Registered as `lr-schedules>cosineOnecycleSchedule`. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula =
    "lr: cosine from peakValue / divFactor up to peakValue at pctStart * transitionSteps, then down to peakValue / (divFactor * finalDivFactor) at transitionSteps";
  static override readonly examples = { steps: 1000, expressions: ["cosineOnecycleSchedule(1000, 0.01)"] };

  constructor(options: CosineOnecycleScheduleOptions);
  constructor(...args: OptionArguments<CosineOnecycleScheduleOptions, CosineOnecycleScheduleOrder>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<CosineOnecycleScheduleConfig>("cosineOnecycleSchedule", fields, args);
    // pctStart < 1 keeps int(pctStart * transitionSteps) below transitionSteps: optax's dict keeps both scales.
    const o = numberOps(c.dtype);
    const k = cycleKnots(o, c);
    super(c, (step) => interpolate(o, o.constant(step), k));
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return interpolate(o, step, cycleKnots(numberOps(this.config.dtype), this.config));
  }
}
