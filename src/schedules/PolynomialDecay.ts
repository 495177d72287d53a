import { numberOps, type Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { LearningRateSchedule, type ScheduleExamples } from "../schedule.js";

/** Options of {@link PolynomialDecay}; Keras's arguments in camelCase. */
const fields = declareOptions({
  /** The rate at step 0 (Keras `initial_learning_rate`). A finite number >= 0. */
  initialLearningRate: option.number({ rule: "nonNegative" }),
  /** How many steps the decay to `endLearningRate` takes (Keras `decay_steps`). A finite number > 0. */
  decaySteps: option.number({ rule: "positive", steps: true }),
  /** The rate reached at `decaySteps` (Keras `end_learning_rate`). A finite number >= 0. @defaultValue 0.0001 */
  endLearningRate: option.number({ rule: "nonNegative" }, 0.0001),
  /** The exponent of the curve (Keras `power`); 1 is a straight line. A finite number >= 0. @defaultValue 1 */
  power: option.number({ rule: "nonNegative" }, 1),
  /** Start again past `decaySteps`, over a horizon stretched to the next multiple of it. @defaultValue false */
  cycle: option.boolean(false),
  /** Keras's `name`. @defaultValue 'PolynomialDecay' */
  name: option.name("PolynomialDecay"),
  /** `'float32'` computes as Keras does; `'float64'` the same formula in doubles. @defaultValue 'float32' */
  dtype: option.dtype,
});

/** The positional arguments, in Keras's order: each option's name, `?` where it has a default. */
type Order = [
  initialLearningRate: "initialLearningRate",
  decaySteps: "decaySteps",
  endLearningRate?: "endLearningRate",
  power?: "power",
  cycle?: "cycle",
  name?: "name",
];

/** The options of a {@link PolynomialDecay}: the declaration's, those with a default optional. */
export type PolynomialDecayOptions = OptionsOf<typeof fields>;

/** The validated options of a {@link PolynomialDecay}, every default filled in. */
export type PolynomialDecayConfig = ConfigOf<typeof fields>;

/** Polynomial decay over any arithmetic; `step` is already converted by `o`. */
function polynomialDecay<T, B>(o: Ops<T, B>, step: T, c: PolynomialDecayConfig): T {
  const zero = o.constant(0);
  const one = o.constant(1);
  let decaySteps = o.constant(c.decaySteps);
  let s = step;
  if (c.cycle) {
    // Keras takes one period where the step is 0 (ceil would give 0, then 0 / 0); at least one also covers a tiny
    // step whose quotient underflows to 0 in float32, where Keras divides by 0.
    const periods = o.maximum(one, o.ceil(o.div(s, decaySteps)));
    decaySteps = o.mul(decaySteps, periods);
  } else {
    s = o.minimum(s, decaySteps);
  }
  const end = o.constant(c.endLearningRate);
  // Not Keras: with cycle, float32 rounding can put the horizon below a large step, and Keras's pow of a negative
  // number is NaN.
  const remaining = o.maximum(o.sub(one, o.div(s, decaySteps)), zero);
  return o.add(o.mul(o.sub(o.constant(c.initialLearningRate), end), o.pow(remaining, o.constant(c.power))), end);
}

/**
 * Polynomial decay, Keras's `PolynomialDecay`: from `initialLearningRate` to `endLearningRate` over `decaySteps`
 * along `(1 - t)^power`, then flat at `endLearningRate`.
 *
 * ```text
 * without cycle: s = min(step, decaySteps);  horizon = decaySteps
 * with cycle:    s = step;                   horizon = decaySteps * max(1, ceil(step / decaySteps))
 * lr = (initialLearningRate - endLearningRate) * max(0, 1 - s / horizon) ^ power + endLearningRate
 * ```
 * Each constant and the step are rounded to float32, then every operation is rounded to float32 in this order, as
 * Keras computes; the result matches Keras to the bit on every golden value. With `dtype: 'float64'` nothing is
 * rounded. The `max(0, ...)` is not Keras's: with `cycle`, beyond about 2^24 steps float32 rounding can put the
 * horizon below the step, where Keras raises a negative number to `power` (NaN for a fractional power); here the
 * rate is `endLearningRate` there.
 *
 * With `cycle`, the rate reaches `endLearningRate` at each multiple `k * decaySteps` and then jumps up to
 * `(initial - end) * (1 / (k + 1)) ^ power + end`: each cycle restarts lower, never at `initialLearningRate` again.
 * An `endLearningRate` above `initialLearningRate` makes the rate rise instead.
 *
 * @example
 * import { PolynomialDecay } from 'lr-schedules';
 * const lr = new PolynomialDecay(0.1, 10000, 0.01, 0.5);      // Keras's positional order
 * lr(0); //=> 0.10000000149011612 (0.1 in float32)
 * lr(7500); //=> 0.054999999701976776
 * lr(20000); //=> 0.009999999776482582 (0.01 in float32)
 * const cycling = new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, endLearningRate: 0, cycle: true });
 * cycling(10); //=> 0
 * cycling(11); //=> 0.044999998062849045
 * @throws {ScheduleOptionError} an option out of range: `decaySteps` not > 0, a negative or non-finite rate or power.
 * @throws {ScheduleTypeError} an option of the wrong kind, or a required one missing.
 * @see Keras `keras.optimizers.schedules.PolynomialDecay`
 */
export class PolynomialDecay extends LearningRateSchedule<PolynomialDecayConfig> {
  static override readonly className = "PolynomialDecay";
  static override readonly fields = fields;
  /** What it computes, in one line, as `lr-schedules show` prints it. */
  static override readonly formula =
    "lr = (initialLearningRate - endLearningRate) * (1 - min(step, decaySteps) / decaySteps) ^ power + endLearningRate  (cycle: decaySteps stretched to the next multiple past step)";
  /** What this class's chart in docs/seeing.md draws, as `lr-schedules` expressions. */
  static override readonly examples: ScheduleExamples = {
    steps: 10000,
    expressions: [
      "PolynomialDecay(0.1, 8000, 0.001)",
      "PolynomialDecay(0.1, 8000, 0.001, 2)",
      "PolynomialDecay(0.1, 3000, 0.001, 2, true)",
    ],
  };

  constructor(options: PolynomialDecayOptions);
  constructor(...args: OptionArguments<PolynomialDecayOptions, Order>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<PolynomialDecayConfig>("PolynomialDecay", fields, args);
    const o = numberOps(c.dtype);
    super(c, (step) => polynomialDecay(o, o.constant(step), c));
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return polynomialDecay(o, step, this.config);
  }
}
