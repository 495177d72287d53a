/**
 * The tensor-step checks every composition schedule's test file runs the same way, on tf.js's cpu backend. Kept apart
 * from scheduleSuite.ts so that only the files that call it load tf.js.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { serialize, type LearningRateSchedule } from "../../src/index.js";
import { tensorOps } from "../../src/tfjs/index.js";

/**
 * For each schedule and step: `lr(tensor)` is a float32 scalar equal to `expected(lr, step)` (by default `lr(number)`)
 * bit for bit without leaking a tensor, and `compute(tensorOps, steps)` on the whole batch of steps gives the batch of
 * rates. A schedule whose number path is float64 (transformers') passes its float32 formula as `expected`.
 */
export function describeTensorSteps(
  schedules: readonly LearningRateSchedule[],
  steps: readonly number[],
  expected: (lr: LearningRateSchedule, step: number) => number = (lr, step) => lr(step),
): void {
  describe("tensor steps (tf.js, cpu backend)", () => {
    beforeAll(async () => {
      await tf.setBackend("cpu");
    });

    it("lr(tensor) is a float32 scalar equal to lr(number) bit for bit, and leaks no tensor", () => {
      for (const lr of schedules) {
        const before = tf.memory().numTensors;
        for (const s of steps) {
          const step = tf.scalar(s);
          const rate = lr(step);
          expect(rate.dtype).toBe("float32");
          expect(rate.shape).toEqual([]);
          expect(rate.dataSync()[0], `${JSON.stringify(serialize(lr))} at step ${s}`).toBe(expected(lr, s));
          tf.dispose([step, rate]);
        }
        expect(tf.memory().numTensors).toBe(before);
      }
    });

    it("compute(tensorOps, steps) on a batch of steps gives the batch of rates", () => {
      for (const lr of schedules) {
        const rates = tf.tidy(() => lr.compute(tensorOps, tf.tensor1d([...steps])));
        expect(Array.from(rates.dataSync())).toEqual(steps.map((s) => expected(lr, s)));
        rates.dispose();
      }
    });
  });
}
