import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { bits, describeBadOptions, expectGoldenJsonRoundTrip, expectSaveResumeExact, expectWithin, GRADS, inverseTimeByHand, kerasGoldenTrajectory, kerasSingleStep, runSteps, savedAfterOneUpdate, W0 } from "../../test/support/optimizerSuite.js";
import { InverseTimeDecay, LinearWarmup } from "../index.js";
import { Ftrl, optimizerFromKeras, optimizerToKeras, type FtrlOptions } from "./index.js";

const fr = Math.fround;
const rateAt = inverseTimeByHand(0.2, 4, 0.5);
const run = (optimizer: Ftrl) => runSteps(optimizer, W0, GRADS);

interface Strengths {
  power: number;
  initial: number;
  l1: number;
  l2: number;
  shrinkage: number;
  beta: number;
}

/**
 * Keras 3's Ftrl update, by hand in float32 (ftrl.py): l2 = l2 + beta / (2 lr); gs = g + (2 shrinkage) w;
 * nNew = n + g^2; linear += gs - (nNew^p - n^p) / lr * w; q = nNew^p / lr + 2 l2; w = (clip(linear, -l1, l1) - linear) / q.
 * `2 * shrinkage` is a double product rounded once; every other operation is float32.
 */
function byHand(s: Strengths): number[][] {
  const w = W0.map(fr);
  const n = W0.map(() => fr(s.initial));
  const linear = W0.map(() => 0);
  const p = fr(-s.power);
  const l1 = fr(s.l1);
  return GRADS.map((g, step) => {
    const lr = rateAt(step);
    const l2 = fr(fr(s.l2) + fr(fr(s.beta) / fr(2 * lr)));
    for (let i = 0; i < w.length; i++) {
      const gi = fr(g[i]!);
      const shrunk = fr(gi + fr(fr(2 * s.shrinkage) * w[i]!));
      const nNew = fr(n[i]! + fr(gi * gi));
      const sigma = fr(fr(fr(Math.pow(nNew, p)) - fr(Math.pow(n[i]!, p))) / lr);
      linear[i] = fr(linear[i]! + fr(shrunk - fr(sigma * w[i]!)));
      const quadratic = fr(fr(fr(Math.pow(nNew, p)) / lr) + fr(2 * l2));
      const clipped = Math.min(Math.max(linear[i]!, -l1), l1);
      w[i] = fr(fr(clipped - linear[i]!) / quadratic);
      n[i] = nNew;
    }
    return [...w];
  });
}

const none: Strengths = { power: -0.5, initial: 0.1, l1: 0, l2: 0, shrinkage: 0, beta: 0 };

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("Ftrl", () => {
  const lr = () => new InverseTimeDecay(0.2, 4, 0.5);
  const options = (s: Strengths): FtrlOptions => ({
    learningRate: lr(),
    learningRatePower: s.power,
    initialAccumulatorValue: s.initial,
    l1RegularizationStrength: s.l1,
    l2RegularizationStrength: s.l2,
    l2ShrinkageRegularizationStrength: s.shrinkage,
    beta: s.beta,
  });

  const variants: [string, Strengths][] = [
    ["the defaults", none],
    ["every strength at once", { power: -0.2, initial: 0.4, l1: 0.05, l2: 0.15, shrinkage: 0.01, beta: 0.3 }],
    ["a large l1, which sets weights to exactly 0", { ...none, l1: 0.6 }],
    ["learningRatePower 0 (a fixed per-coordinate rate)", { ...none, power: 0, initial: 0 }],
  ];
  for (const [name, s] of variants) {
    it(`3 steps with ${name} equal Keras's rule worked by hand, bit for bit`, () => {
      expect(bits(run(new Ftrl(options(s))))).toEqual(bits(byHand(s)));
    });
  }

  it("L1 really zeroes weights in the check above", () => {
    expect(byHand({ ...none, l1: 0.6 })[2]!.filter((x) => x === 0).length).toBeGreaterThan(0);
    expect(byHand(none)[2]!.filter((x) => x === 0)).toEqual([]);
  });

  it("Keras's single-step test: lr 0.5, w [1, 2, 3, 4], g [1, 6, 7, 2] gives [0.2218, 1.3954, 2.3651, 2.8814]", () => {
    expectWithin(kerasSingleStep(new Ftrl(0.5)), [0.2218, 1.3954, 2.3651, 2.8814], 1e-4);
  });

  it("Keras's golden test (0.05, -0.2, 0.4, 0.05, 0.15, 0.01, 0.3): 0, -0.0034, -0.0078, -0.0121, -0.0164 at the first weight", () => {
    const first = kerasGoldenTrajectory(new Ftrl(0.05, -0.2, 0.4, 0.05, 0.15, 0.01, 0.3)).map((x) => x[0]!);
    [0, -0.0034, -0.0078, -0.0121, -0.0164].forEach((expected, k) => expect(Math.abs(first[k]! - expected)).toBeLessThanOrEqual(5e-4));
  });

  it("slots are accumulator (from initialAccumulatorValue) and linear, interleaved per variable", async () => {
    const saved = await savedAfterOneUpdate(new Ftrl({ initialAccumulatorValue: 0.25 }), { "ftrl-test/a": [2], "ftrl-test/b": [3] }, (v) => tf.zerosLike(v));
    expect(saved.map((w) => w.name)).toEqual(["iter", "ftrl-test/a/accumulator", "ftrl-test/a/linear", "ftrl-test/b/accumulator", "ftrl-test/b/linear"]);
    expect(saved[3]!.values).toEqual([0.25, 0.25, 0.25]);
  });

  it("2 epochs + save + load + 3 epochs equals 5 epochs straight, bit for bit", () =>
    expectSaveResumeExact(
      () => new Ftrl({ learningRate: new InverseTimeDecay(0.2, 4, 0.5), l1RegularizationStrength: 0.001, l2RegularizationStrength: 0.01, l2ShrinkageRegularizationStrength: 0.002, beta: 0.1 }),
      "ftrl-l1-l2",
    ));

  it("with the base options (EMA, gradient accumulation) too: averages and accumulators come before its slots, and resume", () =>
    expectSaveResumeExact(() => new Ftrl({ learningRate: new InverseTimeDecay(0.2, 4, 0.5), l1RegularizationStrength: 0.001, useEma: true, emaMomentum: 0.9, gradientAccumulationSteps: 3 }), "ftrl-l1-l2"));

  it("takes Keras's positional order or an options object, and fills Keras's defaults", () => {
    const defaults = {
      learningRate: fr(0.001),
      learningRatePower: -0.5,
      initialAccumulatorValue: 0.1,
      l1RegularizationStrength: 0,
      l2RegularizationStrength: 0,
      l2ShrinkageRegularizationStrength: 0,
      beta: 0,
      name: "ftrl",
    };
    expect(new Ftrl().getConfig()).toEqual(defaults);
    expect(new Ftrl(0.1, -0.3, 0.2, 0.01, 0.02, 0.03, 0.04, "f").getConfig()).toEqual({
      learningRate: fr(0.1),
      learningRatePower: -0.3,
      initialAccumulatorValue: 0.2,
      l1RegularizationStrength: 0.01,
      l2RegularizationStrength: 0.02,
      l2ShrinkageRegularizationStrength: 0.03,
      beta: 0.04,
      name: "f",
    });
    const config = new Ftrl(options(variants[1]![1])).getConfig();
    expect(Ftrl.fromConfig(Ftrl, config).getConfig()).toEqual(config);
  });

  it("optimizerFromKeras(optimizerToKeras(o)) rebuilds it, with Keras's keys", () => {
    const o = new Ftrl(options(variants[1]![1]));
    const json = optimizerToKeras(o);
    expect(optimizerFromKeras(json).getConfig()).toEqual(o.getConfig());
    expect(json.config).toMatchObject({
      learning_rate_power: -0.2,
      initial_accumulator_value: 0.4,
      l1_regularization_strength: 0.05,
      l2_regularization_strength: 0.15,
      l2_shrinkage_regularization_strength: 0.01,
      beta: 0.3,
    });
  });

  it("Keras's JSON of the ftrl-l1-l2 golden case goes through optimizerFromKeras and optimizerToKeras unchanged", () =>
    expectGoldenJsonRoundTrip("ftrl-l1-l2", Ftrl));

  it("optimizerFromKeras reads Keras 2's shape (tf-keras's legacy Ftrl, with `decay`): decay 0.5 becomes InverseTimeDecay", () => {
    const o = optimizerFromKeras({
      class_name: "Ftrl",
      config: {
        name: "Ftrl",
        learning_rate: 0.05,
        decay: 0.5,
        initial_accumulator_value: 0.2,
        learning_rate_power: -0.25,
        l1_regularization_strength: 0.01,
        l2_regularization_strength: 0.02,
        beta: 0.1,
        l2_shrinkage_regularization_strength: 0.03,
      },
    });
    expect(o).toBeInstanceOf(Ftrl);
    expect(o.getConfig()).toMatchObject({ learningRatePower: -0.25, initialAccumulatorValue: 0.2, l2ShrinkageRegularizationStrength: 0.03, beta: 0.1, name: "Ftrl" });
    expect(o.learningRate).toBe(fr(0.05));
    expect(optimizerToKeras(o).config.learning_rate).toMatchObject({ class_name: "InverseTimeDecay", config: { decay_rate: 0.5 } });
  });

  describeBadOptions(
    Ftrl,
    [
      ["learningRate", -0.1, RangeError, /^Ftrl: `learningRate` must be a finite number >= 0\. Received: learningRate=-0\.1$/],
      ["learningRate", 0, RangeError, /^Ftrl: `learningRate` must be a finite number > 0 .*: Ftrl divides by the learning rate\. Received: learningRate=0$/],
      ["learningRate", 1e-46, RangeError, /`learningRate` must be a finite number > 0 also in float32.*Received: learningRate=1e-46$/],
      ["learningRatePower", 0.5, RangeError, /^Ftrl: `learningRatePower` must be a finite number <= 0\. Received: learningRatePower=0\.5$/],
      ["learningRatePower", NaN, RangeError, /learningRatePower=NaN/],
      ["learningRatePower", -Infinity, RangeError, /learningRatePower=-Infinity/],
      ["initialAccumulatorValue", -0.1, RangeError, /`initialAccumulatorValue` must be a finite number >= 0\. Received: initialAccumulatorValue=-0\.1/],
      ["l1RegularizationStrength", -1, RangeError, /`l1RegularizationStrength` must be a finite number >= 0\. Received: l1RegularizationStrength=-1/],
      ["l2RegularizationStrength", NaN, RangeError, /`l2RegularizationStrength` must be a finite number >= 0\. Received: l2RegularizationStrength=NaN/],
      ["l2ShrinkageRegularizationStrength", -0.01, RangeError, /l2ShrinkageRegularizationStrength=-0\.01/],
      ["beta", -1, RangeError, /`beta` must be a finite number >= 0\. Received: beta=-1/],
      ["beta", "0", TypeError, /`beta` must be a finite number >= 0\. Received: beta="0"/],
      ["l1", 0.1, RangeError, /`l1` must be one of the options learningRate, learningRatePower, initialAccumulatorValue/],
    ],
    () => {
      it("optimizer.learningRate = 0 throws and keeps the rate", () => {
        const optimizer = new Ftrl(0.1);
        expect(() => (optimizer.learningRate = 0)).toThrow(/^Ftrl: `learningRate` must be a finite number > 0/);
        expect(optimizer.learningRate).toBe(fr(0.1));
      });

      it("a schedule at 0 (a LinearWarmup from 0) throws at that update, before anything changes; later steps train", async () => {
        const w = tf.variable(tf.tensor1d([0.5, -0.5]));
        const g = tf.tensor1d([0.1, -0.2]);
        const optimizer = new Ftrl({ learningRate: new LinearWarmup(new InverseTimeDecay(0.1, 1, 0.5), 2) });
        const start = tf.memory().numTensors;
        expect(() => optimizer.applyGradients({ [w.name]: g })).toThrow(/^Ftrl: `learningRate` must be .*\(the schedule gives 0 at step 0\)\. Received: learningRate=0$/);
        expect(Array.from(w.dataSync())).toEqual([0.5, -0.5]);
        expect(optimizer.iterations).toBe(0);
        expect(tf.memory().numTensors).toBe(start);
        expect(await optimizer.getWeights()).toHaveLength(1); // iter only: no slot was built
        optimizer.iterations = 1; // skip the step at 0
        optimizer.applyGradients({ [w.name]: g });
        expect(Array.from(w.dataSync()).every(Number.isFinite)).toBe(true);
        optimizer.dispose();
        tf.dispose([w, g]);
      });

      it("optimizerFromKeras names the Keras key of a bad value", () => {
        expect(() => optimizerFromKeras({ class_name: "Ftrl", config: { learning_rate_power: 0.5 } })).toThrow(
          /`config\.learning_rate_power` must be a finite number <= 0\. Received: config\.learning_rate_power=0\.5/,
        );
      });
    },
  );
});
