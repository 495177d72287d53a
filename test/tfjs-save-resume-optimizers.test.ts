/**
 * Save and resume for every optimizer of the base's options issue and for every base option: 2 epochs,
 * `model.save(..., { includeOptimizer: true })`, `tf.loadLayersModel`, 3 more epochs gives the same weights, to the
 * bit on the cpu backend, as 5 epochs straight. The optimizer comes back with its class, its options, its call count
 * and every slot: moments, gradient accumulators (a partial sum at the save), EMA averages.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { CosineDecay, ExponentialDecay, float32Bits, InverseTimeDecay } from "../src/index.js";
import { Adadelta, Adagrad, Adam, Adamax, AdamW, KerasOptimizer, Nadam, RMSprop, SGD } from "../src/tfjs/index.js";

const n = 60;
const d = 4;
const classes = 3;
const batchSize = 10; // 6 calls per epoch

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

interface Case {
  make: () => KerasOptimizer;
  /** What the optimizer needs after it is built or loaded and is not part of its config (weight-decay exclusions). */
  prepare?: (optimizer: KerasOptimizer) => void;
}

const itd = () => new InverseTimeDecay(0.05, 3, 0.5);
const cases: [string, Case][] = [
  ["RMSprop centered with momentum, ExponentialDecay", { make: () => new RMSprop({ learningRate: new ExponentialDecay(0.01, 3, 0.9), momentum: 0.9, centered: true }) }],
  ["RMSprop, a number learning rate", { make: () => new RMSprop(0.01) }],
  ["AdamW amsgrad, CosineDecay with warm-up", { make: () => new AdamW({ learningRate: new CosineDecay({ initialLearningRate: 0, decaySteps: 30, warmupTarget: 0.03, warmupSteps: 6 }), weightDecay: 0.01, amsgrad: true }) }],
  ["Adadelta, ExponentialDecay", { make: () => new Adadelta({ learningRate: new ExponentialDecay(1, 5, 0.8) }) }],
  ["Adagrad, InverseTimeDecay", { make: () => new Adagrad({ learningRate: itd(), initialAccumulatorValue: 0.2 }) }],
  ["Adamax, InverseTimeDecay", { make: () => new Adamax({ learningRate: itd() }) }],
  ["Nadam, InverseTimeDecay (u_product is saved)", { make: () => new Nadam({ learningRate: itd() }) }],
  ["weightDecay, with biases excluded by name", { make: () => new SGD({ learningRate: itd(), momentum: 0.9, weightDecay: 0.05 }), prepare: (o) => o.excludeFromWeightDecay({ varNames: ["bias"] }) }],
  ["clipnorm", { make: () => new Adam({ learningRate: itd(), clipnorm: 0.1 }) }],
  ["clipvalue", { make: () => new SGD({ learningRate: itd(), clipvalue: 0.05 }) }],
  ["globalClipnorm", { make: () => new Adam({ learningRate: itd(), globalClipnorm: 0.2 }) }],
  ["gradientAccumulationSteps 5 (saved with a partial sum of 2 calls)", { make: () => new Adam({ learningRate: itd(), gradientAccumulationSteps: 5 }) }],
  ["useEma with emaOverwriteFrequency 4", { make: () => new Adam({ learningRate: itd(), useEma: true, emaMomentum: 0.8, emaOverwriteFrequency: 4 }) }],
  ["useEma, finalized after the last epoch", { make: () => new Nadam({ learningRate: itd(), useEma: true, emaMomentum: 0.9 }) }],
  ["every option at once", { make: () => new RMSprop({ learningRate: itd(), momentum: 0.5, weightDecay: 0.01, globalClipnorm: 1, useEma: true, emaOverwriteFrequency: 7, gradientAccumulationSteps: 4 }) }],
];

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("2 epochs + save + load + 3 epochs equals 5 epochs straight, bit for bit", () => {
  for (const [name, { make, prepare = () => {} }] of cases) {
    it(name, async () => {
      const { x, y } = data();
      const fit = (m: tf.LayersModel, epochs: number) => m.fit(x, y, { epochs, batchSize, shuffle: false, verbose: 0 });

      const straightOptimizer = make();
      prepare(straightOptimizer);
      const straight = model(straightOptimizer);
      const initial = straight.getWeights().map((w) => w.clone());
      const straightHistory = await fit(straight, 5);

      const firstOptimizer = make();
      prepare(firstOptimizer);
      const first = model(firstOptimizer);
      first.setWeights(initial);
      await fit(first, 2);
      const iterationsAtSave = firstOptimizer.iterations;
      const resumed = await saveAndLoad(first);
      const optimizer = resumed.optimizer as KerasOptimizer;
      prepare(optimizer);
      expect(optimizer.constructor).toBe(firstOptimizer.constructor);
      expect(optimizer.getConfig()).toEqual(firstOptimizer.getConfig());
      expect(optimizer.iterations).toBe(iterationsAtSave);
      expect(optimizer.learningRate).toBe(firstOptimizer.learningRate);
      const resumedHistory = await fit(resumed, 3);
      straightOptimizer.finalizeVariableValues(straight);
      optimizer.finalizeVariableValues(resumed);

      expect(bits(resumed)).toEqual(bits(straight));
      expect(resumedHistory.history.loss).toEqual(straightHistory.history.loss!.slice(2));
      expect(optimizer.iterations).toBe(straightOptimizer.iterations);
      expect((await optimizer.getWeights()).map((w) => w.tensor.shape)).toEqual((await straightOptimizer.getWeights()).map((w) => w.tensor.shape));
      tf.dispose([x, y, ...initial]);
      for (const o of [straightOptimizer, firstOptimizer, optimizer]) o.dispose();
      for (const m of [straight, first, resumed]) m.dispose();
    });
  }

  it("each case's options change the trajectory: no option here is silently ignored", async () => {
    const { x, y } = data();
    const weightsAfter = async (optimizer: KerasOptimizer, prepare: (o: KerasOptimizer) => void = () => {}) => {
      prepare(optimizer);
      const m = model(optimizer);
      await m.fit(x, y, { epochs: 2, batchSize, shuffle: false, verbose: 0 });
      optimizer.finalizeVariableValues(m);
      const out = bits(m);
      m.dispose();
      optimizer.dispose();
      return out;
    };
    const base = { learningRate: itd() };
    const plainSGD = await weightsAfter(new SGD({ ...base, momentum: 0.9, weightDecay: 0.05 }));
    expect(await weightsAfter(new SGD({ ...base, momentum: 0.9, weightDecay: 0.05 }), (o) => o.excludeFromWeightDecay({ varNames: ["bias"] }))).not.toEqual(plainSGD);
    const plainAdam = await weightsAfter(new Adam(base));
    for (const options of [{ clipnorm: 0.1 }, { globalClipnorm: 0.2 }, { gradientAccumulationSteps: 5 }, { useEma: true, emaMomentum: 0.8 }]) {
      expect(await weightsAfter(new Adam({ ...base, ...options }))).not.toEqual(plainAdam);
    }
    expect(await weightsAfter(new SGD({ ...base, clipvalue: 0.05 }))).not.toEqual(await weightsAfter(new SGD(base)));
    tf.dispose([x, y]);
  });
});
