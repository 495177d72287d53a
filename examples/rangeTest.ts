/**
 * `npm run range-test`: choose the peak rate by experiment, then train with it. On Iris, a learning-rate range test
 * (`findLearningRate`) suggests a rate; a one-cycle schedule peaking there trains the model, and the same model trained
 * at poorly chosen fixed rates is shown beside it. Seeded: every run prints the same numbers.
 */
import * as tf from "@tensorflow/tfjs";
import { isEntryPoint } from "./entryPoint.js";
import { OneCycle, type LearningRateSchedule } from "../src/index.js";
import { Adam, findLearningRate, type RangeTestResult } from "../src/tfjs/index.js";
import { rangeTestToTerminal } from "../src/plot/index.js";
import { irisData } from "./demo.js";

/** Options of {@link rangeTestThenTrain}. */
export interface RangeTestExampleOptions {
  /** Epochs of each training run. @defaultValue 20 */
  epochs?: number;
  /** @defaultValue 16 */
  batchSize?: number;
  /** Seeds the data's order and the initial weights. @defaultValue 42 */
  seed?: number;
  /** The fixed rates to train at for comparison. @defaultValue [1e-4, 1] */
  fixedRates?: readonly number[];
  /** Where the report goes; null prints nothing. @defaultValue process.stdout */
  output?: { write(text: string): unknown } | null;
}

/** One training run: its rate, and the model's loss and accuracy on the data set afterwards. */
export interface TrainingRun {
  learningRate: string;
  loss: number;
  accuracy: number;
}

/** What {@link rangeTestThenTrain} returns. */
export interface RangeTestExampleResult {
  rangeTest: RangeTestResult;
  runs: TrainingRun[];
}

/**
 * Runs the range test on a fresh Dense(10, relu) -> Dense(3, softmax) model with this package's Adam, trains it with
 * `OneCycle` peaking at the suggestion, and trains the same model at each fixed rate, reporting the range test's chart
 * (`rangeTestToTerminal`) and each run's final loss and accuracy on the whole data set.
 *
 * @example
 * import { rangeTestThenTrain } from './examples/rangeTest.js';
 * const { rangeTest, runs } = await rangeTestThenTrain({ epochs: 10, output: null });
 * rangeTest.suggestion > 1e-4 && rangeTest.suggestion < 1; //=> true
 * runs.length; //=> 3
 */
export async function rangeTestThenTrain(options: RangeTestExampleOptions = {}): Promise<RangeTestExampleResult> {
  const { epochs = 20, batchSize = 16, seed = 42, fixedRates = [1e-4, 1] } = options;
  const output = options.output === undefined ? process.stdout : options.output;
  const print = (line: string) => output?.write(`${line}\n`);
  await tf.setBackend("cpu");
  await tf.ready();
  const { x, y } = irisData(seed);
  const batches = Math.ceil(x.shape[0] / batchSize);

  const model = (learningRate: number | LearningRateSchedule) => {
    const m = tf.sequential({
      layers: [
        tf.layers.dense({ units: 10, activation: "relu", inputShape: [4], kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
        tf.layers.dense({ units: 3, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }),
      ],
    });
    m.compile({ optimizer: new Adam({ learningRate }), loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });
    return m;
  };
  const train = async (learningRate: number | LearningRateSchedule, label: string): Promise<TrainingRun> => {
    const m = model(learningRate);
    await m.fit(x, y, { epochs, batchSize, shuffle: false, verbose: 0 });
    const [loss, accuracy] = (m.evaluate(x, y, { batchSize: x.shape[0] }) as tf.Scalar[]).map((t) => {
      const value = t.dataSync()[0]!;
      t.dispose();
      return value;
    });
    m.dispose();
    return { learningRate: label, loss: loss!, accuracy: accuracy! };
  };

  const probe = model(1e-3);
  const rangeTest = await findLearningRate(probe, x, y, { startLearningRate: 1e-5, endLearningRate: 10, numSteps: 100, batchSize, shuffle: false });
  probe.dispose();
  const { suggestions } = rangeTest;
  print(`Range test on Iris: ${rangeTest.losses.length} steps from 1e-5 to 10${rangeTest.stoppedEarly ? " (stopped early: the loss diverged)" : ""}`);
  print(`  suggested rates: valley ${suggestions.valley.toPrecision(3)}, steepest ${suggestions.steepest.toPrecision(3)}, minimum ${suggestions.minimum.toPrecision(3)}`);
  const color = (output as { isTTY?: boolean } | null)?.isTTY === true && !process.env.NO_COLOR;
  print(rangeTestToTerminal(rangeTest, { rules: ["valley", "steepest", "minimum"], width: 80, height: 12, color }));

  const schedule = new OneCycle({ peakLearningRate: rangeTest.suggestion, totalSteps: epochs * batches });
  const runs = [await train(schedule, `OneCycle peaking at ${rangeTest.suggestion.toPrecision(3)}`)];
  for (const rate of fixedRates) runs.push(await train(rate, `fixed ${rate}`));
  tf.dispose([x, y]);

  print(`Adam, ${epochs} epochs of ${batches} batches; loss and accuracy on the whole data set afterwards:`);
  const width = Math.max(...runs.map((r) => r.learningRate.length));
  for (const r of runs) print(`  ${r.learningRate.padEnd(width)}  loss ${r.loss.toFixed(4)}  accuracy ${r.accuracy.toFixed(4)}`);
  return { rangeTest, runs };
}

if (isEntryPoint(import.meta.url)) {
  tf.enableProdMode();
  await rangeTestThenTrain();
}
