import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { bits, describeBadOptions, expectKerasGolden, expectKerasSingleStep, expectKerasWeightDecay, GRADS, inverseTimeByHand, runSteps, W0 } from "../../test/support/optimizerSuite.js";
import { InverseTimeDecay } from "../index.js";
import { Nadam, type NamedTensor } from "./index.js";

const fr = Math.fround;
const rateAt = inverseTimeByHand(0.03, 3, 0.5);

/**
 * Keras 3's Nadam update, by hand in float32 (nadam.py): per update uProduct *= b1 * (1 - 0.5 * 0.96^t); per variable
 * u(s) = b1 * (1 - 0.5 * 0.96^s), m += (g - m) * (1 - b1), v += (g^2 - v) * (1 - b2),
 * mHat = u(t+1)*m / (1 - uProduct*u(t+1)) + (1 - u(t))*g / (1 - uProduct), vHat = v / (1 - b2^t),
 * w -= mHat*lr / (sqrt(vHat) + eps). Here `1 - b1` is a float32 subtraction.
 */
function byHand(b1: number, b2: number, eps: number): number[][] {
  const w = W0.map(fr);
  const m = W0.map(() => 0);
  const v = W0.map(() => 0);
  const [B1, B2, D] = [fr(b1), fr(b2), fr(0.96)];
  const u = (s: number) => fr(B1 * fr(1 - fr(0.5 * fr(Math.pow(D, fr(s))))));
  let uProduct = fr(1);
  return GRADS.map((g, step) => {
    const lr = rateAt(step);
    const t = step + 1;
    uProduct = fr(fr(uProduct * B1) * fr(1 - fr(0.5 * fr(Math.pow(D, fr(t))))));
    const uProductNext = fr(uProduct * u(t + 1));
    const b2Power = fr(Math.pow(B2, fr(t)));
    for (let i = 0; i < w.length; i++) {
      const gi = fr(g[i]!);
      m[i] = fr(m[i]! + fr(fr(gi - m[i]!) * fr(1 - B1)));
      v[i] = fr(v[i]! + fr(fr(fr(gi * gi) - v[i]!) * fr(1 - B2)));
      const mHat = fr(fr(fr(u(t + 1) * m[i]!) / fr(1 - uProductNext)) + fr(fr(fr(1 - u(t)) * gi) / fr(1 - uProduct)));
      const vHat = fr(v[i]! / fr(1 - b2Power));
      w[i] = fr(w[i]! - fr(fr(mHat * lr) / fr(fr(Math.sqrt(vHat)) + fr(eps))));
    }
    return [...w];
  });
}

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("Nadam", () => {
  for (const [beta1, beta2, epsilon] of [[0.9, 0.999, 1e-7], [0.5, 0.67, 1e-5]] as const) {
    it(`beta1 ${beta1}, beta2 ${beta2}, epsilon ${epsilon}: 3 steps equal Keras's rule by hand, bit for bit`, () => {
      const optimizer = new Nadam({ learningRate: new InverseTimeDecay(0.03, 3, 0.5), beta1, beta2, epsilon });
      expect(bits(runSteps(optimizer, W0, GRADS))).toEqual(bits(byHand(beta1, beta2, epsilon)));
    });
  }

  it("Keras's single-step test: lr 0.5 gives [0.4686, 1.4686, 2.4686, 3.4686]", () => {
    expectKerasSingleStep(new Nadam(0.5), [0.4686, 1.4686, 2.4686, 3.4686]);
  });

  it("Keras's golden test (lr 0.5, beta1 0.5, beta2 0.67, epsilon 1e-5)", () => {
    expectKerasGolden(new Nadam({ learningRate: 0.5, beta1: 0.5, beta2: 0.67, epsilon: 1e-5 }), [
      [0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281],
      [-0.1738, -0.1731, -0.1726, -0.1723, -0.1721, -0.172, -0.1719, -0.1718, -0.1718, -0.1717],
      [-0.7115, -0.7103, -0.7096, -0.7092, -0.709, -0.7088, -0.7086, -0.7085, -0.7085, -0.7084],
      [-1.2335, -1.2322, -1.2313, -1.2309, -1.2306, -1.2304, -1.2302, -1.2301, -1.23, -1.2299],
      [-1.7492, -1.7478, -1.7469, -1.7464, -1.7461, -1.7459, -1.7457, -1.7456, -1.7455, -1.7454],
    ]);
  });

  it("Keras's weight decay test", () => expectKerasWeightDecay((o) => new Nadam(o)));

  it("slots: momentum and velocity interleaved per variable, then the scalar u_product, saved and restored", async () => {
    const a = tf.variable(tf.zeros([2]), true, "nadam-test/a");
    const b = tf.variable(tf.zeros([3]), true, "nadam-test/b");
    const optimizer = new Nadam({ beta1: 0.5 });
    optimizer.applyGradients({ [a.name]: tf.ones([2]), [b.name]: tf.ones([3]) });
    const saved = await optimizer.getWeights();
    expect(saved.map((w) => w.name)).toEqual([
      "iter", "nadam-test/a/momentum", "nadam-test/a/velocity", "nadam-test/b/momentum", "nadam-test/b/velocity", "u_product",
    ]);
    // One update: uProduct = 1 * 0.5 * (1 - 0.5 * 0.96).
    expect(saved[5]!.tensor.dataSync()[0]).toBe(fr(fr(0.5) * fr(1 - fr(0.5 * fr(0.96)))));

    const copies: NamedTensor[] = saved.map((w) => ({ name: w.name, tensor: tf.clone(w.tensor) }));
    const restored = new Nadam({ beta1: 0.5 });
    await restored.setWeights(copies);
    tf.dispose(copies.map((c) => c.tensor));
    const [a2, b2] = [tf.variable(a.clone()), tf.variable(b.clone())];
    optimizer.applyGradients({ [a.name]: tf.ones([2]), [b.name]: tf.ones([3]) });
    restored.applyGradients({ [a2.name]: tf.ones([2]), [b2.name]: tf.ones([3]) });
    expect(Array.from(a2.dataSync())).toEqual(Array.from(a.dataSync()));
    expect((await restored.getWeights())[5]!.tensor.dataSync()[0]).toBe((await optimizer.getWeights())[5]!.tensor.dataSync()[0]);
    for (const o of [optimizer, restored]) o.dispose();
    tf.dispose([a, b, a2, b2]);
  });

  it("takes Keras's positional order or an options object, and fills Keras's defaults", () => {
    expect(new Nadam().getConfig()).toEqual({ learningRate: fr(0.001), beta1: 0.9, beta2: 0.999, epsilon: 1e-7, name: "nadam" });
    expect(new Nadam(0.5, 0.5, 0.67, 1e-5, "n").getConfig()).toEqual({ learningRate: 0.5, beta1: 0.5, beta2: 0.67, epsilon: 1e-5, name: "n" });
  });

  describeBadOptions(Nadam, [
    ["beta1", -0.5, RangeError, /^Nadam: `beta1` must be a finite number in \[0, 1\]\. Received: beta1=-0\.5$/],
    ["beta2", 3, RangeError, /beta2=3/],
    ["beta2", 1, RangeError, /^Nadam: `beta2` must be a finite number in \[0, 1\) .*Received: beta2=1$/],
    ["beta2", 0.99999999, RangeError, /`beta2` must be .* also in float32 \(it rounds to 1\)\. Received: beta2=0\.99999999$/],
    ["epsilon", NaN, RangeError, /`epsilon` must be a finite number > 0\. Received: epsilon=NaN/],
  ]);
});
