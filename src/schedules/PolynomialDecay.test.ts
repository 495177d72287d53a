import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  itMatchesKerasGolden,
  itReadsKerasConfigs,
  itRefusesBadOptions,
  itRoundTrips,
} from "../../test/support/scheduleSuite.js";
import { deserialize, LearningRateSchedule, PolynomialDecay, serialize } from "../index.js";

const rate = fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 10, noNaN: true }));
const options = fc.record({
  initialLearningRate: rate,
  decaySteps: fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
  endLearningRate: rate,
  power: fc.oneof(fc.constantFrom(0, 0.5, 1, 2), fc.double({ min: 0, max: 10, noNaN: true })),
  cycle: fc.boolean(),
});
/** Decaying ones: from a higher rate to a lower one, with a positive power. */
const decaying = options
  .filter((o) => Math.fround(o.initialLearningRate) >= Math.fround(o.endLearningRate))
  .map((o) => ({ ...o, power: Math.fround(o.power) || 1 }));
const step = fc.oneof(fc.nat(), fc.double({ min: 0, max: 1e9, noNaN: true }));

describe("PolynomialDecay", () => {
  itMatchesKerasGolden("PolynomialDecay", { cases: 12, values: 516 });

  it("new PolynomialDecay(0.1, 10000, 0.01, 0.5) is a 1-arg callable of the step, the TSDoc example", () => {
    const lr = new PolynomialDecay(0.1, 10000, 0.01, 0.5);
    expect(typeof lr).toBe("function");
    expect(lr instanceof LearningRateSchedule && lr instanceof PolynomialDecay).toBe(true);
    expect([0, 7500, 10000, 20000].map(lr)).toEqual([Math.fround(0.1), 0.054999999701976776, Math.fround(0.01), Math.fround(0.01)]);
    expect(lr(7500n)).toBe(lr(7500));
    expect(lr.name).toBe("PolynomialDecay");
  });

  it("the defaults are Keras's: endLearningRate 0.0001, power 1, no cycle", () => {
    expect(new PolynomialDecay(0.1, 100).getConfig()).toEqual({
      initialLearningRate: 0.1,
      decaySteps: 100,
      endLearningRate: 0.0001,
      power: 1,
      cycle: false,
      name: "PolynomialDecay",
    });
  });

  it("the options object and the positional form build equal schedules", () => {
    const a = new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 3, endLearningRate: 0.01, power: 2, cycle: true, name: "pd" });
    const b = new PolynomialDecay(0.1, 3, 0.01, 2, true, "pd");
    expect(a.getConfig()).toEqual(b.getConfig());
    expect(new PolynomialDecay(0.1, 3, { power: 2, cycle: true } as never).getConfig()).toEqual(new PolynomialDecay(0.1, 3, 0.0001, 2, true).getConfig());
  });

  it("dtype 'float64' computes the same formula without rounding", () => {
    const lr = new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 3, endLearningRate: 0.01, power: 0.5, dtype: "float64" });
    expect(lr(1)).toBe((0.1 - 0.01) * Math.pow(1 - 1 / 3, 0.5) + 0.01);
    expect(deserialize(serialize(lr))(1)).toBe(lr(1));
  });

  it("lr(0) is initialLearningRate, up to the float32 rounding of (initial - end) + end", () => {
    fc.assert(
      fc.property(options, (o) => {
        const [initial, end] = [Math.fround(o.initialLearningRate), Math.fround(o.endLearningRate)];
        return Math.abs(new PolynomialDecay(o)(0) - initial) <= 2 ** -23 * Math.max(initial, end);
      }),
    );
  });

  it("lr(step) is endLearningRate from decaySteps on, without cycle", () => {
    fc.assert(
      fc.property(decaying, fc.double({ min: 0, max: 1e9, noNaN: true }), (o, extra) => {
        const lr = new PolynomialDecay({ ...o, cycle: false });
        return lr(o.decaySteps + extra) === Math.fround(o.endLearningRate);
      }),
    );
  });

  it("lr(step) never rises while initialLearningRate >= endLearningRate, without cycle", () => {
    fc.assert(
      fc.property(decaying, step, step, (o, a, b) => {
        const lr = new PolynomialDecay({ ...o, cycle: false });
        return lr(Math.max(a, b)) <= lr(Math.min(a, b));
      }),
    );
  });

  it("with cycle, lr(step) equals the non-cycling value over the first decaySteps", () => {
    fc.assert(
      fc.property(options, fc.double({ min: 0, max: 1, noNaN: true }), (o, t) => {
        const s = t * o.decaySteps;
        return new PolynomialDecay({ ...o, cycle: true })(s) === new PolynomialDecay({ ...o, cycle: false })(s);
      }),
    );
  });

  it("with cycle, the rate reaches endLearningRate at each multiple of decaySteps, then jumps up to a lower restart", () => {
    fc.assert(
      fc.property(decaying, fc.integer({ min: 2, max: 1000 }), fc.integer({ min: 1, max: 20 }), (o, decaySteps, k) => {
        fc.pre(Math.fround(o.initialLearningRate) > Math.fround(o.endLearningRate));
        const lr = new PolynomialDecay({ ...o, decaySteps, cycle: true });
        const end = Math.fround(o.endLearningRate);
        const restart = lr(k * decaySteps + 1);
        return lr(k * decaySteps) === end && restart >= end && restart <= lr((k - 1) * decaySteps + 1);
      }),
    );
    const lr = new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, endLearningRate: 0, cycle: true });
    // 0.1 * (1 - step / horizon) with the horizon stretched to 10, 20, 30: up to 0.045 after 10, 0.03 after 20.
    expect([9, 10, 11, 15, 20, 21].map(lr)).toEqual([0.010000002570450306, 0, 0.044999998062849045, 0.02500000037252903, 0, 0.030000001192092896]);
  });

  it("lr(step) is never NaN: with cycle, a step that float32 puts past the stretched horizon gives endLearningRate", () => {
    const lr = new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 11.738893985748293, endLearningRate: 0, power: 0.5, cycle: true });
    expect(lr(111152389)).toBe(0);
    // A step so small that step / decaySteps underflows: at least one period, where Keras divides by 0.
    expect(new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 100, endLearningRate: 0, cycle: true })(1e-45)).toBe(Math.fround(0.1));
    fc.assert(fc.property(options, fc.double({ min: 0, max: 3.4e38, noNaN: true }), (o, s) => Number.isFinite(new PolynomialDecay(o)(s))));
  });

  itRoundTrips(PolynomialDecay, options, step);

  itReadsKerasConfigs("PolynomialDecay", { count: 1, defaultName: "PolynomialDecay" });

  describe("bad options throw errors that name the option, the value and what was expected", () => {
    const good = { initialLearningRate: 0.1, decaySteps: 100 };
    itRefusesBadOptions(PolynomialDecay, good, [
      [{ decaySteps: 0 }, /`decaySteps` must be a finite number > 0\. Received: decaySteps=0$/, RangeError],
      [{ decaySteps: NaN }, /decaySteps=NaN/, RangeError],
      [{ decaySteps: undefined }, /`decaySteps` must be a finite number > 0 \(it is required\)/, TypeError],
      [{ initialLearningRate: Infinity }, /`initialLearningRate` must be a finite number >= 0\. Received: initialLearningRate=Infinity/, RangeError],
      [{ endLearningRate: -0.01 }, /`endLearningRate` must be a finite number >= 0\. Received: endLearningRate=-0.01/, RangeError],
      [{ endLearningRate: NaN }, /endLearningRate=NaN/, RangeError],
      [{ power: -1 }, /`power` must be a finite number >= 0\. Received: power=-1/, RangeError],
      [{ power: Infinity }, /power=Infinity/, RangeError],
      [{ power: "2" }, /power="2"/, TypeError],
      [{ cycle: 1 }, /`cycle` must be a boolean\. Received: cycle=1/, TypeError],
      [{ name: false }, /`name` must be a string/, TypeError],
    ]);
    it("from Keras JSON, the error names the Keras key and its path", () => {
      expect(() => deserialize({ class_name: "PolynomialDecay", config: { initial_learning_rate: 0.1, decay_steps: 10, power: -2 } })).toThrow(
        /`config\.power` must be a finite number >= 0/,
      );
    });
  });
});
