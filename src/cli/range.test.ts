import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Constant, CosineDecay, LinearWarmup, Sequence } from "../index.js";
import { defaultRange, defaultStep, parseRange } from "./range.js";

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
});
