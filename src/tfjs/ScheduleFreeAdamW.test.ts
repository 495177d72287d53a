import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { bits, describeBadOptions, expectGoldenJsonRoundTrip, expectSaveResumeExact, expectWithin, GRADS, kerasSingleStep, runSteps, savedAfterOneUpdate, W0 } from "../../test/support/optimizerSuite.js";
import { fitCase } from "../../test/support/kerasFit.js";
import { InverseTimeDecay } from "../index.js";
import { ScheduleFreeAdamW } from "./index.js";

const fr = Math.fround;
const run = (optimizer: ScheduleFreeAdamW) => runSteps(optimizer, W0, GRADS);

interface Settings {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  warmup: number;
  weightDecay?: number;
}
const defaults: Settings = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, warmup: 0 };

/**
 * The published algorithm as Keras's schedule_free_adamw.py computes it on JAX, by hand in float32:
 * lr *= min(t / warmup, 1); x = (y - (1 - b1) z_old) / b1; v += (g^2 - v)(1 - b2); z -= lr g / (sqrt(v / (1 - b2^t)) + eps);
 * x = (1 - 1/t) x + (1/t) z; y = (1 - b1) z + b1 x. `1 - b` is a float32 subtraction from the float32 beta. With weight
 * decay, the base's y = y - y wd lr comes first, with the rate before warm-up (Keras's current learning rate).
 */
function byHand(s: Settings): number[][] {
  const y = W0.map(fr);
  const z = W0.map(fr);
  const v = W0.map(() => 0);
  const b1 = fr(s.beta1);
  const b2 = fr(s.beta2);
  return GRADS.map((g, step) => {
    const t = fr(step + 1);
    const lr = s.warmup > 0 ? fr(fr(s.lr) * Math.min(fr(t / fr(s.warmup)), 1)) : fr(s.lr);
    const correction = fr(1 - fr(Math.pow(b2, t)));
    const weight = fr(1 / t);
    for (let i = 0; i < y.length; i++) {
      if (s.weightDecay !== undefined) y[i] = fr(y[i]! - fr(fr(y[i]! * fr(s.weightDecay)) * fr(s.lr)));
      const gi = fr(g[i]!);
      const xOld = fr(fr(y[i]! - fr(fr(1 - b1) * z[i]!)) / b1);
      v[i] = fr(v[i]! + fr(fr(fr(gi * gi) - v[i]!) * fr(1 - b2)));
      const denominator = fr(fr(Math.sqrt(fr(v[i]! / correction))) + fr(s.eps));
      z[i] = fr(z[i]! - fr(fr(lr * gi) / denominator));
      const xNew = fr(fr(fr(1 - weight) * xOld) + fr(weight * z[i]!));
      y[i] = fr(fr(fr(1 - b1) * z[i]!) + fr(b1 * xNew));
    }
    return [...y];
  });
}

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("ScheduleFreeAdamW", () => {
  const make = (s: Settings) =>
    new ScheduleFreeAdamW({ learningRate: s.lr, beta1: s.beta1, beta2: s.beta2, epsilon: s.eps, warmupSteps: s.warmup, weightDecay: s.weightDecay ?? null });

  it("the golden case is the published algorithm: it uses warm-up over 4 of its 24 steps", () => {
    expect(fitCase("schedule-free-adamw").keras_optimizer).toMatchObject({ config: { warmup_steps: 4, learning_rate: fr(0.01) } });
  });

  const variants: [string, Settings][] = [
    ["the defaults (rate 0.01)", defaults],
    ["warmupSteps 2", { ...defaults, warmup: 2 }],
    ["other betas and epsilon", { lr: 0.05, beta1: 0.5, beta2: 0.67, eps: 1e-3, warmup: 5 }],
    ["weight decay 0.5 (on y, before x is recovered) under warm-up", { ...defaults, lr: 0.2, warmup: 3, weightDecay: 0.5 }],
  ];
  for (const [name, s] of variants) {
    it(`3 steps with ${name} equal the algorithm worked by hand, bit for bit`, () => {
      expect(bits(run(make(s)))).toEqual(bits(byHand(s)));
    });
  }

  it("x comes from the z of before the step: reading the updated z (Keras's TensorFlow backend) would differ", () => {
    const s = defaults;
    const ours = run(make(s));
    const y = W0.map(fr);
    const z = W0.map(fr);
    const v = W0.map(() => 0);
    const b1 = fr(s.beta1);
    const late = GRADS.map((g, step) => {
      const t = fr(step + 1);
      for (let i = 0; i < y.length; i++) {
        const gi = fr(g[i]!);
        v[i] = fr(v[i]! + fr(fr(fr(gi * gi) - v[i]!) * fr(1 - fr(s.beta2))));
        const denominator = fr(fr(Math.sqrt(fr(v[i]! / fr(1 - fr(Math.pow(fr(s.beta2), t)))))) + fr(s.eps));
        z[i] = fr(z[i]! - fr(fr(fr(s.lr) * gi) / denominator));
        const xOld = fr(fr(y[i]! - fr(fr(1 - b1) * z[i]!)) / b1);
        const xNew = fr(fr(fr(1 - fr(1 / t)) * xOld) + fr(fr(1 / t) * z[i]!));
        y[i] = fr(fr(fr(1 - b1) * z[i]!) + fr(b1 * xNew));
      }
      return [...y];
    });
    expect(bits([ours[0]!])).toEqual(bits([late[0]!]));
    expect(Math.max(...ours[2]!.map((x, i) => Math.abs(x - late[2]![i]!)))).toBeGreaterThan(1e-4);
  });

  it("Keras's single-step test setting: lr 0.5, w [1, 2, 3, 4], g [1, 6, 7, 2] gives [0.5, 1.5, 2.5, 3.5]", () => {
    expectWithin(kerasSingleStep(new ScheduleFreeAdamW(0.5)), [0.5, 1.5, 2.5, 3.5], 1e-6);
  });

  it("weight decay leaves the variables excluded from it alone, as Keras's test", () => {
    const zero = tf.scalar(0);
    const kept = tf.variable(tf.scalar(2), true, "sfadamw-test/exclude");
    const decayed = tf.variable(tf.scalar(2));
    const optimizer = new ScheduleFreeAdamW({ learningRate: 1, weightDecay: 0.004 });
    optimizer.excludeFromWeightDecay({ varNames: ["exclude"] });
    for (let step = 0; step < 2; step++) optimizer.applyGradients({ [decayed.name]: zero, [kept.name]: zero });
    expect(kept.dataSync()[0]).toBe(2);
    expect(decayed.dataSync()[0]).toBeLessThan(1.999);
    optimizer.dispose();
    tf.dispose([zero, kept, decayed]);
  });

  it("slots are momentum (z, starting at the weights) and velocity, interleaved per variable", async () => {
    const saved = await savedAfterOneUpdate(new ScheduleFreeAdamW(0), { "sfadamw-test/a": tf.tensor1d([1, 2]), "sfadamw-test/b": tf.tensor1d([3, 4, 5]) });
    expect(saved.map((w) => w.name)).toEqual(["iter", "sfadamw-test/a/momentum", "sfadamw-test/a/velocity", "sfadamw-test/b/momentum", "sfadamw-test/b/velocity"]);
    expect(saved[3]!.values).toEqual([3, 4, 5]);
  });

  it("2 epochs + save + load + 3 epochs equals 5 epochs straight, bit for bit (z and v restored, not rebuilt from w)", () =>
    expectSaveResumeExact(() => new ScheduleFreeAdamW({ learningRate: 0.01, warmupSteps: 15 }), "schedule-free-adamw"));

  it("takes a schedule as its learning rate, as every optimizer here", () =>
    expectSaveResumeExact(() => new ScheduleFreeAdamW({ learningRate: new InverseTimeDecay(0.01, 6, 0.5) }), "schedule-free-adamw"));

  it("with the base options (EMA, gradient accumulation) too: averages and accumulators come before its slots, and resume", () =>
    expectSaveResumeExact(() => new ScheduleFreeAdamW({ learningRate: 0.01, warmupSteps: 4, useEma: true, gradientAccumulationSteps: 2 }), "schedule-free-adamw"));

  it("takes Keras's positional order or an options object, and fills Keras's defaults", () => {
    expect(new ScheduleFreeAdamW().getConfig()).toEqual({ learningRate: fr(0.0025), beta1: 0.9, beta2: 0.999, epsilon: 1e-8, warmupSteps: 0, name: "schedule_free_adam_w" });
    expect(new ScheduleFreeAdamW(0.01, 0.8, 0.99, 1e-6, 10, "s").getConfig()).toEqual({ learningRate: fr(0.01), beta1: 0.8, beta2: 0.99, epsilon: 1e-6, warmupSteps: 10, name: "s" });
    const config = new ScheduleFreeAdamW({ warmupSteps: 7 }).getConfig();
    expect(ScheduleFreeAdamW.fromConfig(ScheduleFreeAdamW, config).getConfig()).toEqual(config);
  });

  it("optimizerFromKeras(optimizerToKeras(o)) rebuilds it, and Keras's JSON of the golden case goes through unchanged", () =>
    expectGoldenJsonRoundTrip("schedule-free-adamw", ScheduleFreeAdamW));

  describeBadOptions(ScheduleFreeAdamW, [
    ["learningRate", -1, RangeError, /^ScheduleFreeAdamW: `learningRate` must be a finite number >= 0\. Received: learningRate=-1$/],
    ["beta1", 0, RangeError, /^ScheduleFreeAdamW: `beta1` must be a finite number in \(0, 1\]\. Received: beta1=0$/],
    ["beta1", 1.1, RangeError, /beta1=1\.1/],
    ["beta2", 2, RangeError, /`beta2` must be a finite number in \[0, 1\) \(a bias correction divides by 1 - beta\^t, which is 0 at 1\)\. Received: beta2=2/],
    ["beta2", 1, RangeError, /^ScheduleFreeAdamW: `beta2` must be a finite number in \[0, 1\) .*Received: beta2=1$/],
    ["beta2", 0.99999999, RangeError, /`beta2` must be .* also in float32 \(it rounds to 1\)\. Received: beta2=0\.99999999$/],
    ["epsilon", 0, RangeError, /`epsilon` must be a finite number > 0\. Received: epsilon=0/],
    ["warmupSteps", -1, RangeError, /`warmupSteps` must be an integer >= 0\. Received: warmupSteps=-1/],
    ["warmupSteps", 2.5, RangeError, /`warmupSteps` must be an integer >= 0\. Received: warmupSteps=2\.5/],
    ["warmupSteps", NaN, RangeError, /warmupSteps=NaN/],
    ["warmup_steps", 4, RangeError, /`warmup_steps` must be one of the options learningRate, beta1, beta2, epsilon, warmupSteps/],
  ]);
});
