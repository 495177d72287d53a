/**
 * The range test's cost per step against a plain `model.fit` step on the same batches, measured side by side in one
 * run: a 99,978-parameter MLP (256 -> 256 -> 128 -> 10, batch 32, softmax cross-entropy) with this package's Adam,
 * on tf.js's cpu backend (`BENCH_BACKEND=wasm` for wasm). Each round times `fit` over `STEPS` batches and
 * `findLearningRate` over the same `STEPS` batches (its weight snapshot, optimizer copy and restore included), and
 * prints the median of the rounds' ratios (the target is at most 1.05x).
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { Adam, findLearningRate } from "../src/tfjs/index.js";

const BACKEND = process.env.BENCH_BACKEND ?? "cpu";
const ROUNDS = 9;
const STEPS = 40;
const BATCH = 32;

const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[xs.length >> 1]!;
/** With --expose-gc (as `npm run bench` passes it), each timed block starts from a collected heap. */
const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});

async function main(): Promise<void> {
  await tf.setBackend(BACKEND);
  await tf.ready();
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 256, activation: "relu", inputShape: [256] }),
      tf.layers.dense({ units: 128, activation: "relu" }),
      tf.layers.dense({ units: 10, activation: "softmax" }),
    ],
  });
  model.compile({ optimizer: new Adam(0.001), loss: "categoricalCrossentropy" });
  const x = tf.randomNormal([STEPS * BATCH, 256], 0, 1, "float32", 1);
  const y = tf.oneHot(tf.randomUniform([STEPS * BATCH], 0, 10, "int32", 2) as tf.Tensor1D, 10).toFloat();
  const options = { numSteps: STEPS, batchSize: BATCH, startLearningRate: 1e-6, endLearningRate: 1e-2, divergenceThreshold: null };
  console.log(`findLearningRate vs model.fit, per step of a ${model.countParams().toLocaleString("en")}-parameter MLP ` +
    `(batch ${BATCH}, ${STEPS} steps a round), backend ${tf.getBackend()}, median of ${ROUNDS} rounds (node ${process.version})`);

  await model.fit(x, y, { batchSize: BATCH, epochs: 1, verbose: 0 });
  await findLearningRate(model, x, y, options);
  const fitTimes: number[] = [];
  const testTimes: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which side goes first, so that neither always runs on a warmer machine.
    const sides = [
      async () => void (await model.fit(x, y, { batchSize: BATCH, epochs: 1, verbose: 0 })),
      async () => void (await findLearningRate(model, x, y, options)),
    ];
    const times = [0, 0];
    for (const i of round % 2 ? [1, 0] : [0, 1]) {
      collect();
      const start = performance.now();
      await sides[i]!();
      times[i] = (performance.now() - start) / STEPS;
    }
    fitTimes.push(times[0]!);
    testTimes.push(times[1]!);
    ratios.push(times[1]! / times[0]!);
  }
  const sorted = [...ratios].sort((p, q) => p - q);
  console.log(`  model.fit step        ${median(fitTimes).toFixed(2)} ms`);
  console.log(`  findLearningRate step ${median(testTimes).toFixed(2)} ms`);
  console.log(`  ratio findLearningRate / fit: ${median(ratios).toFixed(2)}x (middle half ${sorted[ROUNDS >> 2]!.toFixed(2)}-${sorted[ROUNDS - 1 - (ROUNDS >> 2)]!.toFixed(2)}; target <= 1.05x)`);
}

await main();
