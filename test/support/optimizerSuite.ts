/**
 * The Keras-faithful optimizers' shared test helpers, in three layers:
 * - a few updates worked by hand: {@link runSteps} from {@link W0} with {@link GRADS}, compared with {@link bits};
 * - Keras's own unit tests, as each `keras/src/optimizers/<name>_test.py` runs them: the golden trajectory, the single
 *   step and the weight-decay test;
 * - what every optimizer is checked for the same way: its saved slots, its bad options, Keras JSON, save and resume
 *   through a model (on a fit golden case's data and model), and tensor leaks.
 */
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { float32Bits } from "../../src/index.js";
import { optimizerFromKeras, optimizerToKeras, type KerasOptimizer, type KerasOptimizerClass } from "../../src/tfjs/index.js";
import { compiledModel, fitCase, fitTrainer } from "./kerasFit.js";

const fr = Math.fround;

type Rows = readonly (readonly number[])[];

/** The weights most unit tests start their three updates from. */
export const W0: readonly number[] = [0.5, -1.25, 2, 0.1];

/**
 * Three steps' gradients for {@link W0}: signs that flip, so that a momentum's history matters, and a second element
 * that shrinks, so that AMSGrad's running maximum does.
 */
export const GRADS: Rows = [
  [0.3, -2.5, 1.1, 0.05],
  [-0.2, 0.01, 0.9, -0.6],
  [0.8, 0.02, -0.3, 0.25],
];

/** `InverseTimeDecay(initial, decaySteps, decayRate)` worked by hand: initial / (1 + decayRate * step / decaySteps), each operation in float32. */
export function inverseTimeByHand(initial: number, decaySteps: number, decayRate: number): (step: number) => number {
  return (step) => fr(fr(initial) / fr(1 + fr(fr(decayRate) * fr(fr(step) / fr(decaySteps)))));
}

/** The settings of {@link adamByHand}; the betas and epsilon default to Keras's. */
export interface AdamByHand {
  /** The rate at each step (from {@link inverseTimeByHand}). */
  rateAt: (step: number) => number;
  w0?: readonly number[];
  grads?: Rows;
  /** The base's decoupled decay before each step, with the full rate. */
  weightDecay?: number | null;
  /** Muon's `adamLrRatio`: the step (not the decay) takes `lr * lrRatio`. */
  lrRatio?: number;
  amsgrad?: boolean;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/**
 * Keras 3's Adam update worked by hand in float32 (adam.py), after the base's weight decay (w -= w * wd * lr, as
 * base_optimizer.py) when `weightDecay` is set: Adam, AdamW and Muon's AdamW path. t = iterations + 1;
 * alpha = lr * sqrt(1 - b2^t) / (1 - b1^t); m += (g - m) * (1 - b1); v += (g^2 - v) * (1 - b2);
 * (amsgrad: vHat = max(vHat, v)); w -= m * alpha / (sqrt(v) + eps). `1 - b1` and `1 - b2` are Python doubles rounded
 * once; everything else is float32. The weights after each of `grads` (default {@link GRADS}, from {@link W0}).
 */
export function adamByHand(o: AdamByHand): number[][] {
  const { rateAt, w0 = W0, grads = GRADS, weightDecay = null, lrRatio = 1, amsgrad = false, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7 } = o;
  const w = w0.map(fr);
  const m = w0.map(() => 0);
  const v = w0.map(() => 0);
  const vHat = w0.map(() => 0);
  return grads.map((g, step) => {
    const lr = rateAt(step);
    const t = fr(step + 1);
    const b1Power = fr(Math.pow(fr(beta1), t));
    const b2Power = fr(Math.pow(fr(beta2), t));
    const alpha = fr(fr(fr(lr * fr(lrRatio)) * fr(Math.sqrt(fr(1 - b2Power)))) / fr(1 - b1Power));
    for (let i = 0; i < w.length; i++) {
      if (weightDecay !== null) w[i] = fr(w[i]! - fr(fr(w[i]! * fr(weightDecay)) * lr));
      const gi = fr(g[i]!);
      m[i] = fr(m[i]! + fr(fr(gi - m[i]!) * fr(1 - beta1)));
      v[i] = fr(v[i]! + fr(fr(fr(gi * gi) - v[i]!) * fr(1 - beta2)));
      vHat[i] = Math.max(vHat[i]!, v[i]!);
      w[i] = fr(w[i]! - fr(fr(m[i]! * alpha) / fr(fr(Math.sqrt(amsgrad ? vHat[i]! : v[i]!)) + fr(epsilon))));
    }
    return [...w];
  });
}

/**
 * Runs `optimizer` on a variable of `shape` starting at `w0` (row-major), one `applyGradients` per gradient; the
 * weights after each. Disposes the optimizer.
 */
export function runSteps(optimizer: KerasOptimizer, w0: readonly number[], grads: Rows, shape: readonly number[] = [w0.length]): number[][] {
  const w = tf.variable(tf.tensor([...w0], [...shape]));
  const out = grads.map((g) => {
    const gradient = tf.tensor([...g], [...shape]);
    optimizer.applyGradients([{ name: w.name, tensor: gradient }]);
    gradient.dispose();
    return Array.from(w.dataSync());
  });
  w.dispose();
  optimizer.dispose();
  return out;
}

/** Float32 bit patterns, row by row: equality of these is equality to the bit. */
export const bits = (rows: Rows) => rows.map((r) => r.map(float32Bits));

/** Each of `actual` strictly within `atol` of `expected`. */
export function expectWithin(actual: readonly number[], expected: readonly number[], atol: number): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((x, i) => expect(Math.abs(x - expected[i]!)).toBeLessThan(atol));
}

/**
 * Keras's `test_correctness_with_golden` run: x = ones(10), a first update with 0.01 everywhere, then updates with
 * arange(0.1, 1.1, 0.1); x before each of those `rows` updates. Disposes the optimizer.
 */
export function kerasGoldenTrajectory(optimizer: KerasOptimizer, rows = 5): number[][] {
  const x = tf.variable(tf.ones([10]));
  const step = (g: tf.Tensor) => {
    optimizer.applyGradients([{ name: x.name, tensor: g }]);
    g.dispose();
  };
  step(tf.fill([10], 0.01));
  const out: number[][] = [];
  for (let k = 0; k < rows; k++) {
    out.push(Array.from(x.dataSync()));
    step(tf.div(tf.range(1, 11), 10));
  }
  x.dispose();
  optimizer.dispose();
  return out;
}

/**
 * Keras's `test_correctness_with_golden`: the trajectory matches the golden rows within Keras's rtol 5e-4 and atol
 * 5e-4; a row of one number stands for ten equal ones.
 */
export function expectKerasGolden(optimizer: KerasOptimizer, golden: Rows): void {
  const trajectory = kerasGoldenTrajectory(optimizer, golden.length);
  golden.forEach((row, k) => {
    const expected = row.length === 1 ? Array.from({ length: 10 }, () => row[0]!) : row;
    trajectory[k]!.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(5e-4 + 5e-4 * Math.abs(expected[i]!)));
  });
}

/** Keras's single-step test: w = [1, 2, 3, 4] (in `shape`), g = [1, 6, 7, 2], one update; w after it. Disposes the optimizer. */
export function kerasSingleStep(optimizer: KerasOptimizer, shape: readonly number[] = [4]): number[] {
  return runSteps(optimizer, [1, 2, 3, 4], [[1, 6, 7, 2]], shape)[0]!;
}

/** Keras's single-step test with Keras's bound: w within rtol 1e-4 and atol 1e-4 of `expected`. */
export function expectKerasSingleStep(optimizer: KerasOptimizer, expected: readonly number[]): void {
  kerasSingleStep(optimizer).forEach((x, i) => expect(Math.abs(x - expected[i]!)).toBeLessThanOrEqual(1e-4 + 1e-4 * Math.abs(expected[i]!)));
}

/**
 * Keras's `test_weight_decay`: with a zero gradient, lr 1 and weight decay 0.004, three optimizers in turn decay a
 * variable at 2 to 1.9760959 (2 * 0.996^3); the second and third also get a variable they exclude, by name and by
 * variable, which stays at 2.
 */
export function expectKerasWeightDecay(make: (options: { learningRate: number; weightDecay: number }) => KerasOptimizer): void {
  const options = { learningRate: 1, weightDecay: 0.004 };
  const var1 = tf.variable(tf.scalar(2));
  const var2 = tf.variable(tf.scalar(2), true, `exclude-${var1.name}`);
  const var3 = tf.variable(tf.scalar(2));
  const zero = tf.scalar(0);
  const o1 = make(options);
  o1.applyGradients({ [var1.name]: zero });
  const o2 = make(options);
  o2.excludeFromWeightDecay({ varNames: ["exclude"] });
  o2.applyGradients({ [var1.name]: zero, [var2.name]: zero });
  const o3 = make(options);
  o3.excludeFromWeightDecay({ varList: [var3] });
  o3.applyGradients({ [var1.name]: zero, [var3.name]: zero });
  expect(Math.abs(var1.dataSync()[0]! - 1.9760959)).toBeLessThan(1e-6);
  expect(var2.dataSync()[0]).toBe(2);
  expect(var3.dataSync()[0]).toBe(2);
  for (const o of [o1, o2, o3]) o.dispose();
  tf.dispose([var1, var2, var3, zero]);
}

/** One weight as an optimizer saves it, read back. */
export interface SavedWeight {
  name: string;
  shape: number[];
  values: number[];
}

/**
 * What `optimizer` saves after one update of the named variables: zeros of a shape, or a tensor's values; each
 * gradient is ones unless `gradient` says otherwise. Disposes the optimizer and the variables.
 */
export async function savedAfterOneUpdate(
  optimizer: KerasOptimizer,
  variables: Readonly<Record<string, readonly number[] | tf.Tensor>>,
  gradient: (v: tf.Variable) => tf.Tensor = (v) => tf.onesLike(v),
): Promise<SavedWeight[]> {
  const vs = Object.entries(variables).map(([name, init]) => {
    const start = init instanceof tf.Tensor ? init : tf.zeros([...init]);
    const v = tf.variable(start, true, name);
    start.dispose();
    return v;
  });
  const gradients = vs.map((v) => ({ name: v.name, tensor: gradient(v) }));
  optimizer.applyGradients(gradients);
  const saved = (await optimizer.getWeights()).map((w) => ({ name: w.name, shape: w.tensor.shape, values: Array.from(w.tensor.dataSync()) }));
  optimizer.dispose();
  tf.dispose([...vs, ...gradients.map((g) => g.tensor)]);
  return saved;
}

/** One bad option: its name, the value, the error's class and a pattern of its message. */
export type BadOption = readonly [option: string, value: unknown, kind: ErrorConstructor, message: RegExp];

/** A value as a test's name shows it: strings, arrays and objects as JSON, numbers as written (NaN, -Infinity). */
const label = (value: unknown) => (typeof value === "string" || (typeof value === "object" && value !== null) ? JSON.stringify(value) : String(value));

/**
 * The bad-options block: for each case, `new cls({ [option]: value })` throws `kind`, with a message that matches
 * `message` and starts with the class's name. `more` adds tests to the block.
 */
export function describeBadOptions(cls: KerasOptimizerClass, cases: readonly BadOption[], more: () => void = () => {}): void {
  describe("bad options throw errors that name the option, the value and what was expected", () => {
    for (const [option, value, kind, message] of cases) {
      it(`new ${cls.kerasName}({ ${option}: ${label(value)} }) throws ${kind.name}`, () => {
        const make = () => new cls({ [option]: value });
        expect(make).toThrow(kind);
        expect(make).toThrow(message);
        expect(make).toThrow(new RegExp(`^${cls.kerasName}: `));
      });
    }
    more();
  });
}

/** The Keras JSON of a fit golden case builds a `cls`, and `optimizerToKeras` writes it back unchanged. */
export function expectGoldenJsonRoundTrip(caseName: string, cls: KerasOptimizerClass): void {
  const json = fitCase(caseName).keras_optimizer as ReturnType<typeof optimizerToKeras>;
  const o = optimizerFromKeras(json);
  expect(o).toBeInstanceOf(cls);
  expect(optimizerToKeras(o)).toEqual(json);
  o.dispose();
}

/** Saves to memory as tf.js does to a file (the artifacts go through JSON, as model.json does) and loads it back. */
async function saveAndLoad(m: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await m.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
    { includeOptimizer: true },
  );
  const artifacts = {
    ...saved!,
    modelTopology: JSON.parse(JSON.stringify(saved!.modelTopology)),
    trainingConfig: JSON.parse(JSON.stringify(saved!.trainingConfig)),
  };
  return tf.loadLayersModel(tf.io.fromMemory(artifacts));
}

/** A model's weights as float32 bit patterns. */
export const modelBits = (m: tf.LayersModel) => bits(m.getWeights().map((w) => Array.from(w.dataSync())));

const shapes = (weights: readonly { tensor: tf.Tensor }[]) => weights.map((w) => w.tensor.shape);
const savedCalls = async (optimizer: KerasOptimizer) => (await optimizer.getWeights())[0]!.tensor.dataSync()[0];

/**
 * On the data and model of the fit golden case `caseName`: 2 epochs, save with the optimizer, load, 3 more epochs,
 * against 5 epochs straight. The optimizer comes back with its class, config, rate, call count and slot shapes; the
 * weights and losses are the same bit for bit, and again after `finalizeVariableValues` (the EMA averages, when
 * `useEma`). `prepare` runs on each optimizer once made or loaded: what its config does not hold (weight-decay
 * exclusions), or checks of its own.
 */
export async function expectSaveResumeExact(make: () => KerasOptimizer, caseName: string, prepare: (optimizer: KerasOptimizer) => void = () => {}): Promise<void> {
  const c = fitCase(caseName);
  const callsPerEpoch = Math.ceil(c.n / c.batch_size);
  const trainer = fitTrainer(c);
  const prepared = (optimizer: KerasOptimizer) => {
    prepare(optimizer);
    return optimizer;
  };
  const straightOptimizer = prepared(make());
  const straight = compiledModel(c, straightOptimizer);
  const straightHistory = await trainer.fit(straight, 5);

  const firstOptimizer = prepared(make());
  const first = compiledModel(c, firstOptimizer);
  await trainer.fit(first, 2);
  const resumed = await saveAndLoad(first);
  const optimizer = prepared(resumed.optimizer as KerasOptimizer);
  expect(optimizer.constructor).toBe(firstOptimizer.constructor);
  expect(optimizer.getConfig()).toEqual(firstOptimizer.getConfig());
  expect(optimizer.iterations).toBe(firstOptimizer.iterations);
  expect(optimizer.learningRate).toBe(firstOptimizer.learningRate);
  expect(await savedCalls(optimizer)).toBe(2 * callsPerEpoch);
  expect(shapes(await optimizer.getWeights())).toEqual(shapes(await firstOptimizer.getWeights()));
  const resumedHistory = await trainer.fit(resumed, 3);

  expect(modelBits(resumed)).toEqual(modelBits(straight));
  expect(resumedHistory.history.loss).toEqual(straightHistory.history.loss!.slice(2));
  expect(optimizer.iterations).toBe(straightOptimizer.iterations);
  expect(await savedCalls(optimizer)).toBe(5 * callsPerEpoch);
  expect(shapes(await optimizer.getWeights())).toEqual(shapes(await straightOptimizer.getWeights()));
  straightOptimizer.finalizeVariableValues(straight);
  optimizer.finalizeVariableValues(resumed);
  expect(modelBits(resumed)).toEqual(modelBits(straight));
  trainer.dispose();
  for (const o of [straightOptimizer, firstOptimizer, optimizer]) o.dispose();
  for (const m of [straight, first, resumed]) m.dispose();
}

/**
 * No tensor leak over `steps` `minimize` steps of a fresh optimizer, on a 2-D weight and a bias (so that optimizers
 * that treat matrices apart take both paths; the bias's name holds `leak-bias`, for exclusions): the tensor count
 * after 10 steps stays the same to the last step, `getWeights` keeps one `iter` scalar (freed by the next call), and
 * `dispose` frees everything else (slots, accumulators, averages).
 */
export async function expectNoTensorLeak(make: () => KerasOptimizer, steps = 10_000): Promise<void> {
  const w = tf.variable(tf.tensor2d([[0.5, -0.2], [0.1, 0.3], [-0.4, 0.2]]));
  const b = tf.variable(tf.tensor1d([0.05, -0.05]), true, `leak-bias-${w.name}`);
  const x = tf.tensor2d([[1, 2, 3], [-1, 0.5, 2]]);
  const target = tf.tensor2d([[1, 0], [0, 1]]);
  const loss = () => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(x, w), b), target))) as tf.Scalar;
  const start = tf.memory().numTensors;
  const optimizer = make();
  for (let i = 0; i < 10; i++) optimizer.minimize(loss);
  const after10 = tf.memory().numTensors;
  for (let i = 10; i < steps; i++) optimizer.minimize(loss);
  expect(tf.memory().numTensors).toBe(after10);
  for (let i = 0; i < 5; i++) await optimizer.getWeights();
  expect(tf.memory().numTensors).toBe(after10 + 1);
  optimizer.dispose();
  expect(tf.memory().numTensors).toBe(start);
  tf.dispose([w, b, x, target]);
}
