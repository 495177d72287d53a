import { float64Ops } from "../float64.js";
import type { Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, resolveOptions } from "../options.js";
import { LearningRateSchedule } from "../schedule.js";
import {
  checkWarmupWithinTraining,
  cosineWithMinLrOptions,
  halfCosine,
  learningRateOption,
  lift,
  minLrRateOf,
  progressOf,
  times,
  warmupThen,
} from "./lambda.js";

const fields = declareOptions({
  ...cosineWithMinLrOptions,
  /** The optimizer's rate, the peak (config key `learning_rate`). Named only; required. */
  learningRate: learningRateOption,
});

/** The positional arguments, in transformers' order after `optimizer` (without `last_epoch`). */
export type CosineWithMinLrScheduleWithWarmupOrder = [
  numWarmupSteps: "numWarmupSteps",
  numTrainingSteps: "numTrainingSteps",
  numCycles?: "numCycles",
  minLr?: "minLr",
  minLrRate?: "minLrRate",
];
/** The options of {@link getCosineWithMinLrScheduleWithWarmup}. */
export type CosineWithMinLrScheduleWithWarmupOptions = OptionsOf<typeof fields>;
/** The validated options of {@link getCosineWithMinLrScheduleWithWarmup}. */
export type CosineWithMinLrScheduleWithWarmupConfig = ConfigOf<typeof fields>;

const NAME = "getCosineWithMinLrScheduleWithWarmup";

function cosineWithMinLr<T, B>(o: Ops<T, B>, step: T, c: CosineWithMinLrScheduleWithWarmupConfig, floor: number): T {
  const { numWarmupSteps: w, numTrainingSteps: n } = c;
  const decay = () => o.maximum(o.constant(0), lift(o, halfCosine(o, progressOf(o, step, w, n - w), c.numCycles), floor));
  return times(o, c.learningRate, warmupThen(o, step, w, decay));
}

/** transformers' `get_cosine_with_min_lr_schedule_with_warmup`; see the entry's {@link getCosineWithMinLrScheduleWithWarmup}. */
export class CosineWithMinLrScheduleWithWarmup extends LearningRateSchedule<CosineWithMinLrScheduleWithWarmupConfig> {
  static override readonly className = NAME;
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula =
    "m = minLrRate or minLr / learningRate; c = 0.5 * (1 + cos(pi * numCycles * 2 * (step - numWarmupSteps) / max(1, numTrainingSteps - numWarmupSteps))); lr = learningRate * (step < numWarmupSteps ? step / max(1, numWarmupSteps) : max(0, c * (1 - m) + m))";
  static override readonly examples = { steps: 10000, expressions: [`${NAME}(500, 10000, { minLrRate: 0.1, learningRate: 5e-5 })`] };

  constructor(options: CosineWithMinLrScheduleWithWarmupOptions);
  constructor(...args: OptionArguments<CosineWithMinLrScheduleWithWarmupOptions, CosineWithMinLrScheduleWithWarmupOrder>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<CosineWithMinLrScheduleWithWarmupConfig>(NAME, fields, args);
    checkWarmupWithinTraining(NAME, c.numWarmupSteps, c.numTrainingSteps);
    const floor = minLrRateOf(NAME, c);
    super(c, (step) => cosineWithMinLr(float64Ops, step, c, floor));
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return cosineWithMinLr(o, step, this.config, minLrRateOf(NAME, this.config));
  }
}
