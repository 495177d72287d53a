/**
 * Keras JSON of optimizers, in and out: `optimizerFromKeras` reads what Keras 3's `serialize_keras_object` and Keras
 * 2's `training_config.optimizer_config` hold; `optimizerToKeras` writes what Keras 3's `deserialize` accepts. The
 * faithful optimizers come from `optimizers.ts`, so adding one there is enough for both directions.
 */
import * as tf from "@tensorflow/tfjs-core";
import { ScheduleOptionError, ScheduleTypeError } from "../errors.js";
import { isPlainObject } from "../options.js";
import { InverseTimeDecay } from "../schedules/InverseTimeDecay.js";
import { parseKerasJson, readSchedule, type Keras3Object } from "../serialization.js";
import { GIVEN_CONFIG, KerasOptimizer, type KerasOptimizerClass } from "./optimizer.js";
import * as optimizers from "./optimizers.js";

/** Keras 3's optimizer classes: one of these that has no faithful version here gets an error saying so. */
const KERAS_OPTIMIZERS: readonly string[] = [
  "Adadelta", "Adafactor", "Adagrad", "Adam", "AdamW", "Adamax", "Ftrl", "Lamb", "Lion", "LossScaleOptimizer", "Muon",
  "Nadam", "RMSprop", "SGD", "ScheduleFreeAdamW",
];

/**
 * Keras 3's base options in its `get_config` order (after `name` and `learning_rate`), each with its value when off.
 * Every one is an option of every faithful optimizer, except `loss_scale_factor`: Keras scales the loss by it in its
 * own training step, which tf.js's `fit` does not do, so only `null` is read.
 */
const KERAS_BASE_OPTIONS: readonly (readonly [string, unknown])[] = [
  ["weight_decay", null],
  ["clipnorm", null],
  ["global_clipnorm", null],
  ["clipvalue", null],
  ["use_ema", false],
  ["ema_momentum", 0.99],
  ["ema_overwrite_frequency", null],
  ["loss_scale_factor", null],
  ["gradient_accumulation_steps", null],
];


const owner = "optimizerFromKeras";
const envelopeKeys = new Set(["module", "class_name", "config", "registered_name"]);

let byKerasName: Map<string, KerasOptimizerClass> | undefined;
function optimizerClasses(): Map<string, KerasOptimizerClass> {
  return (byKerasName ??= new Map(Object.values(optimizers).map((cls) => [cls.kerasName, cls as KerasOptimizerClass] as const)));
}

/**
 * Registers every faithful optimizer with tf.js serialization, under its `className` (`'lr-schedules>SGD'`, never
 * tf.js's own `'SGD'`), so that `tf.loadLayersModel` rebuilds it. `lr-schedules/tfjs` calls it on import.
 */
export function registerOptimizers(): void {
  for (const cls of optimizerClasses().values()) {
    tf.serialization.registerClass(cls as unknown as tf.serialization.SerializableConstructor<KerasOptimizer>);
  }
}

/** The faithful class of a Keras `class_name`, or an error that says whether Keras has it at all. */
function optimizerClass(name: string): KerasOptimizerClass {
  const cls = optimizerClasses().get(name);
  if (cls) return cls;
  const faithful = [...optimizerClasses().keys()].join(", ");
  const expected = KERAS_OPTIMIZERS.includes(name)
    ? `one of the optimizers lr-schedules/tfjs has a Keras-faithful version of (${faithful}); Keras's ${name} has none ` +
      `here yet (withSchedule drives tf.js's own optimizers by a schedule, with tf.js's update rules)`
    : `the class name of a Keras optimizer with a Keras-faithful version here: ${faithful}`;
  throw new ScheduleOptionError(owner, "class_name", name, expected);
}

/**
 * A Keras-faithful optimizer from Keras JSON: Keras 3's `serialize_keras_object(optimizer)`
 * (`{module, class_name, config, registered_name}`) or Keras 2's `{class_name, config}` (an HDF5 model's
 * `training_config.optimizer_config`), as an object or as JSON text. The learning rate is a number or a schedule's
 * JSON.
 *
 * Keras's base options become the optimizer's (`weight_decay`, `clipnorm`, `clipvalue`, `global_clipnorm`, `use_ema`,
 * `ema_momentum`, `ema_overwrite_frequency`, `gradient_accumulation_steps`); `loss_scale_factor` must be `null`;
 * Keras 2's `decay` > 0 (its time-based decay, `lr / (1 + decay * iterations)`) becomes `InverseTimeDecay(lr, 1,
 * decay)`, the same float32 operations; `jit_compile` and `is_legacy_optimizer` are ignored. Anything else unknown
 * throws, naming the key.
 *
 * @example
 * import { optimizerFromKeras } from 'lr-schedules/tfjs';
 * const optimizer = optimizerFromKeras({
 *   module: 'keras.optimizers', class_name: 'SGD', registered_name: null,
 *   config: { name: 'sgd', learning_rate: { module: 'keras.optimizers.schedules', class_name: 'InverseTimeDecay',
 *     config: { initial_learning_rate: 0.1, decay_steps: 1, decay_rate: 0.5, staircase: false, name: 'InverseTimeDecay' },
 *     registered_name: null }, momentum: 0.9, nesterov: true },
 * });
 * optimizer.getClassName(); //=> 'lr-schedules>SGD'
 * optimizer.learningRate; //=> 0.10000000149011612
 * optimizerFromKeras('{"class_name": "Adam", "config": {"learning_rate": 0.001, "decay": 0.0, "amsgrad": true}}').getConfig().amsgrad; //=> true
 * const clipped = optimizerFromKeras({ class_name: 'SGD', config: { clipnorm: 1.0, gradient_accumulation_steps: 4 } });
 * clipped.getConfig(); //=> { learningRate: 0.009999999776482582, momentum: 0, nesterov: false, clipnorm: 1,
 * //   gradientAccumulationSteps: 4, name: 'sgd' }
 * @throws {ScheduleOptionError} a Keras optimizer with no faithful version here (named in the message), an unknown
 * class name or key, a value out of range, more than one clipping option, a `loss_scale_factor`, hostile or oversized
 * input.
 * @throws {ScheduleTypeError} text that is not JSON, a missing or malformed part, a value of the wrong kind.
 */
export function optimizerFromKeras(json: unknown): KerasOptimizer {
  const value = parseKerasJson(json, owner);
  if (!isPlainObject(value)) throw new ScheduleTypeError(owner, "json", value, "a Keras optimizer object {class_name, config}");
  for (const key of Object.keys(value)) {
    if (!envelopeKeys.has(key)) throw new ScheduleOptionError(owner, key, value[key], `one of the keys ${[...envelopeKeys].join(", ")}`);
  }
  const { class_name: className, config, module, registered_name: registeredName } = value;
  if (typeof className !== "string") throw new ScheduleTypeError(owner, "class_name", className, "a string");
  if (module !== undefined && typeof module !== "string") throw new ScheduleTypeError(owner, "module", module, "a string");
  if (registeredName !== undefined && registeredName !== null && typeof registeredName !== "string") {
    throw new ScheduleTypeError(owner, "registered_name", registeredName, "a string or null");
  }
  if (!isPlainObject(config)) throw new ScheduleTypeError(owner, "config", config, "an object of the optimizer's options");
  const cls = optimizerClass(className);

  const byKerasKey = new Map(Object.entries(cls.fields).map(([name, field]) => [field.keras, name] as const));
  const options: Record<string, unknown> = {};
  let decay = 0;
  for (const [key, raw] of Object.entries(config)) {
    const path = `config.${key}`;
    const name = byKerasKey.get(key) ?? (key === "lr" ? "learningRate" : undefined);
    if (name !== undefined) {
      if (Object.hasOwn(options, name)) throw new ScheduleOptionError(owner, path, raw, `given once (it repeats \`${cls.fields[name]!.keras}\`)`);
      options[name] = name === "learningRate" && isPlainObject(raw) ? readSchedule(raw, path) : raw;
    } else if (key === "loss_scale_factor") {
      if (raw !== null) {
        throw new ScheduleOptionError(owner, path, raw, "null: Keras multiplies the loss by it in its own training step, which tf.js's fit does not do (set it on the Keras side only)");
      }
    } else if (key === "decay") {
      if (raw !== null && !(typeof raw === "number" && raw >= 0 && Number.isFinite(raw))) {
        throw new ScheduleOptionError(owner, path, raw, "a finite number >= 0 or null (Keras 2's time-based decay)");
      }
      decay = typeof raw === "number" ? raw : 0;
    } else if (key === "jit_compile" || key === "is_legacy_optimizer") {
      if (typeof raw !== "boolean" && raw !== null) throw new ScheduleTypeError(owner, path, raw, "a boolean");
    } else {
      throw new ScheduleOptionError(owner, path, raw, `one of the keys of Keras's ${cls.kerasName}: ${[...byKerasKey.keys(), "loss_scale_factor"].join(", ")}`);
    }
  }
  if (decay > 0) {
    const rate = options.learningRate ?? cls.fields.learningRate!.default;
    if (typeof rate !== "number") {
      throw new ScheduleOptionError(owner, "config.decay", decay, "0 or null when the learning rate is a schedule (Keras 2 applies both; this library does not)");
    }
    options.learningRate = new InverseTimeDecay(rate, 1, decay);
  }
  try {
    return new cls(options);
  } catch (e) {
    throw atKerasPath(e, cls);
  }
}

/** Re-addresses an option error from the constructor to the Keras key (`config.momentum`). */
function atKerasPath(e: unknown, cls: KerasOptimizerClass): unknown {
  if (!(e instanceof ScheduleOptionError || e instanceof ScheduleTypeError)) return e;
  const field = Object.hasOwn(cls.fields, e.option) ? cls.fields[e.option] : undefined;
  if (!field) return e;
  const Err = e instanceof ScheduleOptionError ? ScheduleOptionError : ScheduleTypeError;
  return new Err(owner, `config.${field.keras}`, e.received, e.expected);
}

/**
 * Keras 3 JSON of a faithful optimizer, as `serialize_keras_object` writes it: every base key of Keras's
 * `get_config` (off, unless set), the learning rate as a float32 number or the schedule's JSON, then the optimizer's
 * own keys. Keras's `deserialize` accepts it, once written with {@link optimizerToKerasJson}.
 *
 * @example
 * import { optimizerToKeras, SGD } from 'lr-schedules/tfjs';
 * const json = optimizerToKeras(new SGD({ learningRate: 0.05, momentum: 0.9 }));
 * json.class_name; //=> 'SGD'
 * json.config.learning_rate; //=> 0.05000000074505806 (0.05 in float32, as Keras writes it)
 * json.config.use_ema; //=> false
 * @throws {ScheduleTypeError} not a faithful optimizer, or its schedule is a custom class never registered.
 */
export function optimizerToKeras(optimizer: KerasOptimizer): Keras3Object {
  if (!(optimizer instanceof KerasOptimizer)) {
    throw new ScheduleTypeError("optimizerToKeras", "optimizer", optimizer, "a Keras-faithful optimizer of lr-schedules/tfjs (SGD, Adam, ...)");
  }
  const cls = optimizer.constructor as KerasOptimizerClass;
  const given = optimizer[GIVEN_CONFIG]();
  // getConfig leaves out base options at their default; Keras writes every one.
  const own = (name: string) => (Object.hasOwn(given, name) ? given[name] : cls.fields[name]!.default);
  const byKerasKey = new Map(Object.entries(cls.fields).map(([name, field]) => [field.keras, name] as const));
  const config: Record<string, unknown> = { name: own("name"), learning_rate: own("learningRate") };
  for (const [key, off] of KERAS_BASE_OPTIONS) {
    const name = byKerasKey.get(key);
    config[key] = name === undefined ? off : own(name);
  }
  for (const [name, field] of Object.entries(cls.fields)) {
    if (!Object.hasOwn(config, field.keras)) config[field.keras] = own(name);
  }
  return { module: "keras.optimizers", class_name: cls.kerasName, config, registered_name: null };
}

/**
 * {@link optimizerToKeras} as JSON text that Python reads back with Keras's types: a whole number where Keras expects
 * a float is written `0.0`, since Keras refuses an int `momentum` or `learning_rate` (`JSON.stringify` writes `0`).
 *
 * @example
 * import { optimizerToKerasJson, SGD } from 'lr-schedules/tfjs';
 * const text = optimizerToKerasJson(new SGD(1));
 * text.includes('"learning_rate": 1.0'); //=> true
 * text.includes('"momentum": 0.0'); //=> true
 * JSON.parse(text).config.nesterov; //=> false
 */
export function optimizerToKerasJson(optimizer: KerasOptimizer): string {
  const { module, class_name: className, config } = optimizerToKeras(optimizer);
  // Keras requires Python ints where the field is a count, floats everywhere else.
  const fields = (optimizer.constructor as KerasOptimizerClass).fields;
  const integerKeys = new Set(Object.values(fields).filter((f) => f.integer).map((f) => f.keras));
  const entries = Object.entries(config).map(([key, v]) => {
    const float = typeof v === "number" && Number.isInteger(v) && !integerKeys.has(key);
    return `${JSON.stringify(key)}: ${float ? v.toFixed(1) : JSON.stringify(v)}`;
  });
  return `{"module": ${JSON.stringify(module)}, "class_name": ${JSON.stringify(className)}, "config": {${entries.join(", ")}}, "registered_name": null}`;
}
