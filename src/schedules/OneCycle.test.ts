import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  itComputesBothSides,
  itRefusesBadOptions,
  itRoundTrips,
} from "../../test/support/scheduleSuite.js";
import { describeTensorSteps } from "../../test/support/scheduleTensorSteps.js";
import { OneCycle, serialize } from "../index.js";
import type { OneCycleOptions } from "./OneCycle.js";

const f = Math.fround;

/**
 * PyTorch's `OneCycleLR.get_lr` written out in doubles, step by step as PyTorch runs it: the reference the schedule is
 * checked against (the phase ends and rates computed as PyTorch computes them, then a linear search over the phases).
 */
function torchOneCycle(o: Required<Omit<OneCycleOptions, "name" | "dtype">>): (step: number) => number {
  const { peakLearningRate: max, totalSteps: total, pctStart: pct } = o;
  const initial = max / o.divFactor;
  const min = initial / o.finalDivFactor;
  const phases: [number, number, number][] = o.threePhase
    ? [[pct * total - 1, initial, max], [2 * pct * total - 2, max, initial], [total - 1, initial, min]]
    : [[pct * total - 1, initial, max], [total - 1, max, min]];
  return (step) => {
    let start = 0;
    for (let i = 0; ; i++) {
      const [end, from, to] = phases[i]!;
      if (step <= end || i === phases.length - 1) {
        const p = (step - start) / (end - start);
        return o.annealStrategy === "cos" ? to + ((from - to) / 2.0) * (Math.cos(Math.PI * p) + 1) : (to - from) * p + from;
      }
      start = end;
    }
  };
}

const config = fc
  .record({
    peakLearningRate: fc.double({ min: 1e-6, max: 10, noNaN: true }),
    totalSteps: fc.integer({ min: 20, max: 3000 }),
    pctStart: fc.double({ min: 0.1, max: 0.45, noNaN: true }),
    annealStrategy: fc.constantFrom<"cos" | "linear">("cos", "linear"),
    divFactor: fc.double({ min: 1, max: 100, noNaN: true }),
    finalDivFactor: fc.double({ min: 1, max: 1e5, noNaN: true }),
    threePhase: fc.boolean(),
  });
/** float32's unit in the last place at x. */
const ulp32 = (x: number) => 2 ** (Math.floor(Math.log2(x)) - 23);
/** The steepest the rate gets, per step: a phase's change over its length, times pi / 2 for the cosine's middle. */
function steepest(o: Required<Omit<OneCycleOptions, "name" | "dtype">>): number {
  const initial = o.peakLearningRate / o.divFactor;
  const climb = o.pctStart * o.totalSteps - 1;
  const phases: [number, number][] = o.threePhase
    ? [[o.peakLearningRate - initial, climb], [o.peakLearningRate - initial, climb], [initial, o.totalSteps - 2 * o.pctStart * o.totalSteps + 1]]
    : [[o.peakLearningRate, o.totalSteps - o.pctStart * o.totalSteps], [o.peakLearningRate - initial, climb]];
  return (Math.PI / 2) * Math.max(...phases.map(([change, length]) => change / length));
}

describe("OneCycle", () => {
  it("OneCycle(0.1, 100) climbs from 0.004 to 0.1 at step 29 and anneals to 4e-7 at step 99 (worked by hand, float64)", () => {
    const lr = new OneCycle({ peakLearningRate: 0.1, totalSteps: 100, dtype: "float64" });
    // 0.3 * 100 - 1 = 29 is the end of the climb; half-way down (step 64) the cosine term is 1, so the rate is (0.1 + 4e-7) / 2.
    expect(lr(0)).toBeCloseTo(0.004, 17);
    expect(lr(29)).toBe(0.1);
    expect(lr(64)).toBeCloseTo(0.0500002, 16);
    expect(lr(99)).toBe(4e-7);
    expect(lr(100)).toBe(4e-7);
    const linear = new OneCycle({ peakLearningRate: 0.1, totalSteps: 100, annealStrategy: "linear", dtype: "float64" });
    expect(linear(0)).toBe(0.004);
    expect(linear(14.5)).toBeCloseTo(0.052, 16);
    expect(linear(64)).toBeCloseTo(0.0500002, 16);
  });

  it("threePhase climbs to the peak at pctStart * T - 1, comes back to the first rate at 2 * pctStart * T - 2, then anneals (float64)", () => {
    const lr = new OneCycle(0.1, 100, { threePhase: true, annealStrategy: "linear", dtype: "float64" });
    expect(lr(0)).toBe(0.004);
    expect(lr(29)).toBe(0.1);
    expect(lr(58)).toBeCloseTo(0.004, 16);
    expect(lr(99)).toBeCloseTo(4e-7, 16);
  });

  it("dtype 'float64' equals PyTorch's double arithmetic exactly, at every step of the cycle", () => {
    fc.assert(
      fc.property(config, (o) => {
        const lr = new OneCycle({ ...o, dtype: "float64" });
        const torch = torchOneCycle(o);
        for (let s = 0; s < o.totalSteps; s++) if (lr(s) !== torch(s)) return false;
        return lr(o.totalSteps - 1.5) === torch(o.totalSteps - 1.5);
      }),
      { numRuns: 60 },
    );
  });

  it("the float32 default is within 4 float32 ulps of peakLearningRate from PyTorch's doubles, plus what rounding the phase ends moves", () => {
    fc.assert(
      fc.property(config, (o) => {
        const lr = new OneCycle(o);
        const torch = torchOneCycle(o);
        // A phase end rounded to float32 moves by up to half an ulp of totalSteps; the rate moves with it, at its slope.
        const tolerance = 4 * ulp32(o.peakLearningRate) + steepest(o) * ulp32(o.totalSteps);
        for (let s = 0; s < o.totalSteps; s++) if (!(Math.abs(lr(s) - torch(s)) <= tolerance)) return false;
        return true;
      }),
      { numRuns: 60 },
    );
  });

  it("lr(0) is peakLearningRate / divFactor, up to one float32 ulp of peakLearningRate", () => {
    fc.assert(
      fc.property(config, (o) => Math.abs(new OneCycle(o)(0) - o.peakLearningRate / o.divFactor) <= ulp32(o.peakLearningRate)),
    );
  });

  it("lr never falls while climbing, never rises while annealing, and peaks at peakLearningRate", () => {
    fc.assert(
      fc.property(config, fc.boolean(), (o, double) => {
        const lr = new OneCycle({ ...o, dtype: double ? "float64" : "float32" });
        const peak = o.pctStart * o.totalSteps - 1;
        const back = o.threePhase ? 2 * o.pctStart * o.totalSteps - 2 : Infinity;
        const max = double ? o.peakLearningRate : f(o.peakLearningRate);
        for (let s = 1; s < o.totalSteps + 5; s++) {
          if (lr(s) > max) return false;
          if (s <= peak && lr(s) < lr(s - 1)) return false;
          if (s - 1 >= peak && s <= back && lr(s) > lr(s - 1)) return false;
        }
        return true;
      }),
      { numRuns: 60 },
    );
  });

  it("the rate is continuous at the phase ends: the steps around each end differ by at most one step's slope", () => {
    fc.assert(
      fc.property(config, fc.double({ min: 0, max: 1, noNaN: true }), (o, eps) => {
        const lr = new OneCycle({ ...o, dtype: "float64" });
        const ends = [o.pctStart * o.totalSteps - 1, ...(o.threePhase ? [2 * o.pctStart * o.totalSteps - 2] : [])];
        return ends.every((e) => Math.abs(lr(e + eps * 1e-6) - lr(e)) <= steepest(o) * 1e-6 * 1.01 + 1e-15 * o.peakLearningRate);
      }),
    );
  });

  it("every step from totalSteps - 1 on keeps the final rate", () => {
    fc.assert(
      fc.property(config, fc.double({ min: 0, max: 1e9, noNaN: true }), (o, extra) => {
        const lr = new OneCycle(o);
        return lr(o.totalSteps - 1 + extra) === lr(o.totalSteps - 1);
      }),
    );
  });

  itComputesBothSides(OneCycle, config, fc.double({ min: 0, max: 5000, noNaN: true }));

  it("the three constructor forms build equal schedules, with PyTorch's defaults filled in", () => {
    const a = new OneCycle({ peakLearningRate: 0.1, totalSteps: 100 });
    const b = new OneCycle(0.1, 100, {});
    const c = new OneCycle(0.1, 100, 0.3, "cos", 25, 1e4, false, "OneCycle");
    expect(a.getConfig()).toEqual({
      peakLearningRate: 0.1,
      totalSteps: 100,
      pctStart: 0.3,
      annealStrategy: "cos",
      divFactor: 25,
      finalDivFactor: 1e4,
      threePhase: false,
      name: "OneCycle",
    });
    for (const x of [b, c]) expect(x.getConfig()).toEqual(a.getConfig());
  });

  itRoundTrips(OneCycle, config, fc.double({ min: 0, max: 5000, noNaN: true }));

  it("serialize writes snake_case keys, registered as lr-schedules>OneCycle", () => {
    expect(serialize(new OneCycle(0.1, 100))).toEqual({
      module: "lr_schedules",
      class_name: "OneCycle",
      config: {
        peak_learning_rate: 0.1,
        total_steps: 100,
        pct_start: 0.3,
        anneal_strategy: "cos",
        div_factor: 25,
        final_div_factor: 1e4,
        three_phase: false,
        name: "OneCycle",
      },
      registered_name: "lr-schedules>OneCycle",
    });
    expect(OneCycle.fromConfig({ peak_learning_rate: 1, total_steps: 10, three_phase: true }).getConfig().threePhase).toBe(true);
  });

  describe("bad options throw errors that name the option", () => {
    const good = { peakLearningRate: 0.1, totalSteps: 100 };
    itRefusesBadOptions(OneCycle, good, [
      [{ pctStart: 0 }, /^OneCycle: `pctStart` must be a finite number in \(0, 1\)\. Received: pctStart=0$/, RangeError],
      [{ pctStart: 1 }, /`pctStart` must be a finite number in \(0, 1\)\. Received: pctStart=1$/, RangeError],
      [{ pctStart: -0.1 }, /`pctStart` must be a finite number in \(0, 1\)\. Received: pctStart=-0.1/, RangeError],
      [{ pctStart: 1.5 }, /pctStart=1.5/, RangeError],
      [{ pctStart: NaN }, /pctStart=NaN/, RangeError],
      [{ pctStart: "0.3" }, /pctStart="0.3"/, TypeError],
      [{ pctStart: 0.01 }, /`pctStart` must be in \(0.01, 1\) for totalSteps=100, so that every phase lasts more than 0 steps\. Received: pctStart=0.01/, RangeError],
      [{ pctStart: 0.6, threePhase: true }, /`pctStart` must be in \(0.01, 0.505\) for totalSteps=100 with threePhase/, RangeError],
      [{ totalSteps: 0 }, /`totalSteps` must be an integer >= 2\. Received: totalSteps=0$/, RangeError],
      [{ totalSteps: 1 }, /`totalSteps` must be an integer >= 2\. Received: totalSteps=1$/, RangeError],
      [{ totalSteps: 10.5 }, /`totalSteps` must be an integer >= 2\. Received: totalSteps=10.5/, RangeError],
      [{ totalSteps: undefined }, /`totalSteps` must be an integer >= 2 \(it is required\)/, TypeError],
      [{ peakLearningRate: -1 }, /`peakLearningRate` must be a finite number >= 0/, RangeError],
      [{ peakLearningRate: Infinity }, /peakLearningRate=Infinity/, RangeError],
      [{ annealStrategy: "cosine" }, /`annealStrategy` must be one of "cos", "linear"\. Received: annealStrategy="cosine"/, RangeError],
      [{ annealStrategy: 1 }, /annealStrategy=1/, TypeError],
      [{ divFactor: 0 }, /`divFactor` must be a finite number > 0/, RangeError],
      [{ finalDivFactor: -1e4 }, /`finalDivFactor` must be a finite number > 0/, RangeError],
      [{ threePhase: "yes" }, /`threePhase` must be a boolean/, TypeError],
    ]);
    it("the smallest and largest pctStart that leave every phase a step are accepted", () => {
      expect(() => new OneCycle({ ...good, pctStart: 0.011 })).not.toThrow();
      expect(() => new OneCycle({ ...good, pctStart: 0.5, threePhase: true })).not.toThrow();
      expect(() => new OneCycle({ ...good, pctStart: 0.99 })).not.toThrow();
    });
  });

  describeTensorSteps(
    [
      new OneCycle(0.1, 100),
      new OneCycle(1, 1000, { annealStrategy: "linear" }),
      new OneCycle(0.01, 777, { pctStart: 0.4, threePhase: true, divFactor: 10, finalDivFactor: 100 }),
    ],
    [0, 1, 29, 29.5, 64, 99, 100, 299, 310, 500, 776, 1e6],
  );
});
