import { float64Ops } from "../float64.js";
import type { Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { LearningRateSchedule } from "../schedule.js";
import { checkWarmupWithinTraining, cosineWithMinLrOptions, halfCosine, learningRateOption, lift, minLrRateOf, times } from "./lambda.js";

const fields = declareOptions({
  ...cosineWithMinLrOptions,
  /**
   * The rate at step 0 over `learningRate` (config key `warmup_lr_rate`): in [0, 1], or null for a warmup that starts
   * at `1 / numWarmupSteps`. @defaultValue null
   */
  warmupLrRate: option.nullableNumber({ rule: "unit" }),
  /** The optimizer's rate, the peak (config key `learning_rate`). Named only; required. */
  learningRate: learningRateOption,
});

/** The positional arguments, in transformers' order after `optimizer` (without `last_epoch`). */
export type CosineWithMinLrScheduleWithWarmupLrRateOrder = [
  numWarmupSteps: "numWarmupSteps",
  numTrainingSteps: "numTrainingSteps",
  numCycles?: "numCycles",
  minLr?: "minLr",
  minLrRate?: "minLrRate",
  warmupLrRate?: "warmupLrRate",
];
/** The options of {@link getCosineWithMinLrScheduleWithWarmupLrRate}. */
export type CosineWithMinLrScheduleWithWarmupLrRateOptions = OptionsOf<typeof fields>;
/** The validated options of {@link getCosineWithMinLrScheduleWithWarmupLrRate}. */
export type CosineWithMinLrScheduleWithWarmupLrRateConfig = ConfigOf<typeof fields>;

const NAME = "getCosineWithMinLrScheduleWithWarmupLrRate";

function cosineWarmupWithMinLr<T, B>(o: Ops<T, B>, step: T, c: CosineWithMinLrScheduleWithWarmupLrRateConfig, floor: number): T {
  const { numWarmupSteps: w, numTrainingSteps: n, warmupLrRate: start } = c;
  // This lambda counts one step ahead of the other cosines: step k warms up as k + 1, decays as k - w + 1.
  const warmup = () =>
    start === null
      ? o.div(o.add(step, o.constant(1)), o.constant(Math.max(1, w)))
      : o.add(o.constant(start), o.div(o.mul(o.constant(1 - start), step), o.constant(Math.max(1, w - 1))));
  const decay = () => {
    const progress = o.div(o.add(o.sub(step, o.constant(w)), o.constant(1)), o.constant(Math.max(1, n - w)));
    return o.maximum(o.constant(0), lift(o, halfCosine(o, progress, c.numCycles), floor));
  };
  return times(o, c.learningRate, o.cond(o.less(step, o.constant(w)), warmup, decay));
}

/** transformers' `get_cosine_with_min_lr_schedule_with_warmup_lr_rate`; see the entry's {@link getCosineWithMinLrScheduleWithWarmupLrRate}. */
export class CosineWithMinLrScheduleWithWarmupLrRate extends LearningRateSchedule<CosineWithMinLrScheduleWithWarmupLrRateConfig> {
  static override readonly className = NAME;
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula =
    "m = minLrRate or minLr / learningRate; c = 0.5 * (1 + cos(pi * numCycles * 2 * (step - numWarmupSteps + 1) / max(1, numTrainingSteps - numWarmupSteps))); lr = learningRate * (step < numWarmupSteps ? (warmupLrRate === null ? (step + 1) / max(1, numWarmupSteps) : warmupLrRate + (1 - warmupLrRate) * step / max(1, numWarmupSteps - 1)) : max(0, c * (1 - m) + m))";
  static override readonly examples = { steps: 10000, expressions: [`${NAME}(500, 10000, { minLrRate: 0.1, learningRate: 5e-5 })`] };

  constructor(options: CosineWithMinLrScheduleWithWarmupLrRateOptions);
  constructor(...args: OptionArguments<CosineWithMinLrScheduleWithWarmupLrRateOptions, CosineWithMinLrScheduleWithWarmupLrRateOrder>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<CosineWithMinLrScheduleWithWarmupLrRateConfig>(NAME, fields, args);
    checkWarmupWithinTraining(NAME, c.numWarmupSteps, c.numTrainingSteps);
    const floor = minLrRateOf(NAME, c);
    super(c, (step) => cosineWarmupWithMinLr(float64Ops, step, c, floor));
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return cosineWarmupWithMinLr(o, step, this.config, minLrRateOf(NAME, this.config));
  }
}
