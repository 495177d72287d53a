/**
 * Save and resume: 2 epochs, `model.save(..., { includeOptimizer: true })`, `tf.loadLayersModel`, 3 more epochs gives
 * the same weights, to the bit on the cpu backend, as 5 epochs straight: the optimizer comes back with its class, its
 * schedule, its iterations and its slots.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { CosineDecay, InverseTimeDecay, LinearWarmup, float32Bits } from "../src/index.js";
import { Adam, KerasOptimizer, SGD } from "../src/tfjs/index.js";

const n = 60;
const d = 4;
const classes = 3;

/** The data of keras-fit-golden.json's first case: x[i][j] = ((7i + 3j) % 11)/10 - 0.5, y the first largest class. */
function data(): { x: tf.Tensor2D; y: tf.Tensor1D } {
  const x = Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, j) => Math.fround(((i * 7 + j * 3) % 11) / 10 - 0.5)));
  const y = x.map((row) => row.slice(0, classes).indexOf(Math.max(...row.slice(0, classes))));
  return { x: tf.tensor2d(x), y: tf.tensor1d(y) };
}

function model(optimizer: KerasOptimizer): tf.Sequential {
  const m = tf.sequential({
    layers: [
      tf.layers.dense({ units: 8, activation: "relu", inputShape: [d], kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.dense({ units: classes, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  m.compile({ optimizer, loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });
  return m;
}

/** Saves to memory as tf.js does to a file: the artifacts go through JSON, as model.json does. */
async function saveAndLoad(m: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await m.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
    { includeOptimizer: true },
  );
  const artifacts = { ...saved!, modelTopology: JSON.parse(JSON.stringify(saved!.modelTopology)), trainingConfig: JSON.parse(JSON.stringify(saved!.trainingConfig)) };
  return tf.loadLayersModel(tf.io.fromMemory(artifacts));
}

const bits = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()).map(float32Bits));

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("2 epochs + save + load + 3 epochs equals 5 epochs straight, bit for bit", () => {
  const cases: [string, () => KerasOptimizer][] = [
    ["SGD momentum 0.9, InverseTimeDecay", () => new SGD({ learningRate: new InverseTimeDecay(0.1, 1, 0.5), momentum: 0.9 })],
    ["SGD nesterov, a staircase InverseTimeDecay named with an underscore", () => new SGD({ learningRate: new InverseTimeDecay({ initialLearningRate: 0.2, decaySteps: 4, decayRate: 0.5, staircase: true, name: "my_itd" }), momentum: 0.8, nesterov: true })],
    ["Adam amsgrad, InverseTimeDecay", () => new Adam({ learningRate: new InverseTimeDecay(0.03, 3, 0.5), amsgrad: true })],
    ["Adam amsgrad, LinearWarmup of a CosineDecay (nested schedules)", () => new Adam({ learningRate: new LinearWarmup(new CosineDecay(0.03, 20, 0.1), 6), amsgrad: true })],
    ["Adam, a number learning rate", () => new Adam(0.02)],
  ];
  for (const [name, make] of cases) {
    it(name, async () => {
      const { x, y } = data();
      const fit = (m: tf.LayersModel, epochs: number) => m.fit(x, y, { epochs, batchSize: 10, shuffle: false, verbose: 0 });

      const straightOptimizer = make();
      const straight = model(straightOptimizer);
      const initial = straight.getWeights().map((w) => w.clone());
      const straightHistory = await fit(straight, 5);

      const firstOptimizer = make();
      const first = model(firstOptimizer);
      first.setWeights(initial);
      await fit(first, 2);
      const resumed = await saveAndLoad(first);
      const optimizer = resumed.optimizer as KerasOptimizer;
      expect(optimizer).toBeInstanceOf(firstOptimizer.constructor as typeof KerasOptimizer);
      expect(optimizer.iterations).toBe(12);
      expect(optimizer.getConfig()).toEqual(firstOptimizer.getConfig());
      expect(optimizer.learningRate).toBe(firstOptimizer.learningRate);
      const resumedHistory = await fit(resumed, 3);

      expect(bits(resumed)).toEqual(bits(straight));
      expect(resumedHistory.history.loss).toEqual(straightHistory.history.loss!.slice(2));
      expect(optimizer.iterations).toBe(30);
      tf.dispose([x, y, ...initial]);
      for (const o of [straightOptimizer, firstOptimizer, optimizer]) o.dispose();
      for (const m of [straight, first, resumed]) m.dispose();
    });
  }

  it("the saved training config holds the optimizer's registered name and the schedule's Keras JSON", async () => {
    const m = model(new SGD({ learningRate: new InverseTimeDecay(0.1, 1, 0.5), momentum: 0.9 }));
    let config: unknown;
    await m.save(
      tf.io.withSaveHandler(async (artifacts) => {
        config = artifacts.trainingConfig?.optimizer_config;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
      }),
      { includeOptimizer: true },
    );
    expect(config).toEqual({
      class_name: "lr-schedules>SGD",
      config: {
        learningRate: {
          module: "keras.optimizers.schedules",
          class_name: "InverseTimeDecay",
          config: { initial_learning_rate: 0.1, decay_steps: 1, decay_rate: 0.5, staircase: false, name: "InverseTimeDecay" },
          registered_name: null,
        },
        momentum: 0.9,
        nesterov: false,
        name: "sgd",
      },
    });
    m.dispose();
  });
});
