/**
 * Each Keras-faithful optimizer against tf.js's own optimizer of the same family, per training step of a
 * 99,978-parameter MLP (256 -> 256 -> 128 -> 10, batch 32), on whichever tf.js backend is set, measured side by side
 * in one run: the whole step (forward, backward and update, as `model.fit` runs it) and the update alone
 * (`applyGradients` with the same gradients). Reports the median time of each and the median of the rounds' ratios
 * ours / tf.js's (the target is at most 1.1x for the whole step). Nothing here needs Node: bench/optimizers.ts runs it
 * in Node and, through bench/optimizerPage.ts, in Chromium on webgl.
 */
import * as tf from "@tensorflow/tfjs";
import { Adadelta, Adagrad, Adam, Adamax, RMSprop, SGD, type KerasOptimizer } from "../src/tfjs/index.js";

const ROUNDS = 11;
const WARMUP = 2;
const STEPS = 6;
const BATCH = 32;
const LAYERS = [256, 256, 128, 10];

/** The families: ours with Keras's defaults but the learning rate, tf.js's with the same arguments where it has them. */
const families: [string, () => KerasOptimizer, () => tf.Optimizer][] = [
  ["sgd", () => new SGD(0.01), () => tf.train.sgd(0.01)],
  ["momentum", () => new SGD(0.01, 0.9), () => tf.train.momentum(0.01, 0.9)],
  ["adam", () => new Adam(0.001), () => tf.train.adam(0.001, 0.9, 0.999, 1e-7)],
  ["adamax", () => new Adamax(0.002), () => tf.train.adamax(0.002, 0.9, 0.999, 1e-7)],
  ["adagrad", () => new Adagrad(0.01, 0.1), () => tf.train.adagrad(0.01, 0.1)],
  ["adadelta", () => new Adadelta(1, 0.95, 1e-7), () => tf.train.adadelta(1, 0.95, 1e-7)],
  ["rmsprop", () => new RMSprop(0.001, 0.9, 0, 1e-7), () => tf.train.rmsprop(0.001, 0.9, 0, 1e-7)],
];

/** The MLP's weights, the same start for both sides: kernels from a fixed seed, zero biases. */
function weights(): tf.Variable[] {
  const out: tf.Variable[] = [];
  for (let i = 0; i + 1 < LAYERS.length; i++) {
    const [fanIn, fanOut] = [LAYERS[i]!, LAYERS[i + 1]!];
    out.push(tf.variable(tf.randomUniform([fanIn, fanOut], -0.1, 0.1, "float32", 7 + i)));
    out.push(tf.variable(tf.zeros([fanOut])));
  }
  return out;
}

function lossOf(vars: tf.Variable[], x: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar {
  let h: tf.Tensor2D = x;
  for (let i = 0; i < vars.length; i += 2) {
    h = tf.add(tf.matMul(h, vars[i] as tf.Tensor2D), vars[i + 1]!);
    if (i + 2 < vars.length) h = tf.relu(h);
  }
  return tf.losses.softmaxCrossEntropy(y, h) as tf.Scalar;
}

interface Side {
  optimizer: tf.Optimizer;
  vars: tf.Variable[];
}

/**
 * Waits until the side's updates so far are done: reads its last variable, the last one each update writes (a no-op
 * wait on cpu and wasm; on webgl, where ops only queue GPU work, the time would otherwise leave the work out).
 */
const settle = (side: Side): void => void side.vars.at(-1)!.dataSync();

/** `STEPS` whole training steps, as fit runs them: gradients of the loss, then the update, in a tidy. */
function trainSteps(side: Side, x: tf.Tensor2D, y: tf.Tensor2D): void {
  for (let s = 0; s < STEPS; s++) tf.tidy(() => void side.optimizer.minimize(() => lossOf(side.vars, x, y), false, side.vars));
  settle(side);
}

/** `STEPS` updates alone, with gradients computed once beforehand. */
function updateSteps(side: Side, grads: tf.Tensor[]): void {
  const named = side.vars.map((v, i) => ({ name: v.name, tensor: grads[i]! }));
  for (let s = 0; s < STEPS; s++) side.optimizer.applyGradients(named);
  settle(side);
}

const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[xs.length >> 1]!;
/**
 * With a `gc` exposed (`npm run bench` passes --expose-gc to Node and to Chromium), each timed block starts from a
 * collected heap.
 */
const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});

/**
 * Measures the families named in `only` (all when absent) on the backend that is set, and reports a header, a line
 * per family and the target through `log`; `where` names the runtime in the header (`node v22.1.0`, a browser).
 */
export function benchOptimizers(log: (line: string) => void, where: string, only?: string[]): void {
  const x = tf.randomNormal([BATCH, LAYERS[0]!], 0, 1, "float32", 1) as tf.Tensor2D;
  const y = tf.oneHot(tf.randomUniform([BATCH], 0, LAYERS.at(-1)!, "int32", 2) as tf.Tensor1D, LAYERS.at(-1)!).toFloat() as tf.Tensor2D;
  const parameters = LAYERS.slice(1).reduce((n, units, i) => n + (LAYERS[i]! + 1) * units, 0);
  log(`Keras-faithful optimizers vs tf.js's, per training step of a ${parameters.toLocaleString("en")}-parameter MLP ` +
    `(${LAYERS.join(" -> ")}, batch ${BATCH}), backend ${tf.getBackend()}, median of ${ROUNDS} rounds of ${STEPS} steps (${where})`);
  log(`  ${"family".padEnd(9)} ${"whole step: ours".padStart(17)} ${"tf.js".padStart(9)} ${"ratio".padStart(6)}   ${"update: ours".padStart(13)} ${"tf.js".padStart(9)} ${"ratio".padStart(6)}`);
  for (const [family, ours, theirs] of families.filter(([f]) => !only || only.includes(f))) {
    const sides: Record<"ours" | "theirs", Side> = {
      ours: { optimizer: ours(), vars: weights() },
      theirs: { optimizer: theirs(), vars: weights() },
    };
    const grads = tf.tidy(() => {
      const { grads: g } = tf.variableGrads(() => lossOf(sides.ours.vars, x, y), sides.ours.vars);
      return sides.ours.vars.map((v) => g[v.name]!);
    });
    const times = { train: { ours: [] as number[], theirs: [] as number[] }, update: { ours: [] as number[], theirs: [] as number[] } };
    for (let round = 0; round < WARMUP + ROUNDS; round++) {
      // Alternate the order each round, so that neither side always runs right after the other's garbage.
      const order = round % 2 ? (["ours", "theirs"] as const) : (["theirs", "ours"] as const);
      for (const which of order) {
        collect();
        let t0 = performance.now();
        trainSteps(sides[which], x, y);
        const train = (performance.now() - t0) / STEPS;
        collect();
        t0 = performance.now();
        updateSteps(sides[which], grads);
        const update = (performance.now() - t0) / STEPS;
        if (round >= WARMUP) {
          times.train[which].push(train);
          times.update[which].push(update);
        }
      }
    }
    // The ratio is the median of each round's ratio: both sides of a round ran back to back, under the same load.
    const summary = (t: { ours: number[]; theirs: number[] }) => {
      const ratio = median(t.ours.map((o, i) => o / t.theirs[i]!));
      return `${`${median(t.ours).toFixed(3)} ms`.padStart(13)} ${`${median(t.theirs).toFixed(3)} ms`.padStart(9)} ${`${ratio.toFixed(2)}x`.padStart(6)}`;
    };
    log(`  ${family.padEnd(9)} ${summary(times.train).padStart(34)}   ${summary(times.update)}`);
    tf.dispose(grads);
    for (const side of Object.values(sides)) {
      side.optimizer.dispose();
      tf.dispose(side.vars);
    }
  }
  tf.dispose([x, y]);
  log("  (target: ours / tf.js's at most 1.1x for the whole step)");
}
