/**
 * A schedule's options as data: one table per class gives each option's Keras key, its check and its default, and
 * from that one table come positional arguments, the options object, `getConfig`, `fromConfig` and Keras JSON.
 */
import { ScheduleOptionError, ScheduleTypeError } from "./errors.js";
import type { Dtype } from "./float32.js";
import { isPlainObject } from "./plainObject.js";
import { LearningRateSchedule } from "./schedule.js";

export { isPlainObject };

/** How one option is checked, defaulted and spelled in Keras's config. */
export interface Field<V = unknown> {
  /** Keras's snake_case config key. */
  readonly keras: string;
  /** What a valid value is, for error messages ("a finite number > 0"). */
  readonly expected: string;
  /** Returns the value, or throws naming `owner` and `option`. */
  check(value: unknown, owner: string, option: string): V;
  /** The default; a field without one is required. */
  readonly default?: V;
  /** Keras 2 writes `null` for a default (its `name`); such fields read `null` as the default. */
  readonly nullIsDefault?: boolean;
  /** Left out of positional arguments, `getConfig` and Keras JSON while it holds its default. */
  readonly extension?: boolean;
  /**
   * A count (of steps): Keras reads it as a Python int, and its own examples and defaults write it so, so Keras JSON
   * text writes it without `.0` when it is whole (an element at a time for an array).
   */
  readonly integer?: boolean;
  /** The value is a schedule, or an array of schedules, and nests in Keras JSON. */
  readonly nested?: "schedule" | "schedules";
}

/** A class's option table: option name to field, in Keras's positional order. */
export type Fields = Readonly<Record<string, Field>>;

type Test = (x: number) => boolean;
const rules = {
  any: [() => true, "a finite number"],
  nonNegative: [(x) => x >= 0, "a finite number >= 0"],
  positive: [(x) => x > 0, "a finite number > 0"],
  unit: [(x) => x >= 0 && x <= 1, "a finite number in [0, 1]"],
} satisfies Record<string, [Test, string]>;
/**
 * What a number option must be: one of the common rules by name, or an option's own (`Lion`'s `beta1` in (0, 1],
 * `tMul` >= 1): `ok` decides, `expected` says it in errors. NaN and Infinity never pass either way.
 */
export type NumberRule = keyof typeof rules | { readonly ok: Test; readonly expected: string };

function ruleOf(rule: NumberRule): readonly [Test, string] {
  return typeof rule === "string" ? rules[rule] : [rule.ok, rule.expected];
}

function fail(owner: string, option: string, value: unknown, expected: string, kindIsRight: boolean): never {
  throw kindIsRight
    ? new ScheduleOptionError(owner, option, value, expected)
    : new ScheduleTypeError(owner, option, value, expected);
}

/** Checks one number against a rule: the one place a NaN, an Infinity or a string is refused. */
export function checkNumber(value: unknown, owner: string, option: string, rule: NumberRule = "any", expected = ruleOf(rule)[1]): number {
  const [ok] = ruleOf(rule);
  if (typeof value !== "number") fail(owner, option, value, expected, false);
  if (!(Number.isFinite(value) && ok(value))) fail(owner, option, value, expected, true);
  return value;
}

/**
 * {@link checkNumber} for a number a formula computes with: the rule must hold for it rounded to float32 too, so
 * `1e-50` is not a usable `decaySteps` (it rounds to 0), nor `1e39` a rate (it rounds to Infinity).
 */
export function checkFloat32(value: unknown, owner: string, option: string, rule: NumberRule = "any", expected = ruleOf(rule)[1]): number {
  const x = checkNumber(value, owner, option, rule, expected);
  const rounded = Math.fround(x);
  if (!(Number.isFinite(rounded) && ruleOf(rule)[0](rounded))) fail(owner, option, value, `${expected} also in float32 (it rounds to ${rounded})`, true);
  return x;
}

/** A finite number option. */
export function numberField(keras: string, rule: NumberRule, defaultValue?: number): Field<number> {
  return {
    keras,
    expected: ruleOf(rule)[1],
    default: defaultValue,
    check: (v, owner, option) => checkFloat32(v, owner, option, rule),
  };
}

/** A finite number option that `null` turns off, as Keras's `warmup_target` (default `null`) or Muon's `adam_weight_decay`. */
export function nullableNumberField(keras: string, rule: NumberRule, defaultValue: number | null = null): Field<number | null> {
  const expected = `${ruleOf(rule)[1]}, or null`;
  return {
    keras,
    expected,
    default: defaultValue,
    check: (v, owner, option) => (v === null ? null : checkFloat32(v, owner, option, rule, expected)),
  };
}

/** An array of finite numbers. */
export function numberArrayField(keras: string, rule: NumberRule = "any"): Field<readonly number[]> {
  const expected = `an array of ${ruleOf(rule)[1].replace("a finite number", "finite numbers")}`;
  return {
    keras,
    expected,
    check(v, owner, option) {
      if (!Array.isArray(v)) fail(owner, option, v, expected, false);
      return Object.freeze(Array.from(v, (x: unknown, i) => checkFloat32(x, owner, `${option}[${i}]`, rule)));
    },
  };
}

const scheduleExpected = "a LearningRateSchedule instance";

/** An option whose value is a schedule, as LinearWarmup's `schedule`; it nests in Keras JSON. */
export function scheduleField(keras: string): Field<LearningRateSchedule> {
  return {
    keras,
    expected: scheduleExpected,
    nested: "schedule",
    check: (v, owner, option) => (v instanceof LearningRateSchedule ? v : fail(owner, option, v, scheduleExpected, false)),
  };
}

/** An option whose value is an array of schedules, as Sequence's `schedules`; each nests in Keras JSON. */
export function scheduleArrayField(keras: string): Field<readonly LearningRateSchedule[]> {
  const expected = "an array of LearningRateSchedule instances";
  return {
    keras,
    expected,
    nested: "schedules",
    check(v, owner, option) {
      if (!Array.isArray(v)) fail(owner, option, v, expected, false);
      return Object.freeze(
        Array.from(v, (x: unknown, i) => (x instanceof LearningRateSchedule ? x : fail(owner, `${option}[${i}]`, x, scheduleExpected, false))),
      );
    },
  };
}

/** A whole number >= `min` (a count of steps), as a rule of {@link checkNumber}. */
const integerRule = (min: number): NumberRule => ({ ok: (x) => Number.isSafeInteger(x) && x >= min, expected: `an integer >= ${min}` });

/** A whole-number option >= `min` (a count of steps). */
export function integerField(keras: string, min: number, defaultValue?: number): Field<number> {
  return { ...numberField(keras, integerRule(min), defaultValue), integer: true };
}

/** A whole-number option >= `min` whose default is `null` (off). */
export function nullableIntegerField(keras: string, min: number): Field<number | null> {
  return { ...nullableNumberField(keras, integerRule(min)), integer: true };
}

/**
 * A number field (or number array field) that counts steps but may be fractional, as Keras's `decay_steps`:
 * written as a Python int when whole (see {@link Field.integer}), checked as before.
 */
export function stepsField<F extends Field<number> | Field<readonly number[]>>(field: F): F {
  return { ...field, integer: true };
}

/** A boolean option. */
export function booleanField(keras: string, defaultValue: boolean): Field<boolean> {
  return {
    keras,
    expected: "a boolean",
    default: defaultValue,
    check: (v, owner, option) => (typeof v === "boolean" ? v : fail(owner, option, v, "a boolean", false)),
  };
}

/** One of a few strings. */
export function choiceField<S extends string>(keras: string, choices: readonly S[], defaultValue: S): Field<S> {
  const expected = `one of ${choices.map((c) => JSON.stringify(c)).join(", ")}`;
  return {
    keras,
    expected,
    default: defaultValue,
    check: (v, owner, option) =>
      (choices as readonly unknown[]).includes(v) ? (v as S) : fail(owner, option, v, expected, typeof v === "string"),
  };
}

/** Keras's `name` option: a string, the class's default when missing or `null`. */
export function nameField(defaultName: string): Field<string> {
  return {
    keras: "name",
    expected: "a string",
    default: defaultName,
    nullIsDefault: true,
    check: (v, owner, option) => (typeof v === "string" ? v : fail(owner, option, v, "a string", false)),
  };
}

/** This library's `dtype` option: `'float32'` as Keras, or `'float64'`. Not a Keras key, so written only when set. */
export const dtypeField: Field<Dtype> = { ...choiceField<Dtype>("dtype", ["float32", "float64"], "float32"), extension: true };

/**
 * Reads a constructor's arguments into a frozen config with every default filled in. Three forms: Keras's positional
 * order, one options object, or leading positional arguments followed by an options object for the rest
 * (`new CosineDecay(1e-3, 10000, { warmupSteps: 500 })`). Unknown options, surplus arguments and an option given
 * twice are refused rather than ignored.
 */
export function resolveOptions<C>(owner: string, fields: Fields, args: readonly unknown[]): Readonly<C> {
  const names = Object.keys(fields);
  const positional = names.filter((n) => !fields[n]!.extension);
  const last = args[args.length - 1];
  const named: Record<string, unknown> = isPlainObject(last) ? last : {};
  const values = isPlainObject(last) ? args.slice(0, -1) : args;
  if (values.length > positional.length) {
    throw new ScheduleTypeError(owner, "arguments", args.length, `at most ${positional.length} positional arguments (${positional.join(", ")}), then an options object`);
  }
  const given: Record<string, unknown> = Object.fromEntries(values.map((v, i) => [positional[i]!, v]));
  for (const key of Object.keys(named)) {
    if (!Object.hasOwn(fields, key)) {
      throw new ScheduleOptionError(owner, key, named[key], `one of the options ${names.join(", ")}`);
    }
    if (Object.hasOwn(given, key)) {
      throw new ScheduleOptionError(owner, key, named[key], "given once, either by position or in the options object");
    }
    given[key] = named[key];
  }
  const config: Record<string, unknown> = {};
  for (const name of names) {
    const field = fields[name]!;
    const value = Object.hasOwn(given, name) ? given[name] : undefined;
    if (value === undefined || (value === null && field.nullIsDefault)) {
      if (!("default" in field) || field.default === undefined) {
        throw new ScheduleTypeError(owner, name, value, `${field.expected} (it is required)`);
      }
      config[name] = field.default;
    } else {
      config[name] = field.check(value, owner, name);
    }
  }
  return Object.freeze(config) as Readonly<C>;
}

/** The value types of the options `Order` names, as a tuple with the same labels and optional elements. */
type Values<Options, Order extends readonly unknown[]> = { [I in keyof Order]: Options[Order[I] & keyof Options] };

/** The non-empty leading parts of a tuple: `[a, b, c]`, `[a, b]`, `[a]`. */
type Leading<T extends readonly unknown[]> = T extends readonly [...infer Head, unknown]
  ? Head extends readonly [] ? T : T | Leading<Head>
  : never;

/**
 * The arguments of a constructor that `resolveOptions` reads (a schedule's or an optimizer's), other than one options
 * object: Keras's positional order, or some leading positional arguments followed by an options object for the rest. `Order` lists the options in positional
 * order, each labelled with its own name and the optional ones marked `?`, so that editors show the names.
 *
 * @example
 * import { CosineDecay } from 'lr-schedules';
 * // type Order = [initialLearningRate: 'initialLearningRate', decaySteps: 'decaySteps', alpha?: 'alpha', ...];
 * // constructor(...args: OptionArguments<CosineDecayOptions, Order>) accepts each of these:
 * new CosineDecay(1e-3, 10000, 0.1)(10000); //=> 0.00010000000474974513
 * new CosineDecay(0, 1000, { warmupTarget: 1e-3, warmupSteps: 100 })(100); //=> 0.0010000000474974513
 * new CosineDecay(0, { decaySteps: 1000, dtype: 'float64' })(0); //=> 0
 */
export type OptionArguments<Options, Order extends readonly (keyof Options | undefined)[]> =
  | Values<Options, Order>
  | (Leading<Required<Order>> extends infer Given
      ? Given extends readonly (keyof Options)[]
        ? [...Values<Options, Given>, options: Omit<Options, Given[number]>]
        : never
      : never);
