import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { bits, describeBadOptions, expectKerasGolden, expectKerasSingleStep, expectKerasWeightDecay, GRADS, inverseTimeByHand, runSteps, savedAfterOneUpdate, W0 } from "../../test/support/optimizerSuite.js";
import { InverseTimeDecay } from "../index.js";
import { Adagrad } from "./index.js";

const fr = Math.fround;
const rateAt = inverseTimeByHand(0.1, 2, 0.3);

/** Keras 3's Adagrad update, by hand in float32 (adagrad.py): acc = acc + g^2; w = w - lr*g / sqrt(acc + eps). */
function byHand(initial: number, epsilon: number): number[][] {
  const w = W0.map(fr);
  const acc = W0.map(() => fr(initial));
  return GRADS.map((g, step) => {
    const lr = rateAt(step);
    for (let i = 0; i < w.length; i++) {
      const gi = fr(g[i]!);
      acc[i] = fr(acc[i]! + fr(gi * gi));
      w[i] = fr(w[i]! - fr(fr(lr * gi) / fr(Math.sqrt(fr(acc[i]! + fr(epsilon))))));
    }
    return [...w];
  });
}

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("Adagrad", () => {
  for (const [initialAccumulatorValue, epsilon] of [[0.1, 1e-7], [0.3, 1e-3], [0, 1e-7]] as const) {
    it(`initialAccumulatorValue ${initialAccumulatorValue}, epsilon ${epsilon}: 3 steps equal Keras's rule by hand, bit for bit`, () => {
      const optimizer = new Adagrad({ learningRate: new InverseTimeDecay(0.1, 2, 0.3), initialAccumulatorValue, epsilon });
      expect(bits(runSteps(optimizer, W0, GRADS))).toEqual(bits(byHand(initialAccumulatorValue, epsilon)));
    });
  }

  it("Keras's single-step test: lr 0.5 gives [0.5233, 1.5007, 2.5005, 3.5061]", () => {
    expectKerasSingleStep(new Adagrad(0.5), [0.5233, 1.5007, 2.5005, 3.5061]);
  });

  it("Keras's golden test (lr 0.2, initial accumulator 0.3, epsilon 1e-6)", () => {
    expectKerasGolden(new Adagrad({ learningRate: 0.2, initialAccumulatorValue: 0.3, epsilon: 1e-6 }), [
      [0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963],
      [0.9604, 0.9278, 0.9003, 0.8784, 0.8615, 0.8487, 0.8388, 0.8313, 0.8255, 0.8209],
      [0.9251, 0.8629, 0.8137, 0.7768, 0.7497, 0.7298, 0.7151, 0.704, 0.6956, 0.6891],
      [0.8903, 0.8012, 0.7342, 0.6862, 0.6521, 0.6277, 0.6099, 0.5967, 0.5867, 0.579],
      [0.856, 0.7422, 0.6604, 0.6037, 0.5644, 0.5367, 0.5168, 0.5021, 0.491, 0.4825],
    ]);
  });

  it("Keras's weight decay test", () => expectKerasWeightDecay((o) => new Adagrad(o)));

  it("the accumulator slot starts at initialAccumulatorValue, named <variable>/accumulator", async () => {
    const saved = await savedAfterOneUpdate(new Adagrad({ initialAccumulatorValue: 0.25 }), { "adagrad-test/a": [2] }, () => tf.tensor1d([1, 2]));
    expect(saved.map((w) => w.name)).toEqual(["iter", "adagrad-test/a/accumulator"]);
    expect(saved[1]!.values).toEqual([1.25, 4.25]);
  });

  it("takes Keras's positional order or an options object, and fills Keras's defaults", () => {
    expect(new Adagrad().getConfig()).toEqual({ learningRate: fr(0.001), initialAccumulatorValue: 0.1, epsilon: 1e-7, name: "adagrad" });
    expect(new Adagrad(0.5, 0.2, 1e-5, "g").getConfig()).toEqual({ learningRate: 0.5, initialAccumulatorValue: 0.2, epsilon: 1e-5, name: "g" });
  });

  describeBadOptions(Adagrad, [
    ["initialAccumulatorValue", -0.1, RangeError, /^Adagrad: `initialAccumulatorValue` must be a finite number >= 0\. Received: initialAccumulatorValue=-0\.1$/],
    ["epsilon", 0, RangeError, /`epsilon` must be a finite number > 0\. Received: epsilon=0/],
    ["learningRate", -1, RangeError, /learningRate=-1/],
  ]);
});
