import { numberOps, type Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { LearningRateSchedule } from "../schedule.js";
import { afterWarmup, exponential } from "./formulas.js";
import { decayFields } from "./exponentialDecay.js";

const fields = declareOptions({
  /** The rate at step 0 (optax's `init_value`). A finite number >= 0. */
  initValue: option.number({ rule: "nonNegative" }),
  /** The rate reached at `warmupSteps`, where the decay starts (`peak_value`). A finite number >= 0. */
  peakValue: option.number({ rule: "nonNegative" }),
  /** How many steps the linear warmup lasts (`warmup_steps`): 0 for none. A finite number >= 0. */
  warmupSteps: option.number({ rule: "nonNegative", steps: true }),
  ...decayFields,
  /** `'float32'` computes as optax (jax, x64 off); `'float64'` the same formula in doubles. @defaultValue 'float32' */
  dtype: option.dtype,
});

/** The positional arguments, in optax's order. */
export type WarmupExponentialDecayScheduleOrder = [
  initValue: "initValue",
  peakValue: "peakValue",
  warmupSteps: "warmupSteps",
  transitionSteps: "transitionSteps",
  decayRate: "decayRate",
  transitionBegin?: "transitionBegin",
  staircase?: "staircase",
  endValue?: "endValue",
];
/** The options of {@link warmupExponentialDecaySchedule}. */
export type WarmupExponentialDecayScheduleOptions = OptionsOf<typeof fields>;
/** The validated options of {@link warmupExponentialDecaySchedule}. */
export type WarmupExponentialDecayScheduleConfig = ConfigOf<typeof fields>;

/** optax's join of a linear warmup from `initValue` to `peakValue` and an exponential decay from `peakValue`. */
function warmupExponential<T, B>(o: Ops<T, B>, step: T, c: WarmupExponentialDecayScheduleConfig): T {
  const decay = { ...c, initValue: c.peakValue };
  return afterWarmup(o, step, c, (local) => exponential(o, local, decay));
}

/** optax's `warmup_exponential_decay_schedule`, built by `warmupExponentialDecaySchedule` of 'lr-schedules/optax' (documented there). */
export class WarmupExponentialDecaySchedule extends LearningRateSchedule<WarmupExponentialDecayScheduleConfig> {
  static override readonly className = "warmupExponentialDecaySchedule";
  /** Registered as `lr-schedules>warmupExponentialDecaySchedule`. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula =
    "lr: linear from initValue to peakValue over warmupSteps, then peakValue * decayRate ** ((step - warmupSteps - transitionBegin) / transitionSteps)";
  static override readonly examples = { steps: 1000, expressions: ["warmupExponentialDecaySchedule(0, 0.01, 100, 100, 0.7, { endValue: 1e-4 })"] };

  constructor(options: WarmupExponentialDecayScheduleOptions);
  constructor(...args: OptionArguments<WarmupExponentialDecayScheduleOptions, WarmupExponentialDecayScheduleOrder>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<WarmupExponentialDecayScheduleConfig>("warmupExponentialDecaySchedule", fields, args);
    const o = numberOps(c.dtype);
    super(c, (step) => warmupExponential(o, o.constant(step), c));
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return warmupExponential(o, step, this.config);
  }
}
