/** Every optax builder with tensor steps (tf.js, cpu backend): the same float32 rates as number steps, no leak. */
import { describe } from "vitest";
import { describeTensorSteps } from "../../test/support/scheduleTensorSteps.js";
import {
  constantSchedule,
  cosineDecaySchedule,
  cosineOnecycleSchedule,
  exponentialDecay,
  joinSchedules,
  linearOnecycleSchedule,
  linearSchedule,
  piecewiseConstantSchedule,
  piecewiseInterpolateSchedule,
  polynomialSchedule,
  sgdrSchedule,
  warmupConstantSchedule,
  warmupCosineDecaySchedule,
  warmupExponentialDecaySchedule,
} from "./index.js";
import { CosineDecay } from "../index.js";

describe("optax builders", () => {
  describeTensorSteps(
    [
      constantSchedule(0.1),
      polynomialSchedule(1, 0.01, 2, 100),
      polynomialSchedule(0.05, 0.5, 3.5, 17, 3),
      linearSchedule(0.01, 0.1, 7, 10),
      piecewiseConstantSchedule(0.2, { 3: 2, 7: 0.25, 100: 0.5 }),
      piecewiseConstantSchedule(0.2),
      exponentialDecay(0.1, 10, 0.96),
      exponentialDecay(1, 5, 0.5, 10, true, 0.05),
      exponentialDecay(0.01, 3, 1.5, { endValue: 0.2 }),
      exponentialDecay(0.1, 1, 0.5),
      cosineDecaySchedule(0.1, 20),
      cosineDecaySchedule(1, 25, 0.1, 2),
      piecewiseInterpolateSchedule("linear", 1, { 4: 0.1, 8: 0.01 }),
      piecewiseInterpolateSchedule("cosine", 1, { 0: 0.5, 10: 0.1 }),
      piecewiseInterpolateSchedule("linear", 0.4),
      linearOnecycleSchedule(30, 0.1),
      cosineOnecycleSchedule(7, 0.05),
      warmupConstantSchedule(0, 0.1, 10),
      warmupCosineDecaySchedule(0, 0.1, 5, 25),
      warmupCosineDecaySchedule(0, 0.4, 0, 30, 0.01),
      warmupExponentialDecaySchedule(0, 0.1, 5, 10, 0.5, { staircase: true }),
      sgdrSchedule([{ initValue: 0, peakValue: 0.1, warmupSteps: 2, decaySteps: 10 }, { initValue: 0, peakValue: 0.05, warmupSteps: 2, decaySteps: 20 }]),
      joinSchedules([constantSchedule(0.1), linearSchedule(0.1, 0, 10), new CosineDecay(0.05, 10)], [5, 15]),
    ],
    [0, 0.5, 1, 2, 2.5, 3, 4, 5, 7, 7.25, 8, 9.999, 10, 10.75, 12, 15, 20, 24, 25, 29.9, 30, 35, 100, 140, 150, 1000, 12345, 1e6, 2 ** 24],
  );
});
