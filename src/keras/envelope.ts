/**
 * The envelope of a Keras object, `{module, class_name, config, registered_name}` (Keras 3's `serialize_keras_object`)
 * or `{class_name, config}` (Keras 2's), for schedules and optimizers alike: written by {@link kerasEnvelope}, checked
 * by {@link readEnvelope}.
 */
import { ScheduleOptionError, ScheduleTypeError } from "../errors.js";
import { isPlainObject } from "../plainObject.js";

/** Keras 3's `serialize_keras_object` shape. */
export interface Keras3Object {
  /** The Python module of a Keras class (`'keras.optimizers.schedules'`); a registered class's package otherwise. */
  module: string;
  /** The class's name (`'InverseTimeDecay'`). */
  class_name: string;
  /** The constructor's arguments, with Keras's snake_case keys. */
  config: Record<string, unknown>;
  /** `null` for Keras's own classes; `'<package>><name>'` for a registered one (`'lr-schedules>LinearWarmup'`). */
  registered_name: string | null;
}
/** Keras 2's (tf-keras's) shape, as an HDF5 model's `training_config` holds it. */
export interface Keras2Object {
  /** The class's name, or `'<package>><name>'` for a registered class. */
  class_name: string;
  /** The constructor's arguments, with Keras's snake_case keys. */
  config: Record<string, unknown>;
}
/** Which Keras writes the JSON. */
export type KerasFormat = "keras3" | "keras2";

/** What an envelope names: its class (by Keras's `class_name` and `registered_name`) and where Keras finds it. */
export interface EnvelopeParts {
  readonly module: string;
  readonly className: string;
  /** `package>Name` for a registered class, `null` for Keras's own. */
  readonly registeredName: string | null;
}

/** The Keras object of a config in `format`: Keras 2 names a registered class by its registered name alone. */
export function kerasEnvelope(format: "keras3", parts: EnvelopeParts, config: Record<string, unknown>): Keras3Object;
export function kerasEnvelope(format: KerasFormat, parts: EnvelopeParts, config: Record<string, unknown>): Keras3Object | Keras2Object;
export function kerasEnvelope(format: KerasFormat, parts: EnvelopeParts, config: Record<string, unknown>): Keras3Object | Keras2Object {
  if (format === "keras2") return { class_name: parts.registeredName ?? parts.className, config };
  return { module: parts.module, class_name: parts.className, config, registered_name: parts.registeredName };
}

const envelopeKeys = new Set(["module", "class_name", "config", "registered_name"]);

/** How {@link readEnvelope} names what it reads, in errors. */
export interface EnvelopeReading {
  /** The function named in errors (`deserialize`). */
  readonly owner: string;
  /** Where the object is in the document (`config.learning_rate`), `''` at the top. */
  readonly path: string;
  /** What the object must be (`a Keras object {class_name, config}`). */
  readonly expected: string;
  /** What its config must be (`an object of the schedule's options`). */
  readonly config: string;
  /** A missing or `null` config is `{}`, as Keras's `optimizers.get` reads it. */
  readonly configMayBeNull?: boolean;
}

/**
 * The parts of a Keras object, checked (a value already through `parseKerasJson`): only the four envelope keys, a
 * string `class_name`, a string or absent `module`, a string, `null` or absent `registered_name`, an object `config`.
 * Errors name the key at its path.
 */
export function readEnvelope(value: unknown, reading: EnvelopeReading): {
  className: string;
  config: Record<string, unknown>;
  registeredName: string | null | undefined;
  module: string | undefined;
} {
  const { owner, path } = reading;
  const at = (key: string) => (path ? `${path}.${key}` : key);
  if (!isPlainObject(value)) throw new ScheduleTypeError(owner, path || "json", value, reading.expected);
  for (const key of Object.keys(value)) {
    if (!envelopeKeys.has(key)) throw new ScheduleOptionError(owner, at(key), value[key], `one of the keys ${[...envelopeKeys].join(", ")}`);
  }
  const { class_name: className, config: given, registered_name: registeredName, module } = value;
  if (typeof className !== "string") throw new ScheduleTypeError(owner, at("class_name"), className, "a string");
  if (registeredName !== undefined && registeredName !== null && typeof registeredName !== "string") {
    throw new ScheduleTypeError(owner, at("registered_name"), registeredName, "a string or null");
  }
  if (module !== undefined && typeof module !== "string") throw new ScheduleTypeError(owner, at("module"), module, "a string");
  const config = reading.configMayBeNull ? (given ?? {}) : given;
  if (!isPlainObject(config)) throw new ScheduleTypeError(owner, at("config"), config, reading.config);
  return { className, config, registeredName, module };
}
