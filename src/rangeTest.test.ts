import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ScheduleOptionError, ScheduleTypeError } from "./errors.js";
import { rangeTestRates, rangeTestSuggestions, SmoothedLoss, suggestLearningRate, SUGGESTION_RULES } from "./rangeTest.js";

/** fastai's valley rule as its source states it (the O(n^2) double loop, Python's negative index), as an oracle. */
function fastaiValley(rates: number[], losses: number[]): number {
  const n = losses.length;
  let maxStart = 0;
  let maxEnd = 0;
  const lds = new Array<number>(n).fill(1);
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (losses[i]! < losses[j]! && lds[i]! < lds[j]! + 1) lds[i] = lds[j]! + 1;
      if (lds[maxEnd]! < lds[i]!) {
        maxEnd = i;
        maxStart = maxEnd - lds[maxEnd]!;
      }
    }
  }
  const sections = (maxEnd - maxStart) / 3;
  const idx = maxStart + Math.trunc(sections) + Math.trunc(sections / 2);
  return rates.at(idx)!;
}

/** Increasing rates and arbitrary finite losses of the same length (with ties, which the valley must not count). */
const curves = fc.integer({ min: 2, max: 60 }).chain((n) =>
  fc.tuple(
    fc.array(fc.double({ min: 1e-3, max: 10, noNaN: true }), { minLength: n, maxLength: n }),
    fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }).map((k) => k / 2), fc.double({ min: -5, max: 5, noNaN: true })), { minLength: n, maxLength: n }),
  ).map(([steps, losses]) => {
    let rate = 1e-7;
    return { rates: steps.map((s) => (rate *= 1 + s)), losses };
  }),
);

describe("suggestLearningRate", () => {
  it("valley is fastai's longest-valley rule, its off-by-one included", () => {
    fc.assert(fc.property(curves, ({ rates, losses }) => suggestLearningRate(rates, losses, "valley") === fastaiValley(rates, losses)), { numRuns: 2000 });
    // A valley from the first point to the second: fastai's index is -1, the last rate.
    expect(suggestLearningRate([1, 2, 3], [5, 4, 9])).toBe(3);
    // No valley at all: the first rate.
    expect(suggestLearningRate([1, 2, 3], [1, 2, 3])).toBe(1);
  });

  it("minimum is a tenth of the rate at the first lowest loss", () => {
    fc.assert(
      fc.property(curves, ({ rates, losses }) => {
        const lowest = Math.min(...losses);
        return suggestLearningRate(rates, losses, "minimum") === rates[losses.indexOf(lowest)]! / 10;
      }),
    );
  });

  it("steepest is the left rate of the first most negative slope against log rate", () => {
    fc.assert(
      fc.property(curves, ({ rates, losses }) => {
        const slopes = rates.slice(1).map((r, i) => (losses[i + 1]! - losses[i]!) / (Math.log(r) - Math.log(rates[i]!)));
        return suggestLearningRate(rates, losses, "steepest") === rates[slopes.indexOf(Math.min(...slopes))];
      }),
    );
  });

  it("accepts typed arrays", () => {
    expect(suggestLearningRate(new Float64Array([1, 2, 4]), new Float32Array([3, 1, 2]), "minimum")).toBe(0.2);
  });

  it("refuses what is not a curve, naming the argument", () => {
    const cases: [unknown, unknown, unknown, RegExp, typeof ScheduleOptionError | typeof ScheduleTypeError][] = [
      [[1], [1], "valley", /`learningRates.length` must be at least 2/, ScheduleOptionError],
      [[1, 2], [1], "valley", /`losses.length` must be the length of learningRates \(2\)/, ScheduleOptionError],
      [[1, 1], [1, 2], "valley", /`learningRates\[1\]` must be a rate above learningRates\[0\]/, ScheduleOptionError],
      [[0, 1], [1, 2], "valley", /`learningRates\[0\]` must be a finite number > 0\. Received: learningRates\[0\]=0/, ScheduleOptionError],
      [[1, 2], [1, NaN], "valley", /`losses\[1\]` must be a finite number\. Received: losses\[1\]=NaN/, ScheduleOptionError],
      [[1, 2], [1, "2"], "valley", /`losses\[1\]` must be a finite number\. Received: losses\[1\]="2"/, ScheduleTypeError],
      ["1,2", [1, 2], "valley", /`learningRates` must be an array of numbers/, ScheduleTypeError],
      [[1, 2], [1, 2], "slide", /`rule` must be one of 'minimum', 'steepest', 'valley'\. Received: rule="slide"/, ScheduleTypeError],
    ];
    for (const [rates, losses, rule, message, cls] of cases) {
      const call = () => suggestLearningRate(rates as number[], losses as number[], rule as "valley");
      expect(call).toThrow(cls);
      expect(call).toThrow(message);
    }
  });
});

describe("rangeTestRates", () => {
  it("runs from start to end inclusive, geometrically or linearly", () => {
    const geometric = rangeTestRates(1e-7, 10, 100, "exponential");
    expect(geometric).toHaveLength(100);
    expect([geometric[0], geometric[99]]).toEqual([1e-7, 10]);
    const ratio = Math.pow(1e8, 1 / 99);
    for (let i = 1; i < 100; i++) expect(geometric[i]! / geometric[i - 1]!).toBeCloseTo(ratio, 12);
    expect(rangeTestRates(0.5, 2, 4, "linear")).toEqual([0.5, 1, 1.5, 2]);
  });
});

describe("SmoothedLoss", () => {
  it("is fastai's debiased moving average: the first value is the loss, a constant stays constant", () => {
    const s = new SmoothedLoss(0.98);
    expect(s.add(3)).toBe(3);
    expect(s.add(3)).toBeCloseTo(3, 14);
    const t = new SmoothedLoss(0.5);
    t.add(1);
    // (0.5 * 0.5 * 1 + 0.5 * 3) / (1 - 0.25) = 1.75 / 0.75
    expect(t.add(3)).toBeCloseTo(1.75 / 0.75, 14);
    const none = new SmoothedLoss(0);
    expect([none.add(4), none.add(1)]).toEqual([4, 1]);
  });
});

describe("rangeTestSuggestions", () => {
  const rates = rangeTestRates(1e-6, 1, 100, "exponential");
  const losses = rates.map((r) => (Math.log10(r) + 3) ** 2 + 1);

  it("drops the first tenth of numSteps and the last five points, as fastai's lr_find", () => {
    const s = rangeTestSuggestions(rates, losses, 100)!;
    for (const rule of SUGGESTION_RULES) expect(s[rule]).toBe(suggestLearningRate(rates.slice(10, 95), losses.slice(10, 95), rule));
  });

  it("drops everything from the first non-finite loss", () => {
    const broken = [...losses.slice(0, 60), NaN, ...losses.slice(61)];
    const s = rangeTestSuggestions(rates, broken, 100)!;
    expect(s.valley).toBe(suggestLearningRate(rates.slice(10, 55), losses.slice(10, 55)));
  });

  it("uses every finite point when the trimming leaves fewer than 2, and gives null below 2", () => {
    const s = rangeTestSuggestions(rates.slice(0, 12), losses.slice(0, 12), 100)!;
    expect(s.minimum).toBe(suggestLearningRate(rates.slice(0, 12), losses.slice(0, 12), "minimum"));
    expect(rangeTestSuggestions(rates.slice(0, 3), [1, NaN, 2], 100)).toBeNull();
  });
});
