/**
 * The forms of a schedule constructor's arguments, as types: what `resolveOptions` accepts at run time, derived from
 * one list of option names per class rather than one overload per form.
 */

/** The value types of the options `Order` names, as a tuple with the same labels and optional elements. */
type Values<Options, Order extends readonly unknown[]> = { [I in keyof Order]: Options[Order[I] & keyof Options] };

/** The non-empty leading parts of a tuple: `[a, b, c]`, `[a, b]`, `[a]`. */
type Leading<T extends readonly unknown[]> = T extends readonly [...infer Head, unknown]
  ? Head extends readonly [] ? T : T | Leading<Head>
  : never;

/**
 * The arguments of a schedule class's constructor other than one options object: Keras's positional order, or some
 * leading positional arguments followed by an options object for the rest. `Order` lists the options in positional
 * order, each labelled with its own name and the optional ones marked `?`, so that editors show the names.
 *
 * @example
 * import { CosineDecay } from 'lr-schedules';
 * // type Order = [initialLearningRate: 'initialLearningRate', decaySteps: 'decaySteps', alpha?: 'alpha', ...];
 * // constructor(...args: ScheduleArguments<CosineDecayOptions, Order>) accepts each of these:
 * new CosineDecay(1e-3, 10000, 0.1)(10000); //=> 0.00010000000474974513
 * new CosineDecay(0, 1000, { warmupTarget: 1e-3, warmupSteps: 100 })(100); //=> 0.0010000000474974513
 * new CosineDecay(0, { decaySteps: 1000, dtype: 'float64' })(0); //=> 0
 */
export type ScheduleArguments<Options, Order extends readonly (keyof Options | undefined)[]> =
  | Values<Options, Order>
  | (Leading<Required<Order>> extends infer Given
      ? Given extends readonly (keyof Options)[]
        ? [...Values<Options, Given>, options: Omit<Options, Given[number]>]
        : never
      : never);
