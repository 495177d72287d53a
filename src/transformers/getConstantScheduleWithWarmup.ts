import { float64Ops } from "../float64.js";
import type { Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, resolveOptions } from "../options.js";
import { LearningRateSchedule } from "../schedule.js";
import { learningRateOption, stepsOption, times, warmupThen } from "./lambda.js";

const fields = declareOptions({
  /** Steps of the linear warmup from 0 (config key `num_warmup_steps`). An integer >= 0. */
  numWarmupSteps: stepsOption(),
  /** The optimizer's rate, reached at `numWarmupSteps` and kept (config key `learning_rate`). Named only; required. */
  learningRate: learningRateOption,
});

/** The positional arguments, in transformers' order after `optimizer`. */
export type ConstantScheduleWithWarmupOrder = [numWarmupSteps: "numWarmupSteps"];
/** The options of {@link getConstantScheduleWithWarmup}. */
export type ConstantScheduleWithWarmupOptions = OptionsOf<typeof fields>;
/** The validated options of {@link getConstantScheduleWithWarmup}. */
export type ConstantScheduleWithWarmupConfig = ConfigOf<typeof fields>;

const NAME = "getConstantScheduleWithWarmup";

function constantWithWarmup<T, B>(o: Ops<T, B>, step: T, c: ConstantScheduleWithWarmupConfig): T {
  return times(o, c.learningRate, warmupThen(o, step, c.numWarmupSteps, () => o.constant(1)));
}

/** transformers' `get_constant_schedule_with_warmup`; see the entry's {@link getConstantScheduleWithWarmup}. */
export class ConstantScheduleWithWarmup extends LearningRateSchedule<ConstantScheduleWithWarmupConfig> {
  static override readonly className = NAME;
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula = "lr = learningRate * (step < numWarmupSteps ? step / max(1, numWarmupSteps) : 1)";
  static override readonly examples = { steps: 2000, expressions: [`${NAME}(500, { learningRate: 5e-5 })`] };

  constructor(options: ConstantScheduleWithWarmupOptions);
  constructor(...args: OptionArguments<ConstantScheduleWithWarmupOptions, ConstantScheduleWithWarmupOrder>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<ConstantScheduleWithWarmupConfig>(NAME, fields, args);
    super(c, (step) => constantWithWarmup(float64Ops, step, c));
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return constantWithWarmup(o, step, this.config);
  }
}
