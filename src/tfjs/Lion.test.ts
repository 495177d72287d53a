import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { expectKerasWeightDecay } from "../../test/support/optimizerSteps.js";
import { expectSaveResumeExact, optimizerCase, tensorCounts } from "../../test/support/optimizerSuite.js";
import { CosineDecay, float32Bits, InverseTimeDecay } from "../index.js";
import { Lion, optimizerFromKeras, optimizerToKeras } from "./index.js";

const fr = Math.fround;
const w0 = [0.5, -1.25, 2, 0.1];
/** Three steps' gradients: a zero (sign 0), and signs that flip so that the momentum's history decides the sign. */
const grads = [
  [0.3, -2.5, 0, 0.05],
  [-0.2, 0.01, 0.9, -0.6],
  [0.8, 0.02, -0.3, 0.04],
];
/** InverseTimeDecay(0.03, 3, 0.5) worked by hand: 0.03 / (1 + 0.5 * step / 3), each operation in float32. */
const rateAt = (step: number) => fr(fr(0.03) / fr(1 + fr(fr(0.5) * fr(fr(step) / fr(3)))));

function run(optimizer: Lion): number[][] {
  const w = tf.variable(tf.tensor1d(w0));
  const out = grads.map((g) => {
    const gradient = tf.tensor1d(g);
    optimizer.applyGradients([{ name: w.name, tensor: gradient }]);
    gradient.dispose();
    return Array.from(w.dataSync());
  });
  w.dispose();
  optimizer.dispose();
  return out;
}

/**
 * Keras 3's Lion update, by hand in float32 (lion.py): w -= lr * sign(m * b1 + g * (1 - b1)); m = m * b2 + g * (1 - b2),
 * with `1 - b` a float32 subtraction from the float32 beta.
 */
function byHand(beta1 = 0.9, beta2 = 0.99): number[][] {
  const w = w0.map(fr);
  const m = w0.map(() => 0);
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

const bits = (rows: number[][]) => rows.map((r) => r.map(float32Bits));

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
    const w = tf.variable(tf.tensor1d([1, 2, 3, 4]));
    const optimizer = new Lion(0.5);
    optimizer.applyGradients([{ name: w.name, tensor: tf.tensor1d([1, 6, 7, 2]) }]);
    expect(Array.from(w.dataSync())).toEqual([0.5, 1.5, 2.5, 3.5]);
    w.dispose();
    optimizer.dispose();
  });

  it("Keras's golden test: 0.999, 0.998, 0.997, 0.996, 0.995 within Keras's 5e-4", () => {
    const x = tf.variable(tf.ones([10]));
    const optimizer = new Lion();
    const step = (g: tf.Tensor) => optimizer.applyGradients([{ name: x.name, tensor: g }]);
    step(tf.fill([10], 0.01));
    for (const expected of [0.999, 0.998, 0.997, 0.996, 0.995]) {
      for (const v of x.dataSync()) expect(Math.abs(v - expected)).toBeLessThanOrEqual(5e-4 + 5e-4 * expected);
      step(tf.range(1, 11).div(10));
    }
    x.dispose();
    optimizer.dispose();
  });

  it("Keras's weight-decay test: a zero gradient, lr 1, weightDecay 0.004 decay 2 to 1.9760959 over 3 optimizers; excluded stay", () =>
    expectKerasWeightDecay((o) => new Lion(o)));

  it("has one slot per variable, momentum", async () => {
    const a = tf.variable(tf.zeros([2]), true, "lion-test/a");
    const b = tf.variable(tf.zeros([3]), true, "lion-test/b");
    const optimizer = new Lion();
    optimizer.applyGradients({ [a.name]: tf.ones([2]), [b.name]: tf.ones([3]) });
    expect((await optimizer.getWeights()).map((w) => w.name)).toEqual(["iter", "lion-test/a/momentum", "lion-test/b/momentum"]);
    optimizer.dispose();
    tf.dispose([a, b]);
  });

  it("2 epochs + save + load + 3 epochs equals 5 epochs straight, bit for bit", () =>
    expectSaveResumeExact(() => new Lion({ learningRate: new CosineDecay(0.003, 30), beta1: 0.8 }), "lion-cosine"));

  it("leaks no tensor: tf.memory().numTensors is the same before and after 10 or 2,000 minimize steps", () => {
    const [before, after10, after2000] = tensorCounts(() => new Lion(1e-3));
    expect([after10, after2000]).toEqual([before, before]);
  });

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

  it("Keras's JSON of the lion-cosine golden case goes through optimizerFromKeras and optimizerToKeras unchanged", () => {
    const json = optimizerCase("lion-cosine").keras_optimizer as ReturnType<typeof optimizerToKeras>;
    const o = optimizerFromKeras(json);
    expect(o).toBeInstanceOf(Lion);
    expect(optimizerToKeras(o)).toEqual(json);
  });

  describe("bad options throw errors that name the option, the value and what was expected", () => {
    const cases: [string, unknown, ErrorConstructor, RegExp][] = [
      ["learningRate", -1, RangeError, /^Lion: `learningRate` must be a finite number >= 0\. Received: learningRate=-1$/],
      ["learningRate", Infinity, RangeError, /learningRate=Infinity/],
      ["beta1", 0, RangeError, /^Lion: `beta1` must be a finite number in \(0, 1\] \(at 0, Lion degenerates to signSGD\)\. Received: beta1=0$/],
      ["beta1", 1.01, RangeError, /beta1=1\.01/],
      ["beta1", NaN, RangeError, /beta1=NaN/],
      ["beta1", "0.9", TypeError, /`beta1` must be a finite number\. Received: beta1="0\.9"/],
      ["beta2", -0.5, RangeError, /`beta2` must be a finite number in \[0, 1\]\. Received: beta2=-0\.5/],
      ["beta2", NaN, RangeError, /beta2=NaN/],
      ["name", 3, TypeError, /`name` must be a string\. Received: name=3/],
      ["beta_1", 0.9, RangeError, /`beta_1` must be one of the options learningRate, beta1, beta2, /],
    ];
    for (const [option, value, kind, message] of cases) {
      it(`new Lion({ ${option}: ${String(value)} }) throws ${kind.name}`, () => {
        const make = () => new Lion({ [option]: value } as never);
        expect(make).toThrow(kind);
        expect(make).toThrow(message);
      });
    }

    it("optimizerFromKeras names the Keras key of a bad value", () => {
      expect(() => optimizerFromKeras({ class_name: "Lion", config: { beta_1: 0 } })).toThrow(/`config\.beta_1` must be a finite number in \(0, 1\]/);
    });
  });
});
