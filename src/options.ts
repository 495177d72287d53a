/**
 * A schedule's options as data: one table per class gives each option's Keras key, its check and its default, and
 * from that one table come positional arguments, the options object, `getConfig`, `fromConfig` and Keras JSON.
 */
import { ScheduleOptionError, ScheduleTypeError } from "./errors.js";
import type { Dtype } from "./ops.js";
import { optionsOfKerasConfig } from "./keras/keys.js";
import { isPlainObject } from "./plainObject.js";
import { LearningRateSchedule } from "./schedule.js";

export { isPlainObject };

/** Bounds of a number, each end closed unless marked open; whole numbers only when `integer`. */
export interface Bounds {
  readonly min?: number;
  readonly max?: number;
  readonly minOpen?: boolean;
  readonly maxOpen?: boolean;
  readonly integer?: boolean;
}

/** What a number option holds: its bounds, whether `null` turns it off, whether it counts steps. */
export interface NumberConstraint extends Bounds {
  readonly kind: "number";
  readonly nullable?: boolean;
  /** A count of steps (possibly fractional, as Keras's `decay_steps`): a Python int in Keras JSON when whole. */
  readonly steps?: boolean;
}

/** What an array-of-numbers option holds: each element's bounds; `steps` as for {@link NumberConstraint}. */
export interface NumbersConstraint extends Bounds {
  readonly kind: "numbers";
  readonly steps?: boolean;
}

/**
 * What an option's value must be, as data: the check and the error text ({@link Field.expected}) follow from it, and
 * the playground picks each option's input from it.
 */
export type Constraint =
  | StepMapConstraint
  | OptionListConstraint
  | NumberConstraint
  | NumbersConstraint
  | { readonly kind: "boolean" }
  | { readonly kind: "string" }
  | { readonly kind: "choice"; readonly choices: readonly string[] }
  | { readonly kind: "schedule" }
  | { readonly kind: "schedules" }
  | { readonly kind: "function"; readonly nullable?: boolean };

/**
 * What an object keyed by step holds (optax's `boundaries_and_scales`): keys are whole steps in [0, 2^31 - 1] (the
 * int32 count optax passes), values are numbers within these bounds.
 */
export interface StepMapConstraint extends Bounds {
  readonly kind: "stepMap";
}

/** What an array of option objects holds (optax's `sgdr_schedule` `cosine_kwargs`): each object is `fields`' options. */
export interface OptionListConstraint {
  readonly kind: "optionList";
  readonly fields: Fields;
}

/** How one option is checked and defaulted, before its Keras key is known (see {@link declareOptions}). */
export interface Option<V = unknown> {
  /** Keras's snake_case config key, where it is not the option's name in snake_case (`beta_1` for `beta1`). */
  readonly keras?: string;
  /** What a valid value is, as data; absent for an option with a check of its own (a function, Muon's patterns). */
  readonly constraint?: Constraint;
  /** What a valid value is, for error messages ("a finite number > 0"), generated from {@link constraint}. */
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

/** An option with its Keras key. */
export interface Field<V = unknown> extends Option<V> {
  /** Keras's snake_case config key. */
  readonly keras: string;
}

/** An option that has a default, so that it is optional in the options type. */
type Defaulted<V> = { readonly default: V };

/** A class's option table: option name to field, in Keras's positional order. */
export type Fields = Readonly<Record<string, Field>>;

/** A class's options as declared: option name to option, in positional order, each documented where it is declared. */
export type Declaration = Readonly<Record<string, Option>>;

/** The option table a declaration makes: each option with its Keras key. */
export type Declared<D extends Declaration> = { readonly [K in keyof D]: D[K] & Pick<Field, "keras"> };

/** `decaySteps` -> `decay_steps`. */
const snakeCase = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * A class's option table from its one declaration: option names in positional order, each option's Keras key its
 * name in snake_case unless it says otherwise. The options type ({@link OptionsOf}), the validated config type
 * ({@link ConfigOf}), the checks, the defaults and the error texts all follow from it.
 */
export function declareOptions<D extends Declaration>(declaration: D): Declared<D> {
  const fields: Record<string, Field> = {};
  for (const [name, option] of Object.entries(declaration)) fields[name] = Object.freeze({ ...option, keras: option.keras ?? snakeCase(name) });
  return Object.freeze(fields) as Declared<D>;
}

type ValueOf<O> = O extends { check(value: unknown, owner: string, option: string): infer V } ? V : never;
/** The option values of a declaration; homomorphic, so that each option keeps its TSDoc in editors. */
type ValuesOf<D> = { -readonly [K in keyof D]: ValueOf<D[K]> };
type RequiredNames<D> = { [K in keyof D]: D[K] extends Defaulted<unknown> ? never : K }[keyof D];
/** Flattens an intersection for display; homomorphic, so property docs survive. */
type Flat<T> = { [K in keyof T]: T[K] };

/** The options object of a declaration: the options without a default required, the rest optional. */
export type OptionsOf<D> = Flat<Pick<ValuesOf<D>, RequiredNames<D>> & Partial<Omit<ValuesOf<D>, RequiredNames<D>>>>;

/** The validated options of a declaration, every default filled in. */
export type ConfigOf<D> = Readonly<ValuesOf<D>>;

type Test = (x: number) => boolean;
const rules = {
  any: {},
  nonNegative: { min: 0 },
  positive: { min: 0, minOpen: true },
  unit: { min: 0, max: 1 },
} satisfies Record<string, Bounds>;
/**
 * What a number must be: one of the common bounds by name, bounds of its own (`{ min: 1 }` for `tMul`), bounds with
 * the reason for them, which errors add to the bounds' text (`{ min: 0, max: 1, maxOpen: true, because: '...' }`),
 * or, where no bounds say it, a test of its own: `ok` decides, `expected` says it in errors. NaN and Infinity never
 * pass.
 */
export type NumberRule =
  | keyof typeof rules
  | Bounds
  | (Bounds & { readonly because: string })
  | { readonly ok: Test; readonly expected: string };

/** "a finite number in [0, 1)", "an integer >= 2", "finite numbers > 0" (`plural`). */
function describeBounds(b: Bounds, plural = false): string {
  const noun = b.integer ? (plural ? "integers" : "an integer") : plural ? "finite numbers" : "a finite number";
  if (b.min !== undefined && b.max !== undefined) return `${noun} in ${b.minOpen ? "(" : "["}${b.min}, ${b.max}${b.maxOpen ? ")" : "]"}`;
  if (b.min !== undefined) return `${noun} ${b.minOpen ? ">" : ">="} ${b.min}`;
  if (b.max !== undefined) return `${noun} ${b.maxOpen ? "<" : "<="} ${b.max}`;
  return noun;
}

function testOf(b: Bounds): Test {
  const { min, max, minOpen, maxOpen, integer } = b;
  return (x) =>
    (!integer || Number.isSafeInteger(x)) &&
    (min === undefined || (minOpen ? x > min : x >= min)) &&
    (max === undefined || (maxOpen ? x < max : x <= max));
}

/** A rule's bounds as data, where it has them (a custom test has none). */
function boundsOf(rule: NumberRule): Bounds {
  if (typeof rule === "string") return rules[rule];
  if ("ok" in rule) return {};
  return "because" in rule ? Object.fromEntries(Object.entries(rule).filter(([key]) => key !== "because")) : rule;
}

function ruleOf(rule: NumberRule): readonly [Test, string] {
  if (typeof rule === "object" && "ok" in rule) return [rule.ok, rule.expected];
  const b = boundsOf(rule);
  const reason = typeof rule === "object" && "because" in rule ? ` (${rule.because})` : "";
  return [testOf(b), describeBounds(b) + reason];
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

/** A number option's shape: its rule, and whether it counts steps. */
type NumberSpec = { readonly rule?: NumberRule; readonly steps?: boolean; readonly keras?: string };

/** A finite number option: required, or with a default. */
function number(spec: NumberSpec): Option<number>;
function number(spec: NumberSpec, defaultValue: number): Option<number> & Defaulted<number>;
function number({ rule = "any", steps, keras }: NumberSpec, defaultValue?: number): Option<number> {
  const b = boundsOf(rule);
  return {
    keras,
    constraint: { kind: "number", ...b, ...(steps && { steps }) },
    expected: ruleOf(rule)[1],
    default: defaultValue,
    integer: steps || b.integer,
    check: (v, owner, option) => checkFloat32(v, owner, option, rule),
  };
}

/** A finite number option that `null` turns off, as Keras's `warmup_target` (default `null`) or Muon's `adam_weight_decay`. */
function nullableNumber({ rule = "any", steps, keras }: NumberSpec, defaultValue: number | null = null): Option<number | null> & Defaulted<number | null> {
  const b = boundsOf(rule);
  const expected = `${ruleOf(rule)[1]}, or null`;
  return {
    keras,
    constraint: { kind: "number", ...b, nullable: true, ...(steps && { steps }) },
    expected,
    default: defaultValue,
    integer: steps || b.integer,
    check: (v, owner, option) => (v === null ? null : checkFloat32(v, owner, option, rule, expected)),
  };
}

/** An array of finite numbers. */
function numbers({ rule = "any", steps, keras }: NumberSpec): Option<readonly number[]> {
  const b = boundsOf(rule);
  const expected = `an array of ${typeof rule === "object" && "ok" in rule ? ruleOf(rule)[1].replace("a finite number", "finite numbers") : describeBounds(b, true)}`;
  return {
    keras,
    constraint: { kind: "numbers", ...b, ...(steps && { steps }) },
    expected,
    integer: steps || b.integer,
    check(v, owner, option) {
      if (!Array.isArray(v)) fail(owner, option, v, expected, false);
      return Object.freeze(Array.from(v, (x: unknown, i) => checkFloat32(x, owner, `${option}[${i}]`, rule)));
    },
  };
}

const scheduleExpected = "a LearningRateSchedule instance";

/** An option whose value is a schedule, as LinearWarmup's `schedule`; it nests in Keras JSON. */
function schedule(keras?: string): Option<LearningRateSchedule> {
  return {
    keras,
    constraint: { kind: "schedule" },
    expected: scheduleExpected,
    nested: "schedule",
    check: (v, owner, option) => (v instanceof LearningRateSchedule ? v : fail(owner, option, v, scheduleExpected, false)),
  };
}

/** An option whose value is an array of schedules, as Sequence's `schedules`; each nests in Keras JSON. */
function schedules(keras?: string): Option<readonly LearningRateSchedule[]> {
  const expected = "an array of LearningRateSchedule instances";
  return {
    keras,
    constraint: { kind: "schedules" },
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

/** A boolean option. */
function boolean(defaultValue: boolean, keras?: string): Option<boolean> & Defaulted<boolean> {
  return {
    keras,
    constraint: { kind: "boolean" },
    expected: "a boolean",
    default: defaultValue,
    check: (v, owner, option) => (typeof v === "boolean" ? v : fail(owner, option, v, "a boolean", false)),
  };
}

/** One of a few strings. */
function choice<S extends string>(choices: readonly S[], defaultValue: S, keras?: string): Option<S> & Defaulted<S> {
  const expected = `one of ${choices.map((c) => JSON.stringify(c)).join(", ")}`;
  return {
    keras,
    constraint: { kind: "choice", choices },
    expected,
    default: defaultValue,
    check: (v, owner, option) =>
      (choices as readonly unknown[]).includes(v) ? (v as S) : fail(owner, option, v, expected, typeof v === "string"),
  };
}

/** Keras's `name` option: a string, the class's default when missing or `null`. */
function nameField(defaultName: string): Field<string> & Defaulted<string> {
  return {
    keras: "name",
    constraint: { kind: "string" },
    expected: "a string",
    default: defaultName,
    nullIsDefault: true,
    check: (v, owner, option) => (typeof v === "string" ? v : fail(owner, option, v, "a string", false)),
  };
}

/** This library's `dtype` option: `'float32'` as Keras, or `'float64'`. Not a Keras key, so written only when set. */
export const dtypeField: Field<Dtype> & Defaulted<Dtype> = { ...choice<Dtype>(["float32", "float64"], "float32"), keras: "dtype", extension: true };

/** An option taken by name only (in the options object), never by position: PyTorch's `lr`, Keras's base options. */
function named<O extends Option>(o: O): O & Required<Pick<Field, "extension">> {
  return { ...o, extension: true };
}

/**
 * The kinds of option a declaration ({@link declareOptions}) is made of; each makes its check, its error text and its
 * {@link Constraint}; `named` makes one taken by name only.
 *
 * @example
 * import { ExponentialDecay } from 'lr-schedules';
 * ExponentialDecay.fields.decaySteps.constraint; //=> { kind: 'number', min: 0, minOpen: true, steps: true }
 * ExponentialDecay.fields.decaySteps.expected; //=> 'a finite number > 0'
 */
export const option = Object.freeze({
  number,
  nullableNumber,
  numbers,
  boolean,
  choice,
  schedule,
  schedules,
  stepMap: stepMapOption,
  optionList: optionListOption,
  function: functionOption,
  nullableFunction: nullableFunctionOption,
  named,
  name: nameField,
  dtype: dtypeField,
});

/**
 * An option whose value is a JavaScript function, as PyTorch's `lr_lambda`. A function is neither Keras JSON nor an
 * expression of the CLI: the catalogue leaves out a class that needs one ({@link functionOptionNames}), and
 * `serialize` refuses a schedule that holds one.
 */
function functionOption<F extends (...args: never[]) => unknown>(expected: string, keras?: string): Option<F> {
  return {
    keras,
    constraint: { kind: "function" },
    expected,
    check: (v, owner, option) => (typeof v === "function" ? (v as F) : fail(owner, option, v, expected, false)),
  };
}

/** `option.function` that `null` (the default) leaves out, as PyTorch's `scale_fn`. */
function nullableFunctionOption<F extends (...args: never[]) => unknown>(expected: string, keras?: string): Option<F | null> & Defaulted<null> {
  const text = `${expected}, or null`;
  return {
    keras,
    constraint: { kind: "function", nullable: true },
    expected: text,
    default: null,
    check: (v, owner, option) => (v === null || typeof v === "function" ? (v as F | null) : fail(owner, option, v, text, false)),
  };
}

/** The options of a table that hold JavaScript functions (`option.function`), in order; `required` ones only, if asked. */
export function functionOptionNames(fields: Fields | undefined, which: "all" | "required" = "all"): string[] {
  return Object.keys(fields ?? {}).filter((name) => {
    const c = fields![name]!.constraint;
    return c?.kind === "function" && (which === "all" || !c.nullable);
  });
}

// The same options keyed by hand, for the one option table not yet written as one declaration: callbacks.ts's.

const keyed = <O extends Option>(keras: string, option: O): O & Pick<Field, "keras"> => ({ ...option, keras });

/** A finite number option. */
export function numberField(keras: string, rule: NumberRule, defaultValue?: number): Field<number> {
  return keyed(keras, defaultValue === undefined ? number({ rule }) : number({ rule }, defaultValue));
}

/** A whole-number option >= `min` (a count of steps). */
export function integerField(keras: string, min: number, defaultValue?: number): Field<number> {
  return numberField(keras, { min, integer: true }, defaultValue);
}

/** A boolean option. */
export function booleanField(keras: string, defaultValue: boolean): Field<boolean> {
  return keyed(keras, boolean(defaultValue));
}

/** One of a few strings. */
export function choiceField<S extends string>(keras: string, choices: readonly S[], defaultValue: S): Field<S> {
  return keyed(keras, choice(choices, defaultValue));
}

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

/** A {@link stepMapOption}'s value: numbers keyed by whole steps (`{ 100: 0.1, 200: 0.01 }`). */
export type StepMap = Readonly<Record<number, number>>;

/** The largest step key of a {@link stepMapOption}: optax's step count is an int32. */
const MAX_STEP_KEY = 2 ** 31 - 1;

/**
 * An object keyed by step, each value a number within `rule` (optax's `boundaries_and_scales`, `{ 100: 0.1 }`): keys
 * are whole steps in [0, 2^31 - 1] written as JavaScript writes them (`'100'`, not `'1e2'` or `'0100'`). The value is
 * a frozen copy, its keys in ascending order (as JavaScript orders integer keys).
 */
function stepMapOption(spec: Omit<NumberSpec, "steps">): Option<StepMap>;
function stepMapOption(spec: Omit<NumberSpec, "steps">, defaultValue: StepMap): Option<StepMap> & Defaulted<StepMap>;
function stepMapOption({ rule = "any", keras }: Omit<NumberSpec, "steps">, defaultValue?: StepMap): Option<StepMap> {
  const b = boundsOf(rule);
  const expected = `an object whose keys are whole steps in [0, ${MAX_STEP_KEY}] and whose values are ${describeBounds(b, true)}`;
  return {
    keras,
    constraint: { kind: "stepMap", ...b },
    expected,
    default: defaultValue === undefined ? undefined : Object.freeze({ ...defaultValue }),
    check(v, owner, option) {
      if (!isPlainObject(v)) fail(owner, option, v, expected, false);
      const out: Record<number, number> = {};
      for (const [key, x] of Object.entries(v)) {
        if (!(/^(0|[1-9]\d*)$/.test(key) && Number(key) <= MAX_STEP_KEY)) fail(owner, option, v, `${expected} (a key is ${JSON.stringify(key)})`, true);
        out[Number(key)] = checkFloat32(x, owner, `${option}[${key}]`, rule);
      }
      return Object.freeze(out);
    },
  };
}

/**
 * An array of option objects, each read with `fields` (camelCase names or their snake_case keys, defaults filled in)
 * and returned as a frozen config: optax's `sgdr_schedule(cosine_kwargs)`. An error in an element names it
 * (`cosineKwargs[1].decaySteps`).
 */
function optionListOption<C>(fields: Fields): Option<readonly Readonly<C>[]> {
  const expected = `an array of option objects (${Object.keys(fields).join(", ")})`;
  return {
    constraint: { kind: "optionList", fields },
    expected,
    check(v, owner, option) {
      if (!Array.isArray(v)) fail(owner, option, v, expected, false);
      return Object.freeze(
        Array.from(v, (x: unknown, i) => {
          const at = `${option}[${i}]`;
          if (!isPlainObject(x)) fail(owner, at, x, "an object of options", false);
          return readdressed(at, () => {
            const named = optionsOfKerasConfig(fields, x, { owner, at: (key) => key, optionNames: true, value: (_name, raw) => raw });
            return resolveOptions<C>(owner, fields, [named]);
          });
        }),
      );
    },
  };
}

/**
 * `build()`, with an option error it throws re-addressed below `at` (`decaySteps` becomes `cosineKwargs[1].decaySteps`):
 * for options read inside another option's value.
 */
export function readdressed<T>(at: string, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (!(e instanceof ScheduleOptionError || e instanceof ScheduleTypeError)) throw e;
    const Err = e instanceof ScheduleOptionError ? ScheduleOptionError : ScheduleTypeError;
    throw new Err(e.owner, `${at}.${e.option}`, e.received, e.expected);
  }
}
