/**
 * Keras's learning-rate callbacks for tf.js `model.fit`: `LearningRateScheduler` (a rate per epoch from a function),
 * `ReduceLROnPlateau` (a smaller rate when a metric stops improving) and `LearningRateLogger` (the rate in the logs,
 * for any optimizer). All three log the rate the same way, under Keras's key `learning_rate`; for a `MultiOptimizer`,
 * as Keras 3.15 does, each inner optimizer's rate under `learning_rate_<its name>`.
 */
import type { Optimizer } from "@tensorflow/tfjs-core";
import { Callback } from "@tensorflow/tfjs-layers";
import { ScheduleOptionError, ScheduleTypeError } from "../errors.js";
import { booleanField, checkFloat32, choiceField, integerField, numberField, resolveOptions, type Field } from "../options.js";
import { MultiOptimizer } from "./MultiOptimizer.js";
import { learningRateOf, setLearningRateOf } from "./withSchedule.js";

/** What tf.js passes to `onEpochEnd` and `onBatchEnd`: numbers, or scalars not yet read back. */
export type EpochLogs = NonNullable<Parameters<Callback["onEpochEnd"]>[1]>;

/** The key the rate gets in each epoch's logs and in `history.history`, Keras's. */
const LOG_KEY = "learning_rate";
/** Before a rate's key in `history.history`, per batch: Keras's TensorBoard names a batch-level value `batch_<name>`. */
const BATCH_HISTORY_PREFIX = "batch_";

const verboseField = numberField("verbose", "nonNegative", 0);

/** Reads the model's optimizer the way a callback may meet it: compiled or not. */
function optimizerOf(callback: Callback, owner: string): Optimizer {
  const optimizer = (callback.model as { optimizer?: Optimizer } | null)?.optimizer;
  if (optimizer == null) {
    // A model compiled by a second copy of tfjs-layers (lr-schedules installed from a linked folder) looks uncompiled.
    throw new ScheduleTypeError(
      owner,
      "model.optimizer",
      optimizer,
      "a compiled model's optimizer (call model.compile first, or if you did, check that `npm ls @tensorflow/tfjs-layers` " +
        "shows a single copy: a model built by another copy has no optimizer that this one can see)",
    );
  }
  return optimizer;
}

/** An optimizer whose rate a callback reads and sets, and the key of its rate in the logs. */
interface RateHolder {
  readonly optimizer: Optimizer;
  readonly key: string;
  /** Its name in the callbacks' messages: an inner optimizer's, or null for the model's optimizer. */
  readonly name: string | null;
}

/**
 * The optimizers whose rates a callback reads and sets: the model's optimizer, logged under `learning_rate`; for a
 * MultiOptimizer, which has no rate of its own, each inner optimizer in order, logged under `learning_rate_<its name>`
 * (Keras 3.15's callbacks walk `optimizer.optimizers` so; two inner optimizers of one name share a key, the later
 * one's value kept, as in Keras).
 */
function rateHolders(callback: Callback, owner: string): RateHolder[] {
  const optimizer = optimizerOf(callback, owner);
  if (!(optimizer instanceof MultiOptimizer)) return [{ optimizer, key: LOG_KEY, name: null }];
  return optimizer.optimizers.map((inner) => {
    const name = String(inner.getConfig().name);
    return { optimizer: inner, key: `${LOG_KEY}_${name}`, name };
  });
}

/**
 * Sets each holder's rate to its new one, in order; if one refuses (an optimizer driven by a schedule: Keras's
 * `TypeError`), those set before it get their rates back, so that a refused change changes nothing.
 */
function setRates(changes: readonly { holder: RateHolder; rate: number }[]): void {
  const before: { optimizer: Optimizer; rate: number }[] = [];
  try {
    for (const { holder, rate } of changes) {
      const old = (holder.optimizer as unknown as { learningRate: number }).learningRate;
      setLearningRateOf(holder.optimizer, rate);
      before.push({ optimizer: holder.optimizer, rate: old });
    }
  } catch (e) {
    for (const { optimizer, rate } of before) setLearningRateOf(optimizer, rate);
    throw e;
  }
}

/** The values in `logs`, scalars read back; `logs` and its scalars are left as they are (tf.js's fit or History owns them). */
export async function readLogs(logs: EpochLogs): Promise<Record<string, number>> {
  const read = async (value: EpochLogs[string]) => (typeof value === "number" ? value : (await value.data())[0]!);
  const entries = await Promise.all(Object.entries(logs).map(async ([key, value]) => [key, await read(value)] as const));
  return Object.fromEntries(entries);
}

/** Replaces the scalars in `logs` by their values, as tf.js's own EarlyStopping does, and disposes them. */
async function resolveLogs(logs: EpochLogs): Promise<Record<string, number>> {
  const values = await readLogs(logs);
  for (const value of Object.values(logs)) if (typeof value !== "number") value.dispose();
  return Object.assign(logs, values);
}

/** The function a {@link LearningRateScheduler} calls at each epoch's start. */
export type EpochSchedule = (epoch: number, learningRate: number) => number;

/** Options of {@link LearningRateScheduler}; Keras's arguments. */
export interface LearningRateSchedulerOptions {
  /**
   * `(epoch, learningRate) => newRate`: the epoch counts from 0, `learningRate` is the optimizer's current float32 rate.
   * A `LearningRateSchedule` works too, as a schedule of the epoch (it ignores the second argument).
   */
  schedule: EpochSchedule;
  /** 0: quiet; 1: print a line whenever the rate is set. @defaultValue 0 */
  verbose?: number;
}

const schedulerFields = {
  schedule: {
    keras: "schedule",
    expected: "a function (epoch, learningRate) => number",
    check(value: unknown, owner: string, option: string) {
      if (typeof value !== "function") throw new ScheduleTypeError(owner, option, value, "a function (epoch, learningRate) => number");
      return value as EpochSchedule;
    },
  },
  verbose: verboseField,
} satisfies Record<keyof LearningRateSchedulerOptions, Field>;

/**
 * Keras's `LearningRateScheduler` for tf.js `model.fit`: at the start of each epoch, the optimizer's rate becomes
 * `schedule(epoch, currentRate)`, and the epoch's logs (so `history.history`) get the rate under `learning_rate`.
 *
 * Works with any optimizer whose rate is a number: tf.js's seven (SGD and Momentum through `setLearningRate`, the
 * others through their `learningRate` field) and this package's optimizers built with a number. One driven by a
 * schedule (built with one, or through `withSchedule`) makes `fit` reject with a `TypeError`, as in Keras: its rate is
 * not settable. The value `schedule` returns must be a finite number >= 0, or `fit` rejects naming it.
 *
 * With a {@link MultiOptimizer}, as Keras 3.15 does: `schedule(epoch, rate)` is called for each inner optimizer in
 * turn, with its rate, and sets it; each one's rate is logged under `learning_rate_<its name>`
 * (`history.history.learning_rate_adam`), none under `learning_rate`. If one of them is driven by a schedule, `fit`
 * rejects with the `TypeError` and no inner optimizer's rate changes (Keras has set those before it).
 *
 * Differences from Keras: a returned rate that is negative, NaN or not a number is refused (Keras only checks that it
 * is a float).
 *
 * @example
 * import * as tf from '@tensorflow/tfjs';
 * import { LearningRateScheduler } from 'lr-schedules/tfjs';
 *
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
 * model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
 * const halve = new LearningRateScheduler((epoch, lr) => (epoch === 0 ? lr : lr / 2), { verbose: 1 });
 * const history = await model.fit(tf.ones([4, 1]), tf.ones([4, 1]), { epochs: 3, callbacks: [halve], verbose: 0 });
 * history.history.learning_rate; //=> [0.10000000149011612, 0.05000000074505806, 0.02500000037252903]
 * @throws {ScheduleTypeError} `schedule` is not a function, or `verbose` not a number; during `fit`, the rate of a
 *   schedule-driven optimizer cannot be set, or `schedule` returned something other than a number.
 * @throws {ScheduleOptionError} during `fit`, `schedule` returned a negative or non-finite number.
 * @see Keras `keras.callbacks.LearningRateScheduler`
 */
export class LearningRateScheduler extends Callback {
  /** The rate of each epoch: `schedule(epoch, currentRate)`. */
  readonly schedule: EpochSchedule;
  /** 1 prints each change of rate, as Keras's `verbose=1`; 0 is quiet. */
  readonly verbose: number;

  constructor(options: LearningRateSchedulerOptions);
  constructor(schedule: EpochSchedule, options?: Omit<LearningRateSchedulerOptions, "schedule">);
  constructor(schedule: EpochSchedule, verbose?: number);
  constructor(...args: unknown[]) {
    super();
    const c = resolveOptions<Required<LearningRateSchedulerOptions>>("LearningRateScheduler", schedulerFields, args);
    this.schedule = c.schedule;
    this.verbose = c.verbose;
  }

  /** Sets the optimizer's rate to `schedule(epoch, currentRate)`. */
  override async onEpochBegin(epoch: number): Promise<void> {
    const owner = "LearningRateScheduler";
    const changes = rateHolders(this, owner).map((holder) => {
      const current = learningRateOf(holder.optimizer, owner);
      return { holder, rate: checkFloat32(this.schedule(epoch, current), owner, `schedule(${epoch}, ${current})`, "nonNegative") };
    });
    setRates(changes);
    if (this.verbose > 0) {
      for (const { holder, rate } of changes) console.log(`\nEpoch ${epoch + 1}: LearningRateScheduler setting ${holder.name === null ? "" : `${holder.name} `}learning rate to ${rate}.`);
    }
  }

  /** Puts the epoch's rate in its logs, under its key (`learning_rate`, or one per inner optimizer: see rateHolders). */
  override async onEpochEnd(_epoch: number, logs?: EpochLogs): Promise<void> {
    if (logs) for (const { key, rate } of currentRates(this, "LearningRateScheduler")) logs[key] = rate;
  }
}

/**
 * The float32 rate each optimizer of the model will use at its next update, as Keras's callbacks read
 * `learning_rate`, with its key in the logs (see rateHolders).
 */
function currentRates(callback: Callback, owner: string): { key: string; rate: number }[] {
  return rateHolders(callback, owner).map(({ optimizer, key }) => ({ key, rate: learningRateOf(optimizer, owner) }));
}

/** Options of {@link LearningRateLogger}. */
export interface LearningRateLoggerOptions {
  /**
   * Also log each batch's rate: in the batch's logs under `learning_rate` (for `onBatchEnd` callbacks and
   * `ProgbarLogger`), and in `history.history.batch_learning_rate`. @defaultValue false
   */
  perBatch?: boolean;
}

const loggerFields = {
  perBatch: booleanField("per_batch", false),
} satisfies Record<keyof LearningRateLoggerOptions, Field>;

/**
 * Puts the learning rate in `model.fit`'s logs, so in `history.history` and in a `ProgbarLogger`'s lines, for any
 * optimizer: this package's (with a number or a schedule), tf.js's own (`tf.train.sgd`, `adam`, ...), and those driven
 * by `withSchedule`. The rate is the optimizer's `learningRate` in float32, the one mechanism all these callbacks share.
 *
 * What the values are:
 * - `history.history.learning_rate`, one per epoch: the optimizer's rate at the epoch's end, which is what Keras logs
 *   there (`LearningRateScheduler`, `ReduceLROnPlateau` and `TensorBoard` read `optimizer.learning_rate` in
 *   `on_epoch_end`), so the numbers match a Keras run. For a number, that is the rate the epoch's updates used. For a
 *   schedule, it is the rate the *next* update will use: `schedule(n)` after `n` updates, so with a fresh optimizer and
 *   `b` batches per epoch, epoch `e` (from 0) logs `schedule((e + 1) * b)`.
 * - with `perBatch: true`, each batch's logs get the rate *that batch's update used*, read just before the update
 *   (`schedule(n)` for the update that follows `n` others), and `history.history.batch_learning_rate` lists them, one
 *   per batch of the `fit`, in order: with a fresh optimizer, entry `i` is `schedule(i)`.
 *
 * With a {@link MultiOptimizer}, each inner optimizer's rate is logged under `learning_rate_<its name>` (and per
 * batch in `history.history.batch_learning_rate_<its name>`), as Keras 3.15's callbacks log a MultiOptimizer's.
 *
 * If an earlier callback in the list has already put the rate in an epoch's logs (`LearningRateScheduler` and
 * `ReduceLROnPlateau` do, with the same value), it is kept: `ReduceLROnPlateau` logs the rate before it reduces it,
 * as Keras does, whatever the order of the callbacks.
 *
 * @example
 * import * as tf from '@tensorflow/tfjs';
 * import { InverseTimeDecay } from 'lr-schedules';
 * import { LearningRateLogger, SGD } from 'lr-schedules/tfjs';
 *
 * const schedule = new InverseTimeDecay(0.1, 1, 0.5);
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
 * model.compile({ optimizer: new SGD({ learningRate: schedule }), loss: 'meanSquaredError' });
 * const logger = new LearningRateLogger({ perBatch: true });
 * const history = await model.fit(tf.ones([4, 1]), tf.ones([4, 1]), { epochs: 2, batchSize: 2, callbacks: [logger], verbose: 0 });
 * // each batch's update: schedule(0), schedule(1), schedule(2), schedule(3)
 * history.history.batch_learning_rate; //=> [0.10000000149011612, 0.06666667014360428, 0.05000000074505806, 0.03999999910593033]
 * // each epoch's end, after 2 and 4 updates: schedule(2), schedule(4), the next update's rate, as Keras logs it
 * history.history.learning_rate; //=> [0.05000000074505806, 0.03333333507180214]
 * @throws {ScheduleTypeError} `perBatch` is not a boolean, or an unknown option; during `fit`, the model is not
 *   compiled or its optimizer has no numeric `learningRate`.
 * @see Keras `keras.callbacks.LearningRateScheduler` and `ReduceLROnPlateau`, which log `learning_rate` at each epoch's end.
 */
export class LearningRateLogger extends Callback {
  /** Whether each batch's logs get the rate its update used (`batch_learning_rate`, or one per inner optimizer). */
  readonly perBatch: boolean;

  constructor(options?: LearningRateLoggerOptions) {
    super();
    this.perBatch = resolveOptions<Required<LearningRateLoggerOptions>>("LearningRateLogger", loggerFields, options === undefined ? [] : [options]).perBatch;
  }

  /** With `perBatch`, reads the rate this batch's update will use. */
  override async onBatchBegin(_batch: number, logs?: EpochLogs): Promise<void> {
    if (!this.perBatch) return;
    const history = (this.model as { history?: { history?: Record<string, unknown[]> } } | null)?.history?.history;
    for (const { key, rate } of currentRates(this, "LearningRateLogger")) {
      // tf.js passes the same object to onBatchEnd, where the batch's loss joins it.
      if (logs) logs[key] = rate;
      if (history) (history[`${BATCH_HISTORY_PREFIX}${key}`] ??= []).push(rate);
    }
  }

  /** Puts the optimizer's rate at the epoch's end in its logs, under its key (see rateHolders), unless a callback has. */
  override async onEpochEnd(_epoch: number, logs?: EpochLogs): Promise<void> {
    if (!logs) return;
    for (const { key, rate } of currentRates(this, "LearningRateLogger")) if (!(key in logs)) logs[key] = rate;
  }
}

/** Metric names, as tf.js writes them in logs, that improve upward; `loss` and the errors improve downward. */
const MAXIMIZED = [
  "acc",
  "accuracy",
  "binaryAccuracy",
  "categoricalAccuracy",
  "sparseCategoricalAccuracy",
  "topKCategoricalAccuracy",
  "sparseTopKCategoricalAccuracy",
  "precision",
  "recall",
  "r2Score",
];
const MINIMIZED = [
  "loss",
  "ce",
  "binaryCrossentropy",
  "categoricalCrossentropy",
  "sparseCategoricalCrossentropy",
  "mse",
  "MSE",
  "mae",
  "MAE",
  "mape",
  "MAPE",
  "meanSquaredError",
  "meanAbsoluteError",
  "meanAbsolutePercentageError",
  "meanSquaredLogarithmicError",
  "squaredHinge",
  "hinge",
  "categoricalHinge",
  "logcosh",
  "kullbackLeiblerDivergence",
  "poisson",
  // tf.js's cosine metric is the negated similarity (cosineProximity): lower is better.
  "cosine",
  "cosineProximity",
];

/** Keras's `auto` mode: the direction of the monitored metric, from its name without `val_` and output prefixes. */
function directionOf(monitor: string): "min" | "max" | undefined {
  const name = monitor.startsWith("val_") ? monitor.slice(4) : monitor;
  const is = (m: string) => name === m || name.endsWith(`_${m}`);
  if (MINIMIZED.some(is)) return "min";
  if (MAXIMIZED.some(is)) return "max";
  return undefined;
}

/** Options of {@link ReduceLROnPlateau}; Keras's arguments in camelCase, with Keras's defaults. */
export interface ReduceLROnPlateauOptions {
  /** The metric to watch, as tf.js names it in logs: `'val_loss'`, `'loss'`, `'acc'`, `'val_acc'`, `'mse'`... @defaultValue 'val_loss' */
  monitor?: string;
  /** The new rate is `rate * factor`. A finite number >= 0 and < 1. @defaultValue 0.1 */
  factor?: number;
  /** Epochs without improvement before the rate is reduced. An integer >= 0. @defaultValue 10 */
  patience?: number;
  /** 0: quiet; 1: print a line at each reduction. @defaultValue 0 */
  verbose?: number;
  /**
   * `'min'`: improving means decreasing; `'max'`: increasing; `'auto'`: from the metric's name (accuracies, precision,
   * recall and r2Score increase; the loss, crossentropies and errors decrease). @defaultValue 'auto'
   */
  mode?: "auto" | "min" | "max";
  /** How much the metric must move to count as an improvement. A finite number >= 0. @defaultValue 1e-4 */
  minDelta?: number;
  /** Epochs after a reduction during which the patience count is held at 0. An integer >= 0. @defaultValue 0 */
  cooldown?: number;
  /** The rate is never reduced below this. A finite number >= 0. @defaultValue 0 */
  minLr?: number;
}

const plateauFields = {
  monitor: {
    keras: "monitor",
    expected: "a metric's name, such as 'val_loss'",
    default: "val_loss",
    check(value: unknown, owner: string, option: string) {
      if (typeof value !== "string") throw new ScheduleTypeError(owner, option, value, "a metric's name, such as 'val_loss'");
      if (value === "") throw new ScheduleOptionError(owner, option, value, "a metric's name, such as 'val_loss'");
      return value;
    },
  },
  factor: numberField("factor", { ok: (x) => x >= 0 && x < 1, expected: "a finite number >= 0 and < 1" }, 0.1),
  patience: integerField("patience", 0, 10),
  verbose: verboseField,
  mode: choiceField("mode", ["auto", "min", "max"] as const, "auto"),
  minDelta: numberField("min_delta", "nonNegative", 1e-4),
  cooldown: integerField("cooldown", 0, 0),
  minLr: numberField("min_lr", "nonNegative", 0),
} satisfies Record<keyof ReduceLROnPlateauOptions, Field>;

/**
 * Keras's `ReduceLROnPlateau` for tf.js `model.fit`: when the monitored metric has not improved for `patience`
 * epochs, the rate becomes `max(rate * factor, minLr)`; then `cooldown` epochs pass before the count starts again.
 *
 * At each epoch's end, as Keras does: the logs get the rate the epoch used, under `learning_rate`. Then, if a cooldown is
 * running, it counts down and the patience count goes back to 0. A value better than the best by more than `minDelta`
 * (`value + minDelta < best` in `min` mode, `value - minDelta > best` in `max` mode; the first epoch always counts)
 * becomes the best and resets the count; otherwise, out of cooldown, the count goes up, and when it reaches `patience`
 * the rate is reduced if it is above `minLr`, the cooldown starts and the count resets. Every `fit` starts afresh. A
 * metric missing from the logs gives a warning and changes nothing.
 *
 * The optimizer's rate must be a number, as for {@link LearningRateScheduler}; with one driven by a schedule, the
 * first reduction makes `fit` reject with a `TypeError`, as in Keras.
 *
 * With a {@link MultiOptimizer}, as Keras 3.15 does: each inner optimizer's rate is logged under
 * `learning_rate_<its name>`, and a reduction reduces each one above `minLr` (the cooldown starts if any was); one
 * driven by a schedule makes `fit` reject with the `TypeError`, no rate changed.
 *
 * Differences from Keras: tf.js's metric names (`'acc'` for accuracy; `'val_'` prefixes); an unknown `mode`, a
 * `factor` outside [0, 1), a negative `minDelta` (Keras uses its absolute value), or a metric whose direction `'auto'`
 * cannot tell are refused when the callback is built (Keras warns, falls back, or fails at the first epoch's end).
 *
 * @example
 * import * as tf from '@tensorflow/tfjs';
 * import { ReduceLROnPlateau } from 'lr-schedules/tfjs';
 *
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
 * model.compile({ optimizer: tf.train.sgd(0.5), loss: 'meanSquaredError' });
 * const x = tf.reshape(tf.linspace(-1, 1, 40), [40, 1]);
 * const y = tf.add(tf.mul(x, 2), tf.randomNormal([40, 1], 0, 0.5, 'float32', 1));
 * const reduce = new ReduceLROnPlateau({ monitor: 'val_loss', factor: 0.5, patience: 2, minLr: 0.01 });
 * const history = await model.fit(x, y, { epochs: 30, validationSplit: 0.25, callbacks: [reduce], verbose: 0 });
 * history.history.learning_rate; // 0.5 for 14 epochs, then halved at each plateau down to 0.01
 * @throws {ScheduleOptionError} an option out of range, or `mode: 'auto'` with a metric of unknown direction.
 * @throws {ScheduleTypeError} an option of the wrong kind, or an unknown option; during `fit`, the rate of a
 *   schedule-driven optimizer cannot be set.
 * @see Keras `keras.callbacks.ReduceLROnPlateau`
 */
export class ReduceLROnPlateau extends Callback {
  /** The metric watched, by tf.js's name (`'val_loss'`, `'acc'`). */
  readonly monitor: string;
  /** What the rate is multiplied by at a reduction. */
  readonly factor: number;
  /** Epochs without improvement before a reduction. */
  readonly patience: number;
  /** 1 prints each reduction; 0 is quiet. */
  readonly verbose: number;
  /** Whether the metric improves by falling (`'min'`) or rising (`'max'`); `'auto'` reads it from the name. */
  readonly mode: "auto" | "min" | "max";
  /** How much better than the best a value must be to count as an improvement. */
  readonly minDelta: number;
  /** Epochs after a reduction during which no improvement is counted. */
  readonly cooldown: number;
  /** The rate is never reduced below this. */
  readonly minLr: number;
  /** The best value of the metric so far in this `fit`; undefined before the first epoch ends. */
  best: number | undefined = undefined;
  /** Epochs since the last improvement (Keras's `wait`). */
  wait = 0;
  /** Epochs of cooldown left. */
  cooldownCounter = 0;
  private readonly improves: (value: number, best: number) => boolean;

  constructor(options?: ReduceLROnPlateauOptions);
  constructor(monitor: string, options?: Omit<ReduceLROnPlateauOptions, "monitor">);
  constructor(...args: unknown[]) {
    super();
    const owner = "ReduceLROnPlateau";
    const c = resolveOptions<Required<ReduceLROnPlateauOptions>>(owner, plateauFields, args);
    this.monitor = c.monitor;
    this.factor = c.factor;
    this.patience = c.patience;
    this.verbose = c.verbose;
    this.mode = c.mode;
    this.minDelta = c.minDelta;
    this.cooldown = c.cooldown;
    this.minLr = c.minLr;
    const direction = c.mode === "auto" ? directionOf(c.monitor) : c.mode;
    if (direction === undefined) {
      throw new ScheduleOptionError(
        owner,
        "mode",
        c.mode,
        `'min' or 'max' for monitor ${JSON.stringify(c.monitor)}, whose direction 'auto' cannot tell from its name`,
      );
    }
    const delta = c.minDelta;
    this.improves = direction === "min" ? (value, best) => value + delta < best : (value, best) => value - delta > best;
  }

  /** Starts a fresh count: `best`, `wait` and `cooldownCounter` reset at each `fit`. */
  override async onTrainBegin(): Promise<void> {
    this.best = undefined;
    this.wait = 0;
    this.cooldownCounter = 0;
  }

  /** Logs the rate, then applies Keras's rules: counts an epoch without improvement, reduces the rate. */
  override async onEpochEnd(epoch: number, logs?: EpochLogs): Promise<void> {
    const owner = "ReduceLROnPlateau";
    const holders = rateHolders(this, owner);
    const rates = holders.map(({ optimizer }) => learningRateOf(optimizer, owner));
    const values = await resolveLogs(logs ?? {});
    holders.forEach(({ key }, i) => (values[key] = rates[i]!));
    const current = values[this.monitor];
    if (current === undefined) {
      console.warn(
        `ReduceLROnPlateau: the monitored metric \`${this.monitor}\` is not in the epoch's logs, which hold: ` +
          `${Object.keys(values).join(", ")}. The learning rate is left as it is.`,
      );
      return;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.best === undefined || this.improves(current, this.best)) {
      this.best = current;
      this.wait = 0;
      return;
    }
    if (this.cooldownCounter > 0) return;
    this.wait += 1;
    if (this.wait < this.patience) return;
    const changes = holders.flatMap((holder, i) => (rates[i]! > Math.fround(this.minLr) ? [{ holder, rate: Math.max(rates[i]! * this.factor, this.minLr) }] : []));
    if (changes.length === 0) return;
    setRates(changes);
    if (this.verbose > 0) {
      for (const { holder, rate } of changes) console.log(`\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing${holder.name === null ? "" : ` ${holder.name}`} learning rate to ${rate}.`);
    }
    this.cooldownCounter = this.cooldown;
    this.wait = 0;
  }
}
