/**
 * The forms of a schedule constructor's arguments, as types: {@link OptionArguments} of `options.ts`, which the
 * optimizers share, under the name the schedules use.
 */
import type { OptionArguments } from "../options.js";

/**
 * A schedule constructor's arguments other than one options object: {@link OptionArguments}.
 *
 * @example
 * import { InverseTimeDecay } from 'lr-schedules';
 * // constructor(...args: ScheduleArguments<InverseTimeDecayOptions, Order>) accepts both of these:
 * new InverseTimeDecay(0.1, 1, 0.5)(1); //=> 0.06666667014360428
 * new InverseTimeDecay(0.1, { decaySteps: 1, decayRate: 0.5 })(1); //=> 0.06666667014360428
 */
export type ScheduleArguments<Options, Order extends readonly (keyof Options | undefined)[]> = OptionArguments<Options, Order>;
