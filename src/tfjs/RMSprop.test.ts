import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { bits, describeBadOptions, expectKerasGolden, expectKerasSingleStep, expectKerasWeightDecay, GRADS, inverseTimeByHand, runSteps, savedAfterOneUpdate, W0 } from "../../test/support/optimizerSuite.js";
import { InverseTimeDecay } from "../index.js";
import { RMSprop, type RMSpropOptions } from "./index.js";

const fr = Math.fround;
const rateAt = inverseTimeByHand(0.03, 3, 0.5);

/**
 * Keras 3's RMSprop update, by hand in float32 (rmsprop.py): v = rho*v + (1-rho)*g^2; (centered: a = rho*a +
 * (1-rho)*g; d = v - a^2 + eps; else d = v + eps); inc = lr*g / sqrt(d); momentum: m = mu*m + inc, w -= m; else w -= inc.
 * `1 - rho` is a double rounded once.
 */
function byHand(rho: number, momentum: number, epsilon: number, centered: boolean): number[][] {
  const w = W0.map(fr);
  const v = W0.map(() => 0);
  const a = W0.map(() => 0);
  const m = W0.map(() => 0);
  const [r, omr, eps, mu] = [fr(rho), fr(1 - rho), fr(epsilon), fr(momentum)];
  return GRADS.map((g, step) => {
    const lr = rateAt(step);
    for (let i = 0; i < w.length; i++) {
      const gi = fr(g[i]!);
      v[i] = fr(fr(r * v[i]!) + fr(omr * fr(gi * gi)));
      let denominator: number;
      if (centered) {
        a[i] = fr(fr(r * a[i]!) + fr(omr * gi));
        denominator = fr(fr(v[i]! - fr(a[i]! * a[i]!)) + eps);
      } else {
        denominator = fr(v[i]! + eps);
      }
      const increment = fr(fr(lr * gi) / fr(Math.sqrt(denominator)));
      if (momentum > 0) {
        m[i] = fr(fr(mu * m[i]!) + increment);
        w[i] = fr(w[i]! - m[i]!);
      } else {
        w[i] = fr(w[i]! - increment);
      }
    }
    return [...w];
  });
}

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("RMSprop", () => {
  const lr = () => new InverseTimeDecay(0.03, 3, 0.5);

  for (const [rho, momentum, epsilon, centered] of [
    [0.9, 0, 1e-7, false],
    [0.9, 0.9, 1e-7, true],
    [0.8, 0.5, 1e-3, false],
    [0.95, 0, 1e-2, true],
  ] as const) {
    it(`rho ${rho}, momentum ${momentum}, epsilon ${epsilon}, centered ${centered}: 3 steps equal Keras's rule by hand, bit for bit`, () => {
      const optimizer = new RMSprop({ learningRate: lr(), rho, momentum, epsilon, centered });
      expect(bits(runSteps(optimizer, W0, GRADS))).toEqual(bits(byHand(rho, momentum, epsilon, centered)));
    });
  }

  it("Keras's single-step test: lr 0.5 gives [-0.5811, 0.4189, 1.4189, 2.4189]", () => {
    expectKerasSingleStep(new RMSprop(0.5), [-0.5811, 0.4189, 1.4189, 2.4189]);
  });

  it("Keras's golden test (centered): 0.9967, 0.9933, 0.9908, 0.9885, 0.9864", () => {
    expectKerasGolden(new RMSprop({ centered: true }), [[0.9967], [0.9933], [0.9908], [0.9885], [0.9864]]);
  });

  it("Keras's weight decay test", () => expectKerasWeightDecay((o) => new RMSprop(o)));

  it("slots: a block of velocity, then of momentum (only when momentum > 0), then of average_gradient (only centered)", async () => {
    const names = async (options: RMSpropOptions) =>
      (await savedAfterOneUpdate(new RMSprop(options), { "rmsprop-test/a": [2], "rmsprop-test/b": [3] })).map((w) => w.name.replace("rmsprop-test/", ""));
    expect(await names({})).toEqual(["iter", "a/velocity", "b/velocity"]);
    expect(await names({ momentum: 0.5, centered: true })).toEqual([
      "iter", "a/velocity", "b/velocity", "a/momentum", "b/momentum", "a/average_gradient", "b/average_gradient",
    ]);
  });

  it("takes Keras's positional order or an options object, and fills Keras's defaults", () => {
    expect(new RMSprop().getConfig()).toEqual({ learningRate: fr(0.001), rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false, name: "rm_sprop" });
    expect(new RMSprop(0.01, 0.8, 0.5, 1e-6, true, "r").getConfig()).toEqual({ learningRate: fr(0.01), rho: 0.8, momentum: 0.5, epsilon: 1e-6, centered: true, name: "r" });
    const a = new RMSprop({ learningRate: lr(), centered: true, clipnorm: 1 });
    expect(RMSprop.fromConfig(RMSprop, a.getConfig()).getConfig()).toEqual(a.getConfig());
  });

  describeBadOptions(RMSprop, [
    ["learningRate", -1, RangeError, /^RMSprop: `learningRate` must be a finite number >= 0\. Received: learningRate=-1$/],
    ["rho", 1.1, RangeError, /^RMSprop: `rho` must be a finite number in \[0, 1\]\. Received: rho=1\.1$/],
    ["rho", NaN, RangeError, /rho=NaN/],
    ["momentum", -0.1, RangeError, /`momentum` must be a finite number in \[0, 1\]\. Received: momentum=-0\.1/],
    ["epsilon", 0, RangeError, /`epsilon` must be a finite number > 0\. Received: epsilon=0/],
    ["centered", 1, TypeError, /`centered` must be a boolean/],
  ]);
});
