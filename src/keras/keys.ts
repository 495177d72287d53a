/**
 * Option names and Keras keys (`decaySteps` and `decay_steps`), for schedules and optimizers alike: the one place a
 * config under Keras's snake_case keys is read into options by name, or written from them. Each class's option table
 * (`fields`) gives every option's Keras key.
 */
import { ScheduleOptionError } from "../errors.js";
import type { Field, Fields } from "../options.js";

const namesByKerasKey = new WeakMap<Fields, ReadonlyMap<string, string>>();
/** A table's option names by Keras key (`decay_steps` -> `decaySteps`), built once per table. */
export function optionNamesByKerasKey(fields: Fields): ReadonlyMap<string, string> {
  let names = namesByKerasKey.get(fields);
  if (!names) namesByKerasKey.set(fields, (names = new Map(Object.entries(fields).map(([name, field]) => [field.keras, name]))));
  return names;
}

/**
 * An option's value as given in a config, with the schedules nested in it read by `read`: the value of a `schedule`
 * field, each element of a `schedules` array (its path indexed), and any other field's value as it is.
 */
export function readNested(field: Field | undefined, value: unknown, path: string, read: (value: unknown, path: string) => unknown): unknown {
  if (!field?.nested) return value;
  return field.nested === "schedules" && Array.isArray(value) ? value.map((v, i) => read(v, `${path}[${i}]`)) : read(value, path);
}

/** The config a user sees and Keras JSON holds: every option but extensions left at their default. */
export function publicConfig(fields: Fields, config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(fields)) {
    if (field.extension && config[name] === field.default) continue;
    out[name] = config[name];
  }
  return out;
}

/** Options by name as a config under Keras keys, each value through `write` (a nested schedule to its JSON). */
export function kerasConfigOf(fields: Fields | undefined, options: Record<string, unknown>, write: (value: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options)) out[fields?.[name]?.keras ?? name] = write(value);
  return out;
}

/** How {@link optionsOfKerasConfig} reads one class's config. */
export interface KerasConfigReading {
  /** The class named in errors. */
  readonly owner: string;
  /** Where a key of the config is in the document (`config.decay_steps`), for errors and nested schedules' paths. */
  at(key: string): string;
  /** Option names (`decaySteps`) are read too, as `fromConfig` reads them; a key that is neither is left to the constructor. */
  readonly optionNames?: boolean;
  /** Other spellings of Keras keys, by spelling: Keras 2's `lr` for `learning_rate`. */
  readonly aliases?: Readonly<Record<string, string>>;
  /** The option's value from the key's (a schedule nested as Keras JSON read), `path` being `at(key)`. */
  value(name: string, raw: unknown, path: string, key: string): unknown;
  /** A key that is no option's: read it (an optimizer's `decay`) or throw. Without it such a key throws, listing the keys. */
  other?(key: string, raw: unknown, path: string): void;
}

/**
 * Options by name from a config under Keras keys: each key is read once (a key and another spelling of the same
 * option, `lr` and `learning_rate`, is refused), in the config's order.
 */
export function optionsOfKerasConfig(fields: Fields, config: Record<string, unknown>, reading: KerasConfigReading): Record<string, unknown> {
  const byKerasKey = optionNamesByKerasKey(fields);
  const options: Record<string, unknown> = {};
  const keyOf = new Map<string, string>();
  for (const [key, raw] of Object.entries(config)) {
    const path = reading.at(key);
    const kerasKey = reading.aliases && Object.hasOwn(reading.aliases, key) ? reading.aliases[key]! : key;
    const name = reading.optionNames && Object.hasOwn(fields, key) ? key : (byKerasKey.get(kerasKey) ?? (reading.optionNames ? key : undefined));
    if (name === undefined) {
      if (!reading.other) throw new ScheduleOptionError(reading.owner, path, raw, `one of the keys ${[...byKerasKey.keys()].join(", ")}`);
      reading.other(key, raw, path);
      continue;
    }
    const first = keyOf.get(name);
    if (first !== undefined) throw new ScheduleOptionError(reading.owner, path, raw, `given once (it repeats \`${first}\`)`);
    keyOf.set(name, key);
    // A key read from JSON may be `__proto__`: defined, never assigned, so that it stays an own key for the constructor to refuse.
    Object.defineProperty(options, name, { value: reading.value(name, raw, path, key), enumerable: true, writable: true, configurable: true });
  }
  return options;
}

/**
 * Keras 3's base optimizer keys in its `get_config` order, after `name` and `learning_rate`. Every one is an option
 * of every faithful optimizer except `loss_scale_factor`: Keras scales the loss by it in its own training step, which
 * tf.js's `fit` does not do, so it is written `null` and only `null` is read.
 */
export const KERAS_OPTIMIZER_BASE_KEYS: readonly string[] = [
  "weight_decay", "clipnorm", "global_clipnorm", "clipvalue", "use_ema", "ema_momentum", "ema_overwrite_frequency",
  "loss_scale_factor", "gradient_accumulation_steps",
];

/** Keras base optimizer keys that Keras tests for truth, so that its `0` means off. */
export const KERAS_OFF_WHEN_ZERO: ReadonlySet<string> = new Set(["gradient_accumulation_steps", "ema_overwrite_frequency"]);
