import { numberOps, type Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { LearningRateSchedule, type ScheduleExamples } from "../schedule.js";

/** Options of {@link InverseSqrtDecay}. */
const fields = declareOptions({
  /** The rate reached at the end of the warmup (config key `peak_learning_rate`). A finite number >= 0. */
  peakLearningRate: option.number({ rule: "nonNegative" }),
  /** How many steps the linear warmup lasts (config key `warmup_steps`). A finite number > 0. */
  warmupSteps: option.number({ rule: "positive", steps: true }),
  /** The schedule's name. @defaultValue 'InverseSqrtDecay' */
  name: option.name("InverseSqrtDecay"),
  /** `'float32'` computes as Keras computes; `'float64'` the same formula in doubles. @defaultValue 'float32' */
  dtype: option.dtype,
});

/** The positional arguments: each option's name, `?` where it has a default. */
type Order = [peakLearningRate: "peakLearningRate", warmupSteps: "warmupSteps", name?: "name"];

/** The options of an {@link InverseSqrtDecay}: the declaration's, those with a default optional. */
export type InverseSqrtDecayOptions = OptionsOf<typeof fields>;

/** The validated options of an {@link InverseSqrtDecay}, every default filled in. */
export type InverseSqrtDecayConfig = ConfigOf<typeof fields>;

/** The inverse square root schedule over any arithmetic; `step` is already converted by `o`. */
function inverseSqrtDecay<T, B>(o: Ops<T, B>, step: T, c: InverseSqrtDecayConfig): T {
  const warmupSteps = o.constant(c.warmupSteps);
  const ramp = o.div(step, warmupSteps);
  // max() keeps the division away from step 0; it changes nothing where the decay term is the smaller one.
  const decay = o.pow(o.div(warmupSteps, o.maximum(step, warmupSteps)), o.constant(0.5));
  return o.mul(o.constant(c.peakLearningRate), o.minimum(ramp, decay));
}

/**
 * The Transformer's schedule: a linear warmup to `peakLearningRate`, then decay as one over the square root of the
 * step.
 *
 * ```text
 * lr = peakLearningRate * min(step / warmupSteps, sqrt(warmupSteps / max(step, warmupSteps)))
 *    = peakLearningRate * step / warmupSteps               for step <= warmupSteps
 *    = peakLearningRate * sqrt(warmupSteps / step)         for step >= warmupSteps
 * ```
 * The rate is 0 at step 0, `peakLearningRate` at `warmupSteps`, and continuous. With
 * `peakLearningRate = (dModel * warmupSteps) ** -0.5` it is Vaswani et al.'s
 * `dModel ** -0.5 * min(step ** -0.5, step * warmupSteps ** -1.5)`; it is fairseq's `inverse_sqrt` with
 * `warmup_init_lr = 0` and Hugging Face's `get_inverse_sqrt_schedule` with its default timescale. The square root is
 * `pow(x, 0.5)`, and each operation is rounded to float32 (or not, with `dtype: 'float64'`).
 *
 * Keras's optimizers pass the number of updates already applied, so the first update uses step 0 and rate 0; Vaswani
 * counts from 1.
 *
 * @example
 * import { InverseSqrtDecay } from 'lr-schedules';
 * const lr = new InverseSqrtDecay(0.001, 4000);       // or new InverseSqrtDecay({ peakLearningRate: 0.001, warmupSteps: 4000 })
 * lr(0); //=> 0
 * lr(2000); //=> 0.0005000000237487257
 * lr(4000); //=> 0.0010000000474974513 (the peak)
 * lr(16000); //=> 0.0005000000237487257 (half the peak at four times the warmup)
 * @throws {ScheduleOptionError} `warmupSteps` not > 0, `peakLearningRate` negative; either not finite.
 * @throws {ScheduleTypeError} an option of the wrong kind, or a required one missing.
 * @see Vaswani et al., "Attention Is All You Need" (2017), section 5.3, https://arxiv.org/abs/1706.03762
 */
export class InverseSqrtDecay extends LearningRateSchedule<InverseSqrtDecayConfig> {
  static override readonly className = "InverseSqrtDecay";
  /** Registered as `lr-schedules>InverseSqrtDecay`, Keras's `registered_name` form for a class Keras lacks. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  /** What it computes, in one line, as `lr-schedules show` prints it. */
  static override readonly formula =
    "lr = peakLearningRate * min(step / warmupSteps, sqrt(warmupSteps / max(step, warmupSteps)))";
  /** What this class's chart in docs/seeing.md draws, as `lr-schedules` expressions. */
  static override readonly examples: ScheduleExamples = { steps: 40000, expressions: ["InverseSqrtDecay(1e-3, 4000)"] };

  constructor(options: InverseSqrtDecayOptions);
  constructor(...args: OptionArguments<InverseSqrtDecayOptions, Order>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<InverseSqrtDecayConfig>("InverseSqrtDecay", fields, args);
    const o = numberOps(c.dtype);
    super(c, (step) => inverseSqrtDecay(o, o.constant(step), c));
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return inverseSqrtDecay(o, step, this.config);
  }
}
