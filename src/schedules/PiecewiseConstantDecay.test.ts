import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  itMatchesKerasGolden,
  itReadsKerasConfigs,
  itRefusesBadOptions,
  itRoundTrips,
} from "../../test/support/scheduleSuite.js";
import { deserialize, LearningRateSchedule, PiecewiseConstantDecay, serialize } from "../index.js";

const value = fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 10, noNaN: true }));
/** Strictly increasing boundaries, whole or fractional, with one more value than boundaries. */
const options = fc
  .uniqueArray(fc.oneof(fc.nat({ max: 1e6 }), fc.double({ min: 0, max: 1e6, noNaN: true })), { minLength: 1, maxLength: 8 })
  .map((b) => b.sort((x, y) => x - y))
  .chain((boundaries) => fc.record({ boundaries: fc.constant(boundaries), values: fc.array(value, { minLength: boundaries.length + 1, maxLength: boundaries.length + 1 }) }));
const step = fc.oneof(fc.nat({ max: 2e6 }), fc.double({ min: 0, max: 2e6, noNaN: true }));

/** The value of the interval holding `step`, by counting the boundaries it has passed. */
function expected(o: { boundaries: readonly number[]; values: readonly number[] }, s: number): number {
  const [b, x] = Number.isInteger(s) ? [o.boundaries, s] : [o.boundaries.map(Math.fround), Math.fround(s)];
  return Math.fround(o.values[b.filter((boundary) => x > boundary).length]!);
}

describe("PiecewiseConstantDecay", () => {
  itMatchesKerasGolden("PiecewiseConstantDecay", { cases: 12, values: 556 });

  it("new PiecewiseConstantDecay([100000, 110000], [1, 0.5, 0.1]) keeps a value up to and including its boundary", () => {
    const lr = new PiecewiseConstantDecay([100000, 110000], [1, 0.5, 0.1]);
    expect(typeof lr).toBe("function");
    expect(lr instanceof LearningRateSchedule && lr instanceof PiecewiseConstantDecay).toBe(true);
    expect([0, 100000, 100001, 110000, 110001, 200000].map(lr)).toEqual([1, 1, 0.5, 0.5, Math.fround(0.1), Math.fround(0.1)]);
    expect(lr(100000.5)).toBe(0.5);
    expect(lr(110001n)).toBe(Math.fround(0.1));
    expect(lr.name).toBe("PiecewiseConstant");
  });

  it("a whole-number step is compared exactly, as Keras compares an integer step; a fractional one in float32", () => {
    const lr = new PiecewiseConstantDecay([16777216], [1, 2]);
    expect(lr(16777216)).toBe(1);
    expect(lr(16777217)).toBe(2); // float32 would round it down to the boundary
    expect(lr(16777216.5)).toBe(1); // Keras's float step: 16777216.5 becomes 16777216 in float32
    expect(new PiecewiseConstantDecay({ boundaries: [16777216], values: [1, 2], dtype: "float64" })(16777216.5)).toBe(2);
  });

  it("the options object and the positional form build equal schedules", () => {
    const a = new PiecewiseConstantDecay({ boundaries: [10, 20], values: [0.3, 0.2, 0.1], name: "pw" });
    const b = new PiecewiseConstantDecay([10, 20], [0.3, 0.2, 0.1], "pw");
    expect(a.getConfig()).toEqual(b.getConfig());
    expect(a.getConfig()).toEqual({ boundaries: [10, 20], values: [0.3, 0.2, 0.1], name: "pw" });
    expect(new PiecewiseConstantDecay([10, 20], { values: [0.3, 0.2, 0.1] } as never).getConfig()).toEqual(
      new PiecewiseConstantDecay([10, 20], [0.3, 0.2, 0.1]).getConfig(),
    );
  });

  it("the config holds frozen copies: changing the arrays passed in changes nothing", () => {
    const boundaries = [10];
    const values = [1, 2];
    const lr = new PiecewiseConstantDecay(boundaries, values);
    boundaries[0] = 0;
    values[1] = 5;
    expect(lr(11)).toBe(2);
    expect(Object.isFrozen(lr.getConfig().boundaries)).toBe(true);
  });

  it("dtype 'float64' keeps the values as given", () => {
    const lr = new PiecewiseConstantDecay({ boundaries: [10], values: [0.1, 0.01], dtype: "float64" });
    expect([10, 11].map(lr)).toEqual([0.1, 0.01]);
    expect(deserialize(serialize(lr))(11)).toBe(0.01);
  });

  it("a value of -0 comes out as +0, as Keras's sum of indicator times value gives", () => {
    expect(Object.is(new PiecewiseConstantDecay([1], [-0, 1])(0), 0)).toBe(true);
  });

  it("lr(0) is values[0] in float32", () => {
    fc.assert(fc.property(options, (o) => new PiecewiseConstantDecay(o)(0) === Math.fround(o.values[0]!)));
  });

  it("lr(step) is the value of the interval holding the step: a value owns the boundary at its right end", () => {
    fc.assert(
      fc.property(options, step, (o, s) => {
        const lr = new PiecewiseConstantDecay(o);
        // A fractional boundary is compared in float32, where it can meet the one before it.
        const owned = (b: number, i: number) => lr(b) === expected(o, b) && (!Number.isInteger(b) || lr(b) === Math.fround(o.values[i]!));
        return lr(s) === expected(o, s) && o.boundaries.every(owned);
      }),
    );
  });

  it("lr(step) never rises when the values never rise", () => {
    fc.assert(
      fc.property(options, step, step, (o, a, b) => {
        const lr = new PiecewiseConstantDecay({ ...o, values: [...o.values].sort((x, y) => y - x) });
        return lr(Math.max(a, b)) <= lr(Math.min(a, b));
      }),
    );
  });

  itRoundTrips(PiecewiseConstantDecay, options, step);

  itReadsKerasConfigs("PiecewiseConstantDecay", { count: 1, defaultName: "PiecewiseConstant" });

  describe("bad options throw errors that name the option, the value and what was expected", () => {
    itRefusesBadOptions(PiecewiseConstantDecay, {}, [
      [{ boundaries: [], values: [1] }, /`boundaries` must be a non-empty array \(one boundary or more\)\. Received: boundaries=\[\]/, RangeError, "empty boundaries"],
      [{ boundaries: [10, 10], values: [1, 2, 3] }, /`boundaries\[1\]` must be greater than boundaries\[0\]=10 \(strictly increasing\)\. Received: boundaries\[1\]=10/, RangeError, "equal boundaries"],
      [{ boundaries: [10, 20, 5], values: [1, 2, 3, 4] }, /`boundaries\[2\]` must be greater than boundaries\[1\]=20/, RangeError, "decreasing boundaries"],
      [{ boundaries: [10, 20], values: [1, 2] }, /`values` must be an array one longer than `boundaries` \(3 values for 2 boundaries\); it has 2\. Received: values=\[1, 2\]/, RangeError, "too few values"],
      [{ boundaries: [10], values: [1, 2, 3] }, /`values` must be an array one longer/, RangeError, "too many values"],
      [{ boundaries: [10, NaN], values: [1, 2, 3] }, /`boundaries\[1\]` must be a finite number >= 0\. Received: boundaries\[1\]=NaN/, RangeError, "a NaN boundary"],
      [{ boundaries: [Infinity], values: [1, 2] }, /boundaries\[0\]=Infinity/, RangeError, "an infinite boundary"],
      [{ boundaries: [-1, 10], values: [1, 2, 3] }, /boundaries\[0\]=-1/, RangeError, "a negative boundary"],
      [{ boundaries: [10], values: [1, Infinity] }, /`values\[1\]` must be a finite number >= 0\. Received: values\[1\]=Infinity/, RangeError, "an infinite value"],
      [{ boundaries: [10], values: [NaN, 1] }, /values\[0\]=NaN/, RangeError, "a NaN value"],
      [{ boundaries: [10], values: [1, -0.5] }, /values\[1\]=-0.5/, RangeError, "a negative value"],
      [{ boundaries: ["10"], values: [1, 2] }, /`boundaries\[0\]` must be a finite number >= 0\. Received: boundaries\[0\]="10"/, TypeError, "a string boundary"],
      [{ boundaries: 10, values: [1, 2] }, /`boundaries` must be an array of finite numbers >= 0\. Received: boundaries=10/, TypeError, "boundaries not an array"],
      [{ boundaries: [10], values: undefined }, /`values` must be an array of finite numbers >= 0 \(it is required\)/, TypeError, "values missing"],
    ]);
    it("from Keras JSON, the error names the Keras key and its path", () => {
      const json = { class_name: "PiecewiseConstantDecay", config: { boundaries: [10, 5], values: [1, 2, 3], name: null } };
      expect(() => deserialize(json)).toThrow(/`config\.boundaries\[1\]` must be greater than boundaries\[0\]=10/);
      expect(() => deserialize({ ...json, config: { boundaries: [10], values: [1, 2, 3] } })).toThrow(/`config\.values` must be an array one longer/);
    });
    it("an unknown option and surplus arguments are refused, not ignored", () => {
      expect(() => new PiecewiseConstantDecay({ boundaries: [1], values: [1, 2], boundary: [2] } as never)).toThrow(/`boundary` must be one of the options/);
      expect(() => new (PiecewiseConstantDecay as unknown as new (...a: unknown[]) => unknown)([1], [1, 2], "n", 7)).toThrow(/at most 3 positional/);
    });
  });
});
