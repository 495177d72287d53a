import { numberOps, type Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { LearningRateSchedule, type ScheduleExamples } from "../schedule.js";

/** Options of {@link CosineDecay}; Keras's arguments in camelCase, in Keras's order (`name` before the warmup). */
const fields = declareOptions({
  /** The rate at step 0: where the warmup starts, or the decay when there is none (Keras `initial_learning_rate`). A finite number >= 0. */
  initialLearningRate: option.number({ rule: "nonNegative" }),
  /** How many steps the cosine decay takes, after the warmup (Keras `decay_steps`). A finite number > 0. */
  decaySteps: option.number({ rule: "positive", steps: true }),
  /** The floor of the decay, as a fraction of the rate it decays from (Keras `alpha`). In [0, 1]. @defaultValue 0 */
  alpha: option.number({ rule: "unit" }, 0),
  /** Keras's `name`. @defaultValue 'CosineDecay' */
  name: option.name("CosineDecay"),
  /**
   * The rate the linear warmup reaches, where the decay then starts (Keras `warmup_target`); `null` for no warmup.
   * A finite number >= 0, or null. @defaultValue null
   */
  warmupTarget: option.nullableNumber({ rule: "nonNegative" }),
  /** How many steps the warmup takes (Keras `warmup_steps`); ignored while `warmupTarget` is null, as in Keras. A finite number >= 0. @defaultValue 0 */
  warmupSteps: option.number({ rule: "nonNegative", steps: true }, 0),
  /** `'float32'` computes as Keras does; `'float64'` the same formula in doubles. @defaultValue 'float32' */
  dtype: option.dtype,
});

/** The positional arguments, in Keras's order: each option's name, `?` where it has a default. */
type Order = [
  initialLearningRate: "initialLearningRate",
  decaySteps: "decaySteps",
  alpha?: "alpha",
  name?: "name",
  warmupTarget?: "warmupTarget",
  warmupSteps?: "warmupSteps",
];

/** The options of a {@link CosineDecay}: the declaration's, those with a default optional. */
export type CosineDecayOptions = OptionsOf<typeof fields>;

/** The validated options of a {@link CosineDecay}, every default filled in. */
export type CosineDecayConfig = ConfigOf<typeof fields>;

/**
 * The cosine from `from` down to `alpha * from` over `decaySteps`. Inside Keras's `ops.cond` (when there is a warmup)
 * XLA fuses the multiply-add, so `fused` rounds it once.
 */
function decayed<T, B>(o: Ops<T, B>, s: T, from: T, c: CosineDecayConfig, fused: boolean): T {
  const fraction = o.div(s, o.constant(c.decaySteps));
  const cosine = o.mul(o.constant(0.5), o.add(o.constant(1), o.cos(o.mul(o.constant(Math.PI), fraction))));
  // Keras computes 1 - alpha in double precision, then rounds it (CosineDecayRestarts rounds alpha first).
  const span = o.constant(1 - c.alpha);
  const alpha = o.constant(c.alpha);
  return o.mul(from, fused ? o.fma(span, cosine, alpha) : o.add(o.mul(span, cosine), alpha));
}

/** Cosine decay with optional linear warmup over any arithmetic; `step` is already converted by `o`. */
function cosineDecay<T, B>(o: Ops<T, B>, step: T, c: CosineDecayConfig): T {
  const initial = o.constant(c.initialLearningRate);
  const decaySteps = o.constant(c.decaySteps);
  if (c.warmupTarget === null) return decayed(o, o.minimum(step, decaySteps), initial, c, false);
  const target = o.constant(c.warmupTarget);
  const warmupSteps = o.constant(c.warmupSteps);
  const s = o.minimum(step, o.add(decaySteps, warmupSteps));
  return o.cond(
    o.less(s, warmupSteps),
    () => o.fma(o.sub(target, initial), o.div(s, warmupSteps), initial),
    () => decayed(o, o.sub(s, warmupSteps), target, c, true),
  );
}

/**
 * Cosine decay with an optional linear warmup, Keras's `CosineDecay`: half a cosine from the rate down to
 * `alpha` times it over `decaySteps`, then flat.
 *
 * ```text
 * decay(s, from) = from * ((1 - alpha) * 0.5 * (1 + cos(pi * s / decaySteps)) + alpha)
 *
 * no warmup (warmupTarget null):  lr = decay(min(step, decaySteps), initialLearningRate)
 * with warmup:  s = min(step, warmupSteps + decaySteps)
 *   s <  warmupSteps:  lr = (warmupTarget - initialLearningRate) * s / warmupSteps + initialLearningRate
 *   s >= warmupSteps:  lr = decay(s - warmupSteps, warmupTarget)
 * ```
 * Each constant, pi and the step are rounded to float32, then every operation is rounded to float32 in this order,
 * except the multiply-adds inside Keras's `ops.cond` (the warmup branch, and the decay when there is a warmup), which
 * are rounded once as XLA fuses them. The result matches Keras (JAX backend) to the bit on every golden value. With
 * `dtype: 'float64'` the same formula runs in doubles.
 *
 * @example
 * import { CosineDecay } from 'lr-schedules';
 * const lr = new CosineDecay(0.001, 1000, 0.1);                // Keras's positional order
 * lr(0); //=> 0.0010000000474974513 (0.001 in float32)
 * lr(500); //=> 0.0005499999970197678
 * lr(5000); //=> 0.00010000000474974513
 * const warm = new CosineDecay(0, 1000, { warmupTarget: 0.001, warmupSteps: 100 });   // leading arguments, then options
 * warm(50); //=> 0.0005000000237487257
 * warm(100); //=> 0.0010000000474974513
 * @throws {ScheduleOptionError} an option out of range: `decaySteps` not > 0, `alpha` outside [0, 1], a negative
 * `warmupSteps`, a negative or non-finite rate.
 * @throws {ScheduleTypeError} an option of the wrong kind, or a required one missing.
 * @see Keras `keras.optimizers.schedules.CosineDecay`
 */
export class CosineDecay extends LearningRateSchedule<CosineDecayConfig> {
  static override readonly className = "CosineDecay";
  static override readonly fields = fields;
  /** What it computes, in one line, as `lr-schedules show` prints it. */
  static override readonly formula =
    "linear from initialLearningRate to warmupTarget over warmupSteps, then lr = peak * ((1 - alpha) * (1 + cos(pi * min(s, decaySteps) / decaySteps)) / 2 + alpha),  s = step - warmupSteps,  peak = warmupTarget (initialLearningRate without warmup)";
  /** What this class's chart in docs/seeing.md draws, as `lr-schedules` expressions. */
  static override readonly examples: ScheduleExamples = {
    steps: 12000,
    expressions: [
      "CosineDecay(1e-3, 10000, { warmupTarget: 1e-2, warmupSteps: 500 })",
      "CosineDecay(1e-2, 10000, 0.1)",
    ],
  };

  constructor(options: CosineDecayOptions);
  constructor(...args: OptionArguments<CosineDecayOptions, Order>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<CosineDecayConfig>("CosineDecay", fields, args);
    const o = numberOps(c.dtype);
    super(c, (step) => cosineDecay(o, o.constant(step), c));
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return cosineDecay(o, step, this.config);
  }
}
