import { numberOps, type Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { LearningRateSchedule } from "../schedule.js";

const fields = declareOptions({
  /** The rate at every step (optax's `value`). A finite number >= 0. */
  value: option.number({ rule: "nonNegative" }),
  /** `'float32'` rounds `value` to float32, as optax's optimizers cast it; `'float64'` keeps it. @defaultValue 'float32' */
  dtype: option.dtype,
});

/** The positional arguments, in optax's order. */
export type ConstantScheduleOrder = [value: "value"];
/** The options of {@link constantSchedule}. */
export type ConstantScheduleOptions = OptionsOf<typeof fields>;
/** The validated options of {@link constantSchedule}. */
export type ConstantScheduleConfig = ConfigOf<typeof fields>;

/** optax's `constant_schedule`, built by `constantSchedule` of 'lr-schedules/optax' (documented there). */
export class ConstantSchedule extends LearningRateSchedule<ConstantScheduleConfig> {
  static override readonly className = "constantSchedule";
  /** Registered as `lr-schedules>constantSchedule`. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula = "lr = value";
  static override readonly examples = { steps: 1000, expressions: ["constantSchedule(0.01)"] };

  constructor(options: ConstantScheduleOptions);
  constructor(...args: OptionArguments<ConstantScheduleOptions, ConstantScheduleOrder>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<ConstantScheduleConfig>("constantSchedule", fields, args);
    const rate = numberOps(c.dtype).constant(c.value);
    super(c, () => rate);
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    // Shaped like the step, so that a batch of tensor steps gets a batch of rates.
    return o.add(o.mul(step, o.constant(0)), o.constant(this.config.value));
  }
}
