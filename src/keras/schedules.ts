/**
 * Schedules' Keras JSON in and out: `serialize` writes Keras 3's `{module, class_name, config, registered_name}` (or
 * Keras 2's `{class_name, config}`), `deserialize` reads both, by the registry of classes kept here.
 */
import { ScheduleOptionError, ScheduleTypeError, UnknownScheduleError } from "../errors.js";
import { functionOptionNames } from "../options.js";
import { isPlainObject } from "../plainObject.js";
import { classNameOf, isScheduleClass, LearningRateSchedule, type ScheduleClass } from "../schedule.js";
// The one import cycle, by design (the other `import-x/no-cycle` exceptions point here): a class whose options hold
// schedules (LinearWarmup, Sequence) reads them from Keras JSON in `fromConfig` by this registry, and the registry
// lists every class (the catalogue), those two included. The ways round it were weighed, and each is worse:
// - registration on import (each entry, or the catalogue, installs the classes or the reader here) is a side effect:
//   `import { LinearWarmup } from 'lr-schedules'` bundled with tree-shaking drops it, and nested JSON throws (issue 12);
// - passing the registry in (`fromConfig(config, registry)`) breaks Keras's `fromConfig(config)`, which users call;
// - looking the registry up later (a dynamic `import()`) makes `fromConfig` asynchronous;
// - moving `fromConfig`'s nested reading to the registry leaves `LinearWarmup.fromConfig` unable to read it.
// A use of an imported binding is what a bundler keeps, so the cycle is the one form without a side effect. It is
// safe because nothing runs at module evaluation: the registry is built on first use (builtInClasses, the catalogue's
// scheduleCatalogue) and readNestedScheduleJson is a function declaration, hoisted. test/package.test.ts bundles each
// entry with esbuild and round-trips nested JSON.
// eslint-disable-next-line import-x/no-cycle
import { builtInScheduleClasses } from "../catalogue.js";
import { kerasEnvelope, readEnvelope, type Keras2Object, type Keras3Object, type KerasFormat } from "./envelope.js";
import { kerasConfigOf, optionsOfKerasConfig, readNested } from "./keys.js";
import { parseKerasJson } from "./limits.js";

/** Keras's module of its schedule classes, as Keras 3 writes it. */
export const KERAS_SCHEDULES_MODULE = "keras.optimizers.schedules";
/** The package under which this library's own schedules (those Keras lacks) are registered. */
export const PACKAGE = "lr-schedules";

/** How a class was registered: under `package>name`, or a Keras class under its bare name. */
interface Entry {
  readonly cls: ScheduleClass;
  readonly registeredName: string | null;
  readonly module: string;
}
interface Registry {
  byName: Map<string, Entry>;
  byClass: Map<ScheduleClass, Entry>;
}

// The built-in classes are this copy's own: a second copy of the package (its CommonJS build beside the ESM one)
// serializes and builds its own classes.
let builtInRegistry: Registry | undefined;
function builtInClasses(): Registry {
  if (!builtInRegistry) {
    const r: Registry = { byName: new Map(), byClass: new Map() };
    for (const cls of builtInScheduleClasses()) {
      const pkg = (cls as { package?: string }).package;
      add(r, cls, pkg ? `${pkg}>${classNameOf(cls)}` : null, pkg ? pkg.replace(/-/g, "_") : KERAS_SCHEDULES_MODULE);
    }
    builtInRegistry = r;
  }
  return builtInRegistry;
}

// Classes registered by users are shared by every copy of the package in the realm.
const REGISTRY = Symbol.for("lr-schedules.registry");
function customClasses(): Registry {
  const slot = globalThis as { [REGISTRY]?: Registry };
  return (slot[REGISTRY] ??= { byName: new Map(), byClass: new Map() });
}

function entryNamed(name: string): Entry | undefined {
  return builtInClasses().byName.get(name) ?? customClasses().byName.get(name);
}
function entryOf(cls: ScheduleClass): Entry | undefined {
  return builtInClasses().byClass.get(cls) ?? customClasses().byClass.get(cls);
}
function add(r: Registry, cls: ScheduleClass, registeredName: string | null, module: string): void {
  const entry = { cls, registeredName, module };
  r.byName.set(registeredName ?? classNameOf(cls), entry);
  r.byClass.set(cls, entry);
}

/** Options of {@link registerSchedule}. */
export interface RegisterOptions {
  /** The package part of Keras's `registered_name`. @defaultValue 'Custom' (Keras's default) */
  package?: string;
  /** The name part. @defaultValue the class's `className` */
  name?: string;
}

/**
 * Registers a schedule class so that `serialize` writes it with `registered_name: 'package>Name'` and `deserialize`
 * finds it again, as Keras's `register_keras_serializable` does.
 *
 * A class is named by its own static `className` where it defines one, otherwise by its JavaScript name (as Keras
 * names a class by its `__name__`): `class Flat extends LearningRateSchedule {}` is `'Flat'`. A minifier renames
 * classes (`Flat` may become `t` in a bundle), so JSON written by a bundled build would name a class that the source
 * build does not know, and two minified classes may even share a name; a `static readonly className = 'Flat'` is a
 * string literal, which no minifier changes, so give every class you register one.
 *
 * One class per name: registering another class under a name that is taken throws and says which class holds it
 * (Keras refuses duplicates too); registering the same class again changes nothing.
 *
 * @example
 * import { LearningRateSchedule, registerSchedule, serialize, deserialize, type Ops } from 'lr-schedules';
 * class Flat extends LearningRateSchedule {
 *   static readonly className = 'Flat';
 *   constructor(readonly config: { rate: number }) { super(); }
 *   compute<T, B>(o: Ops<T, B>): T { return o.constant(this.config.rate); }
 *   getConfig() { return { ...this.config }; }
 * }
 * registerSchedule(Flat, { package: 'my-pkg' });
 * serialize(new Flat({ rate: 0.5 })).registered_name; //=> 'my-pkg>Flat'
 * deserialize(serialize(new Flat({ rate: 0.5 })))(7); //=> 0.5
 * @throws {ScheduleTypeError} `cls` is not a schedule class, or has no name (an anonymous class without `className`).
 * @throws {ScheduleOptionError} the name is a built-in class's, or another class is registered under it.
 */
export function registerSchedule(cls: ScheduleClass, options: RegisterOptions = {}): void {
  if (!isScheduleClass(cls)) {
    throw new ScheduleTypeError("registerSchedule", "cls", cls, "a class that extends LearningRateSchedule");
  }
  if (options === null || typeof options !== "object") {
    throw new ScheduleTypeError("registerSchedule", "options", options, "an object { package?, name? }");
  }
  const className: unknown = classNameOf(cls);
  if (typeof className !== "string" || className === "") {
    throw new ScheduleTypeError("registerSchedule", "cls.className", className, "a non-empty string: give an anonymous class a `static readonly className`");
  }
  const name = options.name ?? className;
  const pkg = options.package ?? "Custom";
  for (const [option, value] of [["name", name], ["package", pkg]] as const) {
    if (typeof value !== "string" || value === "" || value.includes(">")) {
      throw new ScheduleTypeError("registerSchedule", option, value, "a non-empty string without '>'");
    }
  }
  if (builtInClasses().byClass.has(cls)) {
    throw new ScheduleTypeError("registerSchedule", "cls", cls, "a class of your own: the built-in classes are registered already");
  }
  const registeredName = `${pkg}>${name}`;
  if (builtInClasses().byName.has(registeredName)) {
    throw new ScheduleOptionError("registerSchedule", "package", pkg, `a package other than "${pkg}": "${registeredName}" is a built-in class's name`);
  }
  const holder = customClasses().byName.get(registeredName)?.cls;
  if (holder !== undefined && holder !== cls) {
    const held = `a name no other class holds: "${registeredName}" is held by class ${holder.name || "(anonymous)"} (pass another \`name\` or \`package\`, or give the class its own \`static className\`)`;
    throw new ScheduleOptionError("registerSchedule", "name", name, held);
  }
  add(customClasses(), cls, registeredName, pkg);
}

/** The names `deserialize` knows: Keras's classes by name, the others as `package>Name`. */
export function knownScheduleNames(): string[] {
  return [...builtInClasses().byName.keys(), ...customClasses().byName.keys()];
}

/** Options of {@link serialize}. */
export interface SerializeOptions {
  /** `'keras3'` (the default) or `'keras2'`. */
  format?: KerasFormat;
}

/**
 * Keras JSON of a schedule, as `keras.optimizers.schedules.serialize` writes it: snake_case keys, nested schedules
 * serialized in place.
 *
 * @example
 * import { InverseTimeDecay, serialize } from 'lr-schedules';
 * serialize(new InverseTimeDecay(0.1, 1, 0.5));
 * //=> { module: 'keras.optimizers.schedules', class_name: 'InverseTimeDecay',
 * //     config: { initial_learning_rate: 0.1, decay_steps: 1, decay_rate: 0.5, staircase: false, name: 'InverseTimeDecay' },
 * //     registered_name: null }
 * serialize(new InverseTimeDecay(0.1, 1, 0.5), { format: 'keras2' }).class_name; //=> 'InverseTimeDecay'
 * @throws {ScheduleTypeError} not a schedule, or a custom schedule class that was never registered.
 */
export function serialize(schedule: LearningRateSchedule, options: { format: "keras2" }): Keras2Object;
export function serialize(schedule: LearningRateSchedule, options?: SerializeOptions): Keras3Object;
export function serialize(schedule: LearningRateSchedule, options: SerializeOptions = {}): Keras3Object | Keras2Object {
  if (!(schedule instanceof LearningRateSchedule)) {
    throw new ScheduleTypeError("serialize", "schedule", schedule, "a LearningRateSchedule");
  }
  if (options === null || typeof options !== "object") {
    throw new ScheduleTypeError("serialize", "options", options, "an object { format? }");
  }
  const format = options.format ?? "keras3";
  if (format !== "keras3" && format !== "keras2") {
    throw new ScheduleOptionError("serialize", "format", format, `"keras3" or "keras2"`);
  }
  const cls = schedule.constructor as ScheduleClass;
  const functions = functionOptionNames(cls.fields).filter((name) => typeof schedule.getConfig()[name] === "function");
  if (functions.length > 0) {
    const expected = `a schedule whose options JSON can hold: \`${functions.join("`, `")}\` of ${classNameOf(cls)} is a JavaScript function`;
    throw new ScheduleTypeError("serialize", "schedule", `[${classNameOf(cls)}]`, expected);
  }
  const entry = entryOf(cls);
  if (!entry) {
    throw new ScheduleTypeError("serialize", "schedule", `[${classNameOf(cls)}]`, "a built-in schedule or a class registered with registerSchedule()");
  }
  const config = kerasConfigOf(cls.fields, schedule.getConfig(), (value) => serializeValue(value, format));
  return kerasEnvelope(format, { module: entry.module, className: classNameOf(cls), registeredName: entry.registeredName }, config);
}

function serializeValue(value: unknown, format: KerasFormat): unknown {
  if (value instanceof LearningRateSchedule) return serialize(value, { format });
  if (Array.isArray(value)) return value.map((v) => serializeValue(v, format));
  return value;
}

/**
 * A schedule from Keras JSON: Keras 3's `{module, class_name, config, registered_name}` or Keras 2's
 * `{class_name, config}`, as an object or as JSON text. Keras 2's `name: null` means the default name.
 *
 * @example
 * import { deserialize } from 'lr-schedules';
 * const lr = deserialize('{"class_name": "InverseTimeDecay", "config": {"initial_learning_rate": 0.1, "decay_steps": 1.0, "decay_rate": 0.5, "staircase": false, "name": null}}');
 * lr(1); //=> 0.06666667014360428
 * lr.name; //=> 'InverseTimeDecay'
 * @throws {UnknownScheduleError} a `class_name` that is not known; the message lists the known names.
 * @throws {ScheduleTypeError} text that is not JSON, a missing or malformed part, a value of the wrong kind.
 * @throws {ScheduleOptionError} an unknown config key, a value out of range, hostile or oversized input.
 */
export function deserialize(json: unknown): LearningRateSchedule {
  return readSchedule(parseKerasJson(json), "");
}

/**
 * Reads one schedule object already checked by {@link parseKerasJson}; `path` locates it in a larger document
 * (`config.learning_rate`), so that errors name the Keras key where they occur.
 */
export function readSchedule(value: unknown, path: string): LearningRateSchedule {
  const at = (key: string) => (path ? `${path}.${key}` : key);
  const { className, config, registeredName } = readEnvelope(value, {
    owner: "deserialize",
    path,
    expected: "a Keras object {class_name, config}",
    config: "an object of the schedule's options",
  });
  // A registered_name other than the bare class name must be registered here: no falling back to a namesake.
  const lookup = registeredName && registeredName !== className ? ["registered_name", registeredName] as const : ["class_name", className] as const;
  const entry = entryNamed(lookup[1]);
  if (!entry) throw new UnknownScheduleError(lookup[1], knownScheduleNames(), at(lookup[0]));
  const { cls } = entry;
  // Found by its registered name, the class must be the one `class_name` names: no building another class silently.
  if (lookup[0] === "registered_name" && className !== classNameOf(cls)) {
    throw new ScheduleOptionError("deserialize", at("class_name"), className, `"${classNameOf(cls)}", the class registered as "${registeredName}"`);
  }
  if (!cls.fields) return cls.fromConfig({ ...config });

  const { fields } = cls;
  const options = optionsOfKerasConfig(fields, config, {
    owner: classNameOf(cls),
    at: (key) => at(`config.${key}`),
    value: (name, raw, keyPath) => readNested(fields[name], raw, keyPath, (v, p) => (isPlainObject(v) ? readSchedule(v, p) : v)),
  });
  try {
    return new cls(options);
  } catch (e) {
    throw atKerasPath(e, cls, at("config"));
  }
}

/** Re-addresses an option error to the Keras key and its path in the document. */
function atKerasPath(e: unknown, cls: ScheduleClass, configPath: string): unknown {
  if (!(e instanceof ScheduleOptionError || e instanceof ScheduleTypeError)) return e;
  const [head, ...rest] = e.option.split(/(?=\[)/);
  const field = head === undefined ? undefined : cls.fields?.[head];
  if (!field) return e;
  const option = `${configPath}.${field.keras}${rest.join("")}`;
  const Err = e instanceof ScheduleOptionError ? ScheduleOptionError : ScheduleTypeError;
  return new Err(e.owner, option, e.received, e.expected);
}

/**
 * A schedule nested as Keras JSON in a config given to `fromConfig` (at `path`), read as {@link deserialize} reads it;
 * any other value as it is, for the constructor to check. A function declaration, so that it can be used by classes
 * evaluated before this module is (a class that nests schedules imports it, and this module imports every class).
 */
export function readNestedScheduleJson(value: unknown, path: string): unknown {
  return isPlainObject(value) ? readSchedule(parseKerasJson(value, "fromConfig"), path) : value;
}
