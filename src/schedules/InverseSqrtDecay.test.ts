import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  itComputesBothSides,
  itRefusesBadOptions,
  itRoundTrips,
} from "../../test/support/scheduleSuite.js";
import { describeTensorSteps } from "../../test/support/scheduleTensorSteps.js";
import { InverseSqrtDecay, LinearWarmup, serialize } from "../index.js";

const f = Math.fround;
const options = fc.record({
  peakLearningRate: fc.double({ min: 0, max: 10, noNaN: true }),
  warmupSteps: fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
});
const step = fc.oneof(fc.nat(), fc.double({ min: 0, max: 1e12, noNaN: true }));

describe("InverseSqrtDecay", () => {
  it("InverseSqrtDecay(0.001, 4000): linear to the peak at 4000, then half the peak at 4 * 4000 (worked in float32)", () => {
    const lr = new InverseSqrtDecay(0.001, 4000);
    const peak = f(0.001);
    expect(lr(0)).toBe(0);
    expect(lr(1000)).toBe(f(peak * 0.25));
    expect(lr(2000)).toBe(f(peak * 0.5));
    expect(lr(4000)).toBe(peak);
    expect(lr(16000)).toBe(f(peak * 0.5));
    expect(lr(64000)).toBe(f(peak * 0.25));
    // sqrt(4000 / 8000) in float32 steps: the quotient 0.5, then pow(0.5, 0.5) rounded.
    expect(lr(8000)).toBe(f(peak * f(Math.SQRT1_2)));
  });

  it("with peakLearningRate = (dModel * warmupSteps) ** -0.5 it is Vaswani et al.'s schedule (float64, to 1e-15 relative)", () => {
    const dModel = 512;
    const warmup = 4000;
    const lr = new InverseSqrtDecay({ peakLearningRate: (dModel * warmup) ** -0.5, warmupSteps: warmup, dtype: "float64" });
    const vaswani = (n: number) => dModel ** -0.5 * Math.min(n ** -0.5, n * warmup ** -1.5);
    for (const n of [1, 10, 100, 1000, 3999, 4000, 4001, 10_000, 100_000, 1e6]) {
      expect(Math.abs(lr(n) - vaswani(n)) / vaswani(n)).toBeLessThan(1e-15);
    }
  });

  it("dtype 'float64' is the formula in doubles", () => {
    fc.assert(
      fc.property(options, step, ({ peakLearningRate: p, warmupSteps: w }, s) => {
        const lr = new InverseSqrtDecay({ peakLearningRate: p, warmupSteps: w, dtype: "float64" });
        return lr(s) === p * Math.min(s / w, Math.pow(w / Math.max(s, w), 0.5));
      }),
    );
  });

  it("lr(0) is 0 and lr(warmupSteps) is peakLearningRate in float32", () => {
    fc.assert(
      fc.property(options, (o) => {
        const lr = new InverseSqrtDecay(o);
        return lr(0) === 0 && lr(o.warmupSteps) === f(o.peakLearningRate);
      }),
    );
  });

  it("lr never falls before warmupSteps and never rises after, and never exceeds the peak", () => {
    fc.assert(
      fc.property(options, step, step, (o, a, b) => {
        const lr = new InverseSqrtDecay(o);
        const [lo, hi] = a < b ? [a, b] : [b, a];
        const w = f(o.warmupSteps);
        const ordered = f(hi) <= w ? lr(lo) <= lr(hi) : f(lo) >= w ? lr(lo) >= lr(hi) : true;
        return ordered && lr(lo) <= f(o.peakLearningRate) && lr(hi) <= f(o.peakLearningRate);
      }),
    );
  });

  it("the rate is continuous at warmupSteps: both sides approach the peak", () => {
    fc.assert(
      fc.property(options, fc.double({ min: 1e-6, max: 1e-3, noNaN: true }), ({ peakLearningRate: p, warmupSteps: w }, eps) => {
        const lr = new InverseSqrtDecay({ peakLearningRate: p, warmupSteps: w, dtype: "float64" });
        return Math.abs(lr(w * (1 - eps)) - p) <= p * eps * 1.01 && Math.abs(lr(w * (1 + eps)) - p) <= p * eps * 1.01;
      }),
    );
  });

  itComputesBothSides(InverseSqrtDecay, options, step);

  it("the positional form and the options object build equal schedules", () => {
    const a = new InverseSqrtDecay(0.001, 4000, "transformer");
    const b = new InverseSqrtDecay({ peakLearningRate: 0.001, warmupSteps: 4000, name: "transformer" });
    expect(a.getConfig()).toEqual({ peakLearningRate: 0.001, warmupSteps: 4000, name: "transformer" });
    expect(b.getConfig()).toEqual(a.getConfig());
  });

  itRoundTrips(InverseSqrtDecay, options, step);
  itRoundTrips(LinearWarmup, options.map((o) => ({ schedule: new InverseSqrtDecay(o), warmupSteps: 10 })), step, " wrapping an InverseSqrtDecay");

  it("serialize writes snake_case keys, registered as lr-schedules>InverseSqrtDecay", () => {
    expect(serialize(new InverseSqrtDecay(0.001, 4000))).toEqual({
      module: "lr_schedules",
      class_name: "InverseSqrtDecay",
      config: { peak_learning_rate: 0.001, warmup_steps: 4000, name: "InverseSqrtDecay" },
      registered_name: "lr-schedules>InverseSqrtDecay",
    });
  });

  describe("bad options throw errors that name the option", () => {
    itRefusesBadOptions(InverseSqrtDecay, { peakLearningRate: 0.001, warmupSteps: 4000 }, [
      [{ warmupSteps: 0 }, /^InverseSqrtDecay: `warmupSteps` must be a finite number > 0\. Received: warmupSteps=0$/, RangeError],
      [{ warmupSteps: -10 }, /warmupSteps=-10/, RangeError],
      [{ warmupSteps: NaN }, /warmupSteps=NaN/, RangeError],
      [{ warmupSteps: "4000" }, /warmupSteps="4000"/, TypeError],
      [{ warmupSteps: undefined }, /`warmupSteps` must be a finite number > 0 \(it is required\)/, TypeError],
      [{ peakLearningRate: -0.001 }, /`peakLearningRate` must be a finite number >= 0/, RangeError],
      [{ peakLearningRate: Infinity }, /peakLearningRate=Infinity/, RangeError],
    ]);
    it("name null means the default name, as Keras 2 writes it", () => {
      expect(new InverseSqrtDecay({ peakLearningRate: 0.001, warmupSteps: 4000, name: null } as never).name).toBe("InverseSqrtDecay");
    });
  });

  describeTensorSteps([new InverseSqrtDecay(0.001, 4000), new InverseSqrtDecay(3, 7.5)], [0, 1, 7, 7.5, 8, 1000, 3999, 4000, 8000, 16000, 1e9]);
});
