import { numberOps, type Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { LearningRateSchedule, type ScheduleExamples } from "../schedule.js";

/** Options of {@link CosineDecayRestarts}; Keras's arguments in camelCase. */
const fields = declareOptions({
  /** The rate at step 0 and at the start of the first period (Keras `initial_learning_rate`). A finite number >= 0. */
  initialLearningRate: option.number({ rule: "nonNegative" }),
  /** The length of the first period (Keras `first_decay_steps`). A finite number > 0. */
  firstDecaySteps: option.number({ rule: "positive", steps: true }),
  /** Each period is `tMul` times longer than the one before (Keras `t_mul`). A finite number >= 1. @defaultValue 2 */
  // Below 1 the periods shrink and add up to `firstDecaySteps / (1 - tMul)` steps, past which Keras takes the log of a
  // negative number and returns NaN; so `tMul` must be at least 1.
  tMul: option.number({ rule: { min: 1 } }, 2),
  /** Each period starts at `mMul` times the previous start (Keras `m_mul`). A finite number > 0. @defaultValue 1 */
  mMul: option.number({ rule: "positive" }, 1),
  /** The floor of every period, as a fraction of `initialLearningRate` (Keras `alpha`). In [0, 1]. @defaultValue 0 */
  alpha: option.number({ rule: "unit" }, 0),
  /** Keras's `name`. @defaultValue 'SGDRDecay' (Keras's default) */
  name: option.name("SGDRDecay"),
  /** `'float32'` computes as Keras does; `'float64'` the same formula in doubles. @defaultValue 'float32' */
  dtype: option.dtype,
});

/** The positional arguments, in Keras's order: each option's name, `?` where it has a default. */
type Order = [
  initialLearningRate: "initialLearningRate",
  firstDecaySteps: "firstDecaySteps",
  tMul?: "tMul",
  mMul?: "mMul",
  alpha?: "alpha",
  name?: "name",
];

/** The options of a {@link CosineDecayRestarts}: the declaration's, those with a default optional. */
export type CosineDecayRestartsOptions = OptionsOf<typeof fields>;

/** The validated options of a {@link CosineDecayRestarts}, every default filled in. */
export type CosineDecayRestartsConfig = ConfigOf<typeof fields>;

/** Cosine decay with warm restarts over any arithmetic; `step` is already converted by `o`. */
function cosineDecayRestarts<T, B>(o: Ops<T, B>, step: T, c: CosineDecayRestartsConfig): T {
  const zero = o.constant(0);
  const one = o.constant(1);
  const tMul = o.constant(c.tMul);
  // In units of the first period: how far the step is, then how far into the current period.
  let fraction = o.div(step, o.constant(c.firstDecaySteps));
  let restarts: T;
  if (numberOps(o.dtype).constant(c.tMul) === 1) {
    restarts = o.floor(fraction);
    fraction = o.sub(fraction, restarts);
  } else {
    // Periods 1, tMul, tMul^2, ... : invert their geometric sum. Keras runs this inside ops.cond, where XLA fuses
    // 1 - fraction * (1 - tMul) and turns the division by tMul^restarts into a product with tMul^-restarts.
    const shrink = o.sub(one, tMul);
    restarts = o.floor(o.div(o.log(o.fma(o.sub(zero, fraction), shrink, one)), o.log(tMul)));
    const finished = o.div(o.sub(one, o.pow(tMul, restarts)), shrink);
    fraction = o.mul(o.sub(fraction, finished), o.pow(tMul, o.sub(zero, restarts)));
  }
  const peak = o.mul(o.constant(0.5), o.pow(o.constant(c.mMul), restarts));
  const cosine = o.mul(peak, o.add(one, o.cos(o.mul(o.constant(Math.PI), fraction))));
  const alpha = o.constant(c.alpha);
  return o.mul(o.constant(c.initialLearningRate), o.add(o.mul(o.sub(one, alpha), cosine), alpha));
}

/**
 * Cosine decay with warm restarts (SGDR), Keras's `CosineDecayRestarts`: a cosine decay over `firstDecaySteps`, then
 * again from the top over a period `tMul` times longer, starting `mMul` times lower, and so on.
 *
 * ```text
 * t        = step / firstDecaySteps
 * i        = floor(t)                                   when tMul = 1       (the restart index)
 *            floor(log(1 - t * (1 - tMul)) / log(tMul))  otherwise
 * frac     = t - i                                      when tMul = 1       (how far into period i, in [0, 1))
 *            (t - (1 - tMul^i) / (1 - tMul)) * tMul^-i   otherwise
 * lr       = initialLearningRate * ((1 - alpha) * mMul^i * 0.5 * (1 + cos(pi * frac)) + alpha)
 * ```
 * Each constant, pi and the step are rounded to float32, then every operation is rounded to float32 in this order,
 * except `1 - t * (1 - tMul)`, rounded once as XLA fuses it inside Keras's `ops.cond`. The result matches Keras (JAX
 * backend) to the bit on every golden value. With `dtype: 'float64'` the same formula runs in doubles.
 *
 * Within a period the rate never rises. Restart `i` is at step `firstDecaySteps * (1 + tMul + ... + tMul^(i-1))`,
 * where the rate jumps to `initialLearningRate * ((1 - alpha) * mMul^i + alpha)`: back to the top when `mMul` is 1.
 * The floor `alpha * initialLearningRate` is not scaled by `mMul`. An `mMul` above 1 makes every restart higher, up
 * to Infinity after enough restarts.
 *
 * @example
 * import { CosineDecayRestarts } from 'lr-schedules';
 * const lr = new CosineDecayRestarts(0.01, 1000);             // periods of 1000, 2000, 4000, ... steps
 * lr(0); //=> 0.009999999776482582 (0.01 in float32)
 * lr(999); //=> 2.4735927084407194e-8
 * lr(1000); //=> 0.009999999776482582
 * const damped = new CosineDecayRestarts({ initialLearningRate: 0.01, firstDecaySteps: 1000, tMul: 1, mMul: 0.5 });
 * damped(2000); //=> 0.0024999999441206455
 * @throws {ScheduleOptionError} an option out of range: `firstDecaySteps` not > 0, `tMul` below 1, `mMul` not > 0,
 * `alpha` outside [0, 1], a negative or non-finite rate.
 * @throws {ScheduleTypeError} an option of the wrong kind, or a required one missing.
 * @see Keras `keras.optimizers.schedules.CosineDecayRestarts`
 */
export class CosineDecayRestarts extends LearningRateSchedule<CosineDecayRestartsConfig> {
  static override readonly className = "CosineDecayRestarts";
  static override readonly fields = fields;
  /** What it computes, in one line, as `lr-schedules show` prints it. */
  static override readonly formula =
    "lr = initialLearningRate * ((1 - alpha) * mMul^i * (1 + cos(pi * frac)) / 2 + alpha),  period i lasts firstDecaySteps * tMul^i, frac = how far into it";
  /** What this class's chart in docs/seeing.md draws, as `lr-schedules` expressions. */
  static override readonly examples: ScheduleExamples = { steps: 15000, expressions: ["CosineDecayRestarts(0.01, 1000, { mMul: 0.8 })"] };

  constructor(options: CosineDecayRestartsOptions);
  constructor(...args: OptionArguments<CosineDecayRestartsOptions, Order>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<CosineDecayRestartsConfig>("CosineDecayRestarts", fields, args);
    const o = numberOps(c.dtype);
    super(c, (step) => cosineDecayRestarts(o, o.constant(step), c));
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return cosineDecayRestarts(o, step, this.config);
  }
}
