import { numberOps, type Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { LearningRateSchedule, type ScheduleExamples } from "../schedule.js";

/** Options of {@link ExponentialDecay}; Keras's arguments in camelCase. */
const fields = declareOptions({
  /** The rate at step 0 (Keras `initial_learning_rate`). A finite number >= 0. */
  initialLearningRate: option.number({ rule: "nonNegative" }),
  /** How many steps one factor of `decayRate` takes (Keras `decay_steps`). A finite number > 0. */
  decaySteps: option.number({ rule: "positive", steps: true }),
  /** The factor applied every `decaySteps` steps (Keras `decay_rate`). A finite number >= 0; above 1 the rate grows. */
  decayRate: option.number({ rule: "nonNegative" }),
  /** Decay in whole multiples of `decaySteps` only. @defaultValue false */
  staircase: option.boolean(false),
  /** Keras's `name`. @defaultValue 'ExponentialDecay' */
  name: option.name("ExponentialDecay"),
  /** `'float32'` computes as Keras does; `'float64'` the same formula in doubles. @defaultValue 'float32' */
  dtype: option.dtype,
});

/** The positional arguments, in Keras's order: each option's name, `?` where it has a default. */
type Order = [
  initialLearningRate: "initialLearningRate",
  decaySteps: "decaySteps",
  decayRate: "decayRate",
  staircase?: "staircase",
  name?: "name",
];

/** The options of an {@link ExponentialDecay}: the declaration's, those with a default optional. */
export type ExponentialDecayOptions = OptionsOf<typeof fields>;

/** The validated options of an {@link ExponentialDecay}, every default filled in. */
export type ExponentialDecayConfig = ConfigOf<typeof fields>;

/** The smallest normal float32. */
const MIN_NORMAL_FLOAT32 = 2 ** -126;

/**
 * Keras on JAX runs on XLA, which flushes float32 subnormal results to zero; a long decay reaches them (the golden
 * file has one). `x` is never negative here.
 */
function flushSubnormal<T, B>(o: Ops<T, B>, x: T): T {
  if (o.dtype !== "float32") return x;
  return o.where(o.less(x, o.constant(MIN_NORMAL_FLOAT32)), o.constant(0), x);
}

/** Exponential decay over any arithmetic; `step` is already converted by `o`. */
function exponentialDecay<T, B>(o: Ops<T, B>, step: T, c: ExponentialDecayConfig): T {
  // Keras computes 0 * Infinity = NaN once a decayRate above 1 overflows; a rate of 0 stays 0 here (shaped as the
  // step, for a batch of steps).
  if (numberOps(o.dtype).constant(c.initialLearningRate) === 0) return o.mul(step, o.constant(0));
  let p = o.div(step, o.constant(c.decaySteps));
  if (c.staircase) p = o.floor(p);
  const factor = flushSubnormal(o, o.pow(o.constant(c.decayRate), p));
  return flushSubnormal(o, o.mul(o.constant(c.initialLearningRate), factor));
}

/**
 * Exponential decay, Keras's `ExponentialDecay`: the rate is multiplied by `decayRate` every `decaySteps` steps.
 *
 * ```text
 * p  = step / decaySteps                     (floor(p) when staircase)
 * lr = initialLearningRate * decayRate ^ p
 * ```
 * Each of step, decaySteps, decayRate and initialLearningRate is rounded to float32, then every operation is rounded
 * to float32 in this order, as Keras computes; a result below float32's normal range is 0, as Keras on JAX gives.
 * The result matches Keras to the bit on every golden value. With `dtype: 'float64'` nothing is rounded or flushed.
 *
 * A `decayRate` above 1 makes the rate grow (a learning-rate range test) up to float32's largest number; past it a
 * call throws `ScheduleValueError` where Keras returns Infinity. An `initialLearningRate` of 0 stays 0 at every
 * step, where Keras's float32 gives NaN once `decayRate ^ p` overflows.
 *
 * @example
 * import { ExponentialDecay } from 'lr-schedules';
 * const lr = new ExponentialDecay(0.1, 1000, 0.96);            // Keras's positional order
 * lr(0); //=> 0.10000000149011612 (0.1 in float32)
 * lr(500); //=> 0.0979795902967453
 * const stairs = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.5, staircase: true });
 * stairs(1999); //=> 0.05000000074505806
 * @throws {ScheduleOptionError} an option out of range: `decaySteps` not > 0, a negative or non-finite rate.
 * @throws {ScheduleTypeError} an option of the wrong kind, or a required one missing.
 * @see Keras `keras.optimizers.schedules.ExponentialDecay`
 */
export class ExponentialDecay extends LearningRateSchedule<ExponentialDecayConfig> {
  static override readonly className = "ExponentialDecay";
  static override readonly fields = fields;
  /** What it computes, in one line, as `lr-schedules show` prints it. */
  static override readonly formula =
    "lr = initialLearningRate * decayRate ^ p,  p = step / decaySteps (floor(p) when staircase)";
  /** What this class's chart in docs/seeing.md draws, as `lr-schedules` expressions. */
  static override readonly examples: ScheduleExamples = {
    steps: 8000,
    expressions: [
      "ExponentialDecay(0.1, 1000, 0.5)",
      "ExponentialDecay(0.1, 1000, 0.5, true)",
    ],
  };

  constructor(options: ExponentialDecayOptions);
  constructor(...args: OptionArguments<ExponentialDecayOptions, Order>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<ExponentialDecayConfig>("ExponentialDecay", fields, args);
    const o = numberOps(c.dtype);
    super(c, (step) => exponentialDecay(o, o.constant(step), c));
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return exponentialDecay(o, step, this.config);
  }
}
