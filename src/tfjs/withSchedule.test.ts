import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { float32Bits, InverseTimeDecay, LearningRateSchedule, ScheduleTypeError, ScheduleValueError, type Ops } from "../index.js";
import { SGD } from "./SGD.js";
import { learningRateOf, setLearningRateOf, withSchedule } from "./withSchedule.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
  await tf.ready();
});

const seed = new InverseTimeDecay(0.1, 1, 0.5);
/** The rate an optimizer's next update uses; `protected` in tf.js's types. */
const rateOf = (o: tf.Optimizer) => (o as unknown as { learningRate: number }).learningRate;

/** tf.js's seven optimizers, each built with a given rate and, as the reference run needs, one way to change it. */
const optimizers: Record<string, (lr: number) => tf.Optimizer> = {
  sgd: (lr) => tf.train.sgd(lr),
  momentum: (lr) => tf.train.momentum(lr, 0.9),
  nesterov: (lr) => tf.train.momentum(lr, 0.9, true),
  adam: (lr) => tf.train.adam(lr),
  adamax: (lr) => tf.train.adamax(lr),
  adagrad: (lr) => tf.train.adagrad(lr),
  adadelta: (lr) => tf.train.adadelta(lr),
  rmsprop: (lr) => tf.train.rmsprop(lr, 0.9, 0.5),
  rmspropCentered: (lr) => tf.train.rmsprop(lr, 0.9, 0.5, 1e-7, true),
};

/** A loss whose gradient changes with w, so that every optimizer's slots matter. */
function quadratic(w: tf.Variable): () => tf.Scalar {
  const c = tf.tensor1d([0.5, -1.5, 2, 0.25]);
  return () => tf.sum(tf.add(tf.mul(tf.square(w), c), tf.mul(w, tf.scalar(0.3)))) as tf.Scalar;
}

/** Weights after each of `steps` updates, the rate before update k set by `rateAt(k)`, or left to `withSchedule`. */
function run(make: (lr: number) => tf.Optimizer, steps: number, mode: "driven" | "manual" | "constant"): number[][] {
  const w = tf.variable(tf.tensor1d([0.8, -0.4, 0.3, 1.2]));
  const loss = quadratic(w);
  const opt = mode === "driven" ? withSchedule(make(1), seed) : make(seed(0));
  const out: number[][] = [];
  for (let k = 0; k < steps; k++) {
    if (mode === "manual") setLearningRateOf(opt, seed(k));
    opt.minimize(loss, false, [w]);
    out.push([...w.dataSync()].map(float32Bits));
  }
  opt.dispose();
  w.dispose();
  return out;
}

describe("withSchedule", () => {
  for (const [name, make] of Object.entries(optimizers)) {
    it(`drives tf.train.${name}: update k uses schedule(k), the same weights as setting each rate by hand`, () => {
      const driven = run(make, 12, "driven");
      expect(driven).toEqual(run(make, 12, "manual"));
      // The comparison means something: with the rate left at schedule(0) the weights differ from update 1 on.
      const constant = run(make, 12, "constant");
      expect(constant[0]).toEqual(driven[0]);
      expect(constant[11]).not.toEqual(driven[11]);
    });
  }

  it("tf.train.sgd: each update moves w by exactly -schedule(k) * g, in float32", () => {
    const fr = Math.fround;
    const x = [0.3, -1.7, 2.5];
    const w = tf.variable(tf.tensor1d([1, 2, 3]));
    const opt = withSchedule(tf.train.sgd(1), seed);
    let expected = [1, 2, 3];
    for (let k = 0; k < 20; k++) {
      expect(opt.iterations).toBe(k);
      expect(rateOf(opt)).toBe(seed(k));
      opt.minimize(() => tf.sum(tf.mul(w, tf.tensor1d(x))) as tf.Scalar, false, [w]);
      // tf.js's SGD: w + c * g with c = float32(-lr); the gradient of sum(w * x) is x.
      expected = expected.map((v, i) => fr(v + fr(fr(-seed(k)) * x[i]!)));
      expect([...w.dataSync()].map(float32Bits)).toEqual(expected.map(float32Bits));
    }
    expect(seed(19)).not.toBe(seed(0));
    opt.dispose();
    w.dispose();
  });

  it("a staircase schedule that holds its rate between steps is followed too", () => {
    const stairs = new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 3, decayRate: 1, staircase: true });
    const w = tf.variable(tf.scalar(1));
    const opt = withSchedule(tf.train.sgd(1), stairs);
    const used: number[] = [];
    for (let k = 0; k < 9; k++) {
      const before = w.dataSync()[0]!;
      opt.minimize(() => tf.mul(w, tf.scalar(1)) as tf.Scalar, false, [w]);
      used.push(Math.fround(before - w.dataSync()[0]!));
    }
    const expected = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((k) => stairs(k));
    expect(used.map((u, k) => Math.abs(u - expected[k]!) <= 1e-7)).toEqual(Array(9).fill(true));
    expect(new Set(used.map((u) => u.toPrecision(3)))).toEqual(new Set(["0.100", "0.0500", "0.0333"]));
    opt.dispose();
    w.dispose();
  });

  it("model.fit on a driven optimizer: batch k of the run sees iterations k and rate schedule(k)", async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2], activation: "softmax" })] });
    const opt = withSchedule(tf.train.adam(), seed);
    model.compile({ optimizer: opt, loss: "sparseCategoricalCrossentropy" });
    const seen: [number, number][] = [];
    const x = tf.tensor2d([0, 1, 1, 0, 1, 1, 0, 0, 0.5, 0.5, 0.2, 0.8, 0.9, 0.1], [7, 2]);
    const y = tf.tensor1d([0, 1, 2, 0, 1, 2, 0]);
    await model.fit(x, y, {
      epochs: 3,
      batchSize: 3,
      verbose: 0,
      callbacks: { onBatchBegin: () => void seen.push([opt.iterations, rateOf(opt)]) },
    });
    expect(opt.iterations).toBe(9);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map((k) => [k, seed(k)]));
    expect(rateOf(opt)).toBe(seed(9));
    model.dispose();
    tf.dispose([x, y]);
  });

  for (const [name, make] of Object.entries(optimizers)) {
    it(`tf.train.${name} driven by a schedule leaks no tensor: numTensors is the same after 10 and after 10,000 steps`, () => {
      const w = tf.variable(tf.tensor1d([0.8, -0.4, 0.3, 1.2]));
      const loss = quadratic(w);
      const opt = withSchedule(make(1), seed);
      for (let k = 0; k < 10; k++) opt.minimize(loss, false, [w]);
      const after10 = tf.memory().numTensors;
      for (let k = 10; k < 10_000; k++) opt.minimize(loss, false, [w]);
      expect(tf.memory().numTensors).toBe(after10);
      expect(rateOf(opt)).toBe(seed(10_000));
      opt.dispose();
      w.dispose();
    });
  }

  it("returns the same optimizer, still a tf.js optimizer of its class, whose getConfig holds the current rate", () => {
    const adam = tf.train.adam(0.5);
    const driven = withSchedule(adam, seed);
    expect(driven).toBe(adam);
    expect(driven).toBeInstanceOf(tf.AdamOptimizer);
    expect(driven.getConfig().learningRate).toBe(seed(0));
    const w = tf.variable(tf.scalar(2));
    driven.minimize(() => tf.square(w) as tf.Scalar, false, [w]);
    expect(driven.getConfig().learningRate).toBe(seed(1));
    expect(learningRateOf(driven, "test")).toBe(seed(1));
  });

  it("calling it again on the same optimizer replaces the schedule", () => {
    const sgd = withSchedule(tf.train.sgd(1), seed);
    const other = new InverseTimeDecay(0.3, 2, 1);
    expect(withSchedule(sgd, other)).toBe(sgd);
    expect(rateOf(sgd)).toBe(other(0));
    const w = tf.variable(tf.scalar(0));
    sgd.minimize(() => tf.mul(w, tf.scalar(1)) as tf.Scalar, false, [w]);
    expect(w.dataSync()[0]).toBe(Math.fround(-other(0)));
    expect(rateOf(sgd)).toBe(other(1));
  });

  describe("the rate of a driven optimizer cannot be set, as Keras refuses it for an optimizer built with a schedule", () => {
    it("tf.train.adam: assigning learningRate throws a TypeError naming learningRate", () => {
      const adam = withSchedule(tf.train.adam(), seed) as unknown as { learningRate: number };
      expect(() => (adam.learningRate = 0.5)).toThrow(ScheduleTypeError);
      expect(() => (adam.learningRate = 0.5)).toThrow(/^Adam: `learningRate` must be left to its schedule.*Received: learningRate=0.5$/);
      expect(adam.learningRate).toBe(seed(0));
    });
    it("tf.train.sgd and momentum: setLearningRate throws, and setLearningRateOf with it", () => {
      for (const opt of [tf.train.sgd(0.1), tf.train.momentum(0.1, 0.9)]) {
        withSchedule(opt, seed);
        expect(() => opt.setLearningRate(0.5)).toThrow(TypeError);
        expect(() => setLearningRateOf(opt, 0.5)).toThrow(/`learningRate` must be left to its schedule/);
      }
    });
  });

  describe("this package's Keras-faithful SGD, whose rate is an accessor", () => {
    it("built with a number, is driven through its setter: the same weights as built with the schedule", () => {
      const runSGD = (make: () => SGD) => {
        const w = tf.variable(tf.tensor1d([0.8, -0.4, 0.3, 1.2]));
        const loss = quadratic(w);
        const opt = make();
        const rates: number[] = [];
        for (let k = 0; k < 12; k++) {
          rates.push(opt.learningRate);
          opt.minimize(loss, false, [w]);
        }
        const bits = [...w.dataSync()].map(float32Bits);
        opt.dispose();
        w.dispose();
        return { rates, bits };
      };
      const driven = runSGD(() => withSchedule(new SGD({ learningRate: 1, momentum: 0.9, nesterov: true }), seed));
      const built = runSGD(() => new SGD({ learningRate: seed, momentum: 0.9, nesterov: true }));
      expect(driven.rates).toEqual(Array.from({ length: 12 }, (_, k) => seed(k)));
      expect(driven).toEqual(built);
    });

    it("built with a number, plain descent: update k moves w by exactly -schedule(k)", () => {
      const opt = withSchedule(new SGD(1), seed);
      const w = tf.variable(tf.scalar(0));
      let expected = 0;
      for (let k = 0; k < 6; k++) {
        opt.minimize(() => tf.mul(w, tf.scalar(1)) as tf.Scalar, false, [w]);
        expected = Math.fround(expected - seed(k));
        expect(w.dataSync()[0]).toBe(expected);
      }
      expect(() => (opt.learningRate = 0.5)).toThrow(/^SGD: `learningRate` must be left to its schedule/);
    });

    it("built with a schedule, refuses at once with Keras's TypeError, and is left unpatched", () => {
      const opt = new SGD({ learningRate: seed });
      expect(() => withSchedule(opt, new InverseTimeDecay(1, 1, 1))).toThrow(ScheduleTypeError);
      expect(() => withSchedule(opt, new InverseTimeDecay(1, 1, 1))).toThrow(/^SGD: `learningRate` must be left as it is/);
      expect(Object.getOwnPropertyNames(opt)).not.toContain("applyGradients");
      expect(opt.learningRate).toBe(seed(0));
    });
  });

  describe("bad input throws an error naming the argument", () => {
    const notOptimizers: [string, unknown][] = [
      ["null", null],
      ["undefined", undefined],
      ["{}", {}],
      ["'adam'", "adam"],
      ["0.1", 0.1],
      ["tf.train", tf.train],
      ["a function", () => 0],
      ["{ minimize }", { minimize() {} }],
    ];
    for (const [label, value] of notOptimizers) {
      it(`withSchedule(${label}, schedule) throws ScheduleTypeError naming optimizer`, () => {
        expect(() => withSchedule(value as tf.Optimizer, seed)).toThrow(ScheduleTypeError);
        expect(() => withSchedule(value as tf.Optimizer, seed)).toThrow(/^withSchedule: `optimizer` must be a tf\.js optimizer/);
      });
    }
    const notSchedules: [string, unknown][] = [
      ["0.1", 0.1],
      ["null", null],
      ["undefined", undefined],
      ["'InverseTimeDecay'", "InverseTimeDecay"],
      ["a plain function of the step", (step: number) => 0.1 / (1 + step)],
      ["{ getConfig }", { getConfig() {} }],
    ];
    for (const [label, value] of notSchedules) {
      it(`withSchedule(optimizer, ${label}) throws ScheduleTypeError naming schedule, leaving the optimizer as it was`, () => {
        const adam = tf.train.adam(0.25);
        expect(() => withSchedule(adam, value as LearningRateSchedule)).toThrow(ScheduleTypeError);
        expect(() => withSchedule(adam, value as LearningRateSchedule)).toThrow(/^withSchedule: `schedule` must be a LearningRateSchedule/);
        expect(rateOf(adam)).toBe(0.25);
      });
    }
    it("an optimizer without a learning rate is refused", () => {
      const bare = { minimize() {}, computeGradients() {}, applyGradients() {}, iterations: 0 };
      expect(() => withSchedule(bare as unknown as tf.Optimizer, seed)).toThrow(/`optimizer` must be a tf\.js optimizer with a learning rate/);
    });

    /** A user's schedule that goes wrong from step `from` on. */
    class Broken extends LearningRateSchedule {
      static override readonly className = "Broken";
      constructor(
        readonly from: number,
        readonly bad: number,
      ) {
        super();
      }
      compute<T, B>(o: Ops<T, B>, step: T): T {
        return o.cond(o.less(step, o.constant(this.from)), () => o.constant(0.1), () => o.constant(this.bad));
      }
      override getConfig() {
        return { from: this.from, bad: this.bad };
      }
    }
    it("a schedule whose rate is NaN at the first step is refused by withSchedule itself (the schedule's own error)", () => {
      const sgd = tf.train.sgd(0.1);
      expect(() => withSchedule(sgd, new Broken(0, NaN))).toThrow(ScheduleValueError);
      expect(() => withSchedule(sgd, new Broken(0, NaN))).toThrow(/^Broken: the rate at step 0 is NaN, not a finite number >= 0$/);
      expect(() => sgd.setLearningRate(0.2)).not.toThrow();
    });
    it("a negative rate at a later step throws from that update, before the weights move", () => {
      const w = tf.variable(tf.scalar(1));
      const sgd = withSchedule(tf.train.sgd(1), new Broken(3, -1));
      for (let k = 0; k < 3; k++) sgd.minimize(() => tf.mul(w, tf.scalar(1)) as tf.Scalar, false, [w]);
      const before = w.dataSync()[0];
      expect(() => sgd.minimize(() => tf.mul(w, tf.scalar(1)) as tf.Scalar, false, [w])).toThrow(ScheduleValueError);
      expect(() => sgd.minimize(() => tf.mul(w, tf.scalar(1)) as tf.Scalar, false, [w])).toThrow(/^Broken: the rate at step 3 is -1, not a finite number >= 0$/);
      expect(w.dataSync()[0]).toBe(before);
    });
  });
});

describe("learningRateOf and setLearningRateOf", () => {
  it("read the float32 rate and set it on each kind of tf.js optimizer so that the update uses it", () => {
    for (const make of Object.values(optimizers)) {
      const opt = make(0.1);
      expect(learningRateOf(opt, "test")).toBe(Math.fround(0.1));
      setLearningRateOf(opt, 0.05);
      expect(learningRateOf(opt, "test")).toBe(Math.fround(0.05));
    }
    const sgd = tf.train.sgd(0.1);
    setLearningRateOf(sgd, 0.5);
    const w = tf.variable(tf.scalar(0));
    sgd.minimize(() => tf.mul(w, tf.scalar(1)) as tf.Scalar, false, [w]);
    expect(w.dataSync()[0]).toBe(-0.5);
  });
  it("learningRateOf names the owner when the optimizer has no numeric rate", () => {
    expect(() => learningRateOf({} as tf.Optimizer, "ReduceLROnPlateau")).toThrow(/^ReduceLROnPlateau: `model\.optimizer` must be/);
  });
});
