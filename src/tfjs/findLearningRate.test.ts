import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { ScheduleOptionError, ScheduleTypeError } from "../errors.js";
import { rangeTestRates, suggestLearningRate } from "../rangeTest.js";
import { Adam } from "./Adam.js";
import { findLearningRate, type FindLearningRateOptions } from "./findLearningRate.js";
import { SGD } from "./SGD.js";
import { learningRateOf } from "./withSchedule.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
  await tf.ready();
});

/** Dense(8, relu) with batch normalization (weights that training changes without gradients) then Dense(1), mse. */
function regression(optimizer: tf.Optimizer | string, seed = 1) {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 8, activation: "relu", inputShape: [3], kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
      tf.layers.batchNormalization(),
      tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }),
    ],
  });
  model.compile({ optimizer, loss: "meanSquaredError" });
  const x = tf.randomNormal([200, 3], 0, 1, "float32", seed);
  const y = x.matMul(tf.tensor2d([[1.5], [-2], [0.5]])).add(0.3);
  return { model, x, y };
}

/**
 * Everything a range test must leave as it found it: weights, the optimizer's object, state and config. (tf.js's
 * optimizers return a new tensor for their iteration count: count tensors before calling this again.)
 */
async function stateOf(model: tf.LayersModel) {
  const optimizer = model.optimizer;
  return {
    optimizer,
    weights: model.getWeights().map((w) => Array.from(w.dataSync())),
    optimizerWeights: (await optimizer.getWeights()).map((w) => [w.name, Array.from(w.tensor.dataSync())]),
    config: JSON.stringify(optimizer.getConfig()),
    history: (model as unknown as { history: unknown }).history,
  };
}

const quick: FindLearningRateOptions = { startLearningRate: 1e-5, endLearningRate: 1, numSteps: 30, batchSize: 16 };

describe("findLearningRate", () => {
  it.each([
    ["SGD (this package)", () => new SGD({ learningRate: 0.01, momentum: 0.9 })],
    ["Adam (this package)", () => new Adam({ learningRate: 0.001, amsgrad: true })],
    ["tf.train.sgd", () => tf.train.sgd(0.01)],
    ["tf.train.momentum", () => tf.train.momentum(0.01, 0.9)],
    ["tf.train.adam", () => tf.train.adam(0.001)],
    ["tf.train.rmsprop", () => tf.train.rmsprop(0.001)],
    ["'adagrad' by name", () => "adagrad"],
  ])("trains a copy of %s at each step's rate and puts everything back bit for bit", async (_, make) => {
    const { model, x, y } = regression(make());
    await model.fit(x, y, { epochs: 1, batchSize: 50, verbose: 0 }); // the optimizer has state to keep
    const before = await stateOf(model);
    const tensors = tf.memory().numTensors;
    const seen: number[] = [];
    const result = await findLearningRate(model, x, y, {
      ...quick,
      divergenceThreshold: null,
      callbacks: { onBatchBegin: async () => void seen.push(learningRateOf(model.optimizer, "test")) },
    });
    expect(result.learningRates).toEqual(rangeTestRates(1e-5, 1, 30, "exponential"));
    // The copy was the model's optimizer during the test, at each step's rate (in float32, as the update uses it).
    expect(seen).toEqual(result.learningRates.map(Math.fround));
    expect(result.losses).toHaveLength(30);
    expect(result.stoppedEarly).toBe(false);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(await stateOf(model)).toEqual(before);
    expect(model.optimizer).toBe(before.optimizer);
  });

  it("records losses as fit reports them, smooths them, and suggests from the trimmed smoothed curve", async () => {
    const { model, x, y } = regression(new SGD({ learningRate: 0.01 }));
    const batchLosses: number[] = [];
    const result = await findLearningRate(model, x, y, {
      startLearningRate: 1e-4,
      endLearningRate: 0.5,
      numSteps: 60,
      batchSize: 20,
      shuffle: false,
      divergenceThreshold: null,
      callbacks: { onBatchEnd: async (_b, logs) => void batchLosses.push(logs!.loss as number) },
    });
    expect(result.losses).toEqual(batchLosses);
    expect(result.smoothedLosses[0]).toBe(result.losses[0]);
    let average = 0;
    result.losses.forEach((loss, i) => {
      average = 0.98 * average + 0.02 * loss;
      const expected = average / (1 - 0.98 ** (i + 1));
      expect(Math.abs(result.smoothedLosses[i]! - expected)).toBeLessThanOrEqual(1e-12 * expected);
    });
    const trimmed = [result.learningRates.slice(6, 55), result.smoothedLosses.slice(6, 55)] as const;
    expect(result.suggestions).toEqual({
      minimum: suggestLearningRate(...trimmed, "minimum"),
      steepest: suggestLearningRate(...trimmed, "steepest"),
      valley: suggestLearningRate(...trimmed, "valley"),
    });
    expect(result.suggestion).toBe(result.suggestions.valley);
  });

  it("stops early when the smoothed loss passes divergenceThreshold times its best, and restores the model", async () => {
    const { model, x, y } = regression(new SGD({ learningRate: 0.01 }));
    const before = await stateOf(model);
    const result = await findLearningRate(model, x, y, { startLearningRate: 1e-3, endLearningRate: 1e4, numSteps: 200, batchSize: 10 });
    expect(result.stoppedEarly).toBe(true);
    expect(result.losses.length).toBeLessThan(200);
    const last = result.smoothedLosses.at(-1)!;
    expect(!Number.isFinite(last) || last > 4 * Math.min(...result.smoothedLosses)).toBe(true);
    expect(result.learningRates).toHaveLength(result.losses.length);
    expect(result.suggestion).toBeGreaterThan(0);
    expect(await stateOf(model)).toEqual(before);
  });

  it("trains from a tf.data.Dataset of {xs, ys} batches", async () => {
    const { model, x, y } = regression(tf.train.adam(0.001));
    const before = await stateOf(model);
    const dataset = tf.data.zip({ xs: tf.data.array(tf.unstack(x)), ys: tf.data.array(tf.unstack(y)) }).batch(32);
    const result = await findLearningRate(model, dataset as never, { ...quick, numSteps: 20, divergenceThreshold: null });
    expect(result.losses).toHaveLength(20); // 7 batches an epoch: the test went on into further epochs
    expect(await stateOf(model)).toEqual(before);
  });

  it("puts the model back when training throws, and leaves no tensor behind", async () => {
    const { model, x, y } = regression(new Adam({ learningRate: 0.01 }));
    const before = await stateOf(model);
    const tensors = tf.memory().numTensors;
    let batches = 0;
    const failing = { onBatchEnd: async () => { if (++batches === 5) throw new Error("user callback failed"); } };
    await expect(findLearningRate(model, x, y, { ...quick, callbacks: failing })).rejects.toThrow("user callback failed");
    expect(tf.memory().numTensors).toBe(tensors);
    expect(await stateOf(model)).toEqual(before);
    // And the model trains normally afterwards.
    const history = await model.fit(x, y, { epochs: 1, verbose: 0 });
    expect(Number.isFinite(history.history.loss![0] as number)).toBe(true);
  });

  it("uses options.optimizer's update rule instead of the model's, leaving both as they were", async () => {
    const { model, x, y } = regression(new SGD({ learningRate: 0.01 }));
    const other = new Adam({ learningRate: 0.001 });
    const before = await stateOf(model);
    const classes: string[] = [];
    await findLearningRate(model, x, y, { ...quick, numSteps: 3, optimizer: other, callbacks: { onBatchEnd: async () => void classes.push(model.optimizer.getClassName()) } });
    expect(classes).toEqual(["lr-schedules>Adam", "lr-schedules>Adam", "lr-schedules>Adam"]);
    expect(other.iterations).toBe(0);
    expect(await stateOf(model)).toEqual(before);
  });

  it("refuses bad input with a named error, the model untouched", async () => {
    const { model, x, y } = regression(new SGD({ learningRate: 0.01 }));
    const before = await stateOf(model);
    const uncompiled = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [3] })] });
    const cases: [() => Promise<unknown>, typeof ScheduleOptionError | typeof ScheduleTypeError, RegExp][] = [
      [() => findLearningRate(uncompiled, x, y), ScheduleTypeError, /`model` must be a compiled tf.js LayersModel/],
      [() => findLearningRate(model, x, undefined as never), ScheduleTypeError, /`y` must be tensors/],
      [() => findLearningRate(model, x, tf.zeros([199, 1]) as never), ScheduleOptionError, /`y` must be tensors of as many samples as x's first \(200\)\. Received: y="tensors of 199 samples"/],
      [() => findLearningRate(model, x, y, { startLearningRate: 1, endLearningRate: 1 }), ScheduleOptionError, /`endLearningRate` must be a rate above startLearningRate \(1\)/],
      [() => findLearningRate(model, x, y, { startLearningRate: 0 }), ScheduleOptionError, /`startLearningRate` must be a finite number > 0/],
      [() => findLearningRate(model, x, y, { endLearningRate: Infinity }), ScheduleOptionError, /`endLearningRate` must be a finite number > 0/],
      [() => findLearningRate(model, x, y, { numSteps: 1 }), ScheduleOptionError, /`numSteps` must be/],
      [() => findLearningRate(model, x, y, { smoothing: 1 }), ScheduleOptionError, /`smoothing` must be a finite number in \[0, 1\)/],
      [() => findLearningRate(model, x, y, { divergenceThreshold: 1 }), ScheduleOptionError, /`divergenceThreshold` must be a finite number > 1, or null/],
      [() => findLearningRate(model, x, y, { batchSize: 0 }), ScheduleOptionError, /`batchSize` must be/],
      [() => findLearningRate(model, x, y, { mode: "cosine" as never }), ScheduleOptionError, /`mode` must be one of "exponential", "linear"/],
      [() => findLearningRate(model, x, y, { optimizer: {} as never }), ScheduleTypeError, /`optimizer` must be a tf.js optimizer/],
      [() => findLearningRate(model, x, y, { verbose: 3 as never }), ScheduleOptionError, /`verbose` must be 0, 1, 2 or 'auto'/],
      [() => findLearningRate(model, x, y, { callbacks: [42] as never }), ScheduleTypeError, /`callbacks\[0\]` must be a tf.js callback/],
      [() => findLearningRate(model, x, y, { numStep: 5 } as never), ScheduleOptionError, /`numStep` must be one of the options/],
      [() => findLearningRate(model, x, y, "fast" as never), ScheduleTypeError, /`options` must be a plain object/],
    ];
    for (const [call, cls, message] of cases) {
      const error = await call().then(() => null, (e: unknown) => e);
      expect(error, String(message)).toBeInstanceOf(cls);
      expect((error as Error).message).toMatch(message);
    }
    expect(await stateOf(model)).toEqual(before);
  });

  it("prints Keras's progress output with each step's rate when verbose", async () => {
    const { model, x, y } = regression(new SGD({ learningRate: 0.01 }));
    let text = "";
    const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => ((text += String(chunk)), true));
    try {
      await findLearningRate(model, x, y, { ...quick, numSteps: 20, batchSize: 50, verbose: 2, divergenceThreshold: null });
    } finally {
      write.mockRestore();
    }
    // 200 samples in batches of 50: 4 steps an epoch, 5 epochs; a line per epoch, the last step's rate in it.
    const lines = text.trimEnd().split("\n");
    expect(lines.filter((l) => /^Epoch \d\/5$/.test(l))).toHaveLength(5);
    expect(lines.at(-1)).toMatch(/^4\/4 - \d+s - .*loss: \d+\.\d{4} - learning_rate: 1\.0000$/);
    const quiet = vi.spyOn(process.stdout, "write");
    await findLearningRate(model, x, y, { ...quick, numSteps: 4 });
    expect(quiet).not.toHaveBeenCalled();
    quiet.mockRestore();
  });

  it("says so when the loss is not finite from the start", async () => {
    const { model, x } = regression(new SGD({ learningRate: 0.01 }));
    const y = tf.fill([200, 1], NaN);
    await expect(findLearningRate(model, x, y, quick)).rejects.toThrow(/`startLearningRate` must be a rate at which the loss stays finite for at least 2 steps/);
  });
});
