/**
 * Checks that every Keras-faithful optimizer's test file runs the same way: save and resume through `model.save` /
 * `tf.loadLayersModel` on a golden case's data and model, and a tensor-leak count over many `minimize` steps. (The
 * golden cases themselves run in test/tfjs-fit-optimizers-golden.test.ts.)
 */
import * as tf from "@tensorflow/tfjs";
import { expect } from "vitest";
import { float32Bits } from "../../src/index.js";
import type { KerasOptimizer } from "../../src/tfjs/index.js";
import { kerasFixture } from "./golden.js";
import { fitData, fitModel, type FitCase } from "./kerasFit.js";

/** The case of keras-fit-optimizers-golden.json named `name`. */
export function optimizerCase(name: string): FitCase {
  const c = kerasFixture<{ cases: FitCase[] }>("keras-fit-optimizers-golden.json").cases.find((x) => x.name === name);
  if (!c) throw new Error(`keras-fit-optimizers-golden.json has no case ${name}`);
  return c;
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

const weightBits = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()).map(float32Bits));

/**
 * 2 epochs, save with the optimizer, load, 3 more epochs, against 5 epochs straight, on the data and model of a golden
 * case (6 `applyGradients` calls per epoch): the same weights and losses bit for bit, the same class, config,
 * iterations and slot shapes.
 */
export async function expectSaveResumeExact(make: () => KerasOptimizer, caseName: string): Promise<void> {
  const c = optimizerCase(caseName);
  const { x, y } = fitData(c);
  const xs = tf.tensor2d(x);
  const ys = tf.tensor1d(y);
  const compiled = (optimizer: KerasOptimizer) => {
    const m = fitModel(c);
    m.compile({ optimizer, loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });
    return m;
  };
  const fit = (m: tf.LayersModel, epochs: number) => m.fit(xs, ys, { epochs, batchSize: c.batch_size, shuffle: false, verbose: 0 });
  const straightOptimizer = make();
  const straight = compiled(straightOptimizer);
  const straightHistory = await fit(straight, 5);

  const firstOptimizer = make();
  const first = compiled(firstOptimizer);
  await fit(first, 2);
  const resumed = await saveAndLoad(first);
  const optimizer = resumed.optimizer as KerasOptimizer;
  expect(optimizer).toBeInstanceOf(firstOptimizer.constructor as typeof KerasOptimizer);
  expect(optimizer.iterations).toBe(firstOptimizer.iterations);
  expect(optimizer.getConfig()).toEqual(firstOptimizer.getConfig());
  expect((await optimizer.getWeights()).map((w) => w.tensor.shape)).toEqual((await firstOptimizer.getWeights()).map((w) => w.tensor.shape));
  const resumedHistory = await fit(resumed, 3);

  expect(weightBits(resumed)).toEqual(weightBits(straight));
  expect(resumedHistory.history.loss).toEqual(straightHistory.history.loss!.slice(2));
  expect(optimizer.iterations).toBe(straightOptimizer.iterations);
  tf.dispose([xs, ys]);
  for (const o of [straightOptimizer, firstOptimizer, optimizer]) o.dispose();
  for (const m of [straight, first, resumed]) m.dispose();
}

/**
 * `tf.memory().numTensors` after 10 and after `steps` `minimize` steps of a fresh optimizer, each counted once the
 * optimizer is disposed (its slots and its cache of float32 scalars, whose size follows the values in use), on a 2-D
 * weight and a bias (so that optimizers that treat matrices apart take both paths), and the count before. All three
 * are equal when no step leaks a tensor.
 */
export function tensorCounts(make: () => KerasOptimizer, steps = 2000): [before: number, after10: number, afterSteps: number] {
  const w = tf.variable(tf.tensor2d([[0.5, -0.2], [0.1, 0.3], [-0.4, 0.2]]));
  const b = tf.variable(tf.tensor1d([0.05, -0.05]));
  const x = tf.tensor2d([[1, 2, 3], [-1, 0.5, 2]]);
  const target = tf.tensor2d([[1, 0], [0, 1]]);
  const loss = () => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(x, w), b), target))) as tf.Scalar;
  const before = tf.memory().numTensors;
  const counts = [10, steps].map((n) => {
    const optimizer = make();
    for (let step = 0; step < n; step++) optimizer.minimize(loss);
    optimizer.dispose();
    return tf.memory().numTensors;
  });
  tf.dispose([w, b, x, target]);
  return [before, counts[0]!, counts[1]!];
}
