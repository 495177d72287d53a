/**
 * Every schedule class drives a real `model.fit` through the Keras-faithful SGD: the rate of each update is the
 * schedule at the number of updates before it, and nothing leaks from epoch to epoch.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { builtInScheduleClasses } from "../src/catalogue.js";
import { deserialize } from "../src/index.js";
import { SGD } from "../src/tfjs/index.js";
import { scheduleExamples } from "./support/examples.js";
import { kerasFixture } from "./support/golden.js";

const keras = Object.values(kerasFixture<{ schedules: Record<string, unknown> }>("keras3-configs.json").schedules).map((json) => deserialize(json));
// Keras's classes from Keras's own configs; every class (this package's own too) from its examples.
const ours = scheduleExamples();
const all = [...keras, ...ours];

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("model.fit with each schedule class as SGD's learning rate", () => {
  it("covers every schedule class", () => {
    const covered = new Set(all.map((s) => s.className));
    expect([...covered].sort()).toEqual(builtInScheduleClasses().map((c) => c.className).sort());
  });

  for (const schedule of all) {
    it(`${schedule.className} (${schedule.name}): each update uses schedule(iterations), and numTensors is the same after 2 and after 8 epochs`, async () => {
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, activation: "softmax", inputShape: [4], kernelInitializer: "zeros" })] });
      const optimizer = new SGD({ learningRate: schedule, momentum: 0.5 });
      model.compile({ optimizer, loss: "sparseCategoricalCrossentropy" });
      const xs = tf.tensor2d(Array.from({ length: 32 }, (_, i) => [i % 4, (i * 7) % 5, (i * 3) % 2, 1].map((v) => v / 4)));
      const ys = tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 3), "float32");
      const rates: number[] = [];
      const readRate = new tf.CustomCallback({
        onBatchBegin: async () => {
          rates.push(optimizer.learningRate);
        },
      });
      // Counted once each fit has settled (tf.js frees its batch logs asynchronously while it runs): after 2 epochs,
      // then after 6 more, the count must be the same.
      const fit = (epochs: number) => model.fit(xs, ys, { epochs, batchSize: 8, shuffle: false, verbose: 0, yieldEvery: "never", callbacks: [readRate] });
      await fit(2);
      const afterTwo = tf.memory().numTensors;
      await fit(6);
      const counts = [afterTwo, tf.memory().numTensors];
      expect(optimizer.iterations).toBe(32);
      // The rate rounded to float32, as Keras casts it (a float64 schedule's, such as lr-schedules/transformers', too).
      expect(rates).toEqual(Array.from({ length: 32 }, (_, k) => Math.fround(schedule(k))));
      expect(counts[1], `numTensors after 2 epochs, then after 8: ${counts.join(", ")}`).toBe(counts[0]);
      tf.dispose([xs, ys]);
      model.dispose();
      optimizer.dispose();
    });
  }
});
