import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Constant, CosineDecay, LinearWarmup, Sequence } from "../index.js";
import { parseExpression } from "../expression.js";
import { sample } from "../sample.js";
import { OneCycleLR, StepLR } from "../torch/index.js";
import { defaultRange, defaultStep, parseRange, sampleDefined } from "./range.js";

/**
 * The round number (1, 2 or 5 times a power of ten) just below the round number `s`, or undefined if `s` is not
 * round: a step too small only there proves that none of 1, 2 and 5 was skipped.
 */
const previousRound = (s: number) => {
  const power = 10 ** Math.floor(Math.log10(s) + 1e-9);
  const m = [1, 2, 5].find((m) => Math.abs(s - m * power) <= 1e-9 * s);
  return m === undefined ? undefined : m === 1 ? power / 2 : m === 2 ? power : 2 * power;
};

describe("defaultStep(span, maxPoints)", () => {
  it("is 1 while the span fits, else the smallest round step (1, 2 or 5 times a power of ten) within maxPoints", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e15, noNaN: true }), fc.integer({ min: 10, max: 5_000_000 }), (span, maxPoints) => {
        const step = defaultStep(span, maxPoints);
        if (span <= maxPoints) return step === 1;
        const below = previousRound(step);
        return below !== undefined && span / step <= maxPoints && span / below > maxPoints;
      }),
    );
    expect(defaultStep(1e9, 2e6)).toBe(500);
    expect(defaultStep(2e7, 2e6)).toBe(10);
    expect(defaultStep(1e9, Infinity)).toBe(1);
  });
});

describe("parseRange and defaultRange", () => {
  it("parseRange reads START:STOP[:STEP], its missing STEP from maxPoints", () => {
    expect(parseRange("0:100", 2e6)).toEqual({ start: 0, stop: 100, step: 1 });
    expect(parseRange("10_000_000", 2e6)).toEqual({ start: 0, stop: 1e7, step: 5 });
    expect(parseRange("5:1e9:3", 10)).toEqual({ start: 5, stop: 1e9, step: 3 });
    expect(() => parseRange("9:1", 10)).toThrow("--steps '9:1': STOP (1) is before START (9)");
  });

  it("defaultRange covers every schedule's steps, nested ones included, plus a quarter, rounded", () => {
    const warm = new LinearWarmup(new CosineDecay(1e-3, 10000), { warmupSteps: 500 });
    expect(defaultRange([warm], 2e6)).toEqual({ start: 0, stop: 14000, step: 1 });
    expect(defaultRange([new Sequence([new Constant(0.1), warm], [1000]), new Constant(1)], 1000)).toEqual({ start: 0, stop: 16000, step: 20 });
    expect(defaultRange([new Constant(1)], 2e6).stop).toBe(100);
  });

  it("defaultRange reads the step options of every entry from their constraints, not their names: step maps, milestones, option lists", () => {
    // By name (`...Steps`, `boundaries`) these all got the 100-step minimum: a chart of CyclicLR showed a twentieth of
    // its first rise, one of piecewiseConstantSchedule none of its boundaries.
    const stops = [
      "piecewiseConstantSchedule(0.01, { 300: 0.1, 700: 0.1 })",
      "sgdrSchedule([{ initValue: 0, peakValue: 0.01, warmupSteps: 50, decaySteps: 300 }, { initValue: 0, peakValue: 0.005, warmupSteps: 50, decaySteps: 700 }])",
      "CyclicLR(0.001, 0.1, 2000)",
      "MultiStepLR([300, 800], 0.1, { lr: 0.05 })",
      "SequentialLR([LinearLR(0.1, 1, 5), CosineAnnealingLR(95)], [5], { lr: 0.1 })",
    ].map((expression) => defaultRange([parseExpression(expression)], 2e6).stop);
    expect(stops).toEqual([900, 1400, 2600, 1000, 130]);
  });
});

describe("a schedule that raises past its last step (PyTorch's OneCycleLR past totalSteps)", () => {
  it("defaultRange ends at its last step when it is alone, and still covers the longest schedule when it is not", () => {
    // Without the cap the range was 0:35000, and `lr-schedules values 'OneCycleLR(...)'` failed at step 25001.
    expect(defaultRange([new OneCycleLR({ maxLr: 0.01, totalSteps: 25000 })], 200_000)).toEqual({ start: 0, stop: 25001, step: 1 });
    expect(defaultRange([new OneCycleLR({ maxLr: 0.01, epochs: 3, stepsPerEpoch: 7 })], 2e6)).toEqual({ start: 0, stop: 22, step: 1 });
    expect(defaultRange([new OneCycleLR({ maxLr: 0.01, totalSteps: 1000 }), new CosineDecay(1e-3, 10000)], 1000)).toEqual({ start: 0, stop: 13000, step: 20 });
  });

  it("a linear OneCycleLR, whose rate at totalSteps is below 0, ends a step earlier: the range stops there", () => {
    // It failed `lr-schedules values` with "the rate at step 100 is -0.014281657142857007".
    const linear = new OneCycleLR({ maxLr: 1, totalSteps: 100, annealStrategy: "linear" });
    expect(defaultRange([linear], 2e6)).toEqual({ start: 0, stop: 100, step: 1 });
    expect(sampleDefined(linear, { start: 0, stop: 125, step: 1 }).stop).toBe(100);
  });

  it("defaultRange leaves a schedule that fails otherwise (StepLR without its lr) to the sampling that reports it", () => {
    const noLr = new StepLR({ stepSize: 30 });
    expect(defaultRange([noLr], 2e6)).toEqual({ start: 0, stop: 100, step: 1 });
    expect(() => sampleDefined(noLr, { start: 0, stop: 100, step: 1 })).toThrow("`lr` must be the optimizer's learning rate");
  });

  it("sampleDefined samples it up to the first whole step it raises at, whatever the range's step; within its steps it is sample", () => {
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 3000 }), fc.integer({ min: 0, max: 400 }), fc.double({ min: 0.25, max: 700, noNaN: true }), (totalSteps, start, step) => {
        const lr = new OneCycleLR({ maxLr: 0.1, totalSteps });
        const range = { start, stop: 5000, step };
        if (start > totalSteps) {
          expect(() => sampleDefined(lr, range)).toThrow("must be at most totalSteps");
          return;
        }
        const got = sampleDefined(lr, range);
        expect(got.stop).toBe(totalSteps + 1);
        expect({ steps: got.steps, values: got.values }).toEqual(sample(lr, { ...range, stop: totalSteps + 1 }));
      }),
      { numRuns: 200 },
    );
    const lr = new OneCycleLR({ maxLr: 0.1, totalSteps: 100 });
    expect(sampleDefined(lr, { start: 0, stop: 50, step: 1 })).toEqual({ ...sample(lr, { stop: 50 }), stop: 50 });
    // `sample` refusing a range is not the schedule's end.
    expect(() => sampleDefined(lr, { start: 0, stop: -1, step: 1 })).toThrow(/stop/);
  });
});
