import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { adamByHand, bits, describeBadOptions, expectKerasGolden, expectWithin, GRADS, inverseTimeByHand, kerasSingleStep, runSteps, savedAfterOneUpdate, W0 } from "../../test/support/optimizerSuite.js";
import { InverseTimeDecay } from "../index.js";
import { Adam } from "./index.js";

const fr = Math.fround;
const rateAt = inverseTimeByHand(0.03, 3, 0.5);
const run = (optimizer: Adam) => runSteps(optimizer, W0, GRADS);

const byHand = (amsgrad: boolean, beta1?: number, beta2?: number, epsilon?: number) => adamByHand({ rateAt, amsgrad, beta1, beta2, epsilon });

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
    const w = tf.variable(tf.tensor1d([...W0]));
    const theirs = tf.train.adam(0.01, 0.9, 0.999, 0.1);
    for (const g of GRADS) theirs.applyGradients([{ name: w.name, tensor: tf.tensor1d([...g]) }]);
    expect(Math.max(...Array.from(w.dataSync()).map((x, i) => Math.abs(x - ours[i]!)))).toBeGreaterThan(1e-4);
    w.dispose();
    theirs.dispose();
  });

  it("Keras's single-step test: lr 0.5, w [1, 2, 3, 4], g [1, 6, 7, 2] gives [0.5, 1.5, 2.5, 3.5] within 1e-4", () => {
    expectWithin(kerasSingleStep(new Adam(0.5)), [0.5, 1.5, 2.5, 3.5], 1e-4);
  });

  it("Keras's golden test (amsgrad, default rate): 0.999, 0.9982, 0.9974, 0.9965, 0.9955 within Keras's 5e-4", () => {
    expectKerasGolden(new Adam({ amsgrad: true }), [[0.999], [0.9982], [0.9974], [0.9965], [0.9955]]);
  });

  it("slots are momentum and velocity interleaved per variable, then a block of velocity_hat with amsgrad", async () => {
    const saved = await savedAfterOneUpdate(new Adam({ amsgrad: true }), { "adam-test/a": [2], "adam-test/b": [3] });
    expect(saved.map((w) => w.name)).toEqual([
      "iter",
      "adam-test/a/momentum",
      "adam-test/a/velocity",
      "adam-test/b/momentum",
      "adam-test/b/velocity",
      "adam-test/a/velocity_hat",
      "adam-test/b/velocity_hat",
    ]);
  });

  it("takes Keras's positional order or an options object, and fills Keras's defaults", () => {
    const defaults = { learningRate: fr(0.001), beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false, name: "adam" };
    expect(new Adam().getConfig()).toEqual(defaults);
    expect(new Adam(0.01, 0.8, 0.99, 1e-6, true, "a").getConfig()).toEqual({ learningRate: fr(0.01), beta1: 0.8, beta2: 0.99, epsilon: 1e-6, amsgrad: true, name: "a" });
    const b = Adam.fromConfig(Adam, new Adam({ learningRate: lr(), amsgrad: true }).getConfig());
    expect(b.getConfig()).toEqual(new Adam({ learningRate: lr(), amsgrad: true }).getConfig());
  });

  describeBadOptions(Adam, [
    ["learningRate", -1, RangeError, /^Adam: `learningRate` must be a finite number >= 0\. Received: learningRate=-1$/],
    ["learningRate", NaN, RangeError, /learningRate=NaN/],
    ["learningRate", { initial: 1 }, TypeError, /or a LearningRateSchedule\. Received: learningRate=\{initial\}/],
    ["beta1", 1.5, RangeError, /`beta1` must be a finite number in \[0, 1\) \(a bias correction divides by 1 - beta\^t, which is 0 at 1\)\. Received: beta1=1\.5/],
    ["beta1", 1, RangeError, /^Adam: `beta1` must be a finite number in \[0, 1\) .*Received: beta1=1$/],
    ["beta1", 0.99999999, RangeError, /`beta1` must be .* also in float32 \(it rounds to 1\)\. Received: beta1=0\.99999999$/],
    ["beta1", -0.1, RangeError, /beta1=-0\.1/],
    ["beta2", NaN, RangeError, /`beta2` must be a finite number in \[0, 1\]\. Received: beta2=NaN/],
    ["epsilon", 0, RangeError, /`epsilon` must be a finite number > 0\. Received: epsilon=0/],
    ["epsilon", -1e-7, RangeError, /epsilon=-1e-7/],
    ["amsgrad", 1, TypeError, /`amsgrad` must be a boolean\. Received: amsgrad=1/],
    ["beta_1", 0.9, RangeError, /`beta_1` must be one of the options learningRate, beta1, beta2, epsilon, amsgrad, weightDecay, clipnorm, clipvalue, globalClipnorm, useEma, emaMomentum, emaOverwriteFrequency, gradientAccumulationSteps, name\./],
  ]);
});
