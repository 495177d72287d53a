/**
 * Keras JSON of optimizers, in and out: `optimizerFromKeras` reads what Keras 3's `serialize_keras_object` and Keras
 * 2's `training_config.optimizer_config` hold; `optimizerToKeras` writes what Keras 3's `deserialize` accepts. The
 * faithful optimizers come from `optimizerClasses.ts`, so adding one there is enough for both directions.
 */
import * as tf from "@tensorflow/tfjs-core";
import { ScheduleOptionError, ScheduleTypeError } from "../errors.js";
import { kerasEnvelope, readEnvelope, type Keras3Object } from "../keras/envelope.js";
import { KERAS_OFF_WHEN_ZERO, KERAS_OPTIMIZER_BASE_KEYS, kerasConfigOf, optionNamesByKerasKey, optionsOfKerasConfig } from "../keras/keys.js";
import { parseKerasJson } from "../keras/limits.js";
import { readSchedule, serialize } from "../keras/schedules.js";
import { kerasObjectText } from "../keras/text.js";
import { isPlainObject } from "../plainObject.js";
import { LearningRateSchedule } from "../schedule.js";
import { InverseTimeDecay } from "../schedules/InverseTimeDecay.js";
import { GIVEN_CONFIG, KerasOptimizer, type KerasOptimizerClass } from "./optimizer.js";
import * as optimizers from "./optimizerClasses.js";
import { MultiOptimizer } from "./MultiOptimizer.js";

/**
 * Keras 3's optimizer classes that `keras.optimizers.get` and `deserialize` find by name in any case: Keras lowers a
 * `class_name` whose lowercase is one of these names, lowered (`'adam'`, `'ADAM'`, `'schedulefreeadamw'`).
 */
export const KERAS_OPTIMIZERS_ANY_CASE: readonly string[] = [
  "Adadelta", "Adafactor", "Adagrad", "Adam", "AdamW", "Adamax", "Ftrl", "Lion", "LossScaleOptimizer", "Muon",
  "MultiOptimizer", "Nadam", "Optimizer", "OptimizerMap", "RMSprop", "SGD", "ScheduleFreeAdamW",
];
/** Keras 3's other optimizer classes: missing from that table, they are found by their exact class name only. */
const KERAS_OPTIMIZERS_EXACT: readonly string[] = ["Lamb"];
/** Keras 3's optimizer classes: one of these that has no faithful version here gets an error saying so. */
const KERAS_OPTIMIZERS: readonly string[] = [...KERAS_OPTIMIZERS_ANY_CASE, ...KERAS_OPTIMIZERS_EXACT];
const anyCase = new Map(KERAS_OPTIMIZERS_ANY_CASE.map((name) => [name.toLowerCase(), name]));

const owner = "optimizerFromKeras";

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

/**
 * The faithful class of a Keras `class_name` or optimizer name, spelled as Keras accepts it (`'adam'` for `Adam`), or an
 * error that says whether Keras has it at all and lists the names known here.
 */
function optimizerClass(name: string, option: string): KerasOptimizerClass {
  const kerasName = anyCase.get(name.toLowerCase()) ?? name;
  const cls = optimizerClasses().get(kerasName);
  if (cls) return cls;
  const faithful = [...optimizerClasses().keys()];
  const exact = faithful.filter((n) => !anyCase.has(n.toLowerCase()));
  const expected = KERAS_OPTIMIZERS.includes(kerasName)
    ? `one of the optimizers lr-schedules/tfjs has a Keras-faithful version of (${faithful.join(", ")}); Keras's ${kerasName} has none ` +
      `here yet (withSchedule drives tf.js's own optimizers by a schedule, with tf.js's update rules)`
    : `the name of a Keras optimizer with a Keras-faithful version here: ${faithful.join(", ")} (in any case, as Keras reads ` +
      `them${exact.length ? `, except ${exact.join(", ")}: Keras finds ${exact.length > 1 ? "these" : "it"} by the exact class name only` : ""})`;
  throw new ScheduleOptionError(owner, option, name, expected);
}

/** JSON text starts with `{` (after whitespace); any other string is an optimizer's name. */
function isOptimizerName(json: unknown): json is string {
  return typeof json === "string" && !/^\s*\{/.test(json);
}

/**
 * A Keras-faithful optimizer from Keras JSON: Keras 3's `serialize_keras_object(optimizer)`
 * (`{module, class_name, config, registered_name}`) or Keras 2's `{class_name, config}` (an HDF5 model's
 * `training_config.optimizer_config`), as an object or as JSON text. The learning rate is a number or a schedule's
 * JSON.
 *
 * Keras's base options become the optimizer's (`weight_decay`, `clipnorm`, `clipvalue`, `global_clipnorm`, `use_ema`,
 * `ema_momentum`, `ema_overwrite_frequency`, `gradient_accumulation_steps`), where `0` in the last two means off
 * (`null`), as in Keras; `loss_scale_factor` must be `null`; `registered_name` must be `null` or the class name;
 * Keras 2's `decay` > 0 (its time-based decay, `lr / (1 + decay * iterations)`) becomes `InverseTimeDecay(lr, 1,
 * decay)`, the same float32 operations; `jit_compile` and `is_legacy_optimizer` are ignored. Anything else unknown
 * throws, naming the key.
 *
 * Names, as `keras.optimizers.get` reads them: a string is JSON text when its first character after whitespace is
 * `{`, and otherwise an optimizer's name, which gives the optimizer with Keras's default options. Keras lowers a
 * name (and a `class_name`) whose lowercase is one of its optimizers' class names, so `'adam'`, `'Adam'`, `'ADAM'`,
 * `'adamw'`, `'rmsprop'`, `'sgd'`, `'schedulefreeadamw'` are all accepted, as a name or as `class_name`; Keras's
 * table of those names lacks `Lamb`, found by its exact class name only. A missing or `null` `config` is the
 * defaults, as in Keras.
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
 * optimizerFromKeras({ class_name: 'Adam', config: { gradient_accumulation_steps: 0 } }).getConfig().gradientAccumulationSteps; //=> undefined (off)
 * optimizerFromKeras('adam').getConfig(); //=> { learningRate: 0.0010000000474974513, beta1: 0.9, beta2: 0.999,
 * //   epsilon: 1e-7, amsgrad: false, name: 'adam' }
 * optimizerFromKeras({ class_name: 'sgd', config: { momentum: 0.5 } }).getClassName(); //=> 'lr-schedules>SGD'
 * optimizerFromKeras('rmsprop').getClassName(); //=> 'lr-schedules>RMSprop'
 * const unknown = (() => { try { optimizerFromKeras('adamm'); } catch (e) { return e as Error; } })();
 * unknown?.name; //=> 'ScheduleOptionError'
 * unknown?.message.startsWith('optimizerFromKeras: `json` must be the name of a Keras optimizer with a Keras-faithful version here: SGD, Adam,'); //=> true
 * @throws {ScheduleOptionError} a Keras optimizer with no faithful version here (named in the message), an unknown
 * name, class name or key (the message lists the known names), a `registered_name` other than the class name, a value out of range, more than one clipping option, a `loss_scale_factor`, hostile or oversized
 * input.
 * @throws {ScheduleTypeError} text that is not JSON, a missing or malformed part, a value of the wrong kind.
 */
export function optimizerFromKeras(json: unknown): KerasOptimizer {
  if (isOptimizerName(json)) return new (optimizerClass(json, "json"))();
  const { className, config, registeredName } = readEnvelope(parseKerasJson(json, owner), {
    owner,
    path: "",
    expected: "a Keras optimizer object {class_name, config}",
    config: "an object of the optimizer's options, or null",
    configMayBeNull: true,
  });
  const cls = optimizerClass(className, "class_name");
  // Another package's class of the same name is not this one: no falling back to a namesake, as for schedules.
  if (typeof registeredName === "string" && registeredName !== className && registeredName !== cls.kerasName) {
    throw new ScheduleOptionError(owner, "registered_name", registeredName, `null or "${cls.kerasName}": Keras's own ${cls.kerasName}, not a class registered by another package`);
  }
  if (cls === MultiOptimizer) return MultiOptimizer.fromKeras(config, optimizerFromKeras);

  let decay = 0;
  const options = optionsOfKerasConfig(cls.fields, config, {
    owner,
    at: (key) => `config.${key}`,
    aliases: { lr: "learning_rate" },
    value: (name, raw, path, key) =>
      name === "learningRate" && isPlainObject(raw) ? readSchedule(raw, path)
      // Keras tests these two for truth, so its 0 means off; the constructor refuses a 0 it is given directly.
      : KERAS_OFF_WHEN_ZERO.has(key) && raw === 0 ? null
      : raw,
    other(key, raw, path) {
      if (key === "loss_scale_factor") {
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
        throw new ScheduleOptionError(owner, path, raw, `one of the keys of Keras's ${cls.kerasName}: ${[...optionNamesByKerasKey(cls.fields).keys(), "loss_scale_factor"].join(", ")}`);
      }
    },
  });
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
 * own keys. Keras's `deserialize` accepts it, once written with {@link optimizerToKerasJson}, with two exceptions this
 * function writes anyway, so that this library reads its own output back: a schedule with `dtype: 'float64'` (Keras
 * has no `dtype` key) and this library's own schedules (`LinearWarmup`, `Sequence`, ..., whose `registered_name`
 * starts with `lr-schedules>`), which Keras knows only if the same classes are registered on the Python side.
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
  if (optimizer instanceof MultiOptimizer) return optimizer.toKeras(optimizerToKeras);
  const cls = optimizer.constructor as KerasOptimizerClass;
  const given = optimizer[GIVEN_CONFIG]();
  // getConfig leaves out base options at their default; Keras writes every one.
  const options = Object.fromEntries(Object.keys(cls.fields).map((name) => [name, Object.hasOwn(given, name) ? given[name] : cls.fields[name]!.default]));
  const values = kerasConfigOf(cls.fields, options, (value) => (value instanceof LearningRateSchedule ? serialize(value) : value));
  // Keras's order: name, learning_rate, the base keys (loss_scale_factor, no option here, as null), then the optimizer's own.
  const config: Record<string, unknown> = { name: values.name, learning_rate: values.learning_rate };
  for (const key of KERAS_OPTIMIZER_BASE_KEYS) config[key] = Object.hasOwn(values, key) ? values[key] : null;
  return kerasEnvelope("keras3", { module: "keras.optimizers", className: cls.kerasName, registeredName: null }, { ...config, ...values });
}

/**
 * {@link optimizerToKeras} as JSON text that Python reads back with Keras's types, written by the same writer as
 * `scheduleToKerasJson`: every whole number is written as a float (`1.0`), in the optimizer's options and throughout
 * the learning-rate schedule's JSON (nested schedules too), except counts, written as Python ints when whole: the
 * optimizer's (`gradient_accumulation_steps`, `ns_steps`, ...) and the schedule's step counts (`decay_steps`,
 * `warmup_steps`, `boundaries`, ...), as Keras writes them. `JSON.stringify` writes `1`, which Keras refuses for
 * `momentum`, and for a schedule's `initial_learning_rate` makes Keras compute the whole schedule in int32 (a
 * `decay_rate` of 0.5 becomes 0).
 *
 * The same two exceptions as {@link optimizerToKeras}: Keras cannot read a schedule with `dtype: 'float64'`, nor this
 * library's own schedule classes (`lr-schedules>...`) unless they are registered on the Python side.
 *
 * @example
 * import { InverseTimeDecay } from 'lr-schedules';
 * import { optimizerToKerasJson, SGD } from 'lr-schedules/tfjs';
 * const text = optimizerToKerasJson(new SGD(1));
 * text.includes('"learning_rate": 1.0'); //=> true
 * text.includes('"momentum": 0.0'); //=> true
 * JSON.parse(text).config.nesterov; //=> false
 * const scheduled = optimizerToKerasJson(new SGD({ learningRate: new InverseTimeDecay(1, 10, 0.5) }));
 * scheduled.includes('"initial_learning_rate": 1.0, "decay_steps": 10, "decay_rate": 0.5'); //=> true
 * @throws {ScheduleTypeError} as {@link optimizerToKeras}.
 */
export function optimizerToKerasJson(optimizer: KerasOptimizer): string {
  if (optimizer instanceof MultiOptimizer) return optimizer.toKerasJson(optimizerToKerasJson);
  const json = optimizerToKeras(optimizer);
  return kerasObjectText({ ...json }, (optimizer.constructor as KerasOptimizerClass).fields, optimizer[GIVEN_CONFIG]());
}
