/**
 * The Keras fit golden cases read from test/fixtures/keras, and the check of a trained case against Keras's numbers.
 * The training itself is in kerasFitRun.ts (re-exported here), which runs in a browser page as well.
 */
import type * as tf from "@tensorflow/tfjs";
import { expect } from "vitest";
import type { KerasOptimizer } from "../../src/tfjs/index.js";
import { kerasFixture } from "./golden.js";
import type { FitCase, FitResult } from "./kerasFitRun.js";

export * from "./kerasFitRun.js";

/** The cases of one fit golden file. */
export const fitCases = (file: "keras-fit-golden.json" | "keras-fit-optimizers-golden.json"): FitCase[] => kerasFixture<{ cases: FitCase[] }>(file).cases;

/** The case named `name`, from either golden file. */
export function fitCase(name: string): FitCase {
  const c = [...fitCases("keras-fit-golden.json"), ...fitCases("keras-fit-optimizers-golden.json")].find((x) => x.name === name);
  if (!c) throw new Error(`no fit golden case ${name}`);
  return c;
}

/**
 * The fits trained on the other backends (wasm in Node, webgl in Chromium): SGD with InverseTimeDecay, Adam (AMSGrad)
 * with InverseTimeDecay, AdamW with a warmed-up CosineDecay, Adam with EMA, Adam with global gradient clipping.
 */
export const backendFitCases = (): FitCase[] =>
  ["seed-example-sgd-inverse-time", "adam-amsgrad-inverse-time", "adamw-cosine-warmup", "adam-ema", "adam-global-clipnorm"].map(fitCase);

/**
 * A case's result against Keras's (and printed): per-epoch loss within relative 1e-5, accuracy exact (compared as the
 * number of samples classified right, since tf.js averages batch accuracies in float32 and can land one ulp away),
 * final weights within absolute 1e-5, iterations exact, and no tensor left behind.
 */
export function expectFitMatchesKeras(c: FitCase, r: FitResult): void {
  console.log(
    `${c.name}: worst loss relative difference ${r.lossRelative.toExponential(2)}, worst accuracy difference ` +
      `${r.accuracyAbsolute}, worst weight absolute difference ${r.weightAbsolute.toExponential(2)}, iterations ` +
      `${r.iterations} (Keras ${c.iterations}), tensors left ${r.tensorsLeft}`,
  );
  expect(r.loss).toHaveLength(c.epochs);
  expect(r.lossRelative).toBeLessThan(1e-5);
  expect(r.accuracy.map((a) => Math.round(a * c.n))).toEqual(c.accuracy.map((a) => Math.round(a * c.n)));
  expect(r.accuracyAbsolute).toBeLessThanOrEqual(2 ** -23);
  expect(r.weights.map((w) => w.length)).toEqual(c.final_weights.map((w) => w.length));
  expect(r.weightAbsolute).toBeLessThan(1e-5);
  expect(r.iterations).toBe(c.iterations);
  expect(r.tensorsLeft, "tensors left after the fit, with everything disposed").toBe(0);
}

/** The weights layer by layer, as Keras's `get_weights()` orders them (tf.js's `model.getWeights()` puts every trainable first). */
export function kerasOrderWeights(model: tf.LayersModel): number[][] {
  return model.layers.flatMap((layer) => layer.getWeights()).map((w) => Array.from(w.dataSync()));
}

/**
 * A training continued in tf.js against Keras's continuation (printed under `label`): per-epoch loss and the final
 * weights (in Keras's order) within absolute 1e-5, iterations exact. Returns the two distances.
 */
export function expectContinuationMatchesKeras(
  label: string,
  model: tf.LayersModel,
  optimizer: KerasOptimizer,
  history: tf.History,
  keras: { loss: number[]; final_weights: number[][]; iterations: number },
): { loss: number; weights: number } {
  const loss = history.history.loss as number[];
  const weights = kerasOrderWeights(model);
  const lossDiff = Math.max(...loss.map((l, e) => Math.abs(l - keras.loss[e]!)));
  const weightDiff = Math.max(...weights.flatMap((w, k) => w.map((v, i) => Math.abs(v - keras.final_weights[k]![i]!))));
  console.log(`${label}: max |loss - Keras| ${lossDiff.toExponential(2)}, max |weight - Keras| ${weightDiff.toExponential(2)}, iterations ${optimizer.iterations} (Keras ${keras.iterations})`);
  expect(loss).toHaveLength(keras.loss.length);
  expect(weights.map((w) => w.length)).toEqual(keras.final_weights.map((w) => w.length));
  expect(lossDiff).toBeLessThan(1e-5);
  expect(weightDiff).toBeLessThan(1e-5);
  expect(optimizer.iterations).toBe(keras.iterations);
  return { loss: lossDiff, weights: weightDiff };
}
