import * as tf from "@tensorflow/tfjs";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { fitModel, fitTrainer, type DataCase } from "../../test/support/kerasFitRun.js";
import { kerasOrderWeights } from "../../test/support/kerasFit.js";
import { InverseTimeDecay, ScheduleOptionError, ScheduleTypeError } from "../index.js";
import { LearningRateLogger, LearningRateScheduler, ReduceLROnPlateau } from "./callbacks.js";
import { Adam } from "./Adam.js";
import { optimizerFromKeras } from "./keras.js";
import { MultiOptimizer, OptimizerMap } from "./MultiOptimizer.js";
import { SGD } from "./SGD.js";
import { learningRateOf, withSchedule } from "./withSchedule.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
  await tf.ready();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const fr = Math.fround;
const rateOf = (o: tf.Optimizer) => learningRateOf(o, "test");

/** Keras's test setup, made deterministic: Dense(5), Dense(2) on 10 samples of 3 features, mse. */
function kerasTestModel(optimizer: tf.Optimizer | string) {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 5, inputShape: [3] }), tf.layers.dense({ units: 2 })] });
  model.compile({ optimizer, loss: "meanSquaredError" });
  const pattern = (n: number, k: number) => Array.from({ length: n * 3 }, (_, t) => (((t * k) % 7) - 3) / 10);
  const oneHot = (n: number, k: number) => Array.from({ length: n }, (_, i) => ((i * k) % 2 === 0 ? [1, 0] : [0, 1])).flat();
  const x = tf.tensor2d(pattern(10, 3), [10, 3]);
  const y = tf.tensor2d(oneHot(10, 1), [10, 2]);
  const xVal = tf.tensor2d(pattern(10, 5), [10, 3]);
  const yVal = tf.tensor2d(oneHot(10, 3), [10, 2]);
  return { model, x, y, validationData: [xVal, yVal] as [tf.Tensor, tf.Tensor] };
}

/** A model whose loss never moves: its input is 0, so its only weight gets a zero gradient. Loss is 1 every epoch. */
function constantModel(optimizer: tf.Optimizer) {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2], useBias: false })] });
  model.compile({ optimizer, loss: "meanSquaredError" });
  return { model, x: tf.zeros([4, 2]), y: tf.ones([4, 1]) };
}

/** The rate each batch's update sees, read just before it. */
function rateSpy(optimizer: () => tf.Optimizer) {
  const seen: number[] = [];
  return { seen, callback: new tf.CustomCallback({ onBatchBegin: () => void seen.push(rateOf(optimizer())) }) };
}

const tfjsOptimizers: Record<string, (lr: number) => tf.Optimizer> = {
  sgd: (lr) => tf.train.sgd(lr),
  momentum: (lr) => tf.train.momentum(lr, 0.9),
  adam: (lr) => tf.train.adam(lr),
  adamax: (lr) => tf.train.adamax(lr),
  adagrad: (lr) => tf.train.adagrad(lr),
  adadelta: (lr) => tf.train.adadelta(lr),
  rmsprop: (lr) => tf.train.rmsprop(lr),
  "SGD (Keras-faithful)": (lr) => new SGD(lr),
  "Adam (Keras-faithful)": (lr) => new Adam(lr),
};

describe("LearningRateScheduler", () => {
  it("sets the rate at the first epoch's start (Keras: schedule(epoch) = 1 / (2 + epoch) gives 0.5)", async () => {
    const { model, x, y } = kerasTestModel("sgd");
    const history = await model.fit(x, y, { epochs: 1, verbose: 0, callbacks: [new LearningRateScheduler((epoch) => 1 / (2 + epoch))] });
    expect(rateOf(model.optimizer)).toBe(0.5);
    expect(history.history.learning_rate).toEqual([0.5]);
  });

  it("passes the current float32 rate: halving Adam(0.03) over two epochs gives 0.03 / 4", async () => {
    const { model, x, y } = kerasTestModel(tf.train.adam(0.03));
    const seen: number[] = [];
    const halve = new LearningRateScheduler((_epoch, lr) => {
      seen.push(lr);
      return lr / 2;
    });
    await model.fit(x, y, { epochs: 2, verbose: 0, callbacks: [halve] });
    expect(seen).toEqual([fr(0.03), fr(0.03) / 2]);
    expect(rateOf(model.optimizer)).toBe(fr(0.03 / 4));
  });

  for (const [name, make] of Object.entries(tfjsOptimizers)) {
    it(`${name}: every batch of epoch e uses schedule(e, rate), and history.learning_rate holds it`, async () => {
      const { model, x, y } = kerasTestModel(make(0.01));
      const spy = rateSpy(() => model.optimizer);
      const scheduler = new LearningRateScheduler((epoch, lr) => (epoch === 0 ? 0.2 : lr * 0.5));
      const history = await model.fit(x, y, { epochs: 4, batchSize: 5, verbose: 0, callbacks: [scheduler, spy.callback] });
      const expected = [0.2, 0.1, 0.05, 0.025].map(fr);
      expect(history.history.learning_rate).toEqual(expected);
      expect(spy.seen).toEqual(expected.flatMap((r) => [r, r]));
      expect(history.history.loss).toHaveLength(4);
    });
  }

  it("tf.train.sgd: the update itself moves by the rate set for the epoch", async () => {
    // Loss |w - (-1000)| with input 1: its gradient is 1 while w > -1000, so each epoch's single update is -rate.
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1], useBias: false, kernelInitializer: "zeros" })] });
    model.compile({ optimizer: tf.train.sgd(1), loss: "meanAbsoluteError" });
    const rates = [0.5, 0.25, 0.125, 0.3];
    const weights: number[] = [];
    await model.fit(tf.ones([1, 1]), tf.fill([1, 1], -1000), {
      epochs: 4,
      verbose: 0,
      callbacks: [
        new LearningRateScheduler((epoch) => rates[epoch]!),
        new tf.CustomCallback({ onEpochEnd: () => void weights.push(model.getWeights()[0]!.dataSync()[0]!) }),
      ],
    });
    let w = 0;
    expect(weights).toEqual(rates.map((r) => (w = fr(w - fr(r)))));
  });

  it("a LearningRateSchedule serves as a schedule of the epoch", async () => {
    const s = new InverseTimeDecay(0.1, 1, 0.5);
    const { model, x, y } = kerasTestModel("sgd");
    const history = await model.fit(x, y, { epochs: 3, verbose: 0, callbacks: [new LearningRateScheduler(s)] });
    expect(history.history.learning_rate).toEqual([s(0), s(1), s(2)]);
  });

  it("verbose: 1 prints Keras's message at each epoch", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const { model, x, y } = kerasTestModel("sgd");
    await model.fit(x, y, { epochs: 2, verbose: 0, callbacks: [new LearningRateScheduler((epoch) => 1 / (1 + epoch), { verbose: 1 })] });
    expect(log.mock.calls.map((c) => c[0])).toEqual([
      "\nEpoch 1: LearningRateScheduler setting learning rate to 1.",
      "\nEpoch 2: LearningRateScheduler setting learning rate to 0.5.",
    ]);
  });

  it("the positional verbose and the options object build the same callback", () => {
    const fn = (e: number) => e;
    expect(new LearningRateScheduler(fn, 1).verbose).toBe(1);
    const c = new LearningRateScheduler({ schedule: fn, verbose: 1 });
    expect([c.schedule, c.verbose]).toEqual([fn, 1]);
    expect(new LearningRateScheduler(fn).verbose).toBe(0);
  });

  describe("with an optimizer driven by a schedule, fit rejects with a TypeError, as in Keras", () => {
    it("tf.train.adam through withSchedule", async () => {
      const { model, x, y } = kerasTestModel(withSchedule(tf.train.adam(), new InverseTimeDecay(0.1, 10, 1)));
      const fit = model.fit(x, y, { epochs: 2, verbose: 0, callbacks: [new LearningRateScheduler((_e, lr) => lr / 2)] });
      await expect(fit).rejects.toThrow(TypeError);
    });
    it("tf.train.sgd through withSchedule: the message says why", async () => {
      const { model, x, y } = kerasTestModel(withSchedule(tf.train.sgd(1), new InverseTimeDecay(0.1, 10, 1)));
      const fit = model.fit(x, y, { epochs: 2, verbose: 0, callbacks: [new LearningRateScheduler((_e, lr) => lr / 2)] });
      await expect(fit).rejects.toThrow(/^SGD: `learningRate` must be left to its schedule/);
    });
    it("this package's SGD built with a schedule: its own TypeError surfaces", async () => {
      const { model, x, y } = kerasTestModel(new SGD({ learningRate: new InverseTimeDecay(0.1, 10, 1) }));
      const fit = model.fit(x, y, { epochs: 2, verbose: 0, callbacks: [new LearningRateScheduler((_e, lr) => lr / 2)] });
      await expect(fit).rejects.toThrow(ScheduleTypeError);
      await expect(
        model.fit(x, y, { epochs: 2, verbose: 0, callbacks: [new LearningRateScheduler((_e, lr) => lr / 2)] }),
      ).rejects.toThrow(/^SGD: `learningRate` must be left as it is: this optimizer's learning rate is a LearningRateSchedule/);
    });
  });

  describe("a schedule that returns anything but a finite number >= 0 makes fit reject, naming it", () => {
    const returns: [string, unknown, ErrorConstructor][] = [
      ["NaN", NaN, RangeError],
      ["-0.1", -0.1, RangeError],
      ["Infinity", Infinity, RangeError],
      ['"0.1"', "0.1", TypeError],
      ["undefined", undefined, TypeError],
      ["a tensor", tf.scalar(0.1), TypeError],
    ];
    for (const [label, value, kind] of returns) {
      it(`schedule returning ${label} throws ${kind.name}`, async () => {
        const { model, x, y } = kerasTestModel(tf.train.sgd(0.25));
        const fit = model.fit(x, y, { epochs: 1, verbose: 0, callbacks: [new LearningRateScheduler(() => value as number)] });
        await expect(fit).rejects.toThrow(kind);
        await expect(
          model.fit(x, y, { epochs: 1, verbose: 0, callbacks: [new LearningRateScheduler(() => value as number)] }),
        ).rejects.toThrow(/^LearningRateScheduler: `schedule\(0, 0\.25\)` must be a finite number >= 0\. Received: schedule\(0, 0\.25\)=/);
        expect(rateOf(model.optimizer)).toBe(0.25);
      });
    }
  });

  describe("bad arguments throw errors that name them", () => {
    const fn = () => 0.1;
    const cases: [string, () => unknown, RegExp, ErrorConstructor][] = [
      ["no schedule", () => new (LearningRateScheduler as unknown as new () => unknown)(), /`schedule` must be a function.*required/, TypeError],
      ["a number for schedule", () => new LearningRateScheduler(0.1 as never), /`schedule` must be a function \(epoch, learningRate\) => number\. Received: schedule=0\.1/, TypeError],
      ["a negative verbose", () => new LearningRateScheduler(fn, { verbose: -1 }), /`verbose` must be a finite number >= 0\. Received: verbose=-1/, RangeError],
      ["a string verbose", () => new LearningRateScheduler(fn, "1" as never), /verbose="1"/, TypeError],
      ["an unknown option", () => new LearningRateScheduler(fn, { verbos: 1 } as never), /`verbos` must be one of the options schedule, verbose/, RangeError],
    ];
    for (const [label, make, message, kind] of cases) {
      it(`${label} throws ${kind.name}`, () => {
        expect(make).toThrow(kind);
        expect(make).toThrow(message);
        expect(make).toThrow(/^LearningRateScheduler: /);
      });
    }
  });
});

describe("LearningRateLogger", () => {
  const schedule = new InverseTimeDecay(0.1, 1, 0.5);
  for (const [name, make] of Object.entries(tfjsOptimizers)) {
    it(`${name} with a number: learning_rate and batch_learning_rate hold the float32 rate; with LearningRateScheduler, its rates`, async () => {
      const { model, x, y } = kerasTestModel(make(0.01));
      const perBatch = new LearningRateLogger({ perBatch: true });
      const history = await model.fit(x, y, { epochs: 2, batchSize: 5, verbose: 0, callbacks: [perBatch] });
      expect(history.history.learning_rate).toEqual([fr(0.01), fr(0.01)]);
      expect(history.history.batch_learning_rate).toEqual([fr(0.01), fr(0.01), fr(0.01), fr(0.01)]);
      const halve = new LearningRateScheduler((epoch, lr) => (epoch === 0 ? lr : lr / 2));
      const again = await model.fit(x, y, { epochs: 3, batchSize: 5, verbose: 0, callbacks: [perBatch, halve] });
      const rates = [0.01, 0.005, 0.0025].map(fr);
      expect(again.history.learning_rate).toEqual(rates);
      expect(again.history.batch_learning_rate).toEqual(rates.flatMap((r) => [r, r]));
    });
  }

  for (const [name, make] of [
    ["tf.train.sgd through withSchedule", () => withSchedule(tf.train.sgd(1), schedule)],
    ["tf.train.adam through withSchedule", () => withSchedule(tf.train.adam(), schedule)],
    ["this package's Adam with a schedule", () => new Adam({ learningRate: schedule })],
  ] as const) {
    it(`${name}: each batch logs the rate its update used, schedule(i), and each epoch the next one, as Keras`, async () => {
      const { model, x, y } = kerasTestModel(make());
      const spy = rateSpy(() => model.optimizer);
      const history = await model.fit(x, y, { epochs: 3, batchSize: 4, verbose: 0, callbacks: [new LearningRateLogger({ perBatch: true }), spy.callback] });
      // 10 samples in batches of 4: 3 updates per epoch.
      expect(history.history.batch_learning_rate).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => schedule(i)));
      expect(history.history.batch_learning_rate).toEqual(spy.seen);
      expect(history.history.learning_rate).toEqual([schedule(3), schedule(6), schedule(9)]);
      expect(rateOf(model.optimizer)).toBe(schedule(9));
    });
  }

  it("per batch, the rate is in each batch's logs for the callbacks after it", async () => {
    const { model, x, y } = kerasTestModel(new SGD({ learningRate: schedule }));
    const seen: number[] = [];
    const reader = new tf.CustomCallback({ onBatchEnd: (_batch, logs) => void seen.push(logs!.learning_rate!) });
    await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0, callbacks: [new LearningRateLogger({ perBatch: true }), reader] });
    expect(seen).toEqual([schedule(0), schedule(1), schedule(2)]);
  });

  it("without perBatch, batches get nothing and history has no batch_learning_rate", async () => {
    const { model, x, y } = kerasTestModel(tf.train.sgd(0.1));
    const history = await model.fit(x, y, { epochs: 2, verbose: 0, callbacks: [new LearningRateLogger()] });
    expect(Object.keys(history.history).sort()).toEqual(["learning_rate", "loss"]);
  });

  it("an uncompiled model: fit is refused before, and a callback driven by hand names the model's optimizer", async () => {
    const logger = new LearningRateLogger();
    logger.setModel(tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] }));
    await expect(logger.onEpochEnd(0, {})).rejects.toThrow(/^LearningRateLogger: `model.optimizer` must be a compiled model's optimizer/);
  });
});

describe("ReduceLROnPlateau", () => {
  it("has Keras's defaults", () => {
    const r = new ReduceLROnPlateau();
    expect([r.monitor, r.factor, r.patience, r.verbose, r.mode, r.minDelta, r.cooldown, r.minLr]).toEqual([
      "val_loss", 0.1, 10, 0, "auto", 1e-4, 0, 0,
    ]);
    expect(new ReduceLROnPlateau("loss", { patience: 2 }).monitor).toBe("loss");
  });

  describe("Keras's own tests, on tf.js", () => {
    it("reduces the rate after patience epochs without improvement", async () => {
      const { model, x, y, validationData } = kerasTestModel(tf.train.adam(0.1));
      const reduce = new ReduceLROnPlateau({ patience: 1, factor: 0.1, monitor: "val_loss", minDelta: 100 });
      await model.fit(x, y, { validationData, epochs: 2, verbose: 0, callbacks: [reduce] });
      expect(rateOf(model.optimizer)).toBe(fr(fr(0.1) * 0.1));
    });
    it("honours minLr", async () => {
      const { model, x, y, validationData } = kerasTestModel(tf.train.adam(0.1));
      const reduce = new ReduceLROnPlateau({ patience: 1, factor: 0.1, monitor: "val_loss", minDelta: 10, minLr: 0.005 });
      await model.fit(x, y, { validationData, epochs: 4, verbose: 0, callbacks: [reduce] });
      expect(rateOf(model.optimizer)).toBe(fr(0.005));
    });
    it("with a cooldown of 2, reduces every other epoch: twice in 4 epochs", async () => {
      const { model, x, y, validationData } = kerasTestModel(tf.train.adam(0.1));
      const reduce = new ReduceLROnPlateau({ patience: 1, factor: 0.1, monitor: "val_loss", minDelta: 100, cooldown: 2 });
      const history = await model.fit(x, y, { validationData, epochs: 4, verbose: 0, callbacks: [reduce] });
      const [a, b] = [fr(0.1), fr(fr(0.1) * 0.1)];
      expect(history.history.learning_rate).toEqual([a, a, b, b]);
      expect(rateOf(model.optimizer)).toBe(fr(b * 0.1));
    });
    it("verbose: 1 prints Keras's message", async () => {
      const log = vi.spyOn(console, "log").mockImplementation(() => {});
      const { model, x, y, validationData } = kerasTestModel(tf.train.adam(0.1));
      const reduce = new ReduceLROnPlateau({ patience: 1, factor: 0.1, minDelta: 100, verbose: 1 });
      await model.fit(x, y, { validationData, epochs: 2, verbose: 0, callbacks: [reduce] });
      expect(log.mock.calls.map((c) => c[0])).toEqual([`\nEpoch 2: ReduceLROnPlateau reducing learning rate to ${fr(0.1) * 0.1}.`]);
      expect(String(fr(0.1) * 0.1)).toMatch(/^0\.01/);
    });
    it("each fit starts afresh", async () => {
      const { model } = kerasTestModel("sgd");
      const reduce = new ReduceLROnPlateau({ patience: 1, factor: 0.1, monitor: "loss", minDelta: 0, cooldown: 2 });
      reduce.setModel(model);
      await reduce.onTrainBegin();
      reduce.best = 0.5;
      reduce.wait = 3;
      reduce.cooldownCounter = 2;
      await reduce.onTrainBegin();
      expect([reduce.best, reduce.wait, reduce.cooldownCounter]).toEqual([undefined, 0, 0]);
    });
    it("with an optimizer driven by a schedule, fit rejects with a TypeError at the first reduction", async () => {
      for (const optimizer of [
        withSchedule(tf.train.adam(), new InverseTimeDecay(0.1, 10, 1)),
        new Adam({ learningRate: new InverseTimeDecay(0.1, 10, 1) }),
      ]) {
        const { model, x, y, validationData } = kerasTestModel(optimizer);
        const reduce = new ReduceLROnPlateau({ patience: 1, factor: 0.1, monitor: "val_loss", minDelta: 100 });
        const epochs: number[] = [];
        const fit = model.fit(x, y, {
          validationData,
          epochs: 2,
          verbose: 0,
          callbacks: [new tf.CustomCallback({ onEpochBegin: (e) => void epochs.push(e) }), reduce],
        });
        await expect(fit).rejects.toThrow(TypeError);
        expect(epochs).toEqual([0, 1]);
      }
    });
  });

  it("a loss that never moves: the rate halves every patience epochs, held off by the cooldown", async () => {
    const { model, x, y } = constantModel(tf.train.sgd(0.8));
    const reduce = new ReduceLROnPlateau({ monitor: "loss", factor: 0.5, patience: 2, cooldown: 2 });
    const history = await model.fit(x, y, { epochs: 10, verbose: 0, callbacks: [reduce] });
    expect(history.history.loss).toEqual(Array(10).fill(1));
    // Worked by hand from Keras's rules: best at epoch 0; epochs 1, 2 wait 1, 2 -> reduce; cooldown 2 -> epoch 3
    // held, epoch 4 (cooldown reaches 0) waits 1, epoch 5 waits 2 -> reduce; and so on.
    const r = fr(0.8);
    expect(history.history.learning_rate).toEqual([r, r, r, r / 2, r / 2, r / 2, r / 4, r / 4, r / 4, r / 8]);
    expect(rateOf(model.optimizer)).toBe(r / 8);
  });

  it("a loss that never moves, with minLr: the rate stops at minLr, and the reductions stop", async () => {
    const { model, x, y } = constantModel(tf.train.adam(0.8));
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const reduce = new ReduceLROnPlateau({ monitor: "loss", factor: 0.5, patience: 2, cooldown: 2, minLr: 0.3, verbose: 1 });
    const history = await model.fit(x, y, { epochs: 10, verbose: 0, callbacks: [reduce] });
    const r = fr(0.8);
    const m = fr(0.3);
    expect(history.history.learning_rate).toEqual([r, r, r, r / 2, r / 2, r / 2, m, m, m, m]);
    expect(log).toHaveBeenCalledTimes(2);
    expect(reduce.wait).toBe(3);
  });

  it("with patience 0, every epoch without improvement reduces the rate", async () => {
    const { model, x, y } = constantModel(tf.train.sgd(1));
    const history = await model.fit(x, y, { epochs: 4, verbose: 0, callbacks: [new ReduceLROnPlateau("loss", { patience: 0, factor: 0.5 })] });
    expect(history.history.learning_rate).toEqual([1, 1, 0.5, 0.25]);
  });

  describe("the comparison, driven epoch by epoch", () => {
    /** Feeds `values` of metric `key` as successive epochs' logs; returns the rate each epoch logged. */
    async function drive(reduce: ReduceLROnPlateau, key: string, values: number[], rate = 1): Promise<number[]> {
      const { model } = constantModel(tf.train.sgd(rate));
      reduce.setModel(model);
      await reduce.onTrainBegin();
      const logged: number[] = [];
      for (const [epoch, value] of values.entries()) {
        const logs: Record<string, number> = { [key]: value };
        await reduce.onEpochEnd(epoch, logs);
        logged.push(logs.learning_rate!);
      }
      return logged;
    }

    const rising = [0.5, 0.51, 0.52, 0.53, 0.54];
    for (const monitor of ["acc", "val_acc", "binaryAccuracy", "val_categoricalAccuracy", "out_1_acc", "precision", "recall"]) {
      it(`mode 'auto' maximizes ${monitor}: a rising value is an improvement`, async () => {
        expect(await drive(new ReduceLROnPlateau({ monitor, patience: 1, factor: 0.5 }), monitor, rising)).toEqual([1, 1, 1, 1, 1]);
      });
    }
    for (const monitor of ["loss", "val_loss", "mse", "val_meanSquaredError", "out_1_loss", "ce", "cosine"]) {
      it(`mode 'auto' minimizes ${monitor}: a rising value is no improvement`, async () => {
        expect(await drive(new ReduceLROnPlateau({ monitor, patience: 1, factor: 0.5 }), monitor, rising)).toEqual([1, 1, 0.5, 0.25, 0.125]);
      });
    }
    it("mode 'min' on an accuracy reverses the direction", async () => {
      expect(await drive(new ReduceLROnPlateau({ monitor: "acc", mode: "min", patience: 1, factor: 0.5 }), "acc", rising)).toEqual([1, 1, 0.5, 0.25, 0.125]);
    });
    it("mode 'max' lets a metric 'auto' cannot tell be monitored", async () => {
      expect(await drive(new ReduceLROnPlateau({ monitor: "myScore", mode: "max", patience: 1, factor: 0.5 }), "myScore", rising)).toEqual([1, 1, 1, 1, 1]);
    });
    it("an improvement must beat the best by more than minDelta; equal to it is not enough", async () => {
      const reduce = () => new ReduceLROnPlateau({ monitor: "loss", patience: 1, factor: 0.5, minDelta: 0.25 });
      // 0.75 + 0.25 < 1 is false: no improvement. 0.5 + 0.25 < 1: improvement, then 0.5 is the best.
      expect(await drive(reduce(), "loss", [1, 0.75, 0.5, 0.375])).toEqual([1, 1, 0.5, 0.5]);
      expect(await drive(new ReduceLROnPlateau({ monitor: "loss", patience: 1, factor: 0.5, minDelta: 0 }), "loss", [1, 0.75, 0.75, 0.5])).toEqual([1, 1, 1, 0.5]);
      // In 'max' mode the value must exceed the best by more than minDelta: 0.75 - 0.25 > 0.5 is false.
      const acc = new ReduceLROnPlateau({ monitor: "acc", patience: 1, factor: 0.5, minDelta: 0.25 });
      expect(await drive(acc, "acc", [0.5, 0.75, 1, 1.125])).toEqual([1, 1, 0.5, 0.5]);
    });
    it("a rate already at minLr is not reduced, and the count goes on", async () => {
      const reduce = new ReduceLROnPlateau({ monitor: "loss", patience: 1, factor: 0.5, minLr: 1 });
      expect(await drive(reduce, "loss", [1, 1, 1])).toEqual([1, 1, 1]);
      expect(reduce.wait).toBe(2);
    });
    it("a metric missing from the logs gives a warning, the rate still goes to the logs, and nothing changes", async () => {
      const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
      const reduce = new ReduceLROnPlateau({ monitor: "val_loss", patience: 0 });
      expect(await drive(reduce, "loss", [3, 2, 1])).toEqual([1, 1, 1]);
      expect(warn).toHaveBeenCalledTimes(3);
      expect(warn.mock.calls[0]![0]).toMatch(/`val_loss` is not in the epoch's logs, which hold: loss, learning_rate/);
      expect(reduce.best).toBeUndefined();
    });
  });

  it("leaves no tensor behind: the epoch logs' scalars are read and disposed", async () => {
    const { model, x, y } = constantModel(tf.train.sgd(1));
    const fit = (epochs: number) => model.fit(x, y, { epochs, verbose: 0, callbacks: [new ReduceLROnPlateau("loss", { patience: 1 })] });
    await fit(2);
    const before = tf.memory().numTensors;
    await fit(20);
    expect(tf.memory().numTensors).toBe(before);
  });

  describe("bad options throw errors that name the option", () => {
    const cases: [string, unknown, RegExp, ErrorConstructor][] = [
      ["factor", 1, /`factor` must be a finite number >= 0 and < 1\. Received: factor=1$/, RangeError],
      ["factor", 1.5, /factor=1\.5/, RangeError],
      ["factor", -0.1, /factor=-0\.1/, RangeError],
      ["factor", NaN, /factor=NaN/, RangeError],
      ["factor", "0.5", /factor="0\.5"/, TypeError],
      ["patience", -1, /`patience` must be an integer >= 0\. Received: patience=-1/, RangeError],
      ["patience", 1.5, /patience=1\.5/, RangeError],
      ["patience", NaN, /patience=NaN/, RangeError],
      ["patience", "3", /patience="3"/, TypeError],
      ["cooldown", -2, /`cooldown` must be an integer >= 0/, RangeError],
      ["minDelta", -1e-4, /`minDelta` must be a finite number >= 0\. Received: minDelta=-0\.0001/, RangeError],
      ["minDelta", NaN, /minDelta=NaN/, RangeError],
      ["minLr", -0.1, /`minLr` must be a finite number >= 0/, RangeError],
      ["minLr", Infinity, /minLr=Infinity/, RangeError],
      ["verbose", -1, /`verbose` must be a finite number >= 0/, RangeError],
      ["mode", "maximum", /`mode` must be one of "auto", "min", "max"\. Received: mode="maximum"/, RangeError],
      ["mode", 1, /mode=1/, TypeError],
      ["monitor", 3, /`monitor` must be a metric's name, such as 'val_loss'\. Received: monitor=3/, TypeError],
      ["monitor", "", /monitor=""/, RangeError],
      ["minLR", 0.1, /`minLR` must be one of the options monitor, factor/, RangeError],
    ];
    for (const [option, value, message, kind] of cases) {
      it(`new ReduceLROnPlateau({ ${option}: ${JSON.stringify(value) ?? String(value)} }) throws ${kind.name}`, () => {
        const make = () => new ReduceLROnPlateau({ [option]: value } as never);
        expect(make).toThrow(kind);
        expect(make).toThrow(message);
        expect(make).toThrow(/^ReduceLROnPlateau: /);
      });
    }
    it("mode 'auto' with a metric of unknown direction is refused when built, saying to pass mode", () => {
      const make = () => new ReduceLROnPlateau({ monitor: "val_myMetric" });
      expect(make).toThrow(ScheduleOptionError);
      expect(make).toThrow(/`mode` must be 'min' or 'max' for monitor "val_myMetric", whose direction 'auto' cannot tell/);
    });
    it("a model that is not compiled is refused at the epoch's end, naming model.optimizer", async () => {
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
      const reduce = new ReduceLROnPlateau("loss");
      reduce.setModel(model);
      await expect(reduce.onEpochEnd(0, { loss: 1 })).rejects.toThrow(ScheduleTypeError);
      await expect(reduce.onEpochEnd(0, { loss: 1 })).rejects.toThrow(/^ReduceLROnPlateau: `model\.optimizer` must be a compiled model's optimizer \(call model\.compile first, or if you did, check that `npm ls @tensorflow\/tfjs-layers` shows a single copy/);
    });
  });
});

interface MultiCallbackCase extends DataCase {
  name: string;
  epochs: number;
  optimizer: unknown;
  history: Record<string, number[]>;
  final_weights: number[][];
}

describe("the rate callbacks on a MultiOptimizer: each inner optimizer's rate, as Keras 3.15.1 does", () => {
  const golden = (JSON.parse(readFileSync(fileURLToPath(new URL("../../test/fixtures/keras-resume/keras-multi-callbacks-golden.json", import.meta.url)), "utf8")) as { cases: MultiCallbackCase[] }).cases;
  const byName = (name: string) => golden.find((c) => c.name === name)!;
  const callbacks: Record<string, () => tf.Callback> = {
    "scheduler-halves-from-epoch-1": () => new LearningRateScheduler((epoch, lr) => (epoch === 0 ? lr : lr * 0.5)),
    "plateau-every-epoch-down-to-min-lr": () => new ReduceLROnPlateau({ monitor: "loss", factor: 0.5, patience: 1, minDelta: 10, minLr: 0.02 }),
  };
  /** The case's model (layers body and head, as Keras's) compiled with its MultiOptimizer. */
  const compiled = (c: MultiCallbackCase) => {
    const multi = optimizerFromKeras(c.optimizer) as MultiOptimizer;
    const model = fitModel(c, ["body", "head"]);
    model.compile({ optimizer: multi, loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });
    return { multi, model };
  };

  for (const c of golden) {
    it(`${c.name}: model.fit logs learning_rate_<name> per inner optimizer, and trains, as Keras's fit`, async () => {
      const before = tf.memory().numTensors;
      const { multi, model } = compiled(c);
      const trainer = fitTrainer(c);
      const history = await trainer.fit(model, c.epochs, [callbacks[c.name]!()]);
      const keys = Object.keys(c.history).filter((k) => k.startsWith("learning_rate"));
      expect(keys.sort()).toEqual(["learning_rate_body_sgd", "learning_rate_head_adam"]);
      expect(history.history.learning_rate).toBeUndefined();
      for (const key of keys) expect(history.history[key], key).toEqual(c.history[key]!.map(Math.fround));
      const loss = history.history.loss as number[];
      loss.forEach((l, e) => expect(Math.abs(l - c.history.loss![e]!)).toBeLessThan(1e-5));
      kerasOrderWeights(model).forEach((w, k) => w.forEach((v, i) => expect(Math.abs(v - c.final_weights[k]![i]!)).toBeLessThan(1e-5)));
      trainer.dispose();
      model.dispose();
      multi.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it("LearningRateScheduler: verbose names each inner optimizer, as Keras's message does", async () => {
    const c = byName("scheduler-halves-from-epoch-1");
    const { multi, model } = compiled(c);
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const trainer = fitTrainer(c);
    await trainer.fit(model, 1, [new LearningRateScheduler((_epoch, lr) => lr / 4, { verbose: 1 })]);
    // Keras's order of inner optimizers: the map's, then the default.
    expect(log.mock.calls.map((call) => call[0])).toEqual([
      `\nEpoch 1: LearningRateScheduler setting head_adam learning rate to ${fr(0.01) / 4}.`,
      `\nEpoch 1: LearningRateScheduler setting body_sgd learning rate to ${fr(0.1) / 4}.`,
    ]);
    trainer.dispose();
    model.dispose();
    multi.dispose();
  });

  it("an inner optimizer driven by a schedule: fit rejects with Keras's TypeError, and no inner optimizer's rate changes", async () => {
    const sgd = new SGD({ learningRate: 0.1, name: "body_sgd" });
    const scheduled = new Adam({ learningRate: new InverseTimeDecay(0.01, 1, 0.5), name: "head_adam" });
    // The settable one comes first, so that the refusal has something to undo.
    const multi = new MultiOptimizer(new OptimizerMap(scheduled, { ".*body/.*": sgd }));
    const c = byName("scheduler-halves-from-epoch-1");
    const model = fitModel(c, ["body", "head"]);
    model.compile({ optimizer: multi, loss: "sparseCategoricalCrossentropy" });
    const trainer = fitTrainer(c);
    await expect(trainer.fit(model, 1, [new LearningRateScheduler((_epoch, lr) => lr / 2)])).rejects.toThrow(TypeError);
    expect(sgd.learningRate).toBe(fr(0.1));
    const plateau = new ReduceLROnPlateau({ monitor: "loss", patience: 0, minDelta: 10 });
    await expect(trainer.fit(model, 2, [plateau])).rejects.toThrow(TypeError);
    expect(sgd.learningRate).toBe(fr(0.1));
    trainer.dispose();
    model.dispose();
    multi.dispose();
  });

  it("LearningRateLogger: learning_rate_<name> per epoch and per batch, each inner optimizer's rate", async () => {
    const c = byName("scheduler-halves-from-epoch-1");
    const schedule = new InverseTimeDecay(0.01, 1, 0.5);
    const head = new Adam({ learningRate: schedule, name: "head_adam" });
    const multi = new MultiOptimizer(new OptimizerMap(new SGD({ learningRate: 0.1, name: "body_sgd" }), { ".*head/.*": head }));
    const model = fitModel(c, ["body", "head"]);
    model.compile({ optimizer: multi, loss: "sparseCategoricalCrossentropy" });
    const trainer = fitTrainer(c);
    const history = await trainer.fit(model, 2, [new LearningRateLogger({ perBatch: true })]);
    const batches = c.n / c.batch_size;
    expect(history.history.batch_learning_rate_head_adam).toEqual(Array.from({ length: 2 * batches }, (_, i) => schedule(i)));
    expect(history.history.batch_learning_rate_body_sgd).toEqual(Array(2 * batches).fill(fr(0.1)));
    expect(history.history.learning_rate_head_adam).toEqual([schedule(batches), schedule(2 * batches)]);
    expect(history.history.learning_rate_body_sgd).toEqual([fr(0.1), fr(0.1)]);
    expect(history.history.learning_rate).toBeUndefined();
    trainer.dispose();
    model.dispose();
    multi.dispose();
  });
});
