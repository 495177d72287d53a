import { ScheduleOptionError } from "../errors.js";
import { numberOps, type Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { LearningRateSchedule } from "../schedule.js";
import { afterWarmup, cosine } from "./formulas.js";

/** The options of one warmup-and-cosine cycle: this class's, and each of `sgdrSchedule`'s `cosineKwargs`. */
export const cycleFields = declareOptions({
  /** The rate at step 0 (optax's `init_value`). A finite number >= 0. */
  initValue: option.number({ rule: "nonNegative" }),
  /** The rate reached at `warmupSteps` (`peak_value`). A finite number >= 0. */
  peakValue: option.number({ rule: "nonNegative" }),
  /** How many steps the linear warmup lasts (`warmup_steps`): 0 for none. A finite number >= 0. */
  warmupSteps: option.number({ rule: "nonNegative", steps: true }),
  /**
   * The length of the whole schedule, warmup included (`decay_steps`): the cosine lasts `decaySteps - warmupSteps`.
   * A finite number > `warmupSteps`, as optax requires.
   */
  decaySteps: option.number({ rule: "positive", steps: true }),
  /** The rate at `decaySteps` and after (`end_value`). A finite number >= 0. @defaultValue 0 */
  endValue: option.number({ rule: "nonNegative" }, 0),
  /** The exponent the cosine factor is raised to (`exponent`). A finite number > 0. @defaultValue 1 */
  exponent: option.number({ rule: "positive" }, 1),
});

const fields = declareOptions({
  ...cycleFields,
  /** `'float32'` computes as optax (jax, x64 off); `'float64'` the same formula in doubles. @defaultValue 'float32' */
  dtype: option.dtype,
});

/** The positional arguments, in optax's order. */
export type WarmupCosineDecayScheduleOrder = [
  initValue: "initValue",
  peakValue: "peakValue",
  warmupSteps: "warmupSteps",
  decaySteps: "decaySteps",
  endValue?: "endValue",
  exponent?: "exponent",
];
/** The options of {@link warmupCosineDecaySchedule}. */
export type WarmupCosineDecayScheduleOptions = OptionsOf<typeof fields>;
/** The validated options of {@link warmupCosineDecaySchedule}. */
export type WarmupCosineDecayScheduleConfig = ConfigOf<typeof fields>;
/** One cycle's options, validated. */
export type CycleConfig = ConfigOf<typeof cycleFields>;

/**
 * Throws unless the cosine has steps to run, `decaySteps > warmupSteps` (optax raises too), and reaches `endValue`:
 * optax's `alpha = endValue / peakValue` must be a float32 (a `peakValue` that is 0 in float32 and an `endValue`
 * above it would be Infinity), and a `peakValue` of 0 ends at 0 whatever `endValue` says (optax sets `alpha` to 0).
 */
export function checkCycle(owner: string, c: CycleConfig): void {
  if (!(c.decaySteps > c.warmupSteps)) {
    throw new ScheduleOptionError(owner, "decaySteps", c.decaySteps, `greater than warmupSteps = ${c.warmupSteps}: decaySteps counts the warmup too`);
  }
  if (c.peakValue === 0 ? c.endValue !== 0 : !Number.isFinite(Math.fround(c.endValue / c.peakValue))) {
    throw new ScheduleOptionError(owner, "endValue", c.endValue, `0 when peakValue is 0, else at most peakValue * 3.4e38 (optax's alpha = endValue / peakValue must be a float32); peakValue = ${c.peakValue}`);
  }
}

/**
 * optax's join of a linear warmup from `initValue` to `peakValue` and a cosine from `peakValue` over
 * `decaySteps - warmupSteps` with `alpha = endValue / peakValue` (a Python division, 0 when `peakValue` is 0).
 */
export function warmupCosine<T, B>(o: Ops<T, B>, step: T, c: CycleConfig): T {
  const alpha = c.peakValue === 0 ? 0 : c.endValue / c.peakValue;
  const decay = { initValue: c.peakValue, decaySteps: c.decaySteps - c.warmupSteps, alpha, exponent: c.exponent };
  return afterWarmup(o, step, c, (local) => cosine(o, local, decay));
}

/** optax's `warmup_cosine_decay_schedule`, built by `warmupCosineDecaySchedule` of 'lr-schedules/optax' (documented there). */
export class WarmupCosineDecaySchedule extends LearningRateSchedule<WarmupCosineDecayScheduleConfig> {
  static override readonly className = "warmupCosineDecaySchedule";
  /** Registered as `lr-schedules>warmupCosineDecaySchedule`. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula =
    "lr: linear from initValue to peakValue over warmupSteps, then a cosine from peakValue to endValue over decaySteps - warmupSteps";
  static override readonly examples = { steps: 1000, expressions: ["warmupCosineDecaySchedule(0, 0.01, 100, 1000, 1e-4)"] };

  constructor(options: WarmupCosineDecayScheduleOptions);
  constructor(...args: OptionArguments<WarmupCosineDecayScheduleOptions, WarmupCosineDecayScheduleOrder>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<WarmupCosineDecayScheduleConfig>("warmupCosineDecaySchedule", fields, args);
    checkCycle("warmupCosineDecaySchedule", c);
    const o = numberOps(c.dtype);
    super(c, (step) => warmupCosine(o, o.constant(step), c));
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return warmupCosine(o, step, this.config);
  }
}
