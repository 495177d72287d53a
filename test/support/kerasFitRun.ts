/**
 * Keras's `model.fit` golden cases (keras-fit-golden.json, keras-fit-optimizers-golden.json) rebuilt in tf.js: the
 * data and weights from the formulas in the files, the same model, compiled and fitted as Keras did, and the distances
 * to Keras's per-epoch loss, accuracy, final weights and iterations. Nothing here needs Node or vitest, so a browser
 * page runs the same code (test/support/fitPage.ts); reading the files and checking the results is in kerasFit.ts.
 */
import * as tf from "@tensorflow/tfjs";
import { optimizerFromKeras, type KerasOptimizer } from "../../src/tfjs/index.js";

/** One case of a Keras fit golden file. */
export interface FitCase {
  name: string;
  n: number;
  d: number;
  classes: number;
  hidden: number;
  a: number;
  b: number;
  epochs: number;
  batch_size: number;
  keras_optimizer: unknown;
  loss: number[];
  accuracy: number[];
  iterations: number;
  final_weights: number[][];
}

/** The parameters of a case's data and model formulas, which every Keras golden case of a fit carries. */
export type DataCase = Pick<FitCase, "n" | "d" | "classes" | "hidden" | "a" | "b" | "batch_size"> & { architecture?: string };

/** The file's data: x[i][j] = ((i*a + j*b) % 11)/10 - 0.5 in float32; y[i] the first largest of x[i][0..classes-1]. */
function fitData(c: DataCase): { x: number[][]; y: number[] } {
  const x = Array.from({ length: c.n }, (_, i) => Array.from({ length: c.d }, (_, j) => Math.fround(((i * c.a + j * c.b) % 11) / 10 - 0.5)));
  const y = x.map((row) => {
    let best = 0;
    for (let j = 1; j < c.classes; j++) if (row[j]! > row[best]!) best = j;
    return best;
  });
  return { x, y };
}

/** pattern(shape, k)[t] = (((t*k) % 7) - 3)/10, row-major. */
function pattern(rows: number, cols: number, k: number): tf.Tensor2D {
  return tf.tensor2d(Array.from({ length: rows * cols }, (_, t) => (((t * k) % 7) - 3) / 10), [rows, cols]);
}

/** Dense(hidden, relu) then Dense(classes, softmax), with the file's initial weights; `names` names the two layers. */
export function fitModel(c: Pick<DataCase, "d" | "hidden" | "classes">, names?: readonly [string, string]): tf.Sequential {
  const m = tf.sequential({
    layers: [
      tf.layers.dense({ units: c.hidden, activation: "relu", inputShape: [c.d], ...(names ? { name: names[0] } : {}) }),
      tf.layers.dense({ units: c.classes, activation: "softmax", ...(names ? { name: names[1] } : {}) }),
    ],
  });
  const weights = [pattern(c.d, c.hidden, 3), tf.fill([c.hidden], 0.013), pattern(c.hidden, c.classes, 5), tf.zeros([c.classes])];
  m.setWeights(weights);
  tf.dispose(weights);
  return m;
}

/**
 * The model of a keras-resume case, uncompiled: {@link fitModel}'s, or with `architecture: 'functional-batchnorm'` a
 * functional Dense(hidden, relu), BatchNormalization, Dense(classes, softmax) (as scripts/keras-resume.py builds it).
 */
export function resumeModel(c: DataCase): tf.LayersModel {
  if (c.architecture === undefined) return fitModel(c);
  if (c.architecture !== "functional-batchnorm") throw new Error(`no keras-resume architecture ${c.architecture}`);
  const input = tf.input({ shape: [c.d] });
  const hidden = tf.layers.dense({ units: c.hidden, activation: "relu" }).apply(input) as tf.SymbolicTensor;
  const normalized = tf.layers.batchNormalization().apply(hidden) as tf.SymbolicTensor;
  const output = tf.layers.dense({ units: c.classes, activation: "softmax" }).apply(normalized) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}

/** The case's model compiled as Keras compiled it, with `optimizer`. */
export function compiledModel(c: FitCase, optimizer: tf.Optimizer): tf.Sequential {
  const m = fitModel(c);
  m.compile({ optimizer, loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });
  return m;
}

/**
 * A trainer for the case's data: `epochs` epochs of `model.fit` as Keras ran them (shuffle off, the file's batch
 * size). Dispose it to free the data.
 */
export function fitTrainer(c: DataCase): {
  fit(m: tf.LayersModel, epochs: number, callbacks?: tf.Callback[]): Promise<tf.History>;
  dispose(): void;
} {
  const { x, y } = fitData(c);
  const xs = tf.tensor2d(x);
  const ys = tf.tensor1d(y);
  return {
    fit: (m, epochs, callbacks) => m.fit(xs, ys, { epochs, batchSize: c.batch_size, shuffle: false, verbose: 0, ...(callbacks ? { callbacks } : {}) }),
    dispose: () => tf.dispose([xs, ys]),
  };
}

/** What one case measured against Keras. */
export interface FitResult {
  loss: number[];
  accuracy: number[];
  weights: number[][];
  iterations: number;
  /** Worst relative difference of the per-epoch loss. */
  lossRelative: number;
  /** Worst absolute difference of the per-epoch accuracy. */
  accuracyAbsolute: number;
  /** Worst absolute difference of the final weights. */
  weightAbsolute: number;
  /** `tf.memory().numTensors` once everything is disposed, less the count before the case: 0 when nothing leaked. */
  tensorsLeft: number;
}

/**
 * Trains one case as Keras did (shuffle off, the file's batch size and epochs) and measures it. `prepare` may wrap
 * or inspect the optimizer and add a callback (for example the one that writes EMA weights at the end of fit). Counts
 * the tensors left once the fit has settled and the model, optimizer and data are disposed.
 */
export async function runFitCase(
  c: FitCase,
  prepare: (optimizer: KerasOptimizer, model: tf.LayersModel) => tf.Callback | undefined = () => undefined,
): Promise<FitResult> {
  const tensorsBefore = tf.memory().numTensors;
  const optimizer = optimizerFromKeras(c.keras_optimizer);
  const m = compiledModel(c, optimizer);
  const callback = prepare(optimizer, m);
  const trainer = fitTrainer(c);
  const history = await trainer.fit(m, c.epochs, callback ? [callback] : undefined);
  const loss = history.history.loss as number[];
  const accuracy = (history.history.acc ?? history.history.accuracy) as number[];
  const weights = m.getWeights().map((w) => Array.from(w.dataSync()));
  const iterations = optimizer.iterations;
  trainer.dispose();
  m.dispose();
  optimizer.dispose();
  return {
    loss,
    accuracy,
    weights,
    iterations,
    lossRelative: Math.max(...loss.map((l, e) => Math.abs(l - c.loss[e]!) / Math.abs(c.loss[e]!))),
    accuracyAbsolute: Math.max(...accuracy.map((a, e) => Math.abs(a - c.accuracy[e]!))),
    weightAbsolute: Math.max(...weights.flatMap((w, k) => w.map((v, i) => Math.abs(v - c.final_weights[k]![i]!)))),
    tensorsLeft: tf.memory().numTensors - tensorsBefore,
  };
}

