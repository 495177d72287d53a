import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { adamByHand, bits, describeBadOptions, expectKerasGolden, expectKerasSingleStep, expectKerasWeightDecay, GRADS, inverseTimeByHand, runSteps, W0 } from "../../test/support/optimizerSuite.js";
import { InverseTimeDecay } from "../index.js";
import { Adam, AdamW, optimizerFromKeras } from "./index.js";

const fr = Math.fround;
const rateAt = inverseTimeByHand(0.03, 3, 0.5);

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("AdamW", () => {
  const lr = () => new InverseTimeDecay(0.03, 3, 0.5);

  for (const [weightDecay, amsgrad] of [[0.004, false], [0.1, true], [0, false]] as const) {
    it(`weightDecay ${weightDecay}, amsgrad ${amsgrad}: 3 steps equal Keras's decay then Adam by hand, bit for bit`, () => {
      const optimizer = new AdamW({ learningRate: lr(), weightDecay, amsgrad });
      expect(bits(runSteps(optimizer, W0, GRADS))).toEqual(bits(adamByHand({ rateAt, weightDecay, amsgrad })));
    });
  }

  it("is Adam with the base weight decay: the same bits as Adam({ weightDecay })", () => {
    const a = runSteps(new AdamW({ learningRate: lr(), weightDecay: 0.05 }), W0, GRADS);
    const b = runSteps(new Adam({ learningRate: lr(), weightDecay: 0.05 }), W0, GRADS);
    expect(bits(a)).toEqual(bits(b));
    expect(new AdamW()).toBeInstanceOf(Adam);
  });

  it("Keras's single-step test: lr 0.5 gives [0.4980, 1.4960, 2.494, 3.492]", () => {
    expectKerasSingleStep(new AdamW(0.5), [0.498, 1.496, 2.494, 3.492]);
  });

  it("Keras's golden test (lr 1, weight decay 0.5, epsilon 2)", () => {
    expectKerasGolden(new AdamW({ learningRate: 1, weightDecay: 0.5, epsilon: 2 }), [
      [0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998],
      [0.2486, 0.2475, 0.2463, 0.2451, 0.244, 0.2428, 0.2417, 0.2405, 0.2394, 0.2382],
      [0.1223, 0.1198, 0.1174, 0.1149, 0.1124, 0.11, 0.1075, 0.1051, 0.1027, 0.1003],
      [0.0586, 0.0549, 0.0512, 0.0475, 0.0439, 0.0402, 0.0366, 0.033, 0.0294, 0.0258],
      [0.0263, 0.0215, 0.0167, 0.012, 0.0073, 0.0026, -0.0021, -0.0067, -0.0113, -0.0159],
    ]);
  });

  it("Keras's weight decay test", () => expectKerasWeightDecay((o) => new AdamW(o)));

  it("takes weightDecay second by position, as Keras's signature, and defaults to 0.004", () => {
    expect(new AdamW().getConfig()).toEqual({ learningRate: fr(0.001), weightDecay: 0.004, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false, name: "adam_w" });
    expect(new AdamW(0.01, 0.1, 0.8, 0.99, 1e-6, true, "w").getConfig()).toEqual({ learningRate: fr(0.01), weightDecay: 0.1, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, amsgrad: true, name: "w" });
    const a = new AdamW({ learningRate: lr(), weightDecay: 0.02, useEma: true });
    const b = AdamW.fromConfig(AdamW, a.getConfig());
    expect(b).toBeInstanceOf(AdamW);
    expect(b.getConfig()).toEqual(a.getConfig());
  });

  it("reads Keras's AdamW JSON (weight_decay in its base position) as AdamW", () => {
    const optimizer = optimizerFromKeras({ class_name: "AdamW", config: { learning_rate: 0.01, weight_decay: 0.05, beta_1: 0.8 } });
    expect(optimizer).toBeInstanceOf(AdamW);
    expect(optimizer.getConfig()).toEqual(new AdamW({ learningRate: 0.01, weightDecay: 0.05, beta1: 0.8 }).getConfig());
  });

  describeBadOptions(AdamW, [
    ["weightDecay", null, TypeError, /^AdamW: `weightDecay` must be a finite number >= 0\. Received: weightDecay=null$/],
    ["weightDecay", -0.01, RangeError, /weightDecay=-0\.01/],
    ["beta1", 1.5, RangeError, /`beta1` must be a finite number in \[0, 1\) \(a bias correction divides by 1 - beta\^t, which is 0 at 1\)\. Received: beta1=1\.5/],
    ["beta1", 1, RangeError, /^AdamW: `beta1` must be a finite number in \[0, 1\) .*Received: beta1=1$/],
    ["beta1", 0.99999999, RangeError, /`beta1` must be .* also in float32 \(it rounds to 1\)\. Received: beta1=0\.99999999$/],
    ["beta2", -1, RangeError, /beta2=-1/],
    ["epsilon", 0, RangeError, /`epsilon` must be a finite number > 0/],
  ]);
});
