import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { SignDescent } from "./index.js";

describe("SignDescent", () => {
  it("steps by the sign", () => {
    const w = tf.variable(tf.tensor1d([1, 2]));
    new SignDescent(0.5).applyGradients({ [w.name]: tf.tensor1d([3, -1]) });
    expect(Array.from(w.dataSync())).toEqual([0.5, 2.5]);
  });
});
