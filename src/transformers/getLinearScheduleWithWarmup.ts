import { float64Ops } from "../float64.js";
import type { Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, resolveOptions } from "../options.js";
import { LearningRateSchedule } from "../schedule.js";
import { checkWarmupWithinTraining, learningRateOption, stepsOption, times, warmupThen } from "./lambda.js";

const fields = declareOptions({
  /** Steps of the linear warmup from 0 (config key `num_warmup_steps`). An integer >= 0. */
  numWarmupSteps: stepsOption(),
  /** Steps of the whole training; the rate reaches 0 there (config key `num_training_steps`). An integer >= 1. */
  numTrainingSteps: stepsOption(1),
  /** The optimizer's rate, which the lambda multiplies (config key `learning_rate`). Named only; required. */
  learningRate: learningRateOption,
});

/** The positional arguments, in transformers' order after `optimizer`. */
export type LinearScheduleWithWarmupOrder = [numWarmupSteps: "numWarmupSteps", numTrainingSteps: "numTrainingSteps"];
/** The options of {@link getLinearScheduleWithWarmup}. */
export type LinearScheduleWithWarmupOptions = OptionsOf<typeof fields>;
/** The validated options of {@link getLinearScheduleWithWarmup}. */
export type LinearScheduleWithWarmupConfig = ConfigOf<typeof fields>;

const NAME = "getLinearScheduleWithWarmup";

function linear<T, B>(o: Ops<T, B>, step: T, c: LinearScheduleWithWarmupConfig): T {
  const { numWarmupSteps: w, numTrainingSteps: n } = c;
  const decay = () => o.maximum(o.constant(0), o.div(o.sub(o.constant(n), step), o.constant(Math.max(1, n - w))));
  return times(o, c.learningRate, warmupThen(o, step, w, decay));
}

/** transformers' `get_linear_schedule_with_warmup`; see the entry's {@link getLinearScheduleWithWarmup}. */
export class LinearScheduleWithWarmup extends LearningRateSchedule<LinearScheduleWithWarmupConfig> {
  static override readonly className = NAME;
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula =
    "lr = learningRate * (step < numWarmupSteps ? step / max(1, numWarmupSteps) : max(0, (numTrainingSteps - step) / max(1, numTrainingSteps - numWarmupSteps)))";
  static override readonly examples = { steps: 10000, expressions: [`${NAME}(500, 10000, { learningRate: 5e-5 })`] };

  constructor(options: LinearScheduleWithWarmupOptions);
  constructor(...args: OptionArguments<LinearScheduleWithWarmupOptions, LinearScheduleWithWarmupOrder>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<LinearScheduleWithWarmupConfig>(NAME, fields, args);
    checkWarmupWithinTraining(NAME, c.numWarmupSteps, c.numTrainingSteps);
    super(c, (step) => linear(float64Ops, step, c));
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return linear(o, step, this.config);
  }
}
