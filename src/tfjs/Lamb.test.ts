import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { bits, describeBadOptions, expectGoldenJsonRoundTrip, expectKerasWeightDecay, expectSaveResumeExact, expectWithin, GRADS, inverseTimeByHand, kerasSingleStep, runSteps, savedAfterOneUpdate, W0 } from "../../test/support/optimizerSuite.js";
import { InverseTimeDecay } from "../index.js";
import { Lamb, optimizerFromKeras, optimizerToKeras } from "./index.js";

const fr = Math.fround;
const rateAt = inverseTimeByHand(0.02, 4, 0.5);
const run = (optimizer: Lamb, start = W0) => runSteps(optimizer, start, GRADS);

/** An L2 norm as tf.js's cpu backend computes `sqrt(sum(square(x)))`: float32 squares, summed exactly, rounded once. */
const norm = (x: number[]) => fr(Math.sqrt(fr(x.reduce((s, xi) => s + fr(xi * xi), 0))));

/**
 * Keras 3's Lamb update, by hand in float32 (lamb.py): m += (g - m)(1 - b1); v += (g^2 - v)(1 - b2);
 * u = (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps); ratio = ||w|| / ||u|| (1 if either is 0); w -= (ratio lr) u.
 * `1 - b` is a double rounded once; everything else is float32.
 */
function byHand(start = W0, b1 = 0.9, b2 = 0.999, eps = 1e-7): number[][] {
  const w = start.map(fr);
  const m = start.map(() => 0);
  const v = start.map(() => 0);
  return GRADS.map((g, step) => {
    const lr = rateAt(step);
    const t = fr(step + 1);
    const b1Power = fr(Math.pow(fr(b1), t));
    const b2Power = fr(Math.pow(fr(b2), t));
    const u = w.map((_, i) => {
      const gi = fr(g[i]!);
      m[i] = fr(m[i]! + fr(fr(gi - m[i]!) * fr(1 - b1)));
      v[i] = fr(v[i]! + fr(fr(fr(gi * gi) - v[i]!) * fr(1 - b2)));
      const mHat = fr(m[i]! / fr(1 - b1Power));
      return fr(mHat / fr(fr(Math.sqrt(fr(v[i]! / fr(1 - b2Power)))) + fr(eps)));
    });
    const wNorm = norm(w);
    const uNorm = norm(u);
    const ratio = wNorm > 0 && uNorm > 0 ? fr(wNorm / uNorm) : 1;
    const scale = fr(ratio * lr);
    for (let i = 0; i < w.length; i++) w[i] = fr(w[i]! - fr(scale * u[i]!));
    return [...w];
  });
}

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("Lamb", () => {
  const lr = () => new InverseTimeDecay(0.02, 4, 0.5);

  it("3 steps under InverseTimeDecay equal Keras's rule worked by hand, bit for bit", () => {
    expect(bits(run(new Lamb({ learningRate: lr() })))).toEqual(bits(byHand()));
  });

  it("other betas and epsilon go through the same rule, bit for bit", () => {
    expect(bits(run(new Lamb({ learningRate: lr(), beta1: 0.5, beta2: 0.67, epsilon: 1e-3 })))).toEqual(bits(byHand(W0, 0.5, 0.67, 1e-3)));
  });

  it("a zero variable takes the trust ratio 1 (a plain bias-corrected Adam step), bit for bit", () => {
    const zeros = [0, 0, 0, 0];
    const rows = run(new Lamb({ learningRate: lr() }), zeros);
    expect(bits(rows)).toEqual(bits(byHand(zeros)));
    expect(Math.abs(rows[0]![0]! + fr(0.02))).toBeLessThan(1e-6);
  });

  it("Keras's single-step test: lr 0.5, w [1, 2, 3, 4], g [1, 6, 7, 2] gives [-0.3693, 0.6306, 1.6306, 2.6306]", () => {
    expectWithin(kerasSingleStep(new Lamb(0.5)), [-0.3693, 0.6306, 1.6306, 2.6306], 1e-4);
  });

  it("Keras's weight-decay test: a zero gradient, lr 1, weightDecay 0.004 decay 2 to 1.9760959 over 3 optimizers; excluded stay", () =>
    expectKerasWeightDecay((o) => new Lamb(o)));

  it("the trust ratio is per variable: the norms are over each whole variable, not across variables", () => {
    const a = tf.variable(tf.tensor2d([[3, 4], [0, 0]]));
    const b = tf.variable(tf.tensor1d([300, 400]));
    const optimizer = new Lamb(0.1);
    optimizer.applyGradients([
      { name: a.name, tensor: tf.ones([2, 2]) },
      { name: b.name, tensor: tf.ones([2]) },
    ]);
    // Every element of u is about 1 on the first step, so each variable moves by lr * ||w|| / ||u||.
    expect(a.dataSync()[0]).toBeCloseTo(3 - (0.1 * 5) / 2, 5);
    expect(b.dataSync()[0]).toBeCloseTo(300 - (0.1 * 500) / Math.SQRT2, 3);
    optimizer.dispose();
    tf.dispose([a, b]);
  });

  it("slots are momentum and velocity interleaved per variable", async () => {
    const saved = await savedAfterOneUpdate(new Lamb(), { "lamb-test/a": [2], "lamb-test/b": [3] });
    expect(saved.map((w) => w.name)).toEqual(["iter", "lamb-test/a/momentum", "lamb-test/a/velocity", "lamb-test/b/momentum", "lamb-test/b/velocity"]);
  });

  it("2 epochs + save + load + 3 epochs equals 5 epochs straight, bit for bit", () =>
    expectSaveResumeExact(() => new Lamb({ learningRate: new InverseTimeDecay(0.02, 4, 0.5), beta1: 0.85 }), "lamb-inverse-time"));

  it("takes Keras's positional order or an options object, and fills Keras's defaults", () => {
    expect(new Lamb().getConfig()).toEqual({ learningRate: fr(0.001), beta1: 0.9, beta2: 0.999, epsilon: 1e-7, name: "lamb" });
    expect(new Lamb(0.01, 0.8, 0.99, 1e-6, "l").getConfig()).toEqual({ learningRate: fr(0.01), beta1: 0.8, beta2: 0.99, epsilon: 1e-6, name: "l" });
    const config = new Lamb({ learningRate: lr(), epsilon: 1e-5 }).getConfig();
    expect(Lamb.fromConfig(Lamb, config).getConfig()).toEqual(config);
  });

  it("optimizerFromKeras(optimizerToKeras(o)) rebuilds it, with Keras's keys", () => {
    const o = new Lamb({ learningRate: lr(), beta1: 0.8, beta2: 0.99, epsilon: 1e-6 });
    const json = optimizerToKeras(o);
    expect(json.class_name).toBe("Lamb");
    expect(json.config).toMatchObject({ beta_1: 0.8, beta_2: 0.99, epsilon: 1e-6 });
    expect(optimizerFromKeras(json).getConfig()).toEqual(o.getConfig());
  });

  it("Keras's JSON of the lamb-inverse-time golden case goes through optimizerFromKeras and optimizerToKeras unchanged", () =>
    expectGoldenJsonRoundTrip("lamb-inverse-time", Lamb));

  describeBadOptions(Lamb, [
    ["learningRate", -1, RangeError, /^Lamb: `learningRate` must be a finite number >= 0\. Received: learningRate=-1$/],
    ["learningRate", "0.1", TypeError, /learningRate="0\.1"/],
    ["beta1", 1.5, RangeError, /^Lamb: `beta1` must be a finite number in \[0, 1\) \(a bias correction divides by 1 - beta\^t, which is 0 at 1\)\. Received: beta1=1\.5$/],
    ["beta1", 1, RangeError, /^Lamb: `beta1` must be a finite number in \[0, 1\) .*Received: beta1=1$/],
    ["beta1", 0.99999999, RangeError, /`beta1` must be .* also in float32 \(it rounds to 1\)\. Received: beta1=0\.99999999$/],
    ["beta2", -0.1, RangeError, /`beta2` must be a finite number in \[0, 1\) \(a bias correction divides by 1 - beta\^t, which is 0 at 1\)\. Received: beta2=-0\.1/],
    ["beta2", 1, RangeError, /^Lamb: `beta2` must be a finite number in \[0, 1\) .*Received: beta2=1$/],
    ["beta2", 0.99999999, RangeError, /`beta2` must be .* also in float32 \(it rounds to 1\)\. Received: beta2=0\.99999999$/],
    ["beta2", NaN, RangeError, /beta2=NaN/],
    ["epsilon", 0, RangeError, /`epsilon` must be a finite number > 0\. Received: epsilon=0/],
    ["epsilon", Infinity, RangeError, /epsilon=Infinity/],
    ["weight_decay", 0.1, RangeError, /`weight_decay` must be one of the options/],
  ]);
});
