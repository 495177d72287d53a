/**
 * Shared checks for the Keras-faithful optimizers' unit tests: a few updates on one variable, Keras's own
 * `test_correctness_with_golden` and `test_weight_decay`, as each `keras/src/optimizers/<name>_test.py` runs them.
 */
import * as tf from "@tensorflow/tfjs";
import { expect } from "vitest";
import { float32Bits } from "../../src/index.js";
import type { KerasOptimizer } from "../../src/tfjs/index.js";

/** Runs `optimizer` on a variable starting at `w0`, one `applyGradients` per gradient; the weights after each. */
export function runSteps(optimizer: KerasOptimizer, w0: readonly number[], grads: readonly (readonly number[])[]): number[][] {
  const w = tf.variable(tf.tensor1d([...w0]));
  const out = grads.map((g) => {
    const gradient = tf.tensor1d([...g]);
    optimizer.applyGradients([{ name: w.name, tensor: gradient }]);
    gradient.dispose();
    return Array.from(w.dataSync());
  });
  w.dispose();
  optimizer.dispose();
  return out;
}

/** Float32 bit patterns, row by row: equality of these is equality to the bit. */
export const bits = (rows: readonly (readonly number[])[]) => rows.map((r) => r.map(float32Bits));

/**
 * Keras's `test_correctness_with_golden`: x = ones(10); a first update with 0.01 everywhere, then updates with
 * arange(0.1, 1.1, 0.1); before each of those, x matches the next golden row within Keras's rtol 5e-4 and atol 5e-4.
 */
export function expectKerasGolden(optimizer: KerasOptimizer, golden: readonly (readonly number[])[]): void {
  const x = tf.variable(tf.ones([10]));
  const step = (g: tf.Tensor) => {
    optimizer.applyGradients([{ name: x.name, tensor: g }]);
    g.dispose();
  };
  step(tf.fill([10], 0.01));
  for (const row of golden) {
    const expected = row.length === 1 ? Array.from({ length: 10 }, () => row[0]!) : row;
    Array.from(x.dataSync()).forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(5e-4 + 5e-4 * Math.abs(expected[i]!)));
    step(tf.div(tf.range(1, 11), 10));
  }
  x.dispose();
  optimizer.dispose();
}

/**
 * Keras's `test_weight_decay`: with a zero gradient, lr 1 and weight decay 0.004, three optimizers in turn decay a
 * variable at 2 to 1.9760959 (2 * 0.996^3); the second and third also get a variable they exclude, by name and by
 * variable, which stays at 2.
 */
export function expectKerasWeightDecay(make: (options: { learningRate: number; weightDecay: number }) => KerasOptimizer): void {
  const options = { learningRate: 1, weightDecay: 0.004 };
  const var1 = tf.variable(tf.scalar(2));
  const var2 = tf.variable(tf.scalar(2), true, `exclude-${var1.name}`);
  const var3 = tf.variable(tf.scalar(2));
  const zero = tf.scalar(0);
  const o1 = make(options);
  o1.applyGradients({ [var1.name]: zero });
  const o2 = make(options);
  o2.excludeFromWeightDecay({ varNames: ["exclude"] });
  o2.applyGradients({ [var1.name]: zero, [var2.name]: zero });
  const o3 = make(options);
  o3.excludeFromWeightDecay({ varList: [var3] });
  o3.applyGradients({ [var1.name]: zero, [var3.name]: zero });
  expect(Math.abs(var1.dataSync()[0]! - 1.9760959)).toBeLessThan(1e-6);
  expect(var2.dataSync()[0]).toBe(2);
  expect(var3.dataSync()[0]).toBe(2);
  for (const o of [o1, o2, o3]) o.dispose();
  tf.dispose([var1, var2, var3, zero]);
}

/** Keras's single-step test: w = [1, 2, 3, 4], g = [1, 6, 7, 2], then w within 1e-4 of `expected`. */
export function expectKerasSingleStep(optimizer: KerasOptimizer, expected: readonly number[]): void {
  const [w] = runSteps(optimizer, [1, 2, 3, 4], [[1, 6, 7, 2]]);
  w!.forEach((x, i) => expect(Math.abs(x - expected[i]!)).toBeLessThanOrEqual(1e-4 + 1e-4 * Math.abs(expected[i]!)));
}
