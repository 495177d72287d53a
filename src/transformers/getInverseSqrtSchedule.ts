import { float64Ops } from "../float64.js";
import type { Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { LearningRateSchedule } from "../schedule.js";
import { learningRateOption, stepsOption, times, warmupThen } from "./lambda.js";

const fields = declareOptions({
  /** Steps of the linear warmup from 0 (config key `num_warmup_steps`). An integer >= 0. */
  numWarmupSteps: stepsOption(),
  /**
   * The steps over which the rate falls by sqrt(2) and more (config key `timescale`). An integer >= 1, or null for
   * `numWarmupSteps`, or 10000 when that is 0. @defaultValue null
   */
  timescale: option.nullableNumber({ rule: { min: 1, integer: true }, steps: true }),
  /** The optimizer's rate, the peak (config key `learning_rate`). Named only; required. */
  learningRate: learningRateOption,
});

/** The positional arguments, in transformers' order after `optimizer`. */
export type InverseSqrtScheduleOrder = [numWarmupSteps: "numWarmupSteps", timescale?: "timescale"];
/** The options of {@link getInverseSqrtSchedule}. */
export type InverseSqrtScheduleOptions = OptionsOf<typeof fields>;
/** The validated options of {@link getInverseSqrtSchedule}. */
export type InverseSqrtScheduleConfig = ConfigOf<typeof fields>;

const NAME = "getInverseSqrtSchedule";

function inverseSqrt<T, B>(o: Ops<T, B>, step: T, c: InverseSqrtScheduleConfig): T {
  const w = c.numWarmupSteps;
  // transformers' `timescale or (num_warmup_steps or 10_000)`.
  const timescale = c.timescale ?? (w || 10_000);
  const decay = () => o.div(o.constant(1), o.pow(o.div(o.add(step, o.constant(timescale - w)), o.constant(timescale)), o.constant(0.5)));
  return times(o, c.learningRate, warmupThen(o, step, w, decay));
}

/** transformers' `get_inverse_sqrt_schedule`; see the entry's {@link getInverseSqrtSchedule}. */
export class InverseSqrtSchedule extends LearningRateSchedule<InverseSqrtScheduleConfig> {
  static override readonly className = NAME;
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula =
    "lr = learningRate * (step < numWarmupSteps ? step / max(1, numWarmupSteps) : 1 / sqrt((step + timescale - numWarmupSteps) / timescale))";
  static override readonly examples = { steps: 20000, expressions: [`${NAME}(1000, { learningRate: 1e-3 })`] };

  constructor(options: InverseSqrtScheduleOptions);
  constructor(...args: OptionArguments<InverseSqrtScheduleOptions, InverseSqrtScheduleOrder>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<InverseSqrtScheduleConfig>(NAME, fields, args);
    super(c, (step) => inverseSqrt(float64Ops, step, c));
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return inverseSqrt(o, step, this.config);
  }
}
