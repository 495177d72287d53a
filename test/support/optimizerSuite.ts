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
import { float32Bits, InverseTimeDecay } from "../../src/index.js";
import { Adam, MultiOptimizer, OptimizerMap, optimizerFromKeras, optimizerToKeras, SGD, type KerasOptimizer, type KerasOptimizerClass } from "../../src/tfjs/index.js";
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
  // A MultiOptimizer's getWeights gets each inner optimizer's, which keeps its own.
  expect(tf.memory().numTensors).toBe(after10 + 1 + (optimizer instanceof MultiOptimizer ? optimizer.optimizers.length : 0));
  optimizer.dispose();
  expect(tf.memory().numTensors).toBe(start);
  tf.dispose([w, b, x, target]);
}

/**
 * What a refused call must leave as it was: the count, the rate (a MultiOptimizer's inner optimizers' counts and
 * rates), every saved weight and every variable's values.
 */
interface OptimizerState {
  iterations: number[];
  learningRates: number[];
  weights: SavedWeight[];
  variables: number[][];
}

async function stateOf(optimizer: KerasOptimizer, variables: readonly tf.Variable[]): Promise<OptimizerState> {
  const weights = (await optimizer.getWeights()).map((w) => ({ name: w.name, shape: w.tensor.shape, values: Array.from(w.tensor.dataSync()) }));
  const inner = optimizer instanceof MultiOptimizer ? optimizer.optimizers : [];
  return {
    iterations: [optimizer, ...inner].map((o) => o.iterations),
    learningRates: inner.length > 0 ? inner.map((o) => o.learningRate) : [optimizer.learningRate],
    weights,
    variables: variables.map((v) => Array.from(v.dataSync())),
  };
}

/** The kinds (the name after the last `/`) and shapes of saved slots: what tells two optimizers' weights apart. */
const layoutOf = (weights: readonly { name: string; tensor: tf.Tensor }[]) => weights.slice(1).map((w) => `${w.name.slice(w.name.lastIndexOf("/") + 1)}[${w.tensor.shape.join(",")}]`);

/** A refusal: one of this library's named errors, its message starting with the class's Keras name (or `owner`). */
function expectRefusal(run: () => unknown, cls: KerasOptimizerClass | RegExp): void {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error, "the call was accepted").toBeInstanceOf(Error);
  expect((error as Error).name).toMatch(/^Schedule(Option|Type)Error$/);
  expect((error as Error).message).toMatch(cls instanceof RegExp ? cls : new RegExp(`^${cls.kerasName}: `));
}

async function expectRefusedAsync(run: () => Promise<unknown>, cls: KerasOptimizerClass | RegExp): Promise<void> {
  const error = await run().then(() => undefined, (e: unknown) => e);
  expectRefusal(() => {
    if (error) throw error;
  }, cls);
}

/**
 * The variables every state check runs on: a 2x3 kernel and a bias of 3 (so that optimizers that treat matrices apart,
 * Muon and Adafactor, take both paths), their gradients, and a third variable no optimizer is built for.
 */
function stateProblem() {
  const kernel = tf.variable(tf.tensor2d([[0.5, -0.2, 0.1], [0.3, -0.4, 0.2]]));
  const bias = tf.variable(tf.tensor1d([0.05, -0.05, 0.1]));
  const stranger = tf.variable(tf.zeros([3]));
  const gK = tf.tensor2d([[0.1, -0.3, 0.2], [0.05, 0.4, -0.1]]);
  const gB = tf.tensor1d([0.2, -0.1, 0.3]);
  const variables: tf.Variable[] = [kernel, bias];
  const start = variables.map((v) => tf.clone(v));
  return {
    kernel,
    bias,
    stranger,
    variables,
    good: (): tf.NamedTensorMap => ({ [kernel.name]: gK, [bias.name]: gB }),
    /** Puts the variables back at their starting values. */
    reset: () => variables.forEach((v, i) => v.assign(start[i]!)),
    dispose: () => tf.dispose([kernel, bias, stranger, gK, gB, ...start]),
  };
}

type StateProblem = ReturnType<typeof stateProblem>;

/** Gradient lists that must be refused whole: each with a good gradient for the kernel, and one bad thing. */
function badGradientLists(p: StateProblem): [string, () => tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[]][] {
  const k = p.kernel.name;
  const b = p.bias.name;
  const g = p.good();
  const gK = g[k]!;
  return [
    ["the bias's gradient of shape [2], last", () => ({ [k]: gK, [b]: tf.zeros([2]) })],
    ["the bias's gradient of shape [2], first", () => ({ [b]: tf.zeros([2]), [k]: gK })],
    ["a scalar gradient for the bias (tf.js would broadcast it)", () => ({ [k]: gK, [b]: tf.scalar(0.5) })],
    ["a [1] gradient for the bias", () => ({ [k]: gK, [b]: tf.tensor1d([0.5]) })],
    ["a bool gradient", () => ({ [k]: gK, [b]: tf.tensor1d([true, false, true], "bool") })],
    ["an int32 gradient", () => ({ [k]: gK, [b]: tf.tensor1d([1, 0, 1], "int32") })],
    ["a number as a gradient", () => ({ [k]: gK, [b]: 0.5 as unknown as tf.Tensor })],
    ["a disposed gradient", () => {
      const gone = tf.zeros([3]);
      gone.dispose();
      return { [k]: gK, [b]: gone };
    }],
    ["the name of no variable", () => ({ [k]: gK, "no such variable": g[b]! })],
    ["no gradient at all", () => ({ [k]: null as unknown as tf.Tensor, [b]: null as unknown as tf.Tensor })],
    ["a list whose second entry has the wrong shape", () => [{ name: k, tensor: gK }, { name: b, tensor: tf.zeros([3, 1]) }]],
    ["a list that names the bias twice", () => [{ name: k, tensor: gK }, { name: b, tensor: g[b]! }, { name: b, tensor: g[b]! }]],
  ];
}

/**
 * What the state checks need to know of the optimizer they run on (a single class, or a MultiOptimizer): how it is
 * made with options of kind `O`, and how its errors and weights look.
 */
interface StateSubject<O extends object> {
  /** The describe block's title, before ": state changes whole or not at all". */
  title: string;
  /** Whose name a refusal's message starts with: the class, or a pattern (a MultiOptimizer or one of its inner ones). */
  owner: KerasOptimizerClass | RegExp;
  /** A new optimizer for `p`'s variables; no options: its defaults. */
  make: (p: StateProblem, options?: O) => KerasOptimizer;
  /** Options that add state: weight decay, EMA and gradient accumulation of 2 steps. */
  stateful: O;
  /**
   * Whether `setWeights` before the first update may refuse slots that do not fit at once: a MultiOptimizer knows its
   * inner optimizers' weight names; a single optimizer has no slots before that update, which refuses them.
   */
  refusesBeforeFirstUpdate: boolean;
  /** Options whose slots differ from the defaults' (in number, kind or shape), and from one another's. */
  slotVariants: readonly O[];
  /** The classes whose weights (saved with their defaults) are refused, when their slots differ. */
  donors: readonly KerasOptimizerClass[];
  /** How many `applyGradients` calls make one of its `iterations` with `options`: gradient accumulation's steps, or 1. */
  callsPerIteration: (options: O | undefined) => number;
  /** `getWeights` before the first update: its counts. */
  freshWeightNames: readonly string[];
  /** The count weights a bad value is tried in. */
  iterWeightNames: readonly string[];
  /** Weights that no slot takes: [what it is, its name]. */
  extraWeights: readonly (readonly [string, string])[];
  /** The round trip's source and targets: their options and the source's updates before it is saved. */
  roundTrip: { options?: O; updates: number };
  /** The `iterations` setter's runs: their options. */
  setterOptions: readonly (O | undefined)[];
  /** The rate after `iterations` is set to give `calls` calls, for an optimizer with a rate of its own. */
  rateAfterSet?: (calls: number) => number;
}

/** Its count and its inner optimizers' (a MultiOptimizer's). */
const countsOf = (o: KerasOptimizer) => [o, ...(o instanceof MultiOptimizer ? o.optimizers : [])].map((x) => x.iterations);

/**
 * The state checks, on one {@link StateSubject}; {@link describeOptimizerState} and
 * {@link describeMultiOptimizerState} say what they are.
 */
function describeStateChecks<O extends object>(s: StateSubject<O>): void {
  const iterationsAfter = (options: O | undefined, calls: number) => Math.floor(calls / s.callsPerIteration(options));

  describe(`${s.title}: state changes whole or not at all`, () => {
    for (const [label, options, steps] of [["defaults", undefined, 2], ["weight decay, EMA and gradient accumulation (a partial sum)", s.stateful, 3]] as const) {
      it(`applyGradients with a bad gradient list throws a named error and changes nothing, fresh and after ${steps} updates (${label})`, async () => {
        const p = stateProblem();
        for (const updates of [0, steps]) {
          const o = s.make(p, options);
          for (let i = 0; i < updates; i++) o.applyGradients(p.good());
          for (const [what, list] of [...badGradientLists(p), ...(updates > 0 ? ([["a variable it was not built for", () => ({ ...p.good(), [p.stranger.name]: tf.zeros([3]) })]] as const) : [])]) {
            const before = await stateOf(o, p.variables);
            const count = tf.memory().numTensors;
            const args = tf.tidy(() => {
              const a = list();
              for (const t of Array.isArray(a) ? a.map((x) => x.tensor) : Object.values(a)) if (t instanceof tf.Tensor && !t.isDisposed) tf.keep(t);
              return a;
            });
            const made = tf.memory().numTensors - count;
            expectRefusal(() => o.applyGradients(args), s.owner);
            expect(tf.memory().numTensors - count, what).toBe(made);
            expect(await stateOf(o, p.variables), what).toEqual(before);
            const good = Object.values(p.good());
            for (const t of Array.isArray(args) ? args.map((x) => x.tensor) : Object.values(args)) if (t instanceof tf.Tensor && !good.includes(t)) t.dispose();
          }
          o.applyGradients(p.good()); // and it still trains
          expect(o.iterations).toBe(iterationsAfter(options, updates + 1));
          o.dispose();
          p.reset();
        }
        p.dispose();
      });
    }

    it("setWeights refuses weights of another class or of options that shape the slots otherwise, leaving the target as it was", async () => {
      const p = stateProblem();
      const savedBy = async (o: KerasOptimizer) => {
        o.applyGradients(p.good());
        const weights = (await o.getWeights()).map((w) => ({ name: w.name, tensor: tf.clone(w.tensor) }));
        o.dispose();
        p.reset();
        return weights;
      };
      const targets = [undefined, ...s.slotVariants];
      const own = await Promise.all(targets.map((options) => savedBy(s.make(p, options))));
      const otherClasses: [string, { name: string; tensor: tf.Tensor }[]][] = [];
      for (const other of s.donors) otherClasses.push([other.kerasName, await savedBy(new other({}) as KerasOptimizer)]);
      for (const [t, options] of targets.entries()) {
        const otherOptions = own.flatMap((weights, d) => (d === t ? [] : [[`${s.title}(${JSON.stringify(targets[d] ?? {})})`, weights] as const]));
        const layout = JSON.stringify(layoutOf(own[t]!));
        // Weights with the same slot kinds and shapes cannot be told apart (Adam's and Lamb's): every other donor is checked.
        const distinct = [...otherClasses, ...otherOptions].filter(([, weights]) => JSON.stringify(layoutOf(weights)) !== layout);
        expect(otherOptions.every(([, weights]) => JSON.stringify(layoutOf(weights)) !== layout), "each variant changes the slots").toBe(true);
        for (const [donor, weights] of distinct) {
          // After updates: refused at once.
          const built = s.make(p, options);
          built.applyGradients(p.good());
          const before = await stateOf(built, p.variables);
          await expectRefusedAsync(() => built.setWeights(weights), s.owner);
          expect(await stateOf(built, p.variables), donor).toEqual(before);
          built.dispose();
          p.reset();
          // Before the first update: refused at once, or by that update, which changes nothing and undoes the restore.
          const fresh = s.make(p, options);
          const count = tf.memory().numTensors;
          const initial = p.variables.map((v) => Array.from(v.dataSync()));
          const refusedNow = await fresh.setWeights(weights).then(() => false, () => true);
          expect(refusedNow && !s.refusesBeforeFirstUpdate, `${donor}: refused before the first update`).toBe(false);
          if (!refusedNow) expectRefusal(() => fresh.applyGradients(p.good()), s.owner);
          expect(p.variables.map((v) => Array.from(v.dataSync())), donor).toEqual(initial);
          expect(countsOf(fresh).every((n) => n === 0), donor).toBe(true);
          expect((await fresh.getWeights()).map((w) => w.name), donor).toEqual(s.freshWeightNames);
          expect(tf.memory().numTensors - count, donor).toBe(s.freshWeightNames.length); // getWeights' counts
          // And it trains as a fresh one.
          fresh.applyGradients(p.good());
          expect(fresh.iterations, donor).toBe(iterationsAfter(options, 1));
          fresh.dispose();
          p.reset();
        }
      }
      for (const w of [...own.flat(), ...otherClasses.flatMap(([, ws]) => ws)]) w.tensor.dispose();
      p.dispose();
    });

    it("setWeights refuses a bad count, a truncated list and one weight too many, leaving the target as it was", async () => {
      const p = stateProblem();
      const iters: [string, () => tf.Tensor][] = [
        ["NaN", () => tf.scalar(NaN)],
        ["-5", () => tf.scalar(-5, "int32")],
        ["2.7", () => tf.scalar(2.7)],
        ["2^31", () => tf.scalar(2 ** 31)],
        ["a [2] tensor", () => tf.tensor1d([1, 2], "int32")],
      ];
      for (const updates of [0, 2]) {
        const o = s.make(p);
        for (let i = 0; i < updates; i++) o.applyGradients(p.good());
        const saved = (await o.getWeights()).map((w) => ({ name: w.name, tensor: tf.clone(w.tensor) }));
        const lists: [string, { name: string; tensor: tf.Tensor }[]][] = iters.flatMap(([what, iter]) =>
          s.iterWeightNames.map((name): [string, { name: string; tensor: tf.Tensor }[]] => [`${name} ${what}`, saved.map((w) => (w.name === name ? { name, tensor: iter() } : w))]),
        );
        if (updates > 0) {
          for (const [what, name] of s.extraWeights) lists.push([what, [...saved, { name, tensor: tf.zeros([3]) }]]);
          if (saved.length > 1) lists.push(["the last slot left out", saved.slice(0, -1)]);
        }
        for (const [what, list] of lists) {
          const before = await stateOf(o, p.variables);
          await expectRefusedAsync(() => o.setWeights(list), s.owner);
          expect(await stateOf(o, p.variables), what).toEqual(before);
        }
        // A refused restore left nothing waiting for the next update: it trains.
        o.applyGradients(p.good());
        expect(o.iterations).toBe(iterationsAfter(undefined, updates + 1));
        for (const w of [...saved, ...lists.flatMap(([, l]) => l)]) if (!w.tensor.isDisposed) w.tensor.dispose();
        o.dispose();
        p.reset();
      }
      p.dispose();
    });

    it("a valid round trip, into a fresh or an updated optimizer, continues exactly as the source", async () => {
      const p = stateProblem();
      const { options, updates: sourceUpdates } = s.roundTrip;
      const source = s.make(p, options);
      for (let i = 0; i < sourceUpdates; i++) source.applyGradients(p.good());
      const weights = (await source.getWeights()).map((w) => ({ name: w.name, tensor: tf.clone(w.tensor) }));
      const at = p.variables.map((v) => tf.clone(v));
      source.applyGradients(p.good());
      const expected = await stateOf(source, p.variables);
      for (const updates of [0, 1]) {
        const target = s.make(p, options);
        for (let i = 0; i < updates; i++) target.applyGradients(p.good());
        p.variables.forEach((v, i) => v.assign(at[i]!));
        await target.setWeights(weights);
        target.applyGradients(p.good());
        const actual = await stateOf(target, p.variables);
        expect({ ...actual, weights: actual.weights.map((w) => w.values) }).toEqual({ ...expected, weights: expected.weights.map((w) => w.values) });
        target.dispose();
      }
      source.dispose();
      tf.dispose([...at, ...weights.map((w) => w.tensor)]);
      p.dispose();
    });

    it("optimizer.iterations = n sets its own count, which the schedule, getWeights and a restore see; a bad n throws and changes nothing", async () => {
      const p = stateProblem();
      for (const options of s.setterOptions) {
        const calls = s.callsPerIteration(options);
        const o = s.make(p, options);
        o.applyGradients(p.good());
        const inner = countsOf(o).slice(1);
        o.iterations = 4;
        expect(countsOf(o)).toEqual([4, ...inner]);
        if (s.rateAfterSet) expect(o.learningRate).toBe(s.rateAfterSet(4 * calls));
        const weights = await o.getWeights();
        expect(weights[0]!.tensor.dataSync()[0]).toBe(4 * calls);
        // A partial accumulation is dropped: the next call starts a new one.
        for (const w of weights) if (w.name.endsWith("/gradient_accumulator")) expect(Array.from(w.tensor.dataSync()).every((x) => x === 0)).toBe(true);
        const restored = s.make(p, options);
        await restored.setWeights(weights);
        expect(restored.iterations).toBe(4);
        for (const bad of [-1, 2.5, NaN, Infinity, "3", 2 ** 31]) {
          const before = await stateOf(o, p.variables);
          expectRefusal(() => (o.iterations = bad as number), s.owner);
          expect(await stateOf(o, p.variables)).toEqual(before);
        }
        o.iterations = 0;
        expect(o.iterations).toBe(0);
        for (const x of [o, restored]) x.dispose();
        p.reset();
      }
      p.dispose();
    });
  });
}

/**
 * The state checks of one optimizer class, which every class runs (through the registry, in
 * test/tfjs-optimizer-state.test.ts): its state changes whole or not at all.
 * - Atomicity: every bad gradient list ({@link badGradientLists}), on a fresh optimizer and after updates, with its
 *   defaults and with the base options that add state (weight decay, EMA, gradient accumulation with a partial sum),
 *   throws a named error and changes nothing: variables, slots, count, rate; no tensor is leaked.
 * - Restore validation: weights from every other class whose slots differ in kind or shape, from this class with
 *   options that shape the slots differently (`slotVariants`, plus `useEma` and `gradientAccumulationSteps`), with a
 *   bad `iter` (NaN, -5, 2.7, 2^31, not a scalar), truncated or with one weight too many: refused, and the target left
 *   as it was (and still training); before the first update the refusal comes at that update, which then changes
 *   nothing and undoes the restore. A valid round trip (after updates, or before the first) continues exactly as the
 *   source would.
 * - The `iterations` setter: a whole number >= 0 sets the count that the schedule, `getWeights` and a restore see
 *   (with gradient accumulation, `value * steps` calls); anything else throws and changes nothing.
 */
export function describeOptimizerState(cls: KerasOptimizerClass, allClasses: readonly KerasOptimizerClass[], slotVariants: readonly Record<string, unknown>[] = []): void {
  const rate = new InverseTimeDecay(0.1, 1, 0.5);
  describeStateChecks<Record<string, unknown>>({
    title: cls.kerasName,
    owner: cls,
    make: (_p, options = {}) => new cls(options) as KerasOptimizer,
    stateful: { weightDecay: 0.1, useEma: true, gradientAccumulationSteps: 2 },
    refusesBeforeFirstUpdate: false,
    slotVariants: [...slotVariants, { useEma: true }, { gradientAccumulationSteps: 2 }],
    donors: allClasses.filter((other) => other !== cls),
    callsPerIteration: (options) => (options?.gradientAccumulationSteps as number | null | undefined) ?? 1,
    freshWeightNames: ["iter"],
    iterWeightNames: ["iter"],
    extraWeights: [["one weight too many", "extra/momentum"]],
    roundTrip: { updates: 2 },
    setterOptions: [null, 3].map((steps) => ({ learningRate: rate, gradientAccumulationSteps: steps })),
    rateAfterSet: (calls) => Math.fround(rate(calls)),
  });
}

/** A MultiOptimizer's inner options: the kernel's Adam's and the bias's SGD's. */
export interface MultiInnerOptions {
  adam?: Record<string, unknown>;
  sgd?: Record<string, unknown>;
  /** Both, after their own. */
  both?: Record<string, unknown>;
}

/**
 * The state checks of {@link describeOptimizerState} for a MultiOptimizer over two inner optimizers built from their
 * classes' examples (Adam with AMSGrad for the kernel, SGD with Nesterov momentum for the rest), on the same problem,
 * with options given to the inner optimizers. Its own differences: its count is its own (one per call, whatever its
 * inner optimizers accumulate); every single class's weights and those of MultiOptimizers whose inner optimizers have
 * other slots are refused, before the first update either at once or by that update; a bad `iter`, its own or an inner
 * one's, and a weight that no inner optimizer takes are refused; `iterations = n` leaves the inner counts alone.
 */
export function describeMultiOptimizerState(allClasses: readonly KerasOptimizerClass[]): void {
  const stateful: MultiInnerOptions = { both: { weightDecay: 0.1, useEma: true, gradientAccumulationSteps: 2 } };
  describeStateChecks<MultiInnerOptions>({
    title: "MultiOptimizer (Adam and SGD from their examples)",
    owner: /^(MultiOptimizer|OptimizerMap|Adam|SGD): /,
    make: (p, options = {}) => {
      const adam = new Adam({ ...Adam.examples[1], ...options.adam, ...options.both });
      const sgd = new SGD({ ...SGD.examples[1], ...options.sgd, ...options.both });
      return new MultiOptimizer(new OptimizerMap(sgd, { [p.kernel.name]: adam }));
    },
    stateful,
    refusesBeforeFirstUpdate: true,
    slotVariants: [{ adam: { amsgrad: false } }, { sgd: { momentum: 0 } }, { both: { useEma: true } }, { both: { gradientAccumulationSteps: 2 } }],
    donors: allClasses,
    callsPerIteration: () => 1,
    freshWeightNames: ["iter", "optimizers/0/iter", "optimizers/1/iter"],
    iterWeightNames: ["iter", "optimizers/1/iter"],
    extraWeights: [["one weight too many", "optimizers/1/extra/momentum"], ["one weight of no inner optimizer", "extra/momentum"]],
    roundTrip: { options: stateful, updates: 3 },
    setterOptions: [undefined],
  });
}
