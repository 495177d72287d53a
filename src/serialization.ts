/**
 * Keras JSON in and out: `serialize` writes Keras 3's `{module, class_name, config, registered_name}` (or Keras 2's
 * `{class_name, config}`), `deserialize` reads both. snake_case exists only here, read from each class's option table.
 */
import { ScheduleOptionError, ScheduleTypeError, UnknownScheduleError } from "./errors.js";
import { isPlainObject, optionNamesByKerasKey, readNested } from "./options.js";
import { classNameOf, isScheduleClass, LearningRateSchedule, setNestedScheduleReader, type ScheduleClass } from "./schedule.js";
import * as builtIns from "./schedules/index.js";

/** Keras 3's `serialize_keras_object` shape. */
export interface Keras3Object {
  module: string;
  class_name: string;
  config: Record<string, unknown>;
  registered_name: string | null;
}
/** Keras 2's (tf-keras's) shape, as an HDF5 model's `training_config` holds it. */
export interface Keras2Object {
  class_name: string;
  config: Record<string, unknown>;
}
/** Which Keras writes the JSON. */
export type KerasFormat = "keras3" | "keras2";

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
    for (const cls of Object.values(builtIns) as ScheduleClass[]) {
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
  const entry = entryOf(cls);
  if (!entry) {
    throw new ScheduleTypeError("serialize", "schedule", `[${classNameOf(cls)}]`, "a built-in schedule or a class registered with registerSchedule()");
  }
  const config = kerasConfig(cls, schedule.getConfig(), format);
  if (format === "keras2") return { class_name: entry.registeredName ?? classNameOf(cls), config };
  return { module: entry.module, class_name: classNameOf(cls), config, registered_name: entry.registeredName };
}

function kerasConfig(cls: ScheduleClass, config: Record<string, unknown>, format: KerasFormat): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    const kerasKey = cls.fields?.[key]?.keras ?? key;
    out[kerasKey] = serializeValue(value, format);
  }
  return out;
}
function serializeValue(value: unknown, format: KerasFormat): unknown {
  if (value instanceof LearningRateSchedule) return serialize(value, { format });
  if (Array.isArray(value)) return value.map((v) => serializeValue(v, format));
  return value;
}

/** Limits on untrusted input, so that hostile JSON fails with a clear error instead of exhausting the stack or memory. */
export const JSON_LIMITS = Object.freeze({ maxTextLength: 8 * 1024 * 1024, maxDepth: 64, maxNodes: 200_000 });
const forbiddenKeys = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Parses JSON text (or takes an already parsed value) and checks it is safe to read: no `__proto__`, `constructor`
 * or `prototype` keys, at most {@link JSON_LIMITS} deep and large. The value comes back unchanged.
 *
 * The limits are checked before any work that grows with the input: text is scanned once, in linear time and constant
 * memory, before `JSON.parse` builds anything; a value is walked iteratively and refused as soon as a count passes its
 * limit (an array's length counts before its elements are visited). Key paths for messages are built only for the
 * error thrown.
 *
 * @example
 * import { parseKerasJson } from 'lr-schedules';
 * parseKerasJson('{"class_name": "InverseTimeDecay"}'); //=> { class_name: 'InverseTimeDecay' }
 * @throws {ScheduleTypeError} text that is not JSON.
 * @throws {ScheduleOptionError} a forbidden key, or input too deep or too large.
 */
export function parseKerasJson(input: unknown, owner = "deserialize"): unknown {
  let value = input;
  if (typeof input === "string") {
    if (input.length > JSON_LIMITS.maxTextLength) {
      throw new ScheduleOptionError(owner, "json", `[${input.length} characters]`, `at most ${JSON_LIMITS.maxTextLength} characters`);
    }
    checkTextLimits(input, owner);
    try {
      value = JSON.parse(input);
    } catch (e) {
      throw new ScheduleTypeError(owner, "json", input, `valid JSON (${(e as Error).message})`);
    }
  }
  checkValue(value, owner);
  return value;
}

const tooManyValues = (owner: string) =>
  new ScheduleOptionError(owner, "json", `[more than ${JSON_LIMITS.maxNodes} values]`, `at most ${JSON_LIMITS.maxNodes} values`);
const tooDeep = (owner: string, path: string, depth: number) =>
  new ScheduleOptionError(owner, path, `[nested ${depth} deep]`, `nested at most ${JSON_LIMITS.maxDepth} deep`);

/** Where the walk is inside one container: the key (or index) of the child being visited. */
interface Frame {
  readonly node: object;
  readonly keys: readonly string[] | undefined; // undefined for an array: its indices are counted, not listed
  readonly length: number;
  index: number;
}
/** `json.config.boundaries[3]`: built from the frames only when an error needs it. */
function pathOf(frames: readonly Frame[], last?: string): string {
  let path = "json";
  for (const f of frames) path += f.keys ? `.${f.keys[f.index - 1]}` : `[${f.index - 1}]`;
  return last === undefined ? path : `${path}.${last}`;
}

/**
 * Counts the values of an already built value and refuses forbidden keys, depth first with an explicit stack (no
 * recursion), stopping at the first limit passed: an array's or object's size counts before its children are visited.
 */
function checkValue(value: unknown, owner: string): void {
  let nodes = 1;
  const frames: Frame[] = [];
  let node = value;
  for (;;) {
    if (typeof node === "object" && node !== null) {
      if (frames.length >= JSON_LIMITS.maxDepth) throw tooDeep(owner, pathOf(frames), frames.length);
      const keys = Array.isArray(node) ? undefined : Object.keys(node);
      const length = keys ? keys.length : (node as unknown[]).length;
      if ((nodes += length) > JSON_LIMITS.maxNodes) throw tooManyValues(owner);
      if (keys) {
        const own = node as Record<string, unknown>;
        for (const key of keys) if (forbiddenKeys.has(key)) throw new ScheduleOptionError(owner, pathOf(frames, key), own[key], "absent: this key is refused in untrusted JSON");
      }
      frames.push({ node, keys, length, index: 0 });
    }
    // The next value: the next child of the innermost container that has one left.
    let top = frames[frames.length - 1];
    while (top && top.index === top.length) {
      frames.pop();
      top = frames[frames.length - 1];
    }
    if (!top) return;
    const at = top.index++;
    node = top.keys ? (top.node as Record<string, unknown>)[top.keys[at]!] : (top.node as unknown[])[at];
  }
}

const enum Char {
  Quote = 34, Backslash = 92, Comma = 44, Colon = 58, OpenBrace = 123, CloseBrace = 125, OpenBracket = 91, CloseBracket = 93,
  Space = 32, Tab = 9, Newline = 10, Return = 13,
}

/**
 * The limits of {@link parseKerasJson} on JSON text, in one pass over the characters before `JSON.parse`: values are
 * counted as `JSON.parse` would build them (keys not counted), containers by depth. Only the open containers'
 * current keys (as offsets into the text) and indices are kept, for the path of a depth error. Text that is not
 * JSON is left to `JSON.parse` to refuse.
 */
function checkTextLimits(text: string, owner: string): void {
  const n = text.length;
  let nodes = 0;
  let depth = 0;
  let expectKey = false;
  // Per open container: whether it is an object, the current key's offsets in `text`, the current index.
  const isObject: boolean[] = [];
  const keyStart: number[] = [];
  const keyEnd: number[] = [];
  const index: number[] = [];
  const value = () => {
    if (++nodes > JSON_LIMITS.maxNodes) throw tooManyValues(owner);
  };
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    switch (c) {
      case Char.Space: case Char.Tab: case Char.Newline: case Char.Return:
        break;
      case Char.Quote: {
        const start = i;
        for (i++; i < n; i++) {
          const d = text.charCodeAt(i);
          if (d === Char.Backslash) i++;
          else if (d === Char.Quote) break;
        }
        if (expectKey && depth > 0 && isObject[depth - 1]) {
          keyStart[depth - 1] = start;
          keyEnd[depth - 1] = i + 1;
        } else {
          value();
        }
        break;
      }
      case Char.OpenBrace: case Char.OpenBracket:
        value();
        if (depth >= JSON_LIMITS.maxDepth) throw tooDeep(owner, textPath(text, depth, isObject, keyStart, keyEnd, index), depth);
        isObject[depth] = c === Char.OpenBrace;
        keyStart[depth] = -1;
        index[depth] = 0;
        depth++;
        expectKey = c === Char.OpenBrace;
        break;
      case Char.CloseBrace: case Char.CloseBracket:
        if (depth > 0) depth--;
        expectKey = false;
        break;
      case Char.Comma:
        if (depth > 0) {
          if (isObject[depth - 1]) expectKey = true;
          else index[depth - 1]!++;
        }
        break;
      case Char.Colon:
        expectKey = false;
        break;
      default:
        // A number, true, false or null (or text JSON.parse will refuse): one value, up to the next delimiter.
        value();
        while (i + 1 < n && !isDelimiter(text.charCodeAt(i + 1))) i++;
    }
  }
}

function isDelimiter(c: number): boolean {
  return c === Char.Comma || c === Char.CloseBrace || c === Char.CloseBracket || c === Char.Colon || c === Char.Quote ||
    c === Char.OpenBrace || c === Char.OpenBracket || c === Char.Space || c === Char.Tab || c === Char.Newline || c === Char.Return;
}

/** The path of the container at `depth` in the text being scanned, its keys decoded only now. */
function textPath(text: string, depth: number, isObject: boolean[], keyStart: number[], keyEnd: number[], index: number[]): string {
  let path = "json";
  for (let d = 0; d < depth; d++) {
    if (!isObject[d]) {
      path += `[${index[d]}]`;
      continue;
    }
    const raw = keyStart[d]! < 0 ? "?" : text.slice(keyStart[d], keyEnd[d]);
    let key: unknown;
    try {
      key = JSON.parse(raw);
    } catch {
      key = raw;
    }
    path += `.${String(key)}`;
  }
  return path;
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

const envelopeKeys = new Set(["module", "class_name", "config", "registered_name"]);

/**
 * Reads one schedule object already checked by {@link parseKerasJson}; `path` locates it in a larger document
 * (`config.learning_rate`), so that errors name the Keras key where they occur.
 */
export function readSchedule(value: unknown, path: string): LearningRateSchedule {
  const at = (key: string) => (path ? `${path}.${key}` : key);
  if (!isPlainObject(value)) {
    throw new ScheduleTypeError("deserialize", path || "json", value, "a Keras object {class_name, config}");
  }
  for (const key of Object.keys(value)) {
    if (!envelopeKeys.has(key)) throw new ScheduleOptionError("deserialize", at(key), value[key], `one of the keys ${[...envelopeKeys].join(", ")}`);
  }
  const { class_name: className, config, registered_name: registeredName, module } = value;
  if (typeof className !== "string") throw new ScheduleTypeError("deserialize", at("class_name"), className, "a string");
  if (registeredName !== undefined && registeredName !== null && typeof registeredName !== "string") {
    throw new ScheduleTypeError("deserialize", at("registered_name"), registeredName, "a string or null");
  }
  if (module !== undefined && typeof module !== "string") throw new ScheduleTypeError("deserialize", at("module"), module, "a string");
  if (!isPlainObject(config)) throw new ScheduleTypeError("deserialize", at("config"), config, "an object of the schedule's options");

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

  const options: Record<string, unknown> = {};
  const byKerasKey = optionNamesByKerasKey(cls.fields);
  for (const [key, raw] of Object.entries(config)) {
    const name = byKerasKey.get(key);
    if (name === undefined) {
      throw new ScheduleOptionError(classNameOf(cls), at(`config.${key}`), raw, `one of the keys ${[...byKerasKey.keys()].join(", ")}`);
    }
    options[name] = readNested(cls.fields[name], raw, at(`config.${key}`), (v, path) => (isPlainObject(v) ? readSchedule(v, path) : v));
  }
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

setNestedScheduleReader((value, path) => (isPlainObject(value) ? readSchedule(parseKerasJson(value, "fromConfig"), path) : value));
