import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { bits, describeBadOptions, expectKerasGolden, expectKerasSingleStep, expectKerasWeightDecay, GRADS, runSteps, savedAfterOneUpdate, W0 } from "../../test/support/optimizerSuite.js";
import { ExponentialDecay } from "../index.js";
import { Adadelta } from "./index.js";

const fr = Math.fround;
/** ExponentialDecay(1, 5, 0.8) worked by hand: 1 * 0.8^(step / 5) in float32. */
const rateAt = (step: number) => fr(fr(1) * fr(Math.pow(fr(0.8), fr(fr(step) / fr(5)))));

/**
 * Keras 3's Adadelta update, by hand in float32 (adadelta.py): Eg = rho*Eg + (1-rho)*g^2;
 * d = -(sqrt(Edx + eps) * g) / sqrt(Eg + eps); Edx = rho*Edx + (1-rho)*d^2; w = w + lr*d. `1 - rho` is a double rounded once.
 */
function byHand(rho: number, epsilon: number): number[][] {
  const w = W0.map(fr);
  const eg = W0.map(() => 0);
  const edx = W0.map(() => 0);
  const [r, omr, eps] = [fr(rho), fr(1 - rho), fr(epsilon)];
  return GRADS.map((g, step) => {
    const lr = rateAt(step);
    for (let i = 0; i < w.length; i++) {
      const gi = fr(g[i]!);
      eg[i] = fr(fr(r * eg[i]!) + fr(omr * fr(gi * gi)));
      const d = -fr(fr(fr(Math.sqrt(fr(edx[i]! + eps))) * gi) / fr(Math.sqrt(fr(eg[i]! + eps))));
      edx[i] = fr(fr(r * edx[i]!) + fr(omr * fr(d * d)));
      w[i] = fr(w[i]! + fr(lr * d));
    }
    return [...w];
  });
}

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("Adadelta", () => {
  for (const [rho, epsilon] of [[0.95, 1e-7], [0.8, 1e-3]] as const) {
    it(`rho ${rho}, epsilon ${epsilon} under ExponentialDecay: 3 steps equal Keras's rule by hand, bit for bit`, () => {
      const optimizer = new Adadelta({ learningRate: new ExponentialDecay(1, 5, 0.8), rho, epsilon });
      expect(bits(runSteps(optimizer, W0, GRADS))).toEqual(bits(byHand(rho, epsilon)));
    });
  }

  it("divides by the updated mean square of the gradients, unlike tf.js's adadelta", () => {
    const ours = runSteps(new Adadelta({ learningRate: 1, rho: 0.5, epsilon: 1e-3 }), W0, GRADS)[2]!;
    const w = tf.variable(tf.tensor1d([...W0]));
    const theirs = tf.train.adadelta(1, 0.5, 1e-3);
    for (const g of GRADS) theirs.applyGradients([{ name: w.name, tensor: tf.tensor1d([...g]) }]);
    expect(Math.max(...Array.from(w.dataSync()).map((x, i) => Math.abs(x - ours[i]!)))).toBeGreaterThan(1e-3);
    w.dispose();
    theirs.dispose();
  });

  it("Keras's single-step test: lr 0.5 gives each weight minus 7e-4", () => {
    expectKerasSingleStep(new Adadelta(0.5), [0.9993, 1.9993, 2.9993, 3.9993]);
  });

  it("Keras's golden test (lr 1, rho 0.8, epsilon 1e-6): 0.9978, 0.9947, 0.9915, 0.9882, 0.9849", () => {
    expectKerasGolden(new Adadelta({ learningRate: 1, rho: 0.8, epsilon: 1e-6 }), [[0.9978], [0.9947], [0.9915], [0.9882], [0.9849]]);
  });

  it("Keras's weight decay test", () => expectKerasWeightDecay((o) => new Adadelta(o)));

  it("slots: accumulated_grad and accumulated_delta_var, interleaved per variable", async () => {
    const saved = await savedAfterOneUpdate(new Adadelta(), { "adadelta-test/a": [2], "adadelta-test/b": [3] });
    expect(saved.map((w) => w.name)).toEqual([
      "iter", "adadelta-test/a/accumulated_grad", "adadelta-test/a/accumulated_delta_var", "adadelta-test/b/accumulated_grad", "adadelta-test/b/accumulated_delta_var",
    ]);
  });

  it("takes Keras's positional order or an options object, and fills Keras's defaults (lr 0.001, not the paper's 1)", () => {
    expect(new Adadelta().getConfig()).toEqual({ learningRate: fr(0.001), rho: 0.95, epsilon: 1e-7, name: "adadelta" });
    expect(new Adadelta(1, 0.9, 1e-5, "d").getConfig()).toEqual({ learningRate: 1, rho: 0.9, epsilon: 1e-5, name: "d" });
  });

  describeBadOptions(Adadelta, [
    ["rho", 2, RangeError, /^Adadelta: `rho` must be a finite number in \[0, 1\]\. Received: rho=2$/],
    ["epsilon", -1, RangeError, /`epsilon` must be a finite number > 0\. Received: epsilon=-1/],
    ["learningRate", Infinity, RangeError, /learningRate=Infinity/],
  ]);
});
