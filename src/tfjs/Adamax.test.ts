import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { bits, describeBadOptions, expectKerasGolden, expectKerasSingleStep, expectKerasWeightDecay, GRADS, inverseTimeByHand, runSteps, savedAfterOneUpdate, W0 } from "../../test/support/optimizerSuite.js";
import { InverseTimeDecay } from "../index.js";
import { Adamax } from "./index.js";

const fr = Math.fround;
const rateAt = inverseTimeByHand(0.03, 3, 0.5);

/**
 * Keras 3's Adamax update, by hand in float32 (adamax.py): m += (g - m) * (1 - b1); u = max(b2*u, |g|);
 * w -= lr*m / ((1 - b1^t) * (u + eps)). `1 - b1` is a double rounded once.
 */
function byHand(b1: number, b2: number, eps: number): number[][] {
  const w = W0.map(fr);
  const m = W0.map(() => 0);
  const u = W0.map(() => 0);
  return GRADS.map((g, step) => {
    const lr = rateAt(step);
    const b1Power = fr(Math.pow(fr(b1), fr(step + 1)));
    for (let i = 0; i < w.length; i++) {
      const gi = fr(g[i]!);
      m[i] = fr(m[i]! + fr(fr(gi - m[i]!) * fr(1 - b1)));
      u[i] = Math.max(fr(fr(b2) * u[i]!), Math.abs(gi));
      w[i] = fr(w[i]! - fr(fr(lr * m[i]!) / fr(fr(1 - b1Power) * fr(u[i]! + fr(eps)))));
    }
    return [...w];
  });
}

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("Adamax", () => {
  for (const [beta1, beta2, epsilon] of [[0.9, 0.999, 1e-7], [0.85, 0.95, 1e-3]] as const) {
    it(`beta1 ${beta1}, beta2 ${beta2}, epsilon ${epsilon}: 3 steps equal Keras's rule by hand, bit for bit`, () => {
      const optimizer = new Adamax({ learningRate: new InverseTimeDecay(0.03, 3, 0.5), beta1, beta2, epsilon });
      expect(bits(runSteps(optimizer, W0, GRADS))).toEqual(bits(byHand(beta1, beta2, epsilon)));
    });
  }

  it("Keras's single-step test: lr 0.5 gives [0.5, 1.5, 2.5, 3.5]", () => {
    expectKerasSingleStep(new Adamax(0.5), [0.5, 1.5, 2.5, 3.5]);
  });

  it("Keras's golden test (lr 0.2, beta1 0.85, beta2 0.95, epsilon 1e-6)", () => {
    expectKerasGolden(new Adamax({ learningRate: 0.2, beta1: 0.85, beta2: 0.95, epsilon: 1e-6 }), [
      [0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8],
      [0.6827, 0.6873, 0.6888, 0.6896, 0.6901, 0.6904, 0.6906, 0.6908, 0.6909, 0.691],
      [0.5333, 0.5407, 0.5431, 0.5444, 0.5451, 0.5456, 0.546, 0.5462, 0.5464, 0.5466],
      [0.368, 0.3773, 0.3804, 0.382, 0.3829, 0.3835, 0.384, 0.3843, 0.3846, 0.3848],
      [0.1933, 0.204, 0.2076, 0.2094, 0.2105, 0.2112, 0.2117, 0.2121, 0.2124, 0.2126],
    ]);
  });

  it("Keras's weight decay test", () => expectKerasWeightDecay((o) => new Adamax(o)));

  it("slots: momentum and norm, interleaved per variable", async () => {
    const saved = await savedAfterOneUpdate(new Adamax(), { "adamax-test/a": [2], "adamax-test/b": [3] });
    expect(saved.map((w) => w.name)).toEqual(["iter", "adamax-test/a/momentum", "adamax-test/a/norm", "adamax-test/b/momentum", "adamax-test/b/norm"]);
  });

  it("takes Keras's positional order or an options object, and fills Keras's defaults", () => {
    expect(new Adamax().getConfig()).toEqual({ learningRate: fr(0.001), beta1: 0.9, beta2: 0.999, epsilon: 1e-7, name: "adamax" });
    expect(new Adamax(0.5, 0.8, 0.95, 1e-5, "x").getConfig()).toEqual({ learningRate: 0.5, beta1: 0.8, beta2: 0.95, epsilon: 1e-5, name: "x" });
  });

  describeBadOptions(Adamax, [
    ["beta1", 1.01, RangeError, /^Adamax: `beta1` must be a finite number in \[0, 1\) \(a bias correction divides by 1 - beta\^t, which is 0 at 1\)\. Received: beta1=1\.01$/],
    ["beta1", 1, RangeError, /^Adamax: `beta1` must be a finite number in \[0, 1\) .*Received: beta1=1$/],
    ["beta1", 0.99999999, RangeError, /`beta1` must be .* also in float32 \(it rounds to 1\)\. Received: beta1=0\.99999999$/],
    ["beta2", NaN, RangeError, /beta2=NaN/],
    ["epsilon", 0, RangeError, /`epsilon` must be a finite number > 0/],
  ]);
});
