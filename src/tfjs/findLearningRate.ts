/**
 * `findLearningRate`: the learning-rate range test for a compiled tf.js model, as fastai's `lr_find` and PyTorch
 * Lightning's `Tuner.lr_find` run it. The arithmetic (rates, smoothing, suggestion rules) is in `../rangeTest.ts`.
 */
import type * as tfc from "@tensorflow/tfjs-core";
import type { Optimizer, Tensor } from "@tensorflow/tfjs-core";
import { Callback, CustomCallback, type CustomCallbackArgs, type LayersModel } from "@tensorflow/tfjs-layers";
import { ScheduleOptionError, ScheduleTypeError } from "../errors.js";
import { declareOptions, isPlainObject, option, resolveOptions, type Option } from "../options.js";
import { rangeTestRates, rangeTestSuggestions, SmoothedLoss, type RangeTestResult } from "../rangeTest.js";
import { ProgbarLogger } from "./progress.js";
import { setLearningRateOf } from "./withSchedule.js";

export type { RangeTestResult } from "../rangeTest.js";

const OWNER = "findLearningRate";

/** Options of {@link findLearningRate}. */
export interface FindLearningRateOptions {
  /** The first step's rate. @defaultValue 1e-7 */
  startLearningRate?: number;
  /** The last step's rate, above `startLearningRate`. @defaultValue 10 */
  endLearningRate?: number;
  /** How many steps (batches) to train at most, at least 2. @defaultValue 100 */
  numSteps?: number;
  /** How the rate grows from start to end: evenly in log space, or linearly. @defaultValue 'exponential' */
  mode?: "exponential" | "linear";
  /** The weight of the past in the smoothed loss, in [0, 1); 0 smooths nothing. @defaultValue 0.98 */
  smoothing?: number;
  /** Stop once the smoothed loss exceeds this many times its lowest so far (> 1), or `null` never to. @defaultValue 4 */
  divergenceThreshold?: number | null;
  /** The batch size when the data are tensors (a dataset brings its own batches). @defaultValue 32 */
  batchSize?: number;
  /** Whether `fit` shuffles tensor data before each epoch, as `fit` does by default. @defaultValue true */
  shuffle?: boolean;
  /** The optimizer whose update rule the test uses; a copy is trained, this one is left as it is. @defaultValue the model's compiled optimizer */
  optimizer?: Optimizer;
  /**
   * `0` prints nothing; otherwise Keras's progress output for each epoch of the test, as {@link ProgbarLogger} draws
   * it with this `verbose` (`1` a bar redrawn in place, `2` a line an epoch, `'auto'` the bar on a terminal), with
   * the `learning_rate` of the step shown (the epoch's last, at its end). @defaultValue 0
   */
  verbose?: 0 | 1 | 2 | "auto";
  /** `model.fit` callbacks to run during the test, as `fit` takes them. */
  callbacks?: NonNullable<Parameters<LayersModel["fit"]>[2]>["callbacks"];
}

/** A `tf.data.Dataset` of `{ xs, ys }` batches, as `model.fitDataset` takes it. */
type Dataset = Parameters<LayersModel["fitDataset"]>[0];
type Inputs = Parameters<LayersModel["fit"]>[0];

const unitOpen = { min: 0, max: 1, maxOpen: true };
const aboveOne = { min: 1, minOpen: true };

const fields = declareOptions({
  startLearningRate: option.number({ rule: "positive" }, 1e-7),
  endLearningRate: option.number({ rule: "positive" }, 10),
  numSteps: option.number({ rule: { min: 2, integer: true } }, 100),
  mode: option.choice(["exponential", "linear"], "exponential"),
  smoothing: option.number({ rule: unitOpen }, 0.98),
  divergenceThreshold: option.nullableNumber({ rule: aboveOne }, 4),
  batchSize: option.number({ rule: { min: 1, integer: true } }, 32),
  shuffle: option.boolean(true),
  optimizer: {
    expected: "a tf.js optimizer (one of this package's or tf.js's own)",
    check(value: unknown, owner: string, option: string) {
      if (!isOptimizer(value)) throw new ScheduleTypeError(owner, option, value, "a tf.js optimizer (one of this package's or tf.js's own)");
      return value;
    },
    default: null,
  } satisfies Option<Optimizer | null>,
  verbose: {
    expected: "0, 1, 2 or 'auto'",
    default: 0,
    check(value: unknown, owner: string, option: string) {
      if (value === 0 || value === 1 || value === 2 || value === "auto") return value;
      const Kind = typeof value === "number" || typeof value === "string" ? ScheduleOptionError : ScheduleTypeError;
      throw new Kind(owner, option, value, "0, 1, 2 or 'auto'");
    },
  } satisfies Option<0 | 1 | 2 | "auto">,
  callbacks: {
    expected: "tf.js callbacks, or objects of callback functions, as model.fit takes them",
    check: (value: unknown) => value,
    default: null,
  } satisfies Option<unknown>,
} satisfies Record<keyof FindLearningRateOptions, Option>);

/**
 * The learning-rate range test (Smith 2017), fastai's `lr_find` for tf.js: trains the model for up to `numSteps`
 * batches while the rate grows from `startLearningRate` to `endLearningRate`, records each batch's loss, stops early
 * when the smoothed loss passes `divergenceThreshold` times its lowest, then puts the model back, and suggests a rate.
 *
 * The training is `model.fit` (or `model.fitDataset`) with a copy of the optimizer (built from its config with the
 * rate replaced), so that the model's own optimizer is never touched, and the model's weights (trainable or not) are
 * restored bit for bit afterwards, also when the test stops early or throws. No tensor is left behind. Both this
 * package's optimizers and tf.js's own work; the copy does not carry `excludeFromWeightDecay` exclusions.
 *
 * The suggestions follow fastai's rules (see `suggestLearningRate`), applied to the smoothed losses after fastai's
 * trimming: from the first non-finite loss on, the first tenth of `numSteps` and the last five recorded steps are
 * dropped. Where fewer than 2 points survive, every finite point is used.
 *
 * Unlike fastai, whose last rate falls one step short of `end_lr`, the rates run from `startLearningRate` to
 * `endLearningRate` inclusive: step i of n uses `start * (end / start) ** (i / (n - 1))` (or the linear
 * interpolation).
 *
 * @param model - a compiled tf.js `LayersModel`.
 * @param dataset - a `tf.data.Dataset` of `{ xs, ys }` batches (or the inputs and targets, as in the other form).
 * @param options - the range, the rules' settings and `model.fit`'s, each optional.
 * @example
 * import * as tf from '@tensorflow/tfjs';
 * import { findLearningRate, SGD } from 'lr-schedules/tfjs';
 *
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
 * model.compile({ optimizer: new SGD({ learningRate: 0.01 }), loss: 'meanSquaredError' });
 * const x = tf.randomNormal([256, 2], 0, 1, 'float32', 1);
 * const y = x.matMul(tf.tensor2d([[2], [-3]])).add(1);
 * const before = model.getWeights().map((w) => Array.from(w.dataSync()));
 * const result = await findLearningRate(model, x, y, { startLearningRate: 1e-4, endLearningRate: 10, numSteps: 60 });
 * result.learningRates.length <= 60;                          //=> true
 * result.suggestion > 1e-4 && result.suggestion < 10;          //=> true
 * const after = model.getWeights().map((w) => Array.from(w.dataSync()));
 * JSON.stringify(after) === JSON.stringify(before);             //=> true
 * @throws {ScheduleTypeError} the model is not compiled, the data are missing, or an option has the wrong kind.
 * @throws {ScheduleOptionError} an option is out of range, `endLearningRate` is not above `startLearningRate`, or the
 *   loss was not finite from the first steps on, so that no suggestion can be made (lower `startLearningRate`).
 */
export async function findLearningRate(model: LayersModel, dataset: Dataset, options?: FindLearningRateOptions): Promise<RangeTestResult>;
/**
 * The range test on inputs and targets as `model.fit` takes them: everything else as in the form with a dataset
 * above.
 * @param model - a compiled tf.js `LayersModel`.
 * @param x - the inputs, as `model.fit` takes them.
 * @param y - the targets, as `model.fit` takes them.
 * @param options - the range, the rules' settings and `model.fit`'s, each optional.
 */
export async function findLearningRate(model: LayersModel, x: Inputs, y: Inputs, options?: FindLearningRateOptions): Promise<RangeTestResult>;
export async function findLearningRate(model: LayersModel, ...args: unknown[]): Promise<RangeTestResult> {
  const fromDataset = isDataset(args[0]);
  const given = fromDataset ? args[1] : args[2];
  if (!fromDataset && (args[0] == null || args[1] == null)) {
    throw new ScheduleTypeError(OWNER, args[0] == null ? "x" : "y", args[0] == null ? args[0] : args[1], "tensors as model.fit takes them, or a tf.data.Dataset");
  }
  if (given !== undefined && !isPlainObject(given)) throw new ScheduleTypeError(OWNER, "options", given, "a plain object of options");
  const o = resolveOptions<Required<FindLearningRateOptions>>(OWNER, fields, given === undefined ? [] : [given]);
  if (!(o.endLearningRate > o.startLearningRate)) {
    throw new ScheduleOptionError(OWNER, "endLearningRate", o.endLearningRate, `a rate above startLearningRate (${o.startLearningRate})`);
  }
  const original = (model as { optimizer?: Optimizer } | null)?.optimizer;
  if (original == null) throw new ScheduleTypeError(OWNER, "model", model, "a compiled tf.js LayersModel (call model.compile first)");
  const samples = fromDataset ? 0 : sampleCount(args[0] as Inputs, args[1] as Inputs);
  const guard = new CallbackGuard(userCallbacks(o.callbacks));

  const learningRates = rangeTestRates(o.startLearningRate, o.endLearningRate, o.numSteps, o.mode);
  const copy = copyOf(o.optimizer ?? original, learningRates[0]!);
  const recorder = new RangeTestRecorder(copy, learningRates, o.smoothing, o.divergenceThreshold);
  const state = model as unknown as ModelState;
  const { isOptimizerOwned, history } = state;
  const snapshot = model.getWeights().map((w) => w.clone());
  model.optimizer = copy;
  try {
    const fitCallbacks: Callback[] = [recorder, guard];
    if (o.verbose !== 0) fitCallbacks.push(new ProgbarLogger({ verbose: o.verbose }));
    if (fromDataset) {
      await model.fitDataset(args[0] as Dataset, { epochs: o.numSteps, callbacks: fitCallbacks, verbose: 0 });
    } else {
      const epochs = Math.ceil(o.numSteps / Math.max(1, Math.ceil(samples / o.batchSize)));
      await model.fit(args[0] as Inputs, args[1] as Inputs, { batchSize: o.batchSize, epochs, shuffle: o.shuffle, callbacks: fitCallbacks, verbose: 0 });
    }
  } finally {
    model.optimizer = original;
    state.isOptimizerOwned = isOptimizerOwned;
    state.history = history;
    model.stopTraining = false;
    model.setWeights(snapshot);
    for (const w of snapshot) w.dispose();
    disposeOptimizer(copy);
  }
  guard.rethrow();

  const { losses, smoothed } = recorder;
  const used = learningRates.slice(0, losses.length);
  const suggestions = rangeTestSuggestions(used, smoothed, o.numSteps);
  if (suggestions === null) {
    throw new ScheduleOptionError(
      OWNER,
      "startLearningRate",
      o.startLearningRate,
      `a rate at which the loss stays finite for at least 2 steps (the losses were ${losses.slice(0, 3).join(", ")}): lower it`,
    );
  }
  return { learningRates: used, losses, smoothedLosses: smoothed, suggestion: suggestions.valley, suggestions, stoppedEarly: losses.length < o.numSteps };
}

/** The members of a tf.js `LayersModel` the test saves and restores that its typings keep protected. */
interface ModelState {
  isOptimizerOwned: boolean;
  history: unknown;
}

/** Sets each step's rate before the step, records its loss after, and stops `fit` at the end or on divergence. */
class RangeTestRecorder extends Callback {
  readonly losses: number[] = [];
  readonly smoothed: number[] = [];
  private best = Infinity;
  private readonly smoother: SmoothedLoss;

  constructor(
    private readonly optimizer: Optimizer,
    private readonly rates: readonly number[],
    smoothing: number,
    private readonly divergenceThreshold: number | null,
  ) {
    super();
    this.smoother = new SmoothedLoss(smoothing);
  }

  override async onBatchBegin(): Promise<void> {
    setLearningRateOf(this.optimizer, this.rates[this.losses.length]!);
  }

  override async onBatchEnd(_batch: number, logs?: Record<string, number | Tensor>): Promise<void> {
    // The step's rate beside its loss, under Keras's key, for the progress output and the user's callbacks.
    if (logs) logs.learning_rate = this.rates[this.losses.length]!;
    const value = logs?.loss;
    const loss = typeof value === "number" ? value : value ? (await value.data())[0]! : NaN;
    this.losses.push(loss);
    const smoothed = this.smoother.add(loss);
    this.smoothed.push(smoothed);
    if (smoothed < this.best) this.best = smoothed;
    const diverged = !Number.isFinite(smoothed) || (this.divergenceThreshold !== null && smoothed > this.divergenceThreshold * this.best);
    if (diverged || this.losses.length >= this.rates.length) this.model!.stopTraining = true;
  }

  override async onEpochEnd(_epoch: number, logs?: Record<string, number | Tensor>): Promise<void> {
    if (logs) logs.learning_rate = this.rates[this.losses.length - 1]!;
  }
}

const HOOKS = ["onTrainBegin", "onTrainEnd", "onEpochBegin", "onEpochEnd", "onBatchBegin", "onBatchEnd"] as const;

/**
 * Runs the user's callbacks inside `fit` so that one that throws stops training instead of unwinding through `fit`:
 * tf.js's `fit` leaves the batch's loss and the epoch's index tensor behind when a callback throws. The first error
 * stops the training after the current batch, no further user hook runs, and `rethrow` throws it once the model is
 * back.
 */
class CallbackGuard extends Callback {
  private error: { thrown: unknown } | null = null;

  constructor(private readonly callbacks: readonly Callback[]) {
    super();
    for (const hook of HOOKS) {
      this[hook] = async (...args: [never, never?]) => {
        for (const c of this.callbacks) {
          if (this.error) return;
          try {
            await (c[hook] as (...a: unknown[]) => Promise<void>).apply(c, args);
          } catch (thrown) {
            this.error = { thrown };
            this.model!.stopTraining = true;
          }
        }
      };
    }
  }

  override setParams(params: Parameters<Callback["setParams"]>[0]): void {
    super.setParams(params);
    for (const c of this.callbacks) c.setParams(params);
  }

  override setModel(model: Parameters<Callback["setModel"]>[0]): void {
    super.setModel(model);
    for (const c of this.callbacks) c.setModel(model);
  }

  rethrow(): void {
    if (this.error) throw this.error.thrown;
  }
}

/**
 * Disposes the test's copy. tf.js's `MomentumOptimizer.dispose` forgets the scalar rate its parent `SGDOptimizer`
 * keeps in `c` (tfjs-core 4.22), so that one is disposed here too.
 */
function disposeOptimizer(optimizer: Optimizer): void {
  optimizer.dispose();
  const rate = (optimizer as unknown as { c?: Tensor }).c;
  if (rate != null && !rate.isDisposed) rate.dispose();
}

/** A fresh optimizer of the same class and options, at `learningRate`: the test trains this copy. */
function copyOf(optimizer: Optimizer, learningRate: number): Optimizer {
  const cls = optimizer.constructor as unknown as {
    fromConfig(cls: unknown, config: tfc.serialization.ConfigDict): Optimizer;
  };
  return cls.fromConfig(cls, { ...optimizer.getConfig(), learningRate });
}

/**
 * The user's callbacks as callback objects: `fit` takes either objects or plain objects of functions, not a mix, and
 * the test adds its own object.
 */
function userCallbacks(callbacks: unknown): Callback[] {
  if (callbacks == null) return [];
  const list: unknown[] = Array.isArray(callbacks) ? callbacks : [callbacks];
  return list.map((c, i) => {
    if (typeof (c as { setModel?: unknown } | null)?.setModel === "function") return c as Callback;
    if (isPlainObject(c)) return new CustomCallback(c as CustomCallbackArgs) as unknown as Callback;
    throw new ScheduleTypeError(OWNER, `callbacks[${i}]`, c, "a tf.js callback, or an object of callback functions");
  });
}

function isOptimizer(x: unknown): x is Optimizer {
  const o = x as Partial<Record<"applyGradients" | "minimize" | "getConfig", unknown>> | null;
  return typeof o === "object" && o !== null && typeof o.applyGradients === "function" && typeof o.minimize === "function" && typeof o.getConfig === "function";
}

function isDataset(x: unknown): x is Dataset {
  return typeof x === "object" && x !== null && typeof (x as { iterator?: unknown }).iterator === "function";
}

/** The tensors of `fit`'s inputs or targets: one tensor, an array of them, or an object of them by name. */
function tensorsOf(x: Inputs): Tensor[] {
  return Array.isArray(x) ? x : (x as Tensor).shape ? [x as Tensor] : Object.values(x as Record<string, Tensor>);
}

/**
 * The number of samples in `fit`'s data: the first dimension every input and target tensor shares. A mismatch is
 * refused before anything is trained (tf.js's `fit` would refuse it with an error of its own).
 */
function sampleCount(x: Inputs, y: Inputs): number {
  const [first, ...rest] = tensorsOf(x);
  const samples = first?.shape[0] ?? 0;
  for (const [name, data] of [["x", x], ["y", y]] as const) {
    for (const tensor of name === "x" ? rest : tensorsOf(data)) {
      const n = tensor?.shape?.[0];
      if (n !== samples) throw new ScheduleOptionError(OWNER, name, `tensors of ${String(n)} samples`, `tensors of as many samples as x's first (${samples})`);
    }
  }
  return samples;
}
