import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { CallScalars } from "./callScalars.js";
import { GradientAccumulation, updatesOf } from "./gradientAccumulation.js";

const fr = Math.fround;

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("GradientAccumulation", () => {
  it("adds the calls between updates, gives the mean on every N-th, and starts again at 0 after reset", () => {
    const sums = [tf.variable(tf.zeros([2])), tf.variable(tf.zeros([1]))];
    const accumulation = new GradientAccumulation(3, sums);
    const scalars = new CallScalars();
    const call = (calls: number, g: number[]) => {
      let out: number[][] | null = null;
      tf.tidy(() => {
        out = accumulation.accumulate([tf.tensor1d(g)], [0], calls, (x) => scalars.get(x))?.map((t) => Array.from(t.dataSync())) ?? null;
      });
      scalars.release();
      return out;
    };
    const before = tf.memory().numTensors;
    expect(call(0, [1, 2])).toBeNull();
    expect(call(1, [0.5, 0.25])).toBeNull();
    expect(Array.from(sums[0]!.dataSync())).toEqual([1.5, 2.25]);
    expect(call(2, [0.1, 0.1])).toEqual([[fr(fr(0.1 + 1.5) / 3), fr(fr(0.1 + 2.25) / 3)]]);
    accumulation.reset();
    expect(Array.from(sums[0]!.dataSync())).toEqual([0, 0]);
    expect(sums[1]!.dataSync()[0]).toBe(0); // untouched: no gradient for it
    expect(call(3, [1, 1])).toBeNull();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(sums);
  });
});

describe("updatesOf", () => {
  it("counts every call without accumulation, whole groups of N calls with it", () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 2, max: 1000 }), (calls, steps) => {
        expect(updatesOf(calls, null)).toBe(calls);
        const updates = updatesOf(calls, steps);
        expect(updates * steps <= calls && calls < (updates + 1) * steps).toBe(true);
      }),
    );
  });
});
