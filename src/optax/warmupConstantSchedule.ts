import { numberOps, type Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { LearningRateSchedule } from "../schedule.js";
import { polynomial, warmupLine } from "./formulas.js";

const fields = declareOptions({
  /** The rate at step 0 (optax's `init_value`). A finite number >= 0. */
  initValue: option.number({ rule: "nonNegative" }),
  /** The rate from `warmupSteps` on (`peak_value`). A finite number >= 0. */
  peakValue: option.number({ rule: "nonNegative" }),
  /**
   * How many steps the linear warmup lasts (`warmup_steps`). A finite number > 0: optax makes 0 a constant
   * `initValue`, not `peakValue` (for no warmup, use `constantSchedule(peakValue)`).
   */
  warmupSteps: option.number({ rule: "positive", steps: true }),
  /** `'float32'` computes as optax (jax, x64 off); `'float64'` the same formula in doubles. @defaultValue 'float32' */
  dtype: option.dtype,
});

/** The positional arguments, in optax's order. */
export type WarmupConstantScheduleOrder = [initValue: "initValue", peakValue: "peakValue", warmupSteps: "warmupSteps"];
/** The options of {@link warmupConstantSchedule}. */
export type WarmupConstantScheduleOptions = OptionsOf<typeof fields>;
/** The validated options of {@link warmupConstantSchedule}. */
export type WarmupConstantScheduleConfig = ConfigOf<typeof fields>;

/** optax's `warmup_constant_schedule`, built by `warmupConstantSchedule` of 'lr-schedules/optax' (documented there). */
export class WarmupConstantSchedule extends LearningRateSchedule<WarmupConstantScheduleConfig> {
  static override readonly className = "warmupConstantSchedule";
  /** Registered as `lr-schedules>warmupConstantSchedule`. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula = "lr = (initValue - peakValue) * (1 - min(step, warmupSteps) / warmupSteps) + peakValue";
  static override readonly examples = { steps: 1000, expressions: ["warmupConstantSchedule(0, 0.01, 200)"] };

  constructor(options: WarmupConstantScheduleOptions);
  constructor(...args: OptionArguments<WarmupConstantScheduleOptions, WarmupConstantScheduleOrder>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<WarmupConstantScheduleConfig>("warmupConstantSchedule", fields, args);
    const o = numberOps(c.dtype);
    const line = warmupLine(c);
    super(c, (step) => polynomial(o, o.constant(step), line));
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return polynomial(o, step, warmupLine(this.config));
  }
}
