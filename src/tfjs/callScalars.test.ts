import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { CallScalars } from "./callScalars.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("CallScalars", () => {
  it("gives one float32 tensor per distinct value, -0 as 0, kept out of tf.tidy, until release frees them all", () => {
    const before = tf.memory().numTensors;
    const scalars = new CallScalars();
    const a = tf.tidy(() => scalars.get(0.1));
    expect(a.isDisposed).toBe(false);
    expect(a.dataSync()[0]).toBe(Math.fround(0.1));
    expect(scalars.get(Math.fround(0.1))).toBe(a);
    expect(scalars.get(-0)).toBe(scalars.get(0));
    expect(Object.is(scalars.get(-0).dataSync()[0], 0)).toBe(true);
    expect(tf.memory().numTensors).toBe(before + 2);
    scalars.release();
    expect(a.isDisposed).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    expect(scalars.get(0.1)).not.toBe(a);
    scalars.release();
  });
});
