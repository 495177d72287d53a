import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { bits, describeBadOptions, expectGoldenJsonRoundTrip, expectKerasWeightDecay, expectSaveResumeExact, expectWithin, inverseTimeByHand, kerasGoldenTrajectory, kerasSingleStep, runSteps, savedAfterOneUpdate } from "../../test/support/optimizerSuite.js";
import { InverseTimeDecay } from "../index.js";
import { Adafactor, optimizerFromKeras, optimizerToKeras, type AdafactorOptions } from "./index.js";

const fr = Math.fround;
/** A 2 x 3 weight (factored) and its three steps' gradients, row-major. */
const matrix0 = [0.5, -1.25, 2, 0.1, 0.7, -0.3];
const matrixGrads = [
  [0.3, -2.5, 1.1, 0.05, 0.2, -0.4],
  [-0.2, 0.01, 0.9, -0.6, 0.3, 0.1],
  [0.8, 0.02, -0.3, 0.25, -0.1, 0.6],
];
/** A 1-D weight (not factored) and its gradients. */
const vector0 = [0.5, -1.25, 2];
const vectorGrads = [
  [0.3, -2.5, 1.1],
  [-0.2, 0.01, 0.9],
  [0.8, 0.02, -0.3],
];
const rateAt = inverseTimeByHand(0.05, 4, 0.5);

/** A sum as tf.js's cpu backend computes it: float32 terms added exactly (in double), rounded once. */
const sum = (x: number[]) => fr(x.reduce((s, xi) => s + xi, 0));
/** Keras's mean: the sum, then one float32 division. */
const mean = (x: number[]) => fr(sum(x) / x.length);
const rms = (x: number[]) => fr(Math.sqrt(mean(x.map((xi) => fr(xi * xi)))));

interface Settings {
  decay: number;
  eps1: number;
  eps2: number;
  clip: number;
}
const defaults: Settings = { decay: -0.8, eps1: 1e-30, eps2: 1e-3, clip: 1 };

/**
 * Keras 3's Adafactor update, by hand in float32 (adafactor.py), for a weight of `rows` x `cols` (rows 0: a vector):
 * rho = min(lr, 1/sqrt(t)); alpha = max(eps2, rms(w)) rho; G = g^2 + eps1; b = 1 - t^decay;
 * factored: r = b r + (1-b) mean(G, -1); c = b c + (1-b) mean(G, -2); v = (r / mean(r))[:, None] c[None, :];
 * otherwise v = b v + (1-b) G; u = g / sqrt(v); w -= alpha u / max(1, rms(u) / clip).
 */
function byHand(start: number[], grads: number[][], rows: number, s: Settings = defaults): number[][] {
  const cols = rows ? start.length / rows : start.length;
  const w = start.map(fr);
  let v = start.map(() => 0);
  let r = Array.from({ length: rows }, () => 0);
  let c = Array.from({ length: cols }, () => 0);
  return grads.map((g, step) => {
    const t = fr(step + 1);
    const rho = Math.min(rateAt(step), fr(1 / fr(Math.sqrt(t))));
    const alpha = fr(Math.max(fr(s.eps2), rms(w)) * rho);
    const g2 = g.map((gi) => fr(fr(fr(gi) * fr(gi)) + fr(s.eps1)));
    const b = fr(1 - fr(Math.pow(t, fr(s.decay))));
    const blend = (old: number, now: number) => fr(fr(b * old) + fr(fr(1 - b) * now));
    if (rows) {
      r = r.map((ri, i) => blend(ri, mean(g2.slice(i * cols, (i + 1) * cols))));
      c = c.map((ci, j) => blend(ci, mean(r.map((_, i) => g2[i * cols + j]!))));
      const rMean = mean(r);
      v = w.map((_, k) => fr(fr(r[Math.floor(k / cols)]! / rMean) * c[k % cols]!));
    } else {
      v = v.map((vi, k) => blend(vi, g2[k]!));
    }
    const u = g.map((gi, k) => fr(fr(gi) / fr(Math.sqrt(v[k]!))));
    const scale = Math.max(1, fr(rms(u) / fr(s.clip)));
    for (let k = 0; k < w.length; k++) w[k] = fr(w[k]! - fr(alpha * fr(u[k]! / scale)));
    return [...w];
  });
}

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("Adafactor", () => {
  const lr = () => new InverseTimeDecay(0.05, 4, 0.5);
  const options = (s: Settings): AdafactorOptions => ({ learningRate: lr(), beta2Decay: s.decay, epsilon1: s.eps1, epsilon2: s.eps2, clipThreshold: s.clip });

  it("3 steps of a 2-D weight (factored second moment) equal Keras's rule worked by hand, bit for bit", () => {
    expect(bits(runSteps(new Adafactor(options(defaults)), matrix0, matrixGrads, [2, 3]))).toEqual(bits(byHand(matrix0, matrixGrads, 2)));
  });

  it("3 steps of a 1-D weight (full second moment) equal Keras's rule worked by hand, bit for bit", () => {
    expect(bits(runSteps(new Adafactor(options(defaults)), vector0, vectorGrads, [3]))).toEqual(bits(byHand(vector0, vectorGrads, 0)));
  });

  it("other settings go through the same rule, bit for bit; a small clipThreshold clips here", () => {
    const s = { decay: -0.5, eps1: 1e-10, eps2: 0.5, clip: 0.3 };
    expect(bits(runSteps(new Adafactor(options(s)), matrix0, matrixGrads, [2, 3]))).toEqual(bits(byHand(matrix0, matrixGrads, 2, s)));
    expect(byHand(matrix0, matrixGrads, 2, s)).not.toEqual(byHand(matrix0, matrixGrads, 2, { ...s, clip: 100 }));
  });

  it("every learning rate is capped at 1/sqrt(t), as in Keras, whatever relativeStep says: 10 steps as 1 does", () => {
    const at1 = bits(runSteps(new Adafactor(1), vector0, vectorGrads, [3]));
    expect(bits(runSteps(new Adafactor(10), vector0, vectorGrads, [3]))).toEqual(at1);
    expect(bits(runSteps(new Adafactor({ learningRate: 10, relativeStep: false }), vector0, vectorGrads, [3]))).toEqual(at1);
  });

  it("Keras's single-step tests: 1-D [-0.3693, 0.6307, 1.6307, 2.6307], 2-D [[0.7007, -0.0081], [1.2492, 3.4407]]", () => {
    expectWithin(kerasSingleStep(new Adafactor(0.5), [4]), [-0.3693, 0.6307, 1.6307, 2.6307], 1e-4);
    expectWithin(kerasSingleStep(new Adafactor(0.5), [2, 2]), [0.7007, -0.0081, 1.2492, 3.4407], 1e-4);
  });

  it("Keras's golden test (0.5, -0.65, 1e-15, 1e-4, 0.9, relativeStep false): 0.55, 0.3031, 0.1671, 0.0923, 0.0554 at the first weight", () => {
    const first = kerasGoldenTrajectory(new Adafactor(0.5, -0.65, 1e-15, 1e-4, 0.9, false)).map((x) => x[0]!);
    [0.55, 0.3031, 0.1671, 0.0923, 0.0554].forEach((expected, k) => expect(Math.abs(first[k]! - expected)).toBeLessThanOrEqual(5e-4));
  });

  it("Keras's weight-decay test: a zero gradient, lr 1, weightDecay 0.004 decay 2 to 1.9760959 over 3 optimizers; excluded stay", () =>
    expectKerasWeightDecay((o) => new Adafactor(o)));

  it("slots per variable are r, c (factored moments, or unused scalars below rank 2) and velocity, in Keras's order", async () => {
    const saved = await savedAfterOneUpdate(new Adafactor(), { "adafactor-test/a": [2, 3, 4], "adafactor-test/b": [5] });
    expect(saved.map((w) => [w.name, w.shape])).toEqual([
      ["iter", []],
      ["adafactor-test/a/r", [2, 3]],
      ["adafactor-test/a/c", [2, 4]],
      ["adafactor-test/a/velocity", [2, 3, 4]],
      ["adafactor-test/b/r", []],
      ["adafactor-test/b/c", []],
      ["adafactor-test/b/velocity", [5]],
    ]);
  });

  it("a rank-3 weight is factored over its last two axes: r and c are the means of g^2 + epsilon1 there at step 1", async () => {
    const g = Array.from({ length: 12 }, (_, k) => ((k * 7) % 11) / 10 - 0.5);
    const w = tf.variable(tf.zeros([2, 2, 3]));
    const optimizer = new Adafactor();
    optimizer.applyGradients([{ name: w.name, tensor: tf.tensor(g, [2, 2, 3]) }]);
    const [, r, c] = await optimizer.getWeights();
    const g2 = g.map((gi) => fr(fr(fr(gi) * fr(gi)) + fr(1e-30)));
    const at = (batch: number, row: number, col: number) => g2[batch * 6 + row * 3 + col]!;
    const rows = [0, 1].flatMap((batch) => [0, 1].map((row) => mean([0, 1, 2].map((col) => at(batch, row, col)))));
    const cols = [0, 1].flatMap((batch) => [0, 1, 2].map((col) => mean([0, 1].map((row) => at(batch, row, col)))));
    expect(r!.tensor.shape).toEqual([2, 2]);
    expect(Array.from(r!.tensor.dataSync())).toEqual(rows);
    expect(c!.tensor.shape).toEqual([2, 3]);
    expect(Array.from(c!.tensor.dataSync())).toEqual(cols);
    optimizer.dispose();
    w.dispose();
  });

  it("2 epochs + save + load + 3 epochs equals 5 epochs straight, bit for bit", () =>
    expectSaveResumeExact(() => new Adafactor({ learningRate: new InverseTimeDecay(0.05, 4, 0.5), clipThreshold: 0.5 }), "adafactor-defaults"));

  it("with the base options (EMA, gradient accumulation) too: averages and accumulators come before its slots, and resume", () =>
    expectSaveResumeExact(() => new Adafactor({ learningRate: new InverseTimeDecay(0.05, 4, 0.5), useEma: true, gradientAccumulationSteps: 2 }), "adafactor-defaults"));

  it("takes Keras's positional order or an options object, and fills Keras's defaults", () => {
    const keras = { learningRate: fr(0.001), beta2Decay: -0.8, epsilon1: 1e-30, epsilon2: 1e-3, clipThreshold: 1, relativeStep: true, name: "adafactor" };
    expect(new Adafactor().getConfig()).toEqual(keras);
    expect(new Adafactor(0.5, -0.65, 1e-15, 1e-4, 0.9, false, "a").getConfig()).toEqual({
      learningRate: 0.5,
      beta2Decay: -0.65,
      epsilon1: 1e-15,
      epsilon2: 1e-4,
      clipThreshold: 0.9,
      relativeStep: false,
      name: "a",
    });
    const config = new Adafactor(options({ decay: -0.5, eps1: 1e-10, eps2: 0.5, clip: 0.3 })).getConfig();
    expect(Adafactor.fromConfig(Adafactor, config).getConfig()).toEqual(config);
  });

  it("optimizerFromKeras(optimizerToKeras(o)) rebuilds it, with Keras's keys", () => {
    const o = new Adafactor({ learningRate: lr(), beta2Decay: -0.5, epsilon1: 1e-20, epsilon2: 0.01, clipThreshold: 2, relativeStep: false });
    const json = optimizerToKeras(o);
    expect(json.config).toMatchObject({ beta_2_decay: -0.5, epsilon_1: 1e-20, epsilon_2: 0.01, clip_threshold: 2, relative_step: false });
    expect(optimizerFromKeras(json).getConfig()).toEqual(o.getConfig());
  });

  it("Keras's JSON of the adafactor-defaults golden case goes through optimizerFromKeras and optimizerToKeras unchanged", () =>
    expectGoldenJsonRoundTrip("adafactor-defaults", Adafactor));

  describeBadOptions(Adafactor, [
    ["learningRate", -1, RangeError, /^Adafactor: `learningRate` must be a finite number >= 0\. Received: learningRate=-1$/],
    ["beta2Decay", NaN, RangeError, /^Adafactor: `beta2Decay` must be a finite number\. Received: beta2Decay=NaN$/],
    ["beta2Decay", Infinity, RangeError, /beta2Decay=Infinity/],
    ["epsilon1", 0, RangeError, /`epsilon1` must be a finite number > 0\. Received: epsilon1=0/],
    ["epsilon2", -1e-3, RangeError, /`epsilon2` must be a finite number > 0\. Received: epsilon2=-0\.001/],
    ["clipThreshold", 0, RangeError, /`clipThreshold` must be a finite number > 0\. Received: clipThreshold=0/],
    ["relativeStep", "yes", TypeError, /`relativeStep` must be a boolean\. Received: relativeStep="yes"/],
    ["beta1", 0.9, RangeError, /`beta1` must be one of the options learningRate, beta2Decay/],
  ]);
});
