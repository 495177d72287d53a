import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { goldenCases } from "../../test/support/golden.js";
import {
  itKeepsStaircaseFlat,
  itMatchesKerasGolden,
  itReadsKerasConfigs,
  itRefusesBadOptions,
  itRoundTrips,
} from "../../test/support/scheduleSuite.js";
import { deserialize, ExponentialDecay, LearningRateSchedule, ScheduleValueError, serialize } from "../index.js";

const golden = goldenCases("ExponentialDecay");
const rate = fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 10, noNaN: true }));
const decaying = fc.record({
  initialLearningRate: rate,
  decaySteps: fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
  decayRate: fc.double({ min: 0, max: 1, noNaN: true }),
  staircase: fc.boolean(),
});
const options = fc.record({
  initialLearningRate: rate,
  decaySteps: fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
  decayRate: fc.double({ min: 0, max: 2, noNaN: true }),
  staircase: fc.boolean(),
});
const step = fc.oneof(fc.nat(), fc.double({ min: 0, max: 1e9, noNaN: true }));

/** The rate, or Infinity where a growing schedule overflows float32 (the call throws ScheduleValueError there). */
function rateOrOverflow(lr: ExponentialDecay, s: number): number {
  try {
    return lr(s);
  } catch (e) {
    if (e instanceof ScheduleValueError && e.value === Infinity) return Infinity;
    throw e;
  }
}

describe("ExponentialDecay", () => {
  itMatchesKerasGolden("ExponentialDecay", { cases: 12, values: 516 });

  it("a result below float32's normal range is 0, as Keras on JAX gives (the golden file's numpy backend keeps it)", () => {
    const c = golden.find((g) => g.float32_bits.some((bits, i) => bits === 0 && g.numpy_backend_float32_bits[i] !== 0))!;
    const i = c.float32_bits.findIndex((bits, i) => bits === 0 && c.numpy_backend_float32_bits[i] !== 0);
    expect(c.steps[i]).toBe(795991);
    expect(deserialize(c.keras)(c.steps[i]!)).toBe(0);
    expect(new ExponentialDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 0.5 })(126)).toBe(2 ** -126);
    expect(new ExponentialDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 0.5 })(127)).toBe(0);
    expect(new ExponentialDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 0.5, dtype: "float64" })(127)).toBe(2 ** -127);
  });

  it("new ExponentialDecay(0.1, 1000, 0.96) is a 1-arg callable of the step, the TSDoc example", () => {
    const lr = new ExponentialDecay(0.1, 1000, 0.96);
    expect(typeof lr).toBe("function");
    expect(lr instanceof LearningRateSchedule && lr instanceof ExponentialDecay).toBe(true);
    expect([0, 500, 1000].map(lr)).toEqual([Math.fround(0.1), 0.0979795902967453, Math.fround(Math.fround(0.1) * Math.fround(0.96))]);
    expect(lr(1000n)).toBe(lr(1000));
    expect(lr.name).toBe("ExponentialDecay");
    const stairs = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.5, staircase: true });
    expect([999, 1000, 1999, 2000].map(stairs)).toEqual([Math.fround(0.1), Math.fround(0.05), Math.fround(0.05), Math.fround(0.025)]);
  });

  it("the options object and the positional form build equal schedules", () => {
    const a = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 3, decayRate: 0.5, staircase: true, name: "ed" });
    const b = new ExponentialDecay(0.1, 3, 0.5, true, "ed");
    expect(a.getConfig()).toEqual(b.getConfig());
    expect(a.getConfig()).toEqual({ initialLearningRate: 0.1, decaySteps: 3, decayRate: 0.5, staircase: true, name: "ed" });
    expect(new ExponentialDecay(0.1, 1, { decayRate: 0.5, staircase: true } as never).getConfig()).toEqual(
      new ExponentialDecay(0.1, 1, 0.5, true).getConfig(),
    );
  });

  it("dtype 'float64' computes the same formula without rounding", () => {
    const lr = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 3, decayRate: 0.5, dtype: "float64" });
    expect(lr(4)).toBe(0.1 * Math.pow(0.5, 4 / 3));
    expect(deserialize(serialize(lr))(4)).toBe(lr(4));
  });

  it("lr(0) equals initialLearningRate in float32", () => {
    fc.assert(fc.property(options, (o) => new ExponentialDecay(o)(0) === Math.fround(o.initialLearningRate)));
  });

  it("lr(step) never rises while decayRate <= 1, and never falls while decayRate >= 1", () => {
    fc.assert(
      fc.property(options, step, step, (o, a, b) => {
        const lr = new ExponentialDecay(o);
        const [early, late] = [rateOrOverflow(lr, Math.min(a, b)), rateOrOverflow(lr, Math.max(a, b))];
        return (o.decayRate > 1 || late <= early) && (o.decayRate < 1 || late >= early);
      }),
    );
  });

  it("lr(step) is never NaN or Infinity: 0 stays 0 where Keras's 0 * Infinity is NaN, and an overflow throws", () => {
    expect(new ExponentialDecay(0, 1, 2)(1000)).toBe(0);
    expect(() => new ExponentialDecay(1, 1, 2)(1000)).toThrow(ScheduleValueError);
    expect(() => new ExponentialDecay(1, 1, 2)(1000)).toThrow("ExponentialDecay: the rate at step 1000 is Infinity, not a finite number >= 0");
    fc.assert(
      fc.property(options, fc.double({ min: 0, max: 3.4e38, noNaN: true }), (o, s) => {
        const r = rateOrOverflow(new ExponentialDecay(o), s);
        return r === Infinity ? o.decayRate > 1 : Number.isFinite(r) && r >= 0;
      }),
    );
  });

  itKeepsStaircaseFlat(ExponentialDecay, decaying);

  itRoundTrips(ExponentialDecay, decaying, step);

  it("fromConfig accepts Keras's snake_case config", () => {
    const lr = ExponentialDecay.fromConfig({ initial_learning_rate: 0.05, decay_steps: 10, decay_rate: 0.96, staircase: true, name: "my_ed" });
    expect(lr.getConfig()).toEqual({ initialLearningRate: 0.05, decaySteps: 10, decayRate: 0.96, staircase: true, name: "my_ed" });
  });

  itReadsKerasConfigs("ExponentialDecay", { count: 1, defaultName: "ExponentialDecay" });

  describe("bad options throw errors that name the option, the value and what was expected", () => {
    const good = { initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 };
    itRefusesBadOptions(ExponentialDecay, good, [
      [{ decaySteps: 0 }, /`decaySteps` must be a finite number > 0\. Received: decaySteps=0$/, RangeError],
      [{ decaySteps: -1 }, /decaySteps=-1/, RangeError],
      [{ decaySteps: NaN }, /decaySteps=NaN/, RangeError],
      [{ decaySteps: Infinity }, /decaySteps=Infinity/, RangeError],
      [{ decaySteps: "10" }, /decaySteps="10"/, TypeError],
      [{ decaySteps: undefined }, /`decaySteps` must be a finite number > 0 \(it is required\)/, TypeError],
      [{ initialLearningRate: NaN }, /`initialLearningRate` must be a finite number >= 0/, RangeError],
      [{ initialLearningRate: -Infinity }, /initialLearningRate=-Infinity/, RangeError],
      [{ initialLearningRate: -0.1 }, /initialLearningRate=-0.1/, RangeError],
      [{ decayRate: NaN }, /`decayRate` must be a finite number >= 0/, RangeError],
      [{ decayRate: -0.5 }, /decayRate=-0.5/, RangeError],
      [{ decayRate: Infinity }, /decayRate=Infinity/, RangeError],
      [{ decayRate: null }, /decayRate=null/, TypeError],
      [{ staircase: "yes" }, /`staircase` must be a boolean\. Received: staircase="yes"/, TypeError],
      [{ name: 42 }, /`name` must be a string\. Received: name=42/, TypeError],
      [{ dtype: "float16" }, /`dtype` must be one of "float32", "float64"/, RangeError],
    ]);
    it("an unknown option, a surplus argument and a bad Keras key are refused, not ignored", () => {
      expect(() => new ExponentialDecay({ ...good, decayrate: 2 } as never)).toThrow(/`decayrate` must be one of the options/);
      expect(() => new (ExponentialDecay as unknown as new (...a: unknown[]) => unknown)(0.1, 1, 0.5, false, "n", 7)).toThrow(/at most 5 positional/);
      expect(() => deserialize({ class_name: "ExponentialDecay", config: { initial_learning_rate: 0.1, decay_steps: 0, decay_rate: 0.5 } })).toThrow(
        /`config\.decay_steps` must be a finite number > 0/,
      );
    });
  });
});
