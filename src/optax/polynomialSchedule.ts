import { numberOps, type Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { LearningRateSchedule } from "../schedule.js";
import { polynomial } from "./formulas.js";

const fields = declareOptions({
  /** The rate until `transitionBegin` (optax's `init_value`). A finite number >= 0. */
  initValue: option.number({ rule: "nonNegative" }),
  /** The rate from `transitionBegin + transitionSteps` on (`end_value`). A finite number >= 0. */
  endValue: option.number({ rule: "nonNegative" }),
  /** The curve's exponent (`power`): 1 is a straight line. A finite number > 0. */
  power: option.number({ rule: "positive" }),
  /** How many steps the change lasts (`transition_steps`). A finite number > 0 (optax makes 0 or less a constant). */
  transitionSteps: option.number({ rule: "positive", steps: true }),
  /** How many steps the rate stays at `initValue` first (`transition_begin`). A finite number >= 0. @defaultValue 0 */
  transitionBegin: option.number({ rule: "nonNegative", steps: true }, 0),
  /** `'float32'` computes as optax (jax, x64 off); `'float64'` the same formula in doubles. @defaultValue 'float32' */
  dtype: option.dtype,
});

/** The positional arguments, in optax's order. */
export type PolynomialScheduleOrder = [
  initValue: "initValue",
  endValue: "endValue",
  power: "power",
  transitionSteps: "transitionSteps",
  transitionBegin?: "transitionBegin",
];
/** The options of {@link polynomialSchedule}. */
export type PolynomialScheduleOptions = OptionsOf<typeof fields>;
/** The validated options of {@link polynomialSchedule}. */
export type PolynomialScheduleConfig = ConfigOf<typeof fields>;

/** optax's `polynomial_schedule`, built by `polynomialSchedule` of 'lr-schedules/optax' (documented there). */
export class PolynomialSchedule extends LearningRateSchedule<PolynomialScheduleConfig> {
  static override readonly className = "polynomialSchedule";
  /** Registered as `lr-schedules>polynomialSchedule`. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula =
    "lr = (initValue - endValue) * (1 - t / transitionSteps) ** power + endValue,  t = clip(step - transitionBegin, 0, transitionSteps)";
  static override readonly examples = { steps: 1000, expressions: ["polynomialSchedule(0.01, 1e-4, 2, 800, 100)"] };

  constructor(options: PolynomialScheduleOptions);
  constructor(...args: OptionArguments<PolynomialScheduleOptions, PolynomialScheduleOrder>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<PolynomialScheduleConfig>("polynomialSchedule", fields, args);
    const o = numberOps(c.dtype);
    super(c, (step) => polynomial(o, o.constant(step), c));
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return polynomial(o, step, this.config);
  }
}
