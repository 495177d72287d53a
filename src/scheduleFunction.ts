import type { OptionArguments } from "./options.js";
import { isScheduleClass, type LearningRateSchedule, type ScheduleClass } from "./schedule.js";

/**
 * A schedule class offered as a function, as optax and transformers name their schedules (`exponentialDecay(...)`,
 * `getCosineScheduleWithWarmup(...)`): calling it is `new` on the class, with the same three argument forms (one
 * options object; positional arguments; leading positional arguments, then an options object for the rest).
 *
 * @example
 * import { serialize } from 'lr-schedules';
 * import { exponentialDecay } from 'lr-schedules/optax';
 * const lr = exponentialDecay(1, 10, 0.5);
 * lr(10); //=> 0.5
 * exponentialDecay.scheduleClass.className; //=> 'exponentialDecay'
 * serialize(lr).registered_name; //=> 'lr-schedules>exponentialDecay'
 */
export interface ScheduleFunction<Options, Order extends readonly (keyof Options | undefined)[], Config extends object> {
  (options: Options): LearningRateSchedule<Config>;
  (...args: OptionArguments<Options, Order>): LearningRateSchedule<Config>;
  /** The class whose instances the function returns: its `className`, `fields`, `fromConfig` and `examples`. */
  readonly scheduleClass: ScheduleClass<LearningRateSchedule<Config>>;
}

/**
 * The function that builds instances of `cls`, named as the class is (`cls.className`, the name Keras JSON and the
 * expression language use).
 */
export function scheduleFunction<Options, Order extends readonly (keyof Options | undefined)[], Config extends object>(
  cls: ScheduleClass<LearningRateSchedule<Config>>,
): ScheduleFunction<Options, Order, Config> {
  const build = (...args: unknown[]) => new cls(...args);
  Object.defineProperty(build, "name", { value: cls.className });
  Object.defineProperty(build, "scheduleClass", { value: cls, enumerable: true });
  return build as unknown as ScheduleFunction<Options, Order, Config>;
}

/** The class behind a value an entry exports: a schedule class itself, or the class of a {@link scheduleFunction}. */
export function scheduleClassOf(value: unknown): ScheduleClass | undefined {
  if (isScheduleClass(value)) return value;
  const cls = typeof value === "function" ? (value as { scheduleClass?: unknown }).scheduleClass : undefined;
  return isScheduleClass(cls) ? cls : undefined;
}
