/**
 * Every error this library throws names who refused (`owner`), the argument (`option`), the value received and what
 * was expected, in Keras's message shape. Values out of range are `RangeError`s, values of the wrong kind are
 * `TypeError`s, as the built-in classes mean them.
 */
import { closestName } from "./suggest.js";

/**
 * An argument has a value of the right kind but outside what is allowed (a `decaySteps` of 0, a negative step).
 *
 * @example
 * import { InverseTimeDecay, ScheduleOptionError } from 'lr-schedules';
 * const error = (() => { try { new InverseTimeDecay(0.1, 0, 0.5); } catch (e) { return e as Error; } })();
 * error instanceof ScheduleOptionError && error instanceof RangeError; //=> true
 * error?.message; //=> "InverseTimeDecay: `decaySteps` must be a finite number > 0. Received: decaySteps=0"
 */
export class ScheduleOptionError extends RangeError {
  /** The class's name, which survives minification (a minifier may rename the class). */
  override readonly name: string = "ScheduleOptionError";
  constructor(
    /** Who refused: a class, a function or a command (`'InverseTimeDecay'`). */
    readonly owner: string,
    /** The argument, by its TypeScript name (`'decaySteps'`) or its Keras key path. */
    readonly option: string,
    /** The value given. */
    readonly received: unknown,
    /** What the argument must be, in words (`'a finite number > 0'`). */
    readonly expected: string,
  ) {
    super(optionMessage(owner, option, received, expected));
  }
}

/**
 * An argument has a value of the wrong kind (a string where a number goes, a missing required argument).
 *
 * @example
 * import { InverseTimeDecay, ScheduleTypeError } from 'lr-schedules';
 * const error = (() => { try { new InverseTimeDecay(0.1, '10' as never, 0.5); } catch (e) { return e as Error; } })();
 * error instanceof ScheduleTypeError && error instanceof TypeError; //=> true
 */
export class ScheduleTypeError extends TypeError {
  /** The class's name, which survives minification (a minifier may rename the class). */
  override readonly name: string = "ScheduleTypeError";
  constructor(
    /** Who refused: a class, a function or a command (`'InverseTimeDecay'`). */
    readonly owner: string,
    /** The argument, by its TypeScript name (`'decaySteps'`) or its Keras key path. */
    readonly option: string,
    /** The value given. */
    readonly received: unknown,
    /** What the argument must be, in words (`'a finite number > 0'`). */
    readonly expected: string,
  ) {
    super(optionMessage(owner, option, received, expected));
  }
}

/**
 * A class name that is neither one of Keras's schedules nor registered; the message lists the known names and
 * suggests the closest, if one is close.
 *
 * @example
 * import { deserialize, UnknownScheduleError } from 'lr-schedules';
 * const error = (() => { try { deserialize({ class_name: 'Nope', config: {} }); } catch (e) { return e as Error; } })();
 * error instanceof UnknownScheduleError; //=> true
 */
export class UnknownScheduleError extends RangeError {
  /** The class's name, which survives minification (a minifier may rename the class). */
  override readonly name: string = "UnknownScheduleError";
  constructor(
    /** The class name given. */
    readonly className: string,
    /** Every name known at the time: Keras's schedules, this package's and those registered. */
    readonly known: readonly string[],
    /** Where the name was read: `class_name`, `registered_name`, or a nested path. */
    readonly path = "class_name",
  ) {
    const closest = typeof className === "string" ? closestName(className, known) : undefined;
    super(`Unknown schedule \`${path}\`: ${describe(className)}. Known: ${known.join(", ")}${closest ? `. Did you mean ${closest}?` : ""}`);
  }
}

/**
 * A schedule computed a rate that is not a finite number >= 0: a custom schedule's formula, or options that overflow
 * float32 at that step (an `ExponentialDecay` with a `decayRate` above 1, far enough out). Thrown instead of
 * returning NaN, Infinity or a negative rate.
 *
 * @example
 * import { ExponentialDecay, ScheduleValueError } from 'lr-schedules';
 * const growing = new ExponentialDecay(0.1, 1, 2);
 * growing(10); //=> 102.4000015258789
 * const error = (() => { try { growing(200); } catch (e) { return e as Error; } })();
 * error instanceof ScheduleValueError; //=> true
 * error?.message; //=> 'ExponentialDecay: the rate at step 200 is Infinity, not a finite number >= 0'
 */
export class ScheduleValueError extends RangeError {
  /** The class's name, which survives minification (a minifier may rename the class). */
  override readonly name: string = "ScheduleValueError";
  constructor(
    /** The schedule's class name. */
    readonly owner: string,
    /** The step it was called with. */
    readonly step: unknown,
    /** The rate it computed. */
    readonly value: unknown,
    /** What a rate must be: a finite number >= 0, or on the tensor path a float32 scalar tensor. */
    readonly expected = "a finite number >= 0",
  ) {
    super(`${owner}: the rate at step ${describe(step)} is ${describe(value)}, not ${expected}`);
  }
}

function optionMessage(owner: string, option: string, received: unknown, expected: string): string {
  return `${owner}: \`${option}\` must be ${expected}. Received: ${option}=${describe(received)}`;
}

/** A short, unambiguous rendering of any value for an error message: strings quoted, objects abridged. */
export function describe(value: unknown, depth = 0): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
    case "bigint":
      return value.toString().length > 40 ? `[a bigint of ${value.toString().length} digits]` : `${value}n`;
    case "function":
      return `[function ${value.name || "anonymous"}]`;
    case "symbol":
      return value.toString();
    case "object": {
      if (value === null) return "null";
      if (Array.isArray(value)) {
        if (value.length > 8 || depth > 2) return `[array of ${value.length}]`;
        return `[${Array.from(value, (v) => describe(v, depth + 1)).join(", ")}]`;
      }
      const keys = Object.keys(value);
      return keys.length ? `{${keys.slice(0, 6).join(", ")}${keys.length > 6 ? ", ..." : ""}}` : "{}";
    }
    default:
      return String(value);
  }
}
