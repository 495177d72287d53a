import { numberOps, type Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { LearningRateSchedule } from "../schedule.js";
import { cosine } from "./formulas.js";

const fields = declareOptions({
  /** The rate at step 0 (optax's `init_value`). A finite number >= 0. */
  initValue: option.number({ rule: "nonNegative" }),
  /** The steps the cosine takes to fall (`decay_steps`). A finite number > 0, as optax requires. */
  decaySteps: option.number({ rule: "positive", steps: true }),
  /** The final rate as a fraction of `initValue` (`alpha`). A finite number >= 0. @defaultValue 0 */
  alpha: option.number({ rule: "nonNegative" }, 0),
  /** The exponent the cosine factor is raised to (`exponent`). A finite number > 0. @defaultValue 1 */
  exponent: option.number({ rule: "positive" }, 1),
  /** `'float32'` computes as optax (jax, x64 off); `'float64'` the same formula in doubles. @defaultValue 'float32' */
  dtype: option.dtype,
});

/** The positional arguments, in optax's order. */
export type CosineDecayScheduleOrder = [initValue: "initValue", decaySteps: "decaySteps", alpha?: "alpha", exponent?: "exponent"];
/** The options of {@link cosineDecaySchedule}. */
export type CosineDecayScheduleOptions = OptionsOf<typeof fields>;
/** The validated options of {@link cosineDecaySchedule}. */
export type CosineDecayScheduleConfig = ConfigOf<typeof fields>;

/** optax's `cosine_decay_schedule`, built by `cosineDecaySchedule` of 'lr-schedules/optax' (documented there). */
export class CosineDecaySchedule extends LearningRateSchedule<CosineDecayScheduleConfig> {
  static override readonly className = "cosineDecaySchedule";
  /** Registered as `lr-schedules>cosineDecaySchedule`. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula =
    "lr = initValue * ((1 - alpha) * ((1 + cos(pi * min(step, decaySteps) / decaySteps)) / 2) ** exponent + alpha)";
  static override readonly examples = { steps: 1000, expressions: ["cosineDecaySchedule(0.01, 800, 0.1)"] };

  constructor(options: CosineDecayScheduleOptions);
  constructor(...args: OptionArguments<CosineDecayScheduleOptions, CosineDecayScheduleOrder>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<CosineDecayScheduleConfig>("cosineDecaySchedule", fields, args);
    const o = numberOps(c.dtype);
    super(c, (step) => cosine(o, o.constant(step), c));
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return cosine(o, step, this.config);
  }
}
