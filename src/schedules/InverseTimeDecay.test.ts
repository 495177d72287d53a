import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  itKeepsStaircaseFlat,
  itMatchesKerasGolden,
  itReadsKerasConfigs,
  itRefusesBadOptions,
  itRoundTrips,
} from "../../test/support/scheduleSuite.js";
import { deserialize, InverseTimeDecay, LearningRateSchedule, serialize } from "../index.js";

// 0, or rates in a range where a ceil-for-floor mistake changes the value: the whole double range is mostly tiny.
const rate = fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 10, noNaN: true }));
const options = fc.record({
  initialLearningRate: rate,
  decaySteps: fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
  decayRate: rate,
  staircase: fc.boolean(),
});
const step = fc.oneof(fc.nat(), fc.double({ min: 0, max: 1e9, noNaN: true }));

describe("InverseTimeDecay", () => {
  itMatchesKerasGolden("InverseTimeDecay", { cases: 12, values: 516 });

  it("new InverseTimeDecay(0.1, 1, 0.5) is a 1-arg callable of the step, the seed's example", () => {
    const lr = new InverseTimeDecay(0.1, 1, 0.5);
    expect(typeof lr).toBe("function");
    expect(lr instanceof LearningRateSchedule && lr instanceof InverseTimeDecay).toBe(true);
    expect([0, 1, 2].map(lr)).toEqual([Math.fround(0.1), Math.fround(Math.fround(0.1) / 1.5), Math.fround(0.05)]);
    expect(lr(3n)).toBe(lr(3));
    // Above 2^53 a bigint rounds to float32 once, as Keras casts an int64 step: Number() then fround would round twice.
    const stepped = new InverseTimeDecay(1, 1, 1);
    expect(stepped(2n ** 54n + 2n ** 30n + 1n)).toBe(stepped(2 ** 54 + 2 ** 31));
    expect(Math.fround(Number(2n ** 54n + 2n ** 30n + 1n))).toBe(2 ** 54);
    expect(lr.name).toBe("InverseTimeDecay");
  });

  it("the options object and the positional form build equal schedules", () => {
    const a = new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 3, decayRate: 0.5, staircase: true, name: "itd" });
    const b = new InverseTimeDecay(0.1, 3, 0.5, true, "itd");
    expect(a.getConfig()).toEqual(b.getConfig());
    expect(a.getConfig()).toEqual({ initialLearningRate: 0.1, decaySteps: 3, decayRate: 0.5, staircase: true, name: "itd" });
    expect(a.name).toBe("itd");
  });

  it("leading positional arguments can be followed by an options object for the rest", () => {
    expect(new InverseTimeDecay(0.1, 1, { decayRate: 0.5, staircase: true } as never).getConfig()).toEqual(
      new InverseTimeDecay(0.1, 1, 0.5, true).getConfig(),
    );
  });

  it("dtype 'float64' computes the same formula without rounding", () => {
    const lr = new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 3, decayRate: 0.5, dtype: "float64" });
    expect(lr(4)).toBe(0.1 / (1 + 0.5 * (4 / 3)));
    expect(lr.getConfig().dtype).toBe("float64");
    expect(serialize(lr).config.dtype).toBe("float64");
    expect(deserialize(serialize(lr))(4)).toBe(lr(4));
  });

  it("lr(0) equals initialLearningRate in float32", () => {
    fc.assert(fc.property(options, (o) => new InverseTimeDecay(o)(0) === Math.fround(o.initialLearningRate)));
  });

  it("lr(step) never rises as the step grows", () => {
    fc.assert(
      fc.property(options, step, step, (o, a, b) => {
        const lr = new InverseTimeDecay(o);
        return lr(Math.max(a, b)) <= lr(Math.min(a, b));
      }),
    );
  });

  itKeepsStaircaseFlat(InverseTimeDecay, options);

  itRoundTrips(InverseTimeDecay, options, step);

  it("fromConfig accepts Keras's snake_case config", () => {
    const lr = InverseTimeDecay.fromConfig({ initial_learning_rate: 0.05, decay_steps: 10, decay_rate: 0.96, staircase: true, name: "my_itd" });
    expect(lr.getConfig()).toEqual({ initialLearningRate: 0.05, decaySteps: 10, decayRate: 0.96, staircase: true, name: "my_itd" });
  });

  itReadsKerasConfigs("InverseTimeDecay", { count: 2, defaultName: "InverseTimeDecay" });

  describe("bad options throw errors that name the option, the value and what was expected", () => {
    const good = { initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 };
    itRefusesBadOptions(InverseTimeDecay, good, [
      [{ decaySteps: 0 }, /`decaySteps` must be a finite number > 0\. Received: decaySteps=0$/, RangeError],
      [{ decaySteps: -1 }, /decaySteps=-1/, RangeError],
      [{ decaySteps: NaN }, /decaySteps=NaN/, RangeError],
      [{ decaySteps: Infinity }, /decaySteps=Infinity/, RangeError],
      [{ decaySteps: "10" }, /`decaySteps` must be a finite number > 0\. Received: decaySteps="10"/, TypeError],
      [{ decaySteps: null }, /decaySteps=null/, TypeError],
      [{ decaySteps: undefined }, /`decaySteps` must be a finite number > 0 \(it is required\)/, TypeError],
      [{ initialLearningRate: NaN }, /`initialLearningRate` must be a finite number >= 0/, RangeError],
      [{ initialLearningRate: Infinity }, /initialLearningRate=Infinity/, RangeError],
      [{ initialLearningRate: -0.1 }, /initialLearningRate=-0.1/, RangeError],
      [{ initialLearningRate: "0.1" }, /initialLearningRate="0.1"/, TypeError],
      [{ decayRate: NaN }, /`decayRate` must be a finite number >= 0/, RangeError],
      [{ decayRate: -1 }, /decayRate=-1/, RangeError],
      [{ decayRate: Infinity }, /decayRate=Infinity/, RangeError],
      [{ decayRate: "fast" }, /decayRate="fast"/, TypeError],
      [{ staircase: "yes" }, /`staircase` must be a boolean\. Received: staircase="yes"/, TypeError],
      [{ staircase: 1 }, /staircase=1/, TypeError],
      [{ name: 42 }, /`name` must be a string\. Received: name=42/, TypeError],
    ]);
    it("a missing decaySteps is refused in the positional form too", () => {
      expect(() => new (InverseTimeDecay as unknown as new (a: number) => unknown)(0.1)).toThrow(/`decaySteps`.*required/);
    });
    it("an unknown option and surplus arguments are refused, not ignored", () => {
      expect(() => new InverseTimeDecay({ ...good, decaySteep: 2 } as never)).toThrow(/`decaySteep` must be one of the options/);
      expect(() => new (InverseTimeDecay as unknown as new (...a: unknown[]) => unknown)(0.1, 1, 0.5, false, "n", 7)).toThrow(/at most 5 positional/);
      expect(() => new InverseTimeDecay(0.1, 1, { decaySteps: 2, decayRate: 0.5 } as never)).toThrow(/`decaySteps` must be given once/);
    });
  });

  describe("bad steps throw instead of returning NaN", () => {
    const lr = new InverseTimeDecay(0.1, 1, 0.5);
    const cases: [unknown, ErrorConstructor, RegExp][] = [
      [-1, RangeError, /step=-1/],
      [-1n, RangeError, /step=-1n/],
      [NaN, RangeError, /step=NaN/],
      [Infinity, RangeError, /step=Infinity/],
      [1e39, RangeError, /step=1e\+39/],
      [10n ** 39n, RangeError, /step=1000000000000000000000000000000000000000n/],
      ["3", TypeError, /step="3"/],
      [null, TypeError, /step=null/],
      [undefined, TypeError, /step=undefined/],
      [{ step: 3 }, TypeError, /step=\{step\}/],
      [[3], TypeError, /step=\[3\]/],
    ];
    for (const [value, kind, message] of cases) {
      it(`lr(${typeof value === "bigint" ? `${value}n` : JSON.stringify(value) ?? String(value)}) throws ${kind.name}`, () => {
        expect(() => lr(value as number)).toThrow(kind);
        expect(() => lr(value as number)).toThrow(message);
        expect(() => lr(value as number)).toThrow(/`step` must be a number or bigint in \[0, 3\.4028234663852886e\+38\]/);
      });
    }
    it("a tensor-like step without lr-schedules/tfjs imported says to import it", () => {
      const fakeTensor = { dataId: {}, dtype: "float32", shape: [] };
      expect(() => lr(fakeTensor as never)).toThrow(/import 'lr-schedules\/tfjs'/);
    });
  });
});
