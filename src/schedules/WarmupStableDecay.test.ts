import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  itComputesBothSides,
  itRefusesBadOptions,
  itRoundTrips,
} from "../../test/support/scheduleSuite.js";
import { describeTensorSteps } from "../../test/support/scheduleTensorSteps.js";
import { Sequence, serialize, WarmupStableDecay } from "../index.js";
import type { DecayType } from "./WarmupStableDecay.js";

const f = Math.fround;

/**
 * Hugging Face's `get_wsd_schedule` multiplier (linear warmup from 0, `num_cycles` 0.5) times the peak, in doubles:
 * the reference, written as Hugging Face writes it rather than as the schedule computes it.
 */
function huggingFaceWsd(peak: number, warmup: number, stable: number, decay: number, minLrRatio: number, type: DecayType) {
  return (step: number) => {
    if (step < warmup) return peak * (step / warmup);
    if (step < warmup + stable) return peak;
    if (step < warmup + stable + decay) {
      const progress = (step - warmup - stable) / decay;
      const factor =
        type === "linear" ? 1 - progress
        : type === "1-sqrt" ? 1 - Math.sqrt(progress)
        : 0.5 * (1 + Math.cos(Math.PI * 0.5 * 2 * progress));
      return peak * (factor * (1 - minLrRatio) + minLrRatio);
    }
    return peak * minLrRatio;
  };
}

const decayType = fc.constantFrom<DecayType>("linear", "cosine", "1-sqrt");
const steps = fc.integer({ min: 0, max: 5000 });
const options = fc.record({
  peakLearningRate: fc.double({ min: 1e-6, max: 10, noNaN: true }),
  warmupSteps: steps,
  stableSteps: steps,
  decaySteps: steps,
  finalFraction: fc.double({ min: 0, max: 1, noNaN: true }),
  decayType,
  initialFraction: fc.double({ min: 0, max: 1, noNaN: true }),
}).map(({ finalFraction, initialFraction, ...o }) => ({
  ...o,
  endLearningRate: o.peakLearningRate * finalFraction,
  initialLearningRate: o.peakLearningRate * initialFraction,
}));
const step = fc.oneof(fc.nat({ max: 20_000 }), fc.double({ min: 0, max: 20_000, noNaN: true }));

describe("WarmupStableDecay", () => {
  const base = { peakLearningRate: 0.01, warmupSteps: 100, stableSteps: 800, decaySteps: 100, endLearningRate: 0.001, dtype: "float64" as const };

  it("each decay shape reaches the middle rate 0.0055 where its factor is 1/2 (worked by hand, float64)", () => {
    // (0.01 - 0.001) * 1/2 + 0.001 = 0.0055: linear at p = 1/2, cosine at p = 1/2, 1-sqrt at p = 1/4.
    expect(new WarmupStableDecay({ ...base, decayType: "linear" })(950)).toBeCloseTo(0.0055, 17);
    expect(new WarmupStableDecay({ ...base, decayType: "cosine" })(950)).toBeCloseTo(0.0055, 17);
    expect(new WarmupStableDecay({ ...base, decayType: "1-sqrt" })(925)).toBeCloseTo(0.0055, 17);
    const lr = new WarmupStableDecay(base);
    expect([0, 50, 100, 500, 899.5, 900, 1000, 1e6].map(lr)).toEqual([0, 0.005, 0.01, 0.01, 0.01, 0.01, 0.001, 0.001]);
  });

  it("the float32 default rounds each operation: lr(50) is half the float32 peak, the plateau is 0.01 in float32", () => {
    const lr = new WarmupStableDecay(0.01, 100, 800, 100, { decayType: "linear" });
    expect(lr(50)).toBe(f(f(0.01) * 0.5));
    expect(lr(500)).toBe(f(0.01));
    expect(lr(950)).toBe(f(f(0.01) * 0.5));
    expect(lr(1000)).toBe(0);
  });

  it("dtype 'float64' matches Hugging Face's get_wsd_schedule multiplier to 1e-12 relative", () => {
    fc.assert(
      fc.property(options, step, (o, s) => {
        const lr = new WarmupStableDecay({ ...o, initialLearningRate: 0, dtype: "float64" });
        const hf = huggingFaceWsd(o.peakLearningRate, o.warmupSteps, o.stableSteps, o.decaySteps, o.endLearningRate / o.peakLearningRate, o.decayType);
        return Math.abs(lr(s) - hf(s)) <= 1e-12 * o.peakLearningRate;
      }),
    );
  });

  it("lr(0) is initialLearningRate (the peak when warmupSteps is 0)", () => {
    fc.assert(
      fc.property(options, (o) => {
        const lr = new WarmupStableDecay(o);
        return lr(0) === f(o.warmupSteps > 0 ? o.initialLearningRate : o.stableSteps > 0 || o.decaySteps > 0 ? o.peakLearningRate : o.endLearningRate);
      }),
    );
  });

  it("lr never falls before the plateau ends and never rises after the warmup, when initial <= peak >= final", () => {
    fc.assert(
      fc.property(options, step, step, fc.boolean(), (o, a, b, double) => {
        const lr = new WarmupStableDecay({ ...o, dtype: double ? "float64" : "float32" });
        const [lo, hi] = a < b ? [a, b] : [b, a];
        const round = double ? (x: number) => x : f;
        if (round(hi) < round(o.warmupSteps + o.stableSteps)) return lr(lo) <= lr(hi);
        if (round(lo) >= round(o.warmupSteps)) return lr(lo) >= lr(hi);
        return true;
      }),
      { numRuns: 1000 },
    );
  });

  it("around each phase end the order holds too: rounding never carries the decay past endLearningRate", () => {
    fc.assert(
      fc.property(options, fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), (o, back, double) => {
        const lr = new WarmupStableDecay({ ...o, dtype: double ? "float64" : "float32" });
        const [w, s, e] = [o.warmupSteps, o.warmupSteps + o.stableSteps, o.warmupSteps + o.stableSteps + o.decaySteps];
        const before = (x: number) => Math.max(0, x - back);
        const final = double ? o.endLearningRate : f(o.endLearningRate);
        // Each check where the step before lies in the phase that ends there (with no plateau and no decay, W is
        // the documented drop to the final rate).
        const climbs = o.stableSteps > 0 || o.decaySteps > 0 ? lr(before(w)) <= lr(w) : true;
        const holds = o.stableSteps > 0 ? lr(before(s)) >= lr(s) : true;
        const lands = o.decaySteps > 0 ? lr(before(e)) >= lr(e) && lr(before(e)) >= final : true;
        return climbs && holds && lands;
      }),
      { numRuns: 2000 },
    );
  });

  it("the rate is continuous at each phase end, unless decaySteps is 0: the step just before is within the slope of the step at the end", () => {
    fc.assert(
      fc.property(options, fc.double({ min: 1e-9, max: 1e-6, noNaN: true }), (o, eps) => {
        const lr = new WarmupStableDecay({ ...o, dtype: "float64" });
        const [w, s, e] = [o.warmupSteps, o.warmupSteps + o.stableSteps, o.warmupSteps + o.stableSteps + o.decaySteps];
        const ends = o.decaySteps > 0 ? [w, s, e] : o.stableSteps > 0 ? [w] : [];
        // The steepest shape, 1-sqrt, moves by at most sqrt(eps / decaySteps) of the drop over eps steps.
        return ends.every((x) => x === 0 || Math.abs(lr(x - eps) - lr(x)) <= o.peakLearningRate * (Math.sqrt(eps) + 1e-12));
      }),
    );
  });

  it("decaySteps 0 drops from the peak to endLearningRate at warmupSteps + stableSteps: the documented jump", () => {
    const lr = new WarmupStableDecay({ ...base, decaySteps: 0 });
    expect(lr(899)).toBe(0.01);
    expect(lr(900)).toBe(0.001);
  });

  itComputesBothSides(WarmupStableDecay, options, step);

  it("the three constructor forms build equal schedules, defaults filled in", () => {
    const a = new WarmupStableDecay({ peakLearningRate: 0.01, warmupSteps: 100, stableSteps: 800, decaySteps: 100 });
    const b = new WarmupStableDecay(0.01, 100, 800, 100, {});
    const c = new WarmupStableDecay(0.01, 100, 800, 100, 0, "cosine", 0, "WarmupStableDecay");
    expect(a.getConfig()).toEqual({
      peakLearningRate: 0.01,
      warmupSteps: 100,
      stableSteps: 800,
      decaySteps: 100,
      endLearningRate: 0,
      decayType: "cosine",
      initialLearningRate: 0,
      name: "WarmupStableDecay",
    });
    for (const x of [b, c]) expect(x.getConfig()).toEqual(a.getConfig());
  });

  itRoundTrips(WarmupStableDecay, options, step);
  itRoundTrips(Sequence, options.map((o) => ({ schedules: [new WarmupStableDecay(o), new WarmupStableDecay(o)], boundaries: [1000] })), step, " of two WarmupStableDecays");

  it("serialize writes snake_case keys, registered as lr-schedules>WarmupStableDecay", () => {
    expect(serialize(new WarmupStableDecay(0.01, 100, 800, 100, { decayType: "1-sqrt" }), { format: "keras2" })).toEqual({
      class_name: "lr-schedules>WarmupStableDecay",
      config: {
        peak_learning_rate: 0.01,
        warmup_steps: 100,
        stable_steps: 800,
        decay_steps: 100,
        end_learning_rate: 0,
        decay_type: "1-sqrt",
        initial_learning_rate: 0,
        name: "WarmupStableDecay",
      },
    });
  });

  describe("bad options throw errors that name the option", () => {
    const good = { peakLearningRate: 0.01, warmupSteps: 100, stableSteps: 800, decaySteps: 100 };
    itRefusesBadOptions(WarmupStableDecay, good, [
      [{ warmupSteps: -1 }, /^WarmupStableDecay: `warmupSteps` must be a finite number >= 0\. Received: warmupSteps=-1$/, RangeError],
      [{ stableSteps: NaN }, /`stableSteps` must be a finite number >= 0\. Received: stableSteps=NaN/, RangeError],
      [{ decaySteps: Infinity }, /`decaySteps` must be a finite number >= 0\. Received: decaySteps=Infinity/, RangeError],
      [{ decaySteps: "100" }, /decaySteps="100"/, TypeError],
      [{ peakLearningRate: -0.01 }, /`peakLearningRate` must be a finite number >= 0/, RangeError],
      [{ peakLearningRate: undefined }, /`peakLearningRate` must be a finite number >= 0 \(it is required\)/, TypeError],
      [{ endLearningRate: -0.001 }, /`endLearningRate` must be a finite number >= 0/, RangeError],
      [{ initialLearningRate: NaN }, /`initialLearningRate` must be a finite number >= 0/, RangeError],
      [{ decayType: "exponential" }, /`decayType` must be one of "linear", "cosine", "1-sqrt"\. Received: decayType="exponential"/, RangeError],
      [{ decayType: 1 }, /decayType=1/, TypeError],
    ]);
  });

  describeTensorSteps(
    (["linear", "cosine", "1-sqrt"] as const).map(
      (decayType) =>
        new WarmupStableDecay({ peakLearningRate: 0.01, warmupSteps: 100, stableSteps: 800, decaySteps: 100, endLearningRate: 0.001, decayType, initialLearningRate: 0.0005 }),
    ),
    [0, 50, 99.5, 100, 500, 900, 901, 925, 950, 999, 1000, 1e6],
  );
});
