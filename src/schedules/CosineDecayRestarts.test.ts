import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  itMatchesKerasGolden,
  itReadsKerasConfigs,
  itRefusesBadOptions,
  itRoundTrips,
} from "../../test/support/scheduleSuite.js";
import { CosineDecayRestarts, deserialize, LearningRateSchedule, serialize } from "../index.js";

const rate = fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 10, noNaN: true }));
const alpha = fc.oneof(fc.constantFrom(0, 0.1, 1), fc.double({ min: 0, max: 1, noNaN: true }));
const options = fc.record({
  initialLearningRate: rate,
  firstDecaySteps: fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
  tMul: fc.oneof(fc.constantFrom(1, 1.5, 2), fc.double({ min: 1, max: 10, noNaN: true })),
  mMul: fc.oneof(fc.constantFrom(0.5, 1), fc.double({ min: 1e-3, max: 1, noNaN: true })),
  alpha,
});
/** Periods whose restarts fall on whole steps: tMul 1 or 2 and a whole first period. */
const exact = fc.record({
  initialLearningRate: fc.double({ min: 1e-6, max: 10, noNaN: true }),
  firstDecaySteps: fc.integer({ min: 1, max: 1000 }),
  tMul: fc.constantFrom(1, 2),
  mMul: fc.double({ min: 0.1, max: 1, noNaN: true }),
  alpha: fc.double({ min: 0, max: 0.9, noNaN: true }),
});
const step = fc.oneof(fc.nat(), fc.double({ min: 0, max: 1e9, noNaN: true }));

/** The step where period `i` starts: firstDecaySteps * (1 + tMul + ... + tMul^(i-1)). */
const restartAt = (o: { firstDecaySteps: number; tMul: number }, i: number) => o.firstDecaySteps * (o.tMul === 1 ? i : (o.tMul ** i - 1) / (o.tMul - 1));

describe("CosineDecayRestarts", () => {
  itMatchesKerasGolden("CosineDecayRestarts", { cases: 12, values: 516 });

  it("new CosineDecayRestarts(0.01, 1000) is a 1-arg callable of the step, the TSDoc example", () => {
    const lr = new CosineDecayRestarts(0.01, 1000);
    expect(typeof lr).toBe("function");
    expect(lr instanceof LearningRateSchedule && lr instanceof CosineDecayRestarts).toBe(true);
    expect([0, 999, 1000, 3000].map(lr)).toEqual([Math.fround(0.01), 2.4735927084407194e-8, Math.fround(0.01), Math.fround(0.01)]);
    expect(lr(999n)).toBe(lr(999));
    expect(lr.name).toBe("SGDRDecay");
    const damped = new CosineDecayRestarts({ initialLearningRate: 0.01, firstDecaySteps: 1000, tMul: 1, mMul: 0.5 });
    expect([1000, 2000].map(damped)).toEqual([Math.fround(0.005), 0.0024999999441206455]);
  });

  it("the defaults are Keras's, and the options object and the positional form build equal schedules", () => {
    expect(new CosineDecayRestarts(0.1, 10).getConfig()).toEqual({ initialLearningRate: 0.1, firstDecaySteps: 10, tMul: 2, mMul: 1, alpha: 0, name: "SGDRDecay" });
    const a = new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 10, tMul: 1.5, mMul: 0.9, alpha: 0.1, name: "sgdr" });
    expect(new CosineDecayRestarts(0.1, 10, 1.5, 0.9, 0.1, "sgdr").getConfig()).toEqual(a.getConfig());
    expect(new CosineDecayRestarts(0.1, 10, { mMul: 0.9 } as never).getConfig()).toEqual(new CosineDecayRestarts(0.1, 10, 2, 0.9).getConfig());
  });

  it("dtype 'float64' computes the same formula without rounding", () => {
    const lr = new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 10, tMul: 1, mMul: 0.5, alpha: 0.2, dtype: "float64" });
    expect(lr(13)).toBe(0.1 * ((1 - 0.2) * (0.5 * 0.5 * (1 + Math.cos(Math.PI * (1.3 - 1)))) + 0.2));
    expect(deserialize(serialize(lr))(13)).toBe(lr(13));
  });

  it("lr(0) is initialLearningRate, up to float32's rounding of (1 - alpha) + alpha", () => {
    fc.assert(
      fc.property(options, (o) => {
        const initial = Math.fround(o.initialLearningRate);
        return Math.abs(new CosineDecayRestarts(o)(0) - initial) <= 2 ** -23 * initial;
      }),
    );
  });

  it("lr(step) stays between alpha * initialLearningRate and initialLearningRate while mMul <= 1, and is never NaN", () => {
    fc.assert(
      fc.property(options, fc.oneof(step, fc.integer({ min: 0, max: 2 ** 31 })), (o, s) => {
        const initial = Math.fround(o.initialLearningRate);
        const v = new CosineDecayRestarts(o)(s);
        return v <= initial * (1 + 2 ** -22) && v >= Math.fround(initial * Math.fround(o.alpha));
      }),
    );
  });

  it("within each period lr(step) never rises", () => {
    fc.assert(
      fc.property(exact, fc.nat({ max: 8 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (o, i, x, y) => {
        const lr = new CosineDecayRestarts(o);
        const [start, next] = [restartAt(o, i), restartAt(o, i + 1)];
        const at = (t: number) => Math.min(start + Math.floor(t * (next - start)), next - 1);
        return lr(at(Math.max(x, y))) <= lr(at(Math.min(x, y)));
      }),
    );
  });

  it("at restart i the rate jumps to initialLearningRate * ((1 - alpha) * mMul^i + alpha), back to the top when mMul is 1", () => {
    fc.assert(
      fc.property(exact, fc.integer({ min: 1, max: 8 }), (o, i) => {
        const lr = (options: typeof o, s: number) => new CosineDecayRestarts(options)(s);
        const restart = restartAt(o, i);
        const peak = Math.fround(o.initialLearningRate) * ((1 - Math.fround(o.alpha)) * Math.fround(o.mMul) ** i + Math.fround(o.alpha));
        return Math.abs(lr(o, restart) - peak) <= 1e-6 * peak && lr({ ...o, mMul: 1 }, restart) >= lr({ ...o, mMul: 1 }, restart - 1);
      }),
    );
  });

  it("with tMul 1 and mMul 1 the schedule repeats every firstDecaySteps", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), fc.nat({ max: 1e6 }), alpha, (k, s, a) => {
        const lr = new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 2 ** k, tMul: 1, mMul: 1, alpha: a });
        return lr(s + 2 ** k) === lr(s);
      }),
    );
  });

  itRoundTrips(CosineDecayRestarts, options, step);

  it("fromConfig accepts Keras's snake_case config", () => {
    const lr = CosineDecayRestarts.fromConfig({ initial_learning_rate: 0.01, first_decay_steps: 1000, t_mul: 2.0, m_mul: 0.9, alpha: 0.0 });
    expect(lr.getConfig()).toEqual({ initialLearningRate: 0.01, firstDecaySteps: 1000, tMul: 2, mMul: 0.9, alpha: 0, name: "SGDRDecay" });
  });

  itReadsKerasConfigs("CosineDecayRestarts", { count: 1, defaultName: "SGDRDecay" });

  describe("bad options throw errors that name the option, the value and what was expected", () => {
    const good = { initialLearningRate: 0.1, firstDecaySteps: 100 };
    itRefusesBadOptions(CosineDecayRestarts, good, [
      [{ firstDecaySteps: 0 }, /`firstDecaySteps` must be a finite number > 0\. Received: firstDecaySteps=0$/, RangeError],
      [{ firstDecaySteps: NaN }, /firstDecaySteps=NaN/, RangeError],
      [{ firstDecaySteps: undefined }, /`firstDecaySteps` must be a finite number > 0 \(it is required\)/, TypeError],
      [{ initialLearningRate: -1 }, /`initialLearningRate` must be a finite number >= 0\. Received: initialLearningRate=-1/, RangeError],
      [{ tMul: 0 }, /`tMul` must be a finite number >= 1\. Received: tMul=0$/, RangeError],
      [{ tMul: -2 }, /tMul=-2/, RangeError],
      [{ tMul: 0.5 }, /tMul=0.5/, RangeError],
      [{ tMul: Infinity }, /tMul=Infinity/, RangeError],
      [{ tMul: NaN }, /tMul=NaN/, RangeError],
      [{ tMul: "2" }, /`tMul` must be a finite number >= 1\. Received: tMul="2"/, TypeError],
      [{ mMul: 0 }, /`mMul` must be a finite number > 0\. Received: mMul=0$/, RangeError],
      [{ mMul: -0.5 }, /mMul=-0.5/, RangeError],
      [{ mMul: Infinity }, /mMul=Infinity/, RangeError],
      [{ alpha: 1.01 }, /`alpha` must be a finite number in \[0, 1\]\. Received: alpha=1.01/, RangeError],
      [{ alpha: NaN }, /alpha=NaN/, RangeError],
      [{ name: 1 }, /`name` must be a string/, TypeError],
    ]);
    it("from Keras JSON, the error names the Keras key and its path", () => {
      expect(() => deserialize({ class_name: "CosineDecayRestarts", config: { initial_learning_rate: 0.1, first_decay_steps: 10, t_mul: 0.5 } })).toThrow(
        /`config\.t_mul` must be a finite number >= 1\. Received: config\.t_mul=0.5/,
      );
    });
  });
});
