import { numberOps, type Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { LearningRateSchedule, type ScheduleExamples } from "../schedule.js";

/** Options of {@link InverseTimeDecay}; Keras's arguments in camelCase. */
const fields = declareOptions({
  /** The rate at step 0 (Keras `initial_learning_rate`). A finite number >= 0. */
  initialLearningRate: option.number({ rule: "nonNegative" }),
  /** How many steps one unit of decay takes (Keras `decay_steps`). A finite number > 0. */
  decaySteps: option.number({ rule: "positive", steps: true }),
  /** How fast the rate falls (Keras `decay_rate`). A finite number >= 0. */
  decayRate: option.number({ rule: "nonNegative" }),
  /** Decay in whole multiples of `decaySteps` only. @defaultValue false */
  staircase: option.boolean(false),
  /** Keras's `name`. @defaultValue 'InverseTimeDecay' */
  name: option.name("InverseTimeDecay"),
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

/** The options of an {@link InverseTimeDecay}: the declaration's, those with a default optional. */
export type InverseTimeDecayOptions = OptionsOf<typeof fields>;

/** The validated options of an {@link InverseTimeDecay}, every default filled in. */
export type InverseTimeDecayConfig = ConfigOf<typeof fields>;

/** Inverse-time decay over any arithmetic; `step` is already converted by `o`. */
function inverseTimeDecay<T, B>(o: Ops<T, B>, step: T, c: InverseTimeDecayConfig): T {
  let p = o.div(step, o.constant(c.decaySteps));
  if (c.staircase) p = o.floor(p);
  return o.div(o.constant(c.initialLearningRate), o.add(o.constant(1), o.mul(o.constant(c.decayRate), p)));
}

/**
 * Inverse-time decay, Keras's `InverseTimeDecay`: the rate falls as 1/t.
 *
 * ```text
 * p  = step / decaySteps                     (floor(p) when staircase)
 * lr = initialLearningRate / (1 + decayRate * p)
 * ```
 * Each of step, decaySteps and decayRate is rounded to float32, then every operation is rounded to float32, as Keras
 * computes; the result matches Keras to the bit. With `dtype: 'float64'` nothing is rounded.
 *
 * @example
 * import { InverseTimeDecay } from 'lr-schedules';
 * const lr = new InverseTimeDecay(0.1, 1, 0.5);            // Keras's positional order
 * lr(0); //=> 0.10000000149011612 (0.1 in float32)
 * lr(2); //=> 0.05000000074505806
 * const stairs = new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 1, staircase: true });
 * stairs(19); //=> 0.05000000074505806
 * @throws {ScheduleOptionError} an option out of range: `decaySteps` not > 0, a negative or non-finite rate.
 * @throws {ScheduleTypeError} an option of the wrong kind, or a required one missing.
 * @see Keras `keras.optimizers.schedules.InverseTimeDecay`
 */
export class InverseTimeDecay extends LearningRateSchedule<InverseTimeDecayConfig> {
  static override readonly className = "InverseTimeDecay";
  static override readonly fields = fields;
  /** What it computes, in one line, as `lr-schedules show` prints it. */
  static override readonly formula =
    "lr = initialLearningRate / (1 + decayRate * p),  p = step / decaySteps (floor(p) when staircase)";
  /** What this class's chart in docs/seeing.md draws, as `lr-schedules` expressions. */
  static override readonly examples: ScheduleExamples = {
    steps: 10000,
    expressions: [
      "InverseTimeDecay(0.1, 1000, 1)",
      "InverseTimeDecay(0.1, 1000, 1, true)",
    ],
  };

  constructor(options: InverseTimeDecayOptions);
  constructor(...args: OptionArguments<InverseTimeDecayOptions, Order>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<InverseTimeDecayConfig>("InverseTimeDecay", fields, args);
    const o = numberOps(c.dtype);
    super(c, (step) => inverseTimeDecay(o, o.constant(step), c));
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return inverseTimeDecay(o, step, this.config);
  }
}
