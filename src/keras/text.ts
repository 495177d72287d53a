/**
 * Keras JSON as text with Python's types, the one writer of it: JavaScript has one number type, Python two, and
 * Keras acts on the difference (an int `initial_learning_rate` makes it compute a schedule in int32; an int
 * `momentum` is refused). Every whole number is written as a float (`1.0`) except where the option is a count
 * (its field marked `integer`), which is written as an int when whole, as Keras writes it.
 */
import { ScheduleOptionError, ScheduleTypeError } from "../errors.js";
import type { Fields } from "../options.js";
import { isPlainObject } from "../plainObject.js";
import { LearningRateSchedule, type ScheduleClass } from "../schedule.js";
import { optionNamesByKerasKey } from "./keys.js";
import { serialize, type SerializeOptions } from "./schedules.js";

/** Options of {@link scheduleToKerasJson}. */
export interface KerasJsonOptions extends SerializeOptions {
  /** Spaces per level of indentation, as `JSON.stringify`'s `space`; 0 writes one line, as Python's `json.dumps`. @defaultValue 0 */
  indent?: number;
}

/**
 * {@link serialize} as JSON text that Python's `json.loads` reads back with Keras's types: every number is a float
 * (`0.0`, `1000.0`) except the counts Keras takes as Python ints, written as ints when whole: a schedule's step
 * counts (`decay_steps`, `first_decay_steps`, `warmup_steps`, `boundaries`, ...) and an optimizer's counts
 * (`gradient_accumulation_steps`, ...). `JSON.stringify` writes `0` where Keras wrote `0.0`, and Keras computes a
 * schedule whose `initial_learning_rate` is an int in int32. Nested schedules are written the same way; the numbers
 * and keys are those of `serialize`, so `JSON.parse` of the text equals it. A custom class without an option table
 * (`fields`) has every number written as a float.
 *
 * @example
 * import { CosineDecay, PiecewiseConstantDecay, scheduleToKerasJson } from 'lr-schedules';
 * scheduleToKerasJson(new CosineDecay({ initialLearningRate: 1, decaySteps: 1000 }));
 * //=> '{"module": "keras.optimizers.schedules", "class_name": "CosineDecay", "config": {"initial_learning_rate": 1.0, "decay_steps": 1000, "alpha": 0.0, "name": "CosineDecay", "warmup_target": null, "warmup_steps": 0}, "registered_name": null}'
 * scheduleToKerasJson(new PiecewiseConstantDecay([10, 20], [1, 0.5, 0]), { format: 'keras2' });
 * //=> '{"class_name": "PiecewiseConstantDecay", "config": {"boundaries": [10, 20], "values": [1.0, 0.5, 0.0], "name": "PiecewiseConstant"}}'
 * scheduleToKerasJson(new PiecewiseConstantDecay([10], [1, 0]), { indent: 2 }).split('\n')[3]; //=> '  "config": {'
 * @throws {ScheduleTypeError} as {@link serialize}; `options` is not an object.
 * @throws {ScheduleOptionError} `indent` is not an integer from 0 to 10; a `format` other than `'keras3'` or `'keras2'`.
 */
export function scheduleToKerasJson(schedule: LearningRateSchedule, options: KerasJsonOptions = {}): string {
  if (!isPlainObject(options as unknown)) throw new ScheduleTypeError("scheduleToKerasJson", "options", options, "an object {format?, indent?}");
  const indent = options.indent ?? 0;
  if (!(Number.isInteger(indent) && indent >= 0 && indent <= 10)) {
    throw new ScheduleOptionError("scheduleToKerasJson", "indent", indent, "an integer from 0 to 10, as JSON.stringify's space");
  }
  const json = serialize(schedule, options);
  return scheduleText(schedule, json as unknown as Record<string, unknown>, new Writer(indent));
}

/**
 * The text of a Keras object `{..., config, ...}` whose `config` was written from `given` (option values by option
 * name) by the class whose option table is `fields`: an optimizer's (`optimizerToKerasJson`) or a schedule's.
 * Options missing from `given` are read from `config` as they are.
 */
export function kerasObjectText(json: Record<string, unknown>, fields: Fields | undefined, given: Record<string, unknown>, indent = 0): string {
  const writer = new Writer(indent);
  return writer.object(json, 0, (key, v, level) => (key === "config" && isPlainObject(v) ? configText(fields, given, v, writer, level) : undefined));
}

/** A schedule's Keras JSON (`serialize(schedule)`) as text, its config read with the schedule class's own fields. */
function scheduleText(schedule: LearningRateSchedule, json: Record<string, unknown>, writer: Writer, level = 0): string {
  const { fields } = schedule.constructor as ScheduleClass;
  return writer.object(json, level, (key, v, l) => (key === "config" && isPlainObject(v) ? configText(fields, schedule.getConfig(), v, writer, l) : undefined));
}

/**
 * A Keras config (under Keras keys) as text, beside the options it was written from (`given`, by option name): a
 * schedule among them by {@link scheduleText}, a count (`integer` field) as an int when whole, other numbers as floats.
 */
function configText(fields: Fields | undefined, given: Record<string, unknown>, config: Record<string, unknown>, writer: Writer, level: number): string {
  const byKerasKey = fields ? optionNamesByKerasKey(fields) : new Map<string, string>();
  return writer.object(config, level, (key, v, l) => {
    const name = byKerasKey.get(key) ?? key;
    return pairedText(Object.hasOwn(given, name) ? given[name] : undefined, v, fields?.[name]?.integer === true, writer, l);
  });
}

/** `json` (the Keras JSON of `source`) as text: a schedule by {@link scheduleText}, arrays element by element. */
function pairedText(source: unknown, json: unknown, integer: boolean, writer: Writer, level: number): string {
  if (source instanceof LearningRateSchedule && isPlainObject(json)) return scheduleText(source, json, writer, level);
  if (Array.isArray(source) && Array.isArray(json)) return writer.array(json, level, (v, i, l) => pairedText(source[i], v, integer, writer, l));
  return writer.value(json, integer, level);
}

/** JSON text, one line with Python's `json.dumps` separators (`", "`, `": "`) or indented as `JSON.stringify`. */
class Writer {
  constructor(private readonly indent: number) {}

  /** An object; `special` writes a key's value itself, or leaves it to {@link Writer.value} (undefined). */
  object(value: Record<string, unknown>, level: number, special: (key: string, v: unknown, level: number) => string | undefined): string {
    const entries = Object.entries(value).map(([key, v]) => `${JSON.stringify(key)}: ${special(key, v, level + 1) ?? this.value(v, false, level + 1)}`);
    return this.wrap("{", entries, "}", level);
  }

  array(values: readonly unknown[], level: number, element: (v: unknown, i: number, level: number) => string): string {
    return this.wrap("[", values.map((v, i) => element(v, i, level + 1)), "]", level);
  }

  /** A value with Python's types: a number is a float (`1.0`) unless `integer` and whole. */
  value(value: unknown, integer: boolean, level: number): string {
    if (typeof value === "number" && Number.isFinite(value)) return numberText(value, integer);
    if (Array.isArray(value)) return this.array(value, level, (v, _, l) => this.value(v, integer, l));
    if (isPlainObject(value)) return this.object(value, level, () => undefined);
    return JSON.stringify(value);
  }

  private wrap(open: string, items: string[], close: string, level: number): string {
    if (!items.length) return open + close;
    if (!this.indent) return `${open}${items.join(", ")}${close}`;
    const pad = (n: number) => " ".repeat(this.indent * n);
    return `${open}\n${items.map((item) => pad(level + 1) + item).join(",\n")}\n${pad(level)}${close}`;
  }
}

/** A finite number as Python writes an int (`1000`) or a float (`1000.0`, `0.5`, `1e-07` as `1e-7`). */
function numberText(x: number, integer: boolean): string {
  if (!Number.isInteger(x)) return JSON.stringify(x);
  if (integer) return BigInt(x).toString();
  if (Object.is(x, -0)) return "-0.0";
  const text = JSON.stringify(x);
  return /[e.]/.test(text) ? text : `${text}.0`;
}
