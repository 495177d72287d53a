import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { float32Bits, InverseTimeDecay } from "../index.js";
import { Adam } from "./index.js";

const fr = Math.fround;
const w0 = [0.5, -1.25, 2, 0.1];
/** Three steps' gradients; the second element shrinks so that AMSGrad's running maximum matters. */
const grads = [
  [0.3, -2.5, 1.1, 0.05],
  [-0.2, 0.01, 0.9, -0.6],
  [0.8, 0.02, -0.3, 0.25],
];
/** InverseTimeDecay(0.03, 3, 0.5) worked by hand: 0.03 / (1 + 0.5 * step / 3), each operation in float32. */
const rateAt = (step: number) => fr(fr(0.03) / fr(1 + fr(fr(0.5) * fr(fr(step) / fr(3)))));

/** Runs `optimizer` on a variable w0 with `grads`, one applyGradients per step; the weights after each step. */
function run(optimizer: Adam): number[][] {
  const w = tf.variable(tf.tensor1d(w0));
  const out = grads.map((g) => {
    const gradient = tf.tensor1d(g);
    optimizer.applyGradients([{ name: w.name, tensor: gradient }]);
    gradient.dispose();
    return Array.from(w.dataSync());
  });
  w.dispose();
  optimizer.dispose();
  return out;
}

/**
 * Keras 3's Adam update, by hand in float32 (adam.py): t = iterations + 1; alpha = lr * sqrt(1 - b2^t) / (1 - b1^t);
 * m += (g - m) * (1 - b1); v += (g^2 - v) * (1 - b2); (amsgrad: vHat = max(vHat, v)); w -= m * alpha / (sqrt(v) + eps).
 * `1 - b1` and `1 - b2` are Python doubles rounded once; everything else is float32.
 */
function byHand(amsgrad: boolean, b1 = 0.9, b2 = 0.999, eps = 1e-7): number[][] {
  const w = w0.map(fr);
  const m = w0.map(() => 0);
  const v = w0.map(() => 0);
  const vHat = w0.map(() => 0);
  return grads.map((g, step) => {
    const lr = rateAt(step);
    const t = fr(step + 1);
    const b1Power = fr(Math.pow(fr(b1), t));
    const b2Power = fr(Math.pow(fr(b2), t));
    const alpha = fr(fr(lr * fr(Math.sqrt(fr(1 - b2Power)))) / fr(1 - b1Power));
    for (let i = 0; i < w.length; i++) {
      const gi = fr(g[i]!);
      m[i] = fr(m[i]! + fr(fr(gi - m[i]!) * fr(1 - b1)));
      v[i] = fr(v[i]! + fr(fr(fr(gi * gi) - v[i]!) * fr(1 - b2)));
      vHat[i] = Math.max(vHat[i]!, v[i]!);
      const second = amsgrad ? vHat[i]! : v[i]!;
      w[i] = fr(w[i]! - fr(fr(m[i]! * alpha) / fr(fr(Math.sqrt(second)) + fr(eps))));
    }
    return [...w];
  });
}

const bits = (rows: number[][]) => rows.map((r) => r.map(float32Bits));

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("Adam", () => {
  const lr = () => new InverseTimeDecay(0.03, 3, 0.5);

  for (const amsgrad of [false, true]) {
    it(`amsgrad ${amsgrad} under InverseTimeDecay: 3 steps equal Keras's rule worked by hand, bit for bit`, () => {
      expect(bits(run(new Adam({ learningRate: lr(), amsgrad })))).toEqual(bits(byHand(amsgrad)));
    });
  }

  it("amsgrad changes the third step here (the second moment of element 1 shrinks), so the check above sees it", () => {
    expect(byHand(true)[2]![1]).not.toBe(byHand(false)[2]![1]);
  });

  it("other betas and epsilon go through the same rule, bit for bit", () => {
    const options = { learningRate: lr(), beta1: 0.5, beta2: 0.67, epsilon: 1e-5, amsgrad: true };
    expect(bits(run(new Adam(options)))).toEqual(bits(byHand(true, 0.5, 0.67, 1e-5)));
  });

  it("epsilon is added to the uncorrected sqrt(v), not after bias correction as in tf.js's adam", () => {
    const ours = run(new Adam({ learningRate: 0.01, epsilon: 0.1 }))[2]!;
    const w = tf.variable(tf.tensor1d(w0));
    const theirs = tf.train.adam(0.01, 0.9, 0.999, 0.1);
    for (const g of grads) theirs.applyGradients([{ name: w.name, tensor: tf.tensor1d(g) }]);
    expect(Math.max(...Array.from(w.dataSync()).map((x, i) => Math.abs(x - ours[i]!)))).toBeGreaterThan(1e-4);
    w.dispose();
    theirs.dispose();
  });

  it("Keras's single-step test: lr 0.5, w [1, 2, 3, 4], g [1, 6, 7, 2] gives [0.5, 1.5, 2.5, 3.5] within 1e-4", () => {
    const w = tf.variable(tf.tensor1d([1, 2, 3, 4]));
    new Adam(0.5).applyGradients([{ name: w.name, tensor: tf.tensor1d([1, 6, 7, 2]) }]);
    Array.from(w.dataSync()).forEach((x, i) => expect(Math.abs(x - [0.5, 1.5, 2.5, 3.5][i]!)).toBeLessThan(1e-4));
    w.dispose();
  });

  it("Keras's golden test (amsgrad, default rate): 0.999, 0.9982, 0.9974, 0.9965, 0.9955 within Keras's 5e-4", () => {
    const x = tf.variable(tf.ones([10]));
    const optimizer = new Adam({ amsgrad: true });
    const step = (g: tf.Tensor) => optimizer.applyGradients([{ name: x.name, tensor: g }]);
    step(tf.fill([10], 0.01));
    for (const expected of [0.999, 0.9982, 0.9974, 0.9965, 0.9955]) {
      for (const v of x.dataSync()) expect(Math.abs(v - expected)).toBeLessThanOrEqual(5e-4 + 5e-4 * expected);
      step(tf.range(1, 11).div(10));
    }
    x.dispose();
  });

  it("slots are momentum and velocity interleaved per variable, then a block of velocity_hat with amsgrad", async () => {
    const a = tf.variable(tf.zeros([2]), true, "adam-test/a");
    const b = tf.variable(tf.zeros([3]), true, "adam-test/b");
    const optimizer = new Adam({ amsgrad: true });
    optimizer.applyGradients({ [a.name]: tf.ones([2]), [b.name]: tf.ones([3]) });
    expect((await optimizer.getWeights()).map((w) => w.name)).toEqual([
      "iter",
      "adam-test/a/momentum",
      "adam-test/a/velocity",
      "adam-test/b/momentum",
      "adam-test/b/velocity",
      "adam-test/a/velocity_hat",
      "adam-test/b/velocity_hat",
    ]);
    optimizer.dispose();
    tf.dispose([a, b]);
  });

  it("takes Keras's positional order or an options object, and fills Keras's defaults", () => {
    const defaults = { learningRate: fr(0.001), beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false, name: "adam" };
    expect(new Adam().getConfig()).toEqual(defaults);
    expect(new Adam(0.01, 0.8, 0.99, 1e-6, true, "a").getConfig()).toEqual({ learningRate: fr(0.01), beta1: 0.8, beta2: 0.99, epsilon: 1e-6, amsgrad: true, name: "a" });
    const b = Adam.fromConfig(Adam, new Adam({ learningRate: lr(), amsgrad: true }).getConfig());
    expect(b.getConfig()).toEqual(new Adam({ learningRate: lr(), amsgrad: true }).getConfig());
  });

  describe("bad options throw errors that name the option, the value and what was expected", () => {
    const cases: [string, unknown, ErrorConstructor, RegExp][] = [
      ["learningRate", -1, RangeError, /^Adam: `learningRate` must be a finite number >= 0\. Received: learningRate=-1$/],
      ["learningRate", NaN, RangeError, /learningRate=NaN/],
      ["learningRate", { initial: 1 }, TypeError, /or a LearningRateSchedule\. Received: learningRate=\{initial\}/],
      ["beta1", 1.5, RangeError, /`beta1` must be a finite number in \[0, 1\]\. Received: beta1=1\.5/],
      ["beta1", -0.1, RangeError, /beta1=-0\.1/],
      ["beta2", NaN, RangeError, /`beta2` must be a finite number in \[0, 1\]\. Received: beta2=NaN/],
      ["epsilon", 0, RangeError, /`epsilon` must be a finite number > 0\. Received: epsilon=0/],
      ["epsilon", -1e-7, RangeError, /epsilon=-1e-7/],
      ["amsgrad", 1, TypeError, /`amsgrad` must be a boolean\. Received: amsgrad=1/],
      ["beta_1", 0.9, RangeError, /`beta_1` must be one of the options learningRate, beta1, beta2, epsilon, amsgrad, weightDecay, clipnorm, clipvalue, globalClipnorm, useEma, emaMomentum, emaOverwriteFrequency, gradientAccumulationSteps, name\./],
    ];
    for (const [option, value, kind, message] of cases) {
      it(`new Adam({ ${option}: ${String(value)} }) throws ${kind.name}`, () => {
        const make = () => new Adam({ [option]: value } as never);
        expect(make).toThrow(kind);
        expect(make).toThrow(message);
      });
    }
  });
});
