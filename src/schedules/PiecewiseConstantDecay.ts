import { ScheduleOptionError } from "../errors.js";
import { numberOps, type Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { LearningRateSchedule, type ScheduleExamples } from "../schedule.js";

/** Options of {@link PiecewiseConstantDecay}; Keras's arguments in camelCase. */
const fields = declareOptions({
  /** The steps where the rate changes (Keras `boundaries`): at least one, finite, >= 0 and strictly increasing. */
  boundaries: option.numbers({ rule: "nonNegative", steps: true }),
  /** The rate in each interval (Keras `values`): one more than `boundaries`, each finite and >= 0. */
  values: option.numbers({ rule: "nonNegative" }),
  /** Keras's `name`. @defaultValue 'PiecewiseConstant' (Keras's default, without "Decay") */
  name: option.name("PiecewiseConstant"),
  /** `'float32'` rounds the values to float32 as Keras does; `'float64'` keeps them as given. @defaultValue 'float32' */
  dtype: option.dtype,
});

/** The positional arguments, in Keras's order: each option's name, `?` where it has a default. */
type Order = [boundaries: "boundaries", values: "values", name?: "name"];

/** The options of a {@link PiecewiseConstantDecay}: the declaration's, those with a default optional. */
export type PiecewiseConstantDecayOptions = OptionsOf<typeof fields>;

/** The validated options of a {@link PiecewiseConstantDecay}, every default filled in. */
export type PiecewiseConstantDecayConfig = ConfigOf<typeof fields>;

/**
 * The value of the interval that holds `step`: `values[i]` for the first `i` with `step <= boundaries[i]`, else the
 * last value. `boundaries` and `values` are already converted by `o`.
 */
function piecewiseConstantDecay<T, B>(o: Ops<T, B>, step: T, boundaries: readonly T[], values: readonly T[]): T {
  let lr = values[boundaries.length] as T;
  for (let i = boundaries.length - 1; i >= 0; i--) lr = o.where(o.lessEqual(step, boundaries[i] as T), values[i] as T, lr);
  return lr;
}

/** Keras sums indicator × value from 0, so a value of -0 comes out as +0. */
const valueOf = (x: number) => x + 0;

/**
 * A constant rate between boundaries, Keras's `PiecewiseConstantDecay`. A step equal to a boundary still gets the
 * value before it: the rate changes once `step > boundary`.
 *
 * ```text
 * lr = values[0]      while step <= boundaries[0]
 *      values[i]      while boundaries[i-1] < step <= boundaries[i]
 *      values[n]      once  step > boundaries[n-1]          (n = boundaries.length)
 * ```
 * The values are rounded to float32, as Keras computes; the result matches Keras to the bit. A whole-number step
 * (a number or a bigint) is compared exactly, as Keras compares an integer step; a fractional step is rounded to
 * float32 first, as Keras does with a float step, and so is a tensor step (tf.js compares in float32, so above 2^24
 * a whole step next to a boundary may fall on the other side of it). With `dtype: 'float64'` nothing is rounded.
 *
 * @example
 * import { PiecewiseConstantDecay } from 'lr-schedules';
 * const lr = new PiecewiseConstantDecay([100000, 110000], [1, 0.5, 0.1]);   // Keras's positional order
 * lr(100000); //=> 1
 * lr(100001); //=> 0.5
 * lr(200000); //=> 0.10000000149011612 (0.1 in float32)
 * @throws {ScheduleOptionError} `boundaries` empty, not strictly increasing, or with a negative or non-finite entry;
 * `values` not one longer than `boundaries`, or with a negative or non-finite entry.
 * @throws {ScheduleTypeError} an option of the wrong kind, or a required one missing.
 * @see Keras `keras.optimizers.schedules.PiecewiseConstantDecay`
 */
export class PiecewiseConstantDecay extends LearningRateSchedule<PiecewiseConstantDecayConfig> {
  static override readonly className = "PiecewiseConstantDecay";
  static override readonly fields = fields;
  /** What it computes, in one line, as `lr-schedules show` prints it. */
  static override readonly formula =
    "lr = values[i] for the first i with step <= boundaries[i], values[n] after the last boundary";
  /** What this class's chart in docs/seeing.md draws, as `lr-schedules` expressions. */
  static override readonly examples: ScheduleExamples = {
    steps: 12000,
    expressions: [
      "PiecewiseConstantDecay([3000, 6000, 9000], [0.1, 0.05, 0.01, 0.001])",
    ],
  };

  constructor(options: PiecewiseConstantDecayOptions);
  constructor(...args: OptionArguments<PiecewiseConstantDecayOptions, Order>);
  constructor(...args: unknown[]) {
    const owner = "PiecewiseConstantDecay";
    const c = resolveOptions<PiecewiseConstantDecayConfig>(owner, fields, args);
    const { boundaries, values } = c;
    if (boundaries.length === 0) {
      throw new ScheduleOptionError(owner, "boundaries", boundaries, "a non-empty array (one boundary or more)");
    }
    if (values.length !== boundaries.length + 1) {
      throw new ScheduleOptionError(owner, "values", values, `an array one longer than \`boundaries\` (${boundaries.length + 1} values for ${boundaries.length} boundaries); it has ${values.length}`);
    }
    boundaries.forEach((b, i) => {
      if (i > 0 && !(b > boundaries[i - 1]!)) {
        throw new ScheduleOptionError(owner, `boundaries[${i}]`, b, `greater than boundaries[${i - 1}]=${boundaries[i - 1]} (strictly increasing)`);
      }
    });
    const o = numberOps(c.dtype);
    const rates = values.map((v) => o.constant(valueOf(v)));
    const roundedBoundaries = boundaries.map((b) => o.constant(b));
    super(c, (step) =>
      Number.isInteger(step)
        ? piecewiseConstantDecay(o, step, boundaries, rates)
        : piecewiseConstantDecay(o, o.constant(step), roundedBoundaries, rates),
    );
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    const { boundaries, values } = this.config;
    return piecewiseConstantDecay(o, step, boundaries.map((b) => o.constant(b)), values.map((v) => o.constant(valueOf(v))));
  }
}
