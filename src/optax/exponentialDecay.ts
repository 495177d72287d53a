import { numberOps, type Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { LearningRateSchedule } from "../schedule.js";
import { exponential } from "./formulas.js";

/** The decay's own options: this class's after `initValue`, and `warmupExponentialDecaySchedule`'s after its warmup. */
export const decayFields = declareOptions({
  /** The steps over which the rate is multiplied by `decayRate` once (optax's `transition_steps`). A finite number > 0. */
  transitionSteps: option.number({ rule: "positive", steps: true }),
  /** The factor per `transitionSteps` (`decay_rate`): < 1 decays, > 1 grows. A finite number > 0. */
  decayRate: option.number({ rule: "positive" }),
  /** How many steps the rate stays where the decay starts (`transition_begin`). A finite number >= 0. @defaultValue 0 */
  transitionBegin: option.number({ rule: "nonNegative", steps: true }, 0),
  /** Multiply in whole periods only, a staircase (`staircase`). @defaultValue false */
  staircase: option.boolean(false),
  /** A floor when decaying, a ceiling when growing (`end_value`); `null` for none. @defaultValue null */
  endValue: option.nullableNumber({ rule: "nonNegative" }),
});

const fields = declareOptions({
  /** The rate until `transitionBegin` (optax's `init_value`). A finite number >= 0. */
  initValue: option.number({ rule: "nonNegative" }),
  ...decayFields,
  /** `'float32'` computes as optax (jax, x64 off); `'float64'` the same formula in doubles. @defaultValue 'float32' */
  dtype: option.dtype,
});

/** The positional arguments, in optax's order. */
export type ExponentialDecayOrder = [
  initValue: "initValue",
  transitionSteps: "transitionSteps",
  decayRate: "decayRate",
  transitionBegin?: "transitionBegin",
  staircase?: "staircase",
  endValue?: "endValue",
];
/** The options of {@link exponentialDecay}. */
export type ExponentialDecayOptions = OptionsOf<typeof fields>;
/** The validated options of {@link exponentialDecay}. */
export type ExponentialDecayConfig = ConfigOf<typeof fields>;

/** optax's `exponential_decay`, built by `exponentialDecay` of 'lr-schedules/optax' (documented there). */
export class OptaxExponentialDecay extends LearningRateSchedule<ExponentialDecayConfig> {
  static override readonly className = "exponentialDecay";
  /** Registered as `lr-schedules>exponentialDecay`. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula =
    "lr = initValue * decayRate ** ((step - transitionBegin) / transitionSteps)  (initValue before transitionBegin; bounded by endValue)";
  static override readonly examples = { steps: 1000, expressions: ["exponentialDecay(0.01, 100, 0.7, 100, { endValue: 1e-4 })"] };

  constructor(options: ExponentialDecayOptions);
  constructor(...args: OptionArguments<ExponentialDecayOptions, ExponentialDecayOrder>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<ExponentialDecayConfig>("exponentialDecay", fields, args);
    const o = numberOps(c.dtype);
    super(c, (step) => exponential(o, o.constant(step), c));
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return exponential(o, step, this.config);
  }
}
