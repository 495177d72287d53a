import { ScheduleOptionError } from "../errors.js";
import { numberOps, type Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { LearningRateSchedule } from "../schedule.js";
import { interpolate, knots, type Knots } from "./piecewiseInterpolateSchedule.js";

const fields = declareOptions({
  /** The length of the cycle (optax's `transition_steps`). An integer >= 1. */
  transitionSteps: option.number({ rule: { min: 1, integer: true }, steps: true }),
  /** The rate at the top of the cycle (`peak_value`). A finite number >= 0. */
  peakValue: option.number({ rule: "nonNegative" }),
  /** The fraction of the cycle spent rising (`pct_start`). In (0, 1). @defaultValue 0.3 */
  pctStart: option.number({ rule: { min: 0, max: 1, minOpen: true, maxOpen: true } }, 0.3),
  /** The fraction of the cycle at whose end the rate is back to its start (`pct_final`). In (0, 1). @defaultValue 0.85 */
  pctFinal: option.number({ rule: { min: 0, max: 1, minOpen: true, maxOpen: true } }, 0.85),
  /** The start rate is `peakValue / divFactor` (`div_factor`). A finite number > 0. @defaultValue 25 */
  divFactor: option.number({ rule: "positive" }, 25),
  /** The last rate is the start rate divided by this (`final_div_factor`). A finite number > 0. @defaultValue 1e4 */
  finalDivFactor: option.number({ rule: "positive" }, 1e4),
  /** `'float32'` computes as optax (jax, x64 off); `'float64'` the same formula in doubles. @defaultValue 'float32' */
  dtype: option.dtype,
});

/** The positional arguments, in optax's order. */
export type LinearOnecycleScheduleOrder = [
  transitionSteps: "transitionSteps",
  peakValue: "peakValue",
  pctStart?: "pctStart",
  pctFinal?: "pctFinal",
  divFactor?: "divFactor",
  finalDivFactor?: "finalDivFactor",
];
/** The options of {@link linearOnecycleSchedule}. */
export type LinearOnecycleScheduleOptions = OptionsOf<typeof fields>;
/** The validated options of {@link linearOnecycleSchedule}. */
export type LinearOnecycleScheduleConfig = ConfigOf<typeof fields>;

/**
 * optax's knots: `int(pctStart * transitionSteps)`, `int(pctFinal * transitionSteps)` and `transitionSteps`, scaled
 * by `divFactor`, `1 / divFactor` and `1 / finalDivFactor` (Python divisions, in double), from `peakValue / divFactor`.
 */
function cycleKnots(o: Ops<number>, c: LinearOnecycleScheduleConfig): Knots {
  const up = Math.trunc(c.pctStart * c.transitionSteps);
  const down = Math.trunc(c.pctFinal * c.transitionSteps);
  return knots(o, "linear", c.peakValue / c.divFactor, { [up]: c.divFactor, [down]: 1 / c.divFactor, [c.transitionSteps]: 1 / c.finalDivFactor });
}

/** optax's `linear_onecycle_schedule`, built by `linearOnecycleSchedule` of 'lr-schedules/optax' (documented there). */
export class LinearOnecycleSchedule extends LearningRateSchedule<LinearOnecycleScheduleConfig> {
  static override readonly className = "linearOnecycleSchedule";
  /** Registered as `lr-schedules>linearOnecycleSchedule`. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula =
    "lr: linear from peakValue / divFactor up to peakValue at pctStart * transitionSteps, back down by pctFinal * transitionSteps, then to the start / finalDivFactor at transitionSteps";
  static override readonly examples = { steps: 1000, expressions: ["linearOnecycleSchedule(1000, 0.01)"] };

  constructor(options: LinearOnecycleScheduleOptions);
  constructor(...args: OptionArguments<LinearOnecycleScheduleOptions, LinearOnecycleScheduleOrder>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<LinearOnecycleScheduleConfig>("linearOnecycleSchedule", fields, args);
    const up = Math.trunc(c.pctStart * c.transitionSteps);
    const down = Math.trunc(c.pctFinal * c.transitionSteps);
    // optax's dict would silently drop all but one of the scales at a shared step.
    if (!(up < down && down < c.transitionSteps)) {
      const expected = `a value that, with pctStart = ${c.pctStart} and pctFinal = ${c.pctFinal}, gives three distinct phase ends int(pctStart * transitionSteps) < int(pctFinal * transitionSteps) < transitionSteps`;
      throw new ScheduleOptionError("linearOnecycleSchedule", "transitionSteps", c.transitionSteps, expected);
    }
    const o = numberOps(c.dtype);
    const k = cycleKnots(o, c);
    super(c, (step) => interpolate(o, o.constant(step), k));
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return interpolate(o, step, cycleKnots(numberOps(this.config.dtype), this.config));
  }
}
