/**
 * The schedule transformers' Trainer builds from a `TrainingArguments` JSON: its `create_scheduler` call of
 * `get_scheduler`, with the step counts resolved as `set_initial_training_values` and `get_warmup_steps` resolve them.
 */
import { ScheduleOptionError, ScheduleTypeError } from "../errors.js";
import { parseKerasJson } from "../keras/limits.js";
import { checkNumber } from "../options.js";
import { isPlainObject } from "../plainObject.js";
import type { LearningRateSchedule } from "../schedule.js";
import { getScheduler, type SchedulerType } from "./getScheduler.js";

/** How the Trainer's data is measured, for a `TrainingArguments` whose training length is in epochs. */
export interface TrainingArgumentsOptions {
  /**
   * Batches per epoch, `len(train_dataloader)` as the Trainer sees it (on each process, after sharding): Keras's
   * `steps_per_epoch`. Needed unless `max_steps` > 0. The Trainer makes `ceil(stepsPerEpoch /
   * gradient_accumulation_steps)` optimizer updates of it, at least 1.
   */
  stepsPerEpoch?: number;
}

const OWNER = "fromTrainingArguments";
/** TrainingArguments' defaults (5.17) for the keys read here. */
const DEFAULTS = { learning_rate: 5e-5, lr_scheduler_type: "linear", warmup_steps: 0, max_steps: -1, num_train_epochs: 3, gradient_accumulation_steps: 1 };

/**
 * The schedule transformers' `Trainer` would build from a `TrainingArguments` JSON (`args.to_json_string()`, a
 * `training_args.json`, or an object of some of its keys): `get_scheduler(lr_scheduler_type, ...)` with
 * `learning_rate` as the optimizer's rate and `lr_scheduler_kwargs`, and the step counts the Trainer resolves:
 *
 * - training steps: `max_steps` when > 0, else `ceil(num_train_epochs * max(ceil(stepsPerEpoch /
 *   gradient_accumulation_steps), 1))`;
 * - warmup steps: `int(warmup_steps)` when >= 1, else `ceil(trainingSteps * warmup_steps)` (transformers 5 reads a
 *   `warmup_steps` below 1 as a ratio). `warmup_ratio`, which transformers 5 deprecated and then removed, is read as 4.x
 *   read it: used when `warmup_steps` is 0.
 *
 * Keys absent take TrainingArguments' defaults (`learning_rate` 5e-5, `'linear'`, 3 epochs...); every other key of
 * TrainingArguments is ignored. `lr_scheduler_kwargs` may be a JSON text, whose string values are read as
 * TrainingArguments reads them (`"0.1"` is 0.1). A text is parsed with the bounded parser of Keras JSON.
 *
 * @example
 * import { fromTrainingArguments } from 'lr-schedules/transformers';
 * const lr = fromTrainingArguments({ learning_rate: 1e-4, lr_scheduler_type: 'cosine', warmup_steps: 0.1, num_train_epochs: 2 }, { stepsPerEpoch: 50 });
 * lr.getConfig(); //=> { numWarmupSteps: 10, numTrainingSteps: 100, numCycles: 0.5, learningRate: 1e-4 }
 * fromTrainingArguments('{"learning_rate": 3e-4, "max_steps": 400, "warmup_steps": 50}')(50); //=> 3e-4
 * @throws {ScheduleTypeError} a key read here of the wrong kind; neither `max_steps` > 0 nor `stepsPerEpoch`
 * (transformers raises too); text that is not JSON.
 * @throws {ScheduleOptionError} `warmup_steps` negative or `warmup_ratio` outside [0, 1] (transformers raises too),
 * `max_steps` 0 (no training), an `lr_scheduler_type` not in SchedulerType or driven by a metric, the schedule's
 * own refusals.
 */
export function fromTrainingArguments(json: unknown, options: TrainingArgumentsOptions = {}): LearningRateSchedule {
  const args = parseKerasJson(json, OWNER);
  if (!isPlainObject(args)) throw new ScheduleTypeError(OWNER, "json", args, "a TrainingArguments JSON object, or its text");
  if (!isPlainObject(options)) throw new ScheduleTypeError(OWNER, "options", options, "a plain object { stepsPerEpoch }");
  for (const key of Object.keys(options)) {
    if (key !== "stepsPerEpoch") throw new ScheduleOptionError(OWNER, key, options[key], "stepsPerEpoch, the only option");
  }
  const read = <K extends keyof typeof DEFAULTS>(key: K): (typeof DEFAULTS)[K] | unknown =>
    Object.hasOwn(args, key) && args[key] !== null ? args[key] : DEFAULTS[key];
  const learningRate = checkNumber(read("learning_rate"), OWNER, "learning_rate", "nonNegative");
  const name = read("lr_scheduler_type");
  if (typeof name !== "string") throw new ScheduleTypeError(OWNER, "lr_scheduler_type", name, "a name of transformers' SchedulerType");
  const numTrainingSteps = trainingSteps(read("max_steps"), read("num_train_epochs"), read("gradient_accumulation_steps"), options.stepsPerEpoch);
  return getScheduler(name as SchedulerType, {
    learningRate,
    numWarmupSteps: warmupSteps(read("warmup_steps"), args.warmup_ratio ?? 0, numTrainingSteps),
    numTrainingSteps,
    schedulerSpecificKwargs: kwargsOf(args.lr_scheduler_kwargs),
  });
}

/** The Trainer's optimizer updates: `max_steps` when > 0, else the epochs times the updates per epoch, rounded up. */
function trainingSteps(maxSteps: unknown, epochs: unknown, accumulation: unknown, stepsPerEpoch: unknown): number {
  const max = checkNumber(maxSteps, OWNER, "max_steps", { min: -Infinity, integer: true }, "an integer (> 0, or < 0 to count epochs)");
  // Checked whenever given, so that a bad value is named even where max_steps makes it unused.
  const batches = stepsPerEpoch === undefined ? undefined : checkNumber(stepsPerEpoch, OWNER, "stepsPerEpoch", { min: 1, integer: true });
  if (max > 0) return max;
  if (max === 0) throw new ScheduleOptionError(OWNER, "max_steps", max, "an integer > 0, or < 0 to count epochs (0 trains no step)");
  if (batches === undefined) {
    throw new ScheduleTypeError(OWNER, "stepsPerEpoch", stepsPerEpoch, "an integer >= 1 when max_steps is not > 0 (the Trainer counts epochs in batches of the training data)");
  }
  const perUpdate = checkNumber(accumulation, OWNER, "gradient_accumulation_steps", { min: 1, integer: true });
  const updatesPerEpoch = Math.max(Math.floor(batches / perUpdate) + (batches % perUpdate > 0 ? 1 : 0), 1);
  const epochCount = checkNumber(epochs, OWNER, "num_train_epochs", "positive");
  const steps = Math.ceil(epochCount * updatesPerEpoch);
  // Named here: past the largest safe integer the count would be refused as `numTrainingSteps`, an option not given.
  if (!(steps <= Number.MAX_SAFE_INTEGER)) {
    const expected = `a finite number > 0 whose training (${updatesPerEpoch} updates an epoch) lasts at most 2^53 - 1 steps`;
    throw new ScheduleOptionError(OWNER, "num_train_epochs", epochCount, expected);
  }
  return steps;
}

/** transformers 5's `get_warmup_steps`, with 4.x's `warmup_ratio` where `warmup_steps` is 0. */
function warmupSteps(steps: unknown, ratio: unknown, numTrainingSteps: number): number {
  const w = checkNumber(steps, OWNER, "warmup_steps", "nonNegative", "a finite number >= 0 (a count, or a ratio of the training below 1)");
  const r = checkNumber(ratio, OWNER, "warmup_ratio", "unit");
  if (w >= 1) return Math.trunc(w);
  return Math.ceil(numTrainingSteps * (w > 0 ? w : r));
}

/**
 * `lr_scheduler_kwargs` as TrainingArguments reads it: null as none, an object as it is, a JSON text of an object
 * with its string values converted (`"true"` and `"false"` to booleans, `"3"` to 3, `"0.1"` to 0.1), as
 * transformers' `_convert_str_dict` does.
 */
function kwargsOf(kwargs: unknown): Record<string, unknown> | null {
  if (kwargs === null || kwargs === undefined) return null;
  if (isPlainObject(kwargs)) return kwargs;
  if (typeof kwargs === "string" && kwargs.startsWith("{")) {
    const parsed = parseKerasJson(kwargs, OWNER);
    if (isPlainObject(parsed)) return convertStrings(parsed);
  }
  throw new ScheduleTypeError(OWNER, "lr_scheduler_kwargs", kwargs, "an object of the schedule's arguments, its JSON text, or null");
}

function convertStrings(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    let converted = value;
    if (isPlainObject(value)) converted = convertStrings(value);
    else if (typeof value === "string") {
      if (/^(true|false)$/i.test(value)) converted = value.toLowerCase() === "true";
      else if (/^[0-9]+$/.test(value) || /^[0-9]*\.?[0-9]*$/.test(value) && /[0-9]/.test(value)) converted = Number(value);
    }
    Object.defineProperty(out, key, { value: converted, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
