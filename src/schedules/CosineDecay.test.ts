import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { goldenCases } from "../../test/support/golden.js";
import {
  itMatchesKerasGolden,
  itReadsKerasConfigs,
  itRefusesBadOptions,
  itRoundTrips,
} from "../../test/support/scheduleSuite.js";
import { CosineDecay, deserialize, float32Bits, LearningRateSchedule, serialize } from "../index.js";

const golden = goldenCases("CosineDecay");
const rate = fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 10, noNaN: true }));
const plain = fc.record({
  initialLearningRate: rate,
  decaySteps: fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
  alpha: fc.oneof(fc.constantFrom(0, 0.1, 1), fc.double({ min: 0, max: 1, noNaN: true })),
});
const warm = fc.record({
  initialLearningRate: rate,
  decaySteps: fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
  alpha: fc.double({ min: 0, max: 1, noNaN: true }),
  warmupTarget: rate,
  warmupSteps: fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 1e6, noNaN: true })),
});
const options = fc.oneof(plain, warm);
const step = fc.oneof(fc.nat(), fc.double({ min: 0, max: 1e9, noNaN: true }));

describe("CosineDecay", () => {
  itMatchesKerasGolden("CosineDecay", { cases: 12, values: 516 });

  it("the warmup's multiply-add is rounded once, as XLA fuses it: 16 golden values that two roundings miss", () => {
    let fusedOnly = 0;
    for (const c of golden.filter((g) => g.keras.config.warmup_target !== null)) {
      const { initial_learning_rate: initial, warmup_target: target, warmup_steps: warmupSteps } = c.keras.config as { initial_learning_rate: number; warmup_target: number; warmup_steps: number };
      const f = Math.fround;
      c.steps.forEach((s, i) => {
        if (!(f(s) < f(warmupSteps))) return;
        const twice = f(f(f(f(target) - f(initial)) * f(f(s) / f(warmupSteps))) + f(initial));
        if (float32Bits(twice) !== c.float32_bits[i]) fusedOnly++;
      });
    }
    expect(fusedOnly).toBe(16);
  });

  it("new CosineDecay(0.001, 1000, 0.1) is a 1-arg callable of the step, the TSDoc example", () => {
    const lr = new CosineDecay(0.001, 1000, 0.1);
    expect(typeof lr).toBe("function");
    expect(lr instanceof LearningRateSchedule && lr instanceof CosineDecay).toBe(true);
    const end = Math.fround(Math.fround(0.001) * Math.fround(0.1));
    expect([0, 500, 1000, 5000].map(lr)).toEqual([Math.fround(0.001), 0.0005499999970197678, end, end]);
    expect(end).toBe(0.00010000000474974513);
    expect(lr(500n)).toBe(lr(500));
    expect(lr.name).toBe("CosineDecay");
    const warmup = new CosineDecay({ initialLearningRate: 0, decaySteps: 1000, warmupTarget: 0.001, warmupSteps: 100 });
    expect([0, 50, 100, 1100].map(warmup)).toEqual([0, Math.fround(0.0005), Math.fround(0.001), 0]);
  });

  it("Keras's positional order puts name before the warmup options, and the defaults are Keras's", () => {
    const a = new CosineDecay(0.1, 100, 0.1, "cd", 0.5, 10);
    expect(a.getConfig()).toEqual({ initialLearningRate: 0.1, decaySteps: 100, alpha: 0.1, name: "cd", warmupTarget: 0.5, warmupSteps: 10 });
    expect(new CosineDecay({ initialLearningRate: 0.1, decaySteps: 100, alpha: 0.1, name: "cd", warmupTarget: 0.5, warmupSteps: 10 }).getConfig()).toEqual(a.getConfig());
    expect(new CosineDecay(0.1, 100).getConfig()).toEqual({ initialLearningRate: 0.1, decaySteps: 100, alpha: 0, name: "CosineDecay", warmupTarget: null, warmupSteps: 0 });
    expect(new CosineDecay(0.1, 100, { warmupTarget: 0.5, warmupSteps: 10 } as never).getConfig()).toEqual(
      new CosineDecay(0.1, 100, 0, "CosineDecay", 0.5, 10).getConfig(),
    );
  });

  it("dtype 'float64' computes the same formula without rounding", () => {
    const lr = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 3, alpha: 0.2, dtype: "float64" });
    expect(lr(1)).toBe(0.1 * ((1 - 0.2) * (0.5 * (1 + Math.cos((Math.PI * 1) / 3))) + 0.2));
    expect(deserialize(serialize(lr))(1)).toBe(lr(1));
  });

  it("lr(0) is initialLearningRate (up to float32's rounding of (1 - alpha) + alpha without a warmup)", () => {
    fc.assert(
      fc.property(options, (o) => {
        const initial = Math.fround(o.initialLearningRate);
        const at0 = new CosineDecay(o)(0);
        if ("warmupTarget" in o && o.warmupSteps > 0) return at0 === initial;
        const from = "warmupTarget" in o ? Math.fround(o.warmupTarget) : initial;
        return Math.abs(at0 - from) <= 2 ** -23 * from;
      }),
    );
  });

  it("without a warmup, lr(step) never rises and is alpha * initialLearningRate from decaySteps on", () => {
    fc.assert(
      fc.property(plain, step, step, (o, a, b) => {
        const lr = new CosineDecay(o);
        const end = Math.fround(Math.fround(o.initialLearningRate) * Math.fround(o.alpha));
        return lr(Math.max(a, b)) <= lr(Math.min(a, b)) && lr(o.decaySteps + a) === end;
      }),
    );
  });

  it("with a warmup, lr(step) rises (or falls) linearly to warmupTarget, then never rises", () => {
    fc.assert(
      fc.property(warm, step, step, (o, a, b) => {
        fc.pre(Math.fround(o.warmupSteps) > 0);
        const lr = new CosineDecay(o);
        const [early, late] = [Math.min(a, b), Math.max(a, b)];
        const rising = Math.fround(o.warmupTarget) >= Math.fround(o.initialLearningRate);
        if (Math.fround(late) < Math.fround(o.warmupSteps)) return rising ? lr(late) >= lr(early) : lr(late) <= lr(early);
        if (Math.fround(early) >= Math.fround(o.warmupSteps)) return lr(late) <= lr(early);
        return true;
      }),
    );
  });

  it("with a warmup, lr(warmupSteps) is warmupTarget (up to rounding) and the warmup meets it without a jump", () => {
    fc.assert(
      fc.property(warm, (o) => {
        fc.pre(Math.fround(o.warmupSteps) > 1);
        const lr = new CosineDecay(o);
        const target = Math.fround(o.warmupTarget);
        const initial = Math.fround(o.initialLearningRate);
        const slope = Math.abs(target - initial) / Math.fround(o.warmupSteps);
        // One step before the end of the warmup, the rate is one step's worth of the ramp away from the target.
        const before = lr(Math.fround(o.warmupSteps) - 1);
        return Math.abs(lr(o.warmupSteps) - target) <= 2 ** -22 * target && Math.abs(before - target) <= slope * 1.001 + 2 ** -22 * Math.max(target, initial);
      }),
    );
  });

  it("warmupSteps does nothing while warmupTarget is null, as in Keras", () => {
    fc.assert(
      fc.property(plain, fc.double({ min: 0, max: 1e6, noNaN: true }), step, (o, warmupSteps, s) => {
        return new CosineDecay({ ...o, warmupSteps })(s) === new CosineDecay(o)(s);
      }),
    );
  });

  it("a warmupTarget with warmupSteps 0 is a cosine decay from warmupTarget", () => {
    const lr = new CosineDecay({ initialLearningRate: 0.5, decaySteps: 100, warmupTarget: 0.1, warmupSteps: 0 });
    expect([0, 30, 100].map(lr)).toEqual([0, 30, 100].map(new CosineDecay(0.1, 100)));
  });

  it("lr(step) is never NaN", () => {
    fc.assert(fc.property(options, fc.double({ min: 0, max: 3.4e38, noNaN: true }), (o, s) => Number.isFinite(new CosineDecay(o)(s))));
  });

  itRoundTrips(CosineDecay, options, step);

  itReadsKerasConfigs("CosineDecay", { count: 1, defaultName: "CosineDecay" });

  describe("bad options throw errors that name the option, the value and what was expected", () => {
    const good = { initialLearningRate: 0.1, decaySteps: 100 };
    itRefusesBadOptions(CosineDecay, good, [
      [{ decaySteps: 0 }, /`decaySteps` must be a finite number > 0\. Received: decaySteps=0$/, RangeError],
      [{ decaySteps: Infinity }, /decaySteps=Infinity/, RangeError],
      [{ initialLearningRate: NaN }, /`initialLearningRate` must be a finite number >= 0\. Received: initialLearningRate=NaN/, RangeError],
      [{ alpha: -0.1 }, /`alpha` must be a finite number in \[0, 1\]\. Received: alpha=-0.1/, RangeError],
      [{ alpha: 1.5 }, /alpha=1.5/, RangeError],
      [{ alpha: NaN }, /alpha=NaN/, RangeError],
      [{ warmupTarget: -1 }, /`warmupTarget` must be a finite number >= 0, or null\. Received: warmupTarget=-1/, RangeError],
      [{ warmupTarget: Infinity }, /warmupTarget=Infinity/, RangeError],
      [{ warmupTarget: "0.1" }, /warmupTarget="0.1"/, TypeError],
      [{ warmupSteps: -5 }, /`warmupSteps` must be a finite number >= 0\. Received: warmupSteps=-5/, RangeError],
      [{ warmupSteps: NaN }, /warmupSteps=NaN/, RangeError],
      [{ name: 42 }, /`name` must be a string\. Received: name=42/, TypeError],
    ]);
    it("a name of null is Keras 2's default name, not an error", () => {
      expect(new CosineDecay({ ...good, name: null } as never).name).toBe("CosineDecay");
    });
    it("from Keras JSON, the error names the Keras key and its path", () => {
      expect(() => deserialize({ class_name: "CosineDecay", config: { initial_learning_rate: 0.1, decay_steps: 10, warmup_target: 0.2, warmup_steps: -1 } })).toThrow(
        /`config\.warmup_steps` must be a finite number >= 0/,
      );
    });
  });
});
