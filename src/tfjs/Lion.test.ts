import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { bits, describeBadOptions, expectGoldenJsonRoundTrip, expectKerasGolden, expectKerasWeightDecay, expectSaveResumeExact, inverseTimeByHand, kerasSingleStep, runSteps, savedAfterOneUpdate, W0 } from "../../test/support/optimizerSuite.js";
import { CosineDecay, InverseTimeDecay } from "../index.js";
import { Lion, optimizerFromKeras, optimizerToKeras } from "./index.js";

const fr = Math.fround;
/** Three steps' gradients: a zero (sign 0), and signs that flip so that the momentum's history decides the sign. */
const grads = [
  [0.3, -2.5, 0, 0.05],
  [-0.2, 0.01, 0.9, -0.6],
  [0.8, 0.02, -0.3, 0.04],
];
const rateAt = inverseTimeByHand(0.03, 3, 0.5);
const run = (optimizer: Lion) => runSteps(optimizer, W0, grads);

/**
 * Keras 3's Lion update, by hand in float32 (lion.py): w -= lr * sign(m * b1 + g * (1 - b1)); m = m * b2 + g * (1 - b2),
 * with `1 - b` a float32 subtraction from the float32 beta.
 */
function byHand(beta1 = 0.9, beta2 = 0.99): number[][] {
  const w = W0.map(fr);
  const m = W0.map(() => 0);
  const b1 = fr(beta1);
  const b2 = fr(beta2);
  return grads.map((g, step) => {
    const lr = rateAt(step);
    for (let i = 0; i < w.length; i++) {
      const gi = fr(g[i]!);
      w[i] = fr(w[i]! - fr(lr * Math.sign(fr(fr(m[i]! * b1) + fr(gi * fr(1 - b1))))));
      m[i] = fr(fr(m[i]! * b2) + fr(gi * fr(1 - b2)));
    }
    return [...w];
  });
}

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("Lion", () => {
  const lr = () => new InverseTimeDecay(0.03, 3, 0.5);

  it("3 steps under InverseTimeDecay equal Keras's rule worked by hand, bit for bit", () => {
    expect(bits(run(new Lion({ learningRate: lr() })))).toEqual(bits(byHand()));
  });

  it("other betas go through the same rule, bit for bit; the momentum's history flips a sign here", () => {
    expect(bits(run(new Lion({ learningRate: lr(), beta1: 0.5, beta2: 0.3 })))).toEqual(bits(byHand(0.5, 0.3)));
    expect(Math.sign(byHand(0.99, 0.99)[1]![1]! - byHand(0.99, 0.99)[0]![1]!)).toBe(1);
  });

  it("Keras's single-step test: lr 0.5, w [1, 2, 3, 4], g [1, 6, 7, 2] gives [0.5, 1.5, 2.5, 3.5]", () => {
    expect(kerasSingleStep(new Lion(0.5))).toEqual([0.5, 1.5, 2.5, 3.5]);
  });

  it("Keras's golden test: 0.999, 0.998, 0.997, 0.996, 0.995 within Keras's 5e-4", () => {
    expectKerasGolden(new Lion(), [[0.999], [0.998], [0.997], [0.996], [0.995]]);
  });

  it("Keras's weight-decay test: a zero gradient, lr 1, weightDecay 0.004 decay 2 to 1.9760959 over 3 optimizers; excluded stay", () =>
    expectKerasWeightDecay((o) => new Lion(o)));

  it("has one slot per variable, momentum", async () => {
    const saved = await savedAfterOneUpdate(new Lion(), { "lion-test/a": [2], "lion-test/b": [3] });
    expect(saved.map((w) => w.name)).toEqual(["iter", "lion-test/a/momentum", "lion-test/b/momentum"]);
  });

  it("2 epochs + save + load + 3 epochs equals 5 epochs straight, bit for bit", () =>
    expectSaveResumeExact(() => new Lion({ learningRate: new CosineDecay(0.003, 30), beta1: 0.8 }), "lion-cosine"));

  it("takes Keras's positional order or an options object, and fills Keras's defaults", () => {
    expect(new Lion().getConfig()).toEqual({ learningRate: fr(0.001), beta1: 0.9, beta2: 0.99, name: "lion" });
    expect(new Lion(0.01, 0.8, 0.9, "l").getConfig()).toEqual({ learningRate: fr(0.01), beta1: 0.8, beta2: 0.9, name: "l" });
    const config = new Lion({ learningRate: lr(), beta1: 1 }).getConfig();
    expect(Lion.fromConfig(Lion, config).getConfig()).toEqual(config);
  });

  it("optimizerFromKeras(optimizerToKeras(o)) rebuilds it, and Keras's JSON goes through unchanged", () => {
    const o = new Lion({ learningRate: new CosineDecay(0.003, 24), beta1: 0.95, beta2: 0.98 });
    const json = optimizerToKeras(o);
    expect(optimizerFromKeras(json).getConfig()).toEqual(o.getConfig());
    expect(json.config).toMatchObject({ beta_1: 0.95, beta_2: 0.98, weight_decay: null, use_ema: false });
  });

  it("Keras's JSON of the lion-cosine golden case goes through optimizerFromKeras and optimizerToKeras unchanged", () =>
    expectGoldenJsonRoundTrip("lion-cosine", Lion));

  describeBadOptions(
    Lion,
    [
      ["learningRate", -1, RangeError, /^Lion: `learningRate` must be a finite number >= 0\. Received: learningRate=-1$/],
      ["learningRate", Infinity, RangeError, /learningRate=Infinity/],
      ["beta1", 0, RangeError, /^Lion: `beta1` must be a finite number in \(0, 1\] \(at 0, Lion degenerates to signSGD\)\. Received: beta1=0$/],
      ["beta1", 1.01, RangeError, /beta1=1\.01/],
      ["beta1", NaN, RangeError, /beta1=NaN/],
      ["beta1", "0.9", TypeError, /`beta1` must be a finite number in \(0, 1\] \(at 0, Lion degenerates to signSGD\)\. Received: beta1="0\.9"/],
      ["beta2", -0.5, RangeError, /`beta2` must be a finite number in \[0, 1\]\. Received: beta2=-0\.5/],
      ["beta2", NaN, RangeError, /beta2=NaN/],
      ["name", 3, TypeError, /`name` must be a string\. Received: name=3/],
      ["beta_1", 0.9, RangeError, /`beta_1` must be one of the options learningRate, beta1, beta2, /],
    ],
    () => {
      it("optimizerFromKeras names the Keras key of a bad value", () => {
        expect(() => optimizerFromKeras({ class_name: "Lion", config: { beta_1: 0 } })).toThrow(/`config\.beta_1` must be a finite number in \(0, 1\]/);
      });
    },
  );
});
