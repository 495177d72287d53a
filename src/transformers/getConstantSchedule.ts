import { float64Ops } from "../float64.js";
import type { Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, resolveOptions } from "../options.js";
import { LearningRateSchedule } from "../schedule.js";
import { learningRateOption, times } from "./lambda.js";

const fields = declareOptions({
  /** The optimizer's rate, kept at every step (config key `learning_rate`). Named only; required. */
  learningRate: learningRateOption,
});

/** No positional arguments: transformers' `get_constant_schedule` takes only the optimizer. */
export type ConstantScheduleOrder = [];
/** The options of {@link getConstantSchedule}. */
export type ConstantScheduleOptions = OptionsOf<typeof fields>;
/** The validated options of {@link getConstantSchedule}. */
export type ConstantScheduleConfig = ConfigOf<typeof fields>;

const NAME = "getConstantSchedule";

function constant<T, B>(o: Ops<T, B>, step: T, c: ConstantScheduleConfig): T {
  // The lambda is 1; shaped like the step, so that a batch of tensor steps gets a batch of rates.
  return times(o, c.learningRate, o.add(o.mul(step, o.constant(0)), o.constant(1)));
}

/** transformers' `get_constant_schedule`; see the entry's {@link getConstantSchedule}. */
export class ConstantSchedule extends LearningRateSchedule<ConstantScheduleConfig> {
  static override readonly className = NAME;
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula = "lr = learningRate * 1";
  static override readonly examples = { steps: 1000, expressions: [`${NAME}({ learningRate: 5e-5 })`] };

  constructor(options: ConstantScheduleOptions);
  constructor(...args: OptionArguments<ConstantScheduleOptions, ConstantScheduleOrder>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<ConstantScheduleConfig>(NAME, fields, args);
    super(c, (step) => constant(float64Ops, step, c));
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return constant(o, step, this.config);
  }
}
