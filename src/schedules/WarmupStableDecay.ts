import { numberOps, type Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { LearningRateSchedule, type ScheduleExamples } from "../schedule.js";

/** The shape of {@link WarmupStableDecay}'s decay, as Hugging Face's `get_wsd_schedule` names them. */
export type DecayType = "linear" | "cosine" | "1-sqrt";

/** Options of {@link WarmupStableDecay}. */
const fields = declareOptions({
  /** The rate of the stable phase (config key `peak_learning_rate`). A finite number >= 0. */
  peakLearningRate: option.number({ rule: "nonNegative" }),
  /** How many steps the linear warmup lasts (config key `warmup_steps`). A finite number >= 0. */
  warmupSteps: option.number({ rule: "nonNegative", steps: true }),
  /** How many steps the rate stays at `peakLearningRate` (config key `stable_steps`). A finite number >= 0. */
  stableSteps: option.number({ rule: "nonNegative", steps: true }),
  /** How many steps the decay lasts (config key `decay_steps`). A finite number >= 0; 0 drops straight to the end. */
  decaySteps: option.number({ rule: "nonNegative", steps: true }),
  /** The rate after the decay (config key `end_learning_rate`). A finite number >= 0. @defaultValue 0 */
  endLearningRate: option.number({ rule: "nonNegative" }, 0),
  /** `'linear'`, `'cosine'` or `'1-sqrt'` (config key `decay_type`). @defaultValue 'cosine' */
  decayType: option.choice<DecayType>(["linear", "cosine", "1-sqrt"], "cosine"),
  /** The rate at step 0, where the warmup starts (config key `initial_learning_rate`). @defaultValue 0 */
  initialLearningRate: option.number({ rule: "nonNegative" }, 0),
  /** The schedule's name. @defaultValue 'WarmupStableDecay' */
  name: option.name("WarmupStableDecay"),
  /** `'float32'` computes as Keras computes; `'float64'` the same formula in doubles. @defaultValue 'float32' */
  dtype: option.dtype,
});

/** The positional arguments: each option's name, `?` where it has a default. */
type Order = [
  peakLearningRate: "peakLearningRate",
  warmupSteps: "warmupSteps",
  stableSteps: "stableSteps",
  decaySteps: "decaySteps",
  endLearningRate?: "endLearningRate",
  decayType?: "decayType",
  initialLearningRate?: "initialLearningRate",
  name?: "name",
];

/** The options of a {@link WarmupStableDecay}: the declaration's, those with a default optional. */
export type WarmupStableDecayOptions = OptionsOf<typeof fields>;

/** The validated options of a {@link WarmupStableDecay}, every default filled in. */
export type WarmupStableDecayConfig = ConfigOf<typeof fields>;

/** The warmup-stable-decay rate over any arithmetic; `step` is already converted by `o`. */
function warmupStableDecay<T, B>(o: Ops<T, B>, step: T, c: WarmupStableDecayConfig): T {
  const peak = o.constant(c.peakLearningRate);
  const final = o.constant(c.endLearningRate);
  const warmupEnd = o.constant(c.warmupSteps);
  const decayStart = o.constant(c.warmupSteps + c.stableSteps);
  const decayEnd = o.constant(c.warmupSteps + c.stableSteps + c.decaySteps);
  const warmup = () => {
    const from = o.constant(c.initialLearningRate);
    return o.add(o.mul(o.sub(peak, from), o.div(step, warmupEnd)), from);
  };
  const decay = () => {
    const p = o.div(o.sub(step, decayStart), o.constant(c.decaySteps));
    // The fraction of the drop done so far, 0 at the decay's start, so that the plateau ends on `peak` exactly.
    const done =
      c.decayType === "linear" ? p
      : c.decayType === "1-sqrt" ? o.pow(p, o.constant(0.5))
      : o.mul(o.constant(0.5), o.sub(o.constant(1), o.cos(o.mul(o.constant(Math.PI), p))));
    const rate = o.sub(peak, o.mul(o.sub(peak, final), done));
    // Near the end, rounding can carry the rate a hair past `final`, and the step after would then turn back.
    return c.endLearningRate <= c.peakLearningRate ? o.maximum(rate, final) : o.minimum(rate, final);
  };
  return o.cond(
    o.less(step, warmupEnd),
    warmup,
    () => o.cond(o.less(step, decayStart), () => peak, () => o.cond(o.less(step, decayEnd), decay, () => final)),
  );
}

/**
 * Warmup-stable-decay (WSD, the "trapezoidal" schedule): a linear warmup to `peakLearningRate`, a plateau, then a
 * decay to `endLearningRate`, where the rate stays.
 *
 * ```text
 * W = warmupSteps,  S = W + stableSteps,  E = S + decaySteps        (computed in double)
 * step <  W:   lr = (peak - initial) * (step / W) + initial
 * step <  S:   lr = peak
 * step <  E:   p  = (step - S) / decaySteps
 *              g  = p                           'linear'
 *                   0.5 * (1 - cos(pi * p))     'cosine'
 *                   sqrt(p)                     '1-sqrt'
 *              lr = peak - (peak - final) * g,  never past final
 * step >= E:   lr = final
 * ```
 * `g` is the fraction of the drop done: the rate is `final + (peak - final) * (1 - g)`, which names the shapes
 * ('1-sqrt' decays as 1 - sqrt(p)); written from the peak's side, the decay starts on `peak` exactly. A step equal to a
 * phase's start belongs to that phase (each comparison is `step <` the phase's end). The rate is continuous, except at
 * S when `decaySteps` is 0 (it drops from the peak to `endLearningRate`). Each operation is rounded to float32 (pi
 * too, as Keras does; the square root is `pow(p, 0.5)`), or not, with `dtype: 'float64'`. The shapes are Hugging
 * Face's `get_wsd_schedule` (`min_lr_ratio` = final / peak, its default `num_cycles`); '1-sqrt' is the cooldown of
 * Hägele et al.
 *
 * @example
 * import { WarmupStableDecay } from 'lr-schedules';
 * const lr = new WarmupStableDecay({ peakLearningRate: 0.01, warmupSteps: 100, stableSteps: 800, decaySteps: 100, decayType: 'linear' });
 * lr(50); //=> 0.004999999888241291 (half the peak)
 * lr(500); //=> 0.009999999776482582 (0.01 in float32)
 * lr(950); //=> 0.004999999888241291
 * lr(1000); //=> 0
 * @throws {ScheduleOptionError} a step count or a rate negative or not finite.
 * @throws {ScheduleTypeError} an option of the wrong kind, `decayType` not a string, or a required option missing.
 * @see Hu et al., "MiniCPM" (2024), https://arxiv.org/abs/2404.06395; Hägele et al., "Scaling Laws and
 *   Compute-Optimal Training Beyond Fixed Training Durations" (2024), https://arxiv.org/abs/2405.18392;
 *   Hugging Face `transformers.get_wsd_schedule`.
 */
export class WarmupStableDecay extends LearningRateSchedule<WarmupStableDecayConfig> {
  static override readonly className = "WarmupStableDecay";
  /** Registered as `lr-schedules>WarmupStableDecay`, Keras's `registered_name` form for a class Keras lacks. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  /** What it computes, in one line, as `lr-schedules show` prints it. */
  static override readonly formula =
    "linear from initialLearningRate to peakLearningRate over warmupSteps, flat for stableSteps, then down to endLearningRate over decaySteps (decayType 'linear', 'cosine' or '1-sqrt')";
  /** What this class's chart in docs/seeing.md draws, as `lr-schedules` expressions. */
  static override readonly examples: ScheduleExamples = {
    steps: 11000,
    expressions: [
      "WarmupStableDecay(0.01, 1000, 6000, 3000)",
      'WarmupStableDecay(0.01, 1000, 6000, 3000, { decayType: "1-sqrt" })',
    ],
  };

  constructor(options: WarmupStableDecayOptions);
  constructor(...args: OptionArguments<WarmupStableDecayOptions, Order>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<WarmupStableDecayConfig>("WarmupStableDecay", fields, args);
    const o = numberOps(c.dtype);
    super(c, (step) => warmupStableDecay(o, o.constant(step), c));
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return warmupStableDecay(o, step, this.config);
  }
}
