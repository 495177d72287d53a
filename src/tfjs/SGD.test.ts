import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { bits, describeBadOptions, expectKerasGolden, inverseTimeByHand, kerasSingleStep, runSteps, savedAfterOneUpdate, W0 } from "../../test/support/optimizerSuite.js";
import { InverseTimeDecay, LearningRateSchedule, ScheduleOptionError, ScheduleTypeError } from "../index.js";
import { SGD } from "./index.js";

const fr = Math.fround;
/** Three steps' gradients, different each step so that the velocity's history matters. */
const grads = [
  [0.3, -0.7, 1.1, 0.05],
  [-0.2, 0.4, 0.9, -0.6],
  [0.8, 0.1, -0.3, 0.25],
];
const rateAt = inverseTimeByHand(0.1, 1, 0.5);
const run = (optimizer: SGD) => runSteps(optimizer, W0, grads);

/** Keras 3's SGD update, by hand in float32 (sgd.py): v = v*m - g*lr; w = w + v (nesterov: w + (v*m - g*lr)). */
function byHand(momentum: number, nesterov: boolean): number[][] {
  const w = W0.map(fr);
  const v = W0.map(() => 0);
  const m = fr(momentum);
  return grads.map((g, step) => {
    const lr = rateAt(step);
    for (let i = 0; i < w.length; i++) {
      const gl = fr(fr(g[i]!) * lr);
      if (momentum === 0) {
        w[i] = fr(w[i]! - gl);
        continue;
      }
      v[i] = fr(fr(v[i]! * m) - gl);
      w[i] = fr(w[i]! + (nesterov ? fr(fr(v[i]! * m) - gl) : v[i]!));
    }
    return [...w];
  });
}

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("SGD", () => {
  const lr = () => new InverseTimeDecay(0.1, 1, 0.5);

  for (const [momentum, nesterov] of [[0, false], [0.9, false], [0.9, true]] as const) {
    it(`momentum ${momentum}${nesterov ? " nesterov" : ""} under InverseTimeDecay: 3 steps equal Keras's rule worked by hand, bit for bit`, () => {
      expect(bits(run(new SGD({ learningRate: lr(), momentum, nesterov })))).toEqual(bits(byHand(momentum, nesterov)));
    });
  }

  it("under a decaying rate the velocity carries the rate of each step, unlike tf.js's momentum optimizer", () => {
    const ours = run(new SGD({ learningRate: lr(), momentum: 0.9 }))[2]!;
    const w = tf.variable(tf.tensor1d([...W0]));
    const theirs = tf.train.momentum(0.1, 0.9);
    grads.forEach((g, step) => {
      theirs.setLearningRate(rateAt(step));
      const gradient = tf.tensor1d(g);
      theirs.applyGradients([{ name: w.name, tensor: gradient }]);
      gradient.dispose();
    });
    const difference = Math.max(...Array.from(w.dataSync()).map((x, i) => Math.abs(x - ours[i]!)));
    expect(difference).toBeGreaterThan(1e-3);
    w.dispose();
    theirs.dispose();
  });

  it("Keras's single-step test: lr 0.5, w [1, 2, 3, 4], g [1, 6, 7, 2] gives [0.5, -1, -0.5, 3]", () => {
    expect(kerasSingleStep(new SGD(0.5))).toEqual([0.5, -1, -0.5, 3]);
  });

  it("Keras's golden test (nesterov, default rate): first step 0.01, then arange(0.1, 1.1, 0.1), within Keras's 5e-4", () => {
    expectKerasGolden(new SGD({ nesterov: true }), [
      [0.9999, 0.9999, 0.9999, 0.9999, 0.9999, 0.9999, 0.9999, 0.9999, 0.9999, 0.9999],
      [0.9989, 0.9979, 0.9969, 0.9959, 0.9949, 0.9939, 0.9929, 0.9919, 0.9909, 0.9899],
      [0.9979, 0.9959, 0.9939, 0.9919, 0.9899, 0.9879, 0.9859, 0.9839, 0.9819, 0.9799],
      [0.9969, 0.9939, 0.9909, 0.9879, 0.9849, 0.9819, 0.9789, 0.9759, 0.9729, 0.9699],
      [0.9959, 0.9919, 0.9879, 0.9839, 0.9799, 0.9759, 0.9719, 0.9679, 0.9639, 0.9599],
    ]);
  });

  it("creates the momentum slot only when momentum is not 0, named <variable>/momentum", async () => {
    for (const [momentum, names] of [[0, ["iter"]], [0.5, ["iter", "sgd-test/w/momentum"]]] as const) {
      const saved = await savedAfterOneUpdate(new SGD({ momentum }), { "sgd-test/w": [2] });
      expect(saved.map((x) => x.name)).toEqual(names);
    }
  });

  it("takes Keras's positional order or an options object, and fills Keras's defaults", () => {
    expect(new SGD().getConfig()).toEqual({ learningRate: fr(0.01), momentum: 0, nesterov: false, name: "sgd" });
    expect(new SGD(0.1, 0.9, true, "mine").getConfig()).toEqual({ learningRate: fr(0.1), momentum: 0.9, nesterov: true, name: "mine" });
    expect(new SGD(0.1, { momentum: 0.9 }).getConfig()).toEqual(new SGD({ learningRate: 0.1, momentum: 0.9 }).getConfig());
    const schedule = lr();
    expect(JSON.parse(new SGD(schedule).getConfig().learningRate as string)).toEqual({
      module: "keras.optimizers.schedules",
      class_name: "InverseTimeDecay",
      config: { initial_learning_rate: 0.1, decay_steps: 1, decay_rate: 0.5, staircase: false, name: "InverseTimeDecay" },
      registered_name: null,
    });
  });

  it("SGD.fromConfig(getConfig()) rebuilds an equal optimizer, with the schedule", () => {
    const a = new SGD({ learningRate: lr(), momentum: 0.8, nesterov: true, name: "s" });
    const b = SGD.fromConfig(SGD, a.getConfig()) as SGD;
    expect(b).toBeInstanceOf(SGD);
    expect(b.getConfig()).toEqual(a.getConfig());
    expect(b.learningRate).toBe(a.learningRate);
  });

  describeBadOptions(
    SGD,
    [
      ["learningRate", -0.1, RangeError, /^SGD: `learningRate` must be a finite number >= 0\. Received: learningRate=-0\.1$/],
      ["learningRate", NaN, RangeError, /learningRate=NaN/],
      ["learningRate", Infinity, RangeError, /learningRate=Infinity/],
      ["learningRate", "0.1", TypeError, /`learningRate` must be a finite number >= 0 or a LearningRateSchedule\. Received: learningRate="0\.1"/],
      ["learningRate", (step: number) => 1 / (step + 1), TypeError, /or a LearningRateSchedule\. Received: learningRate=\[function/],
      ["learningRate", null, TypeError, /learningRate=null/],
      ["momentum", -1, RangeError, /`momentum` must be a finite number in \[0, 1\]\. Received: momentum=-1/],
      ["momentum", 2, RangeError, /momentum=2/],
      ["momentum", NaN, RangeError, /momentum=NaN/],
      ["nesterov", "yes", TypeError, /`nesterov` must be a boolean/],
      ["name", 3, TypeError, /`name` must be a string/],
      ["weight_decay", 0.01, RangeError, /`weight_decay` must be one of the options learningRate, momentum, nesterov, weightDecay, clipnorm, clipvalue, globalClipnorm, useEma, emaMomentum, emaOverwriteFrequency, gradientAccumulationSteps, name\./],
    ],
    () => {
      it("errors are the library's ScheduleOptionError and ScheduleTypeError", () => {
        expect(() => new SGD(-1)).toThrow(ScheduleOptionError);
        expect(() => new SGD("1" as never)).toThrow(ScheduleTypeError);
      });
      it("a schedule that is a LearningRateSchedule from any copy of the package is accepted", () => {
        expect(lr()).toBeInstanceOf(LearningRateSchedule);
        expect(new SGD(lr()).learningRate).toBe(fr(0.1));
      });
    },
  );
});
