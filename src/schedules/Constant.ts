import { numberOps, type Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { LearningRateSchedule, type ScheduleExamples } from "../schedule.js";

/** Options of {@link Constant}. */
const fields = declareOptions({
  /** The rate at every step (config key `value`). A finite number >= 0. */
  value: option.number({ rule: "nonNegative" }),
  /** The schedule's name. @defaultValue 'Constant' */
  name: option.name("Constant"),
  /** `'float32'` rounds `value` to float32 as Keras would; `'float64'` keeps it as given. @defaultValue 'float32' */
  dtype: option.dtype,
});

/** The positional arguments: each option's name, `?` where it has a default. */
type Order = [value: "value", name?: "name"];

/** The options of a {@link Constant}: the declaration's, those with a default optional. */
export type ConstantOptions = OptionsOf<typeof fields>;

/** The validated options of a {@link Constant}, every default filled in. */
export type ConstantConfig = ConfigOf<typeof fields>;

/**
 * The same rate at every step: a piece of a {@link Sequence}, or a schedule where one is required.
 *
 * ```text
 * lr = value
 * ```
 * `value` is rounded to float32, as Keras rounds a float learning rate; with `dtype: 'float64'` it is returned as given.
 * Keras has no such class (a float learning rate plays its part); optax calls it `constant_schedule`.
 *
 * @example
 * import { Constant } from 'lr-schedules';
 * const lr = new Constant(0.1);
 * lr(0); //=> 0.10000000149011612 (0.1 in float32)
 * lr(1e6); //=> 0.10000000149011612
 * new Constant({ value: 0.1, dtype: 'float64' })(5); //=> 0.1
 * @throws {ScheduleOptionError} `value` negative or not finite.
 * @throws {ScheduleTypeError} `value` missing or not a number.
 * @see optax `optax.constant_schedule`
 */
export class Constant extends LearningRateSchedule<ConstantConfig> {
  static override readonly className = "Constant";
  /** Registered as `lr-schedules>Constant`, Keras's `registered_name` form for a class Keras lacks. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  /** What it computes, in one line, as `lr-schedules show` prints it. */
  static override readonly formula = "lr = value";
  /** What this class's chart in docs/seeing.md draws, as `lr-schedules` expressions. */
  static override readonly examples: ScheduleExamples = { steps: 1000, expressions: ["Constant(0.01)"] };

  constructor(options: ConstantOptions);
  constructor(...args: OptionArguments<ConstantOptions, Order>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<ConstantConfig>("Constant", fields, args);
    // A value of -0 gives +0, as the tensor path does.
    const rate = numberOps(c.dtype).constant(c.value) + 0;
    super(c, () => rate);
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    // Shaped like the step, so that a batch of tensor steps gets a batch of rates.
    return o.add(o.mul(step, o.constant(0)), o.constant(this.config.value));
  }
}
