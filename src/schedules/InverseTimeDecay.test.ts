import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { goldenCases, kerasFixture } from "../../test/support/golden.js";
import { deserialize, float32Bits, InverseTimeDecay, LearningRateSchedule, serialize } from "../index.js";

const golden = goldenCases("InverseTimeDecay");
const rate = fc.double({ min: 0, max: 10, noNaN: true });
const options = fc.record({
  initialLearningRate: rate,
  decaySteps: fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
  decayRate: rate,
  staircase: fc.boolean(),
});
const step = fc.oneof(fc.nat(), fc.double({ min: 0, max: 1e9, noNaN: true }));

describe("InverseTimeDecay", () => {
  it("deserialize(case.keras)(step) equals Keras bit for bit on every golden case", () => {
    expect(golden.length).toBe(12);
    let compared = 0;
    for (const c of golden) {
      const lr = deserialize(c.keras);
      c.steps.forEach((s, i) => {
        expect(float32Bits(lr(s)), `${JSON.stringify(c.keras.config)} at step ${s}`).toBe(c.float32_bits[i]);
        compared++;
      });
    }
    expect(compared).toBeGreaterThan(500);
  });

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

  it("the staircase value is at least the continuous value, and constant within each interval", () => {
    fc.assert(
      fc.property(options, fc.nat({ max: 1000 }), fc.double({ min: 0, max: 0.999, noNaN: true }), (o, k, frac) => {
        const stairs = new InverseTimeDecay({ ...o, staircase: true });
        const smooth = new InverseTimeDecay({ ...o, staircase: false });
        const start = Math.fround(k * Math.fround(o.decaySteps));
        const inside = start + frac * Math.fround(o.decaySteps);
        // Only where float32 division puts both points in interval k (rounding can move an edge by one ulp).
        const f = (s: number) => Math.floor(Math.fround(Math.fround(s) / Math.fround(o.decaySteps)));
        fc.pre(f(start) === k && f(inside) === k);
        return stairs(inside) >= smooth(inside) && stairs(inside) === stairs(start);
      }),
    );
  });

  it("fromConfig(getConfig()), deserialize(serialize()) and a JSON text round trip give equal schedules", () => {
    fc.assert(
      fc.property(options, step, fc.constantFrom<"keras3" | "keras2">("keras3", "keras2"), (o, s, format) => {
        const lr = new InverseTimeDecay(o);
        const copies = [
          InverseTimeDecay.fromConfig(lr.getConfig()),
          deserialize(serialize(lr, { format })),
          deserialize(JSON.stringify(serialize(lr, { format }))),
        ];
        return copies.every((c) => c(s) === lr(s) && JSON.stringify(c.getConfig()) === JSON.stringify(lr.getConfig()));
      }),
    );
  });

  it("fromConfig accepts Keras's snake_case config", () => {
    const lr = InverseTimeDecay.fromConfig({ initial_learning_rate: 0.05, decay_steps: 10, decay_rate: 0.96, staircase: true, name: "my_itd" });
    expect(lr.getConfig()).toEqual({ initialLearningRate: 0.05, decaySteps: 10, decayRate: 0.96, staircase: true, name: "my_itd" });
  });

  it("deserialize loads every InverseTimeDecay schedule that Keras 3 and Keras 2 wrote, and writes Keras 3's back unchanged", () => {
    const k3 = kerasFixture<{ schedules: Record<string, { class_name: string }> }>("keras3-configs.json").schedules;
    const k2 = kerasFixture<{ schedules: Record<string, { class_name: string }> }>("tf-keras-legacy-configs.json").schedules;
    const keras3 = Object.values(k3).filter((s) => s.class_name === "InverseTimeDecay");
    const keras2 = Object.values(k2).filter((s) => s.class_name === "InverseTimeDecay");
    expect(keras3.length).toBe(2);
    expect(keras2.length).toBe(2);
    for (const json of keras3) expect(serialize(deserialize(json))).toEqual(json);
    expect(deserialize(keras2[0]).name).toBe("InverseTimeDecay");
    expect(deserialize(keras2[1]).getConfig()).toEqual(deserialize(keras3[1]).getConfig());
  });

  describe("bad options throw errors that name the option, the value and what was expected", () => {
    const good = { initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 };
    const cases: [string, unknown, RegExp, ErrorConstructor][] = [
      ["decaySteps", 0, /`decaySteps` must be a finite number > 0\. Received: decaySteps=0$/, RangeError],
      ["decaySteps", -1, /decaySteps=-1/, RangeError],
      ["decaySteps", NaN, /decaySteps=NaN/, RangeError],
      ["decaySteps", Infinity, /decaySteps=Infinity/, RangeError],
      ["decaySteps", "10", /`decaySteps` must be a finite number > 0\. Received: decaySteps="10"/, TypeError],
      ["decaySteps", null, /decaySteps=null/, TypeError],
      ["decaySteps", undefined, /`decaySteps` must be a finite number > 0 \(it is required\)/, TypeError],
      ["initialLearningRate", NaN, /`initialLearningRate` must be a finite number >= 0/, RangeError],
      ["initialLearningRate", Infinity, /initialLearningRate=Infinity/, RangeError],
      ["initialLearningRate", -0.1, /initialLearningRate=-0.1/, RangeError],
      ["initialLearningRate", "0.1", /initialLearningRate="0.1"/, TypeError],
      ["decayRate", NaN, /`decayRate` must be a finite number >= 0/, RangeError],
      ["decayRate", -1, /decayRate=-1/, RangeError],
      ["decayRate", Infinity, /decayRate=Infinity/, RangeError],
      ["decayRate", "fast", /decayRate="fast"/, TypeError],
      ["staircase", "yes", /`staircase` must be a boolean\. Received: staircase="yes"/, TypeError],
      ["staircase", 1, /staircase=1/, TypeError],
      ["name", 42, /`name` must be a string\. Received: name=42/, TypeError],
    ];
    for (const [option, value, message, kind] of cases) {
      it(`new InverseTimeDecay({ ${option}: ${String(value)} }) throws ${kind.name}`, () => {
        const make = () => new InverseTimeDecay({ ...good, [option]: value } as never);
        expect(make).toThrow(kind);
        expect(make).toThrow(message);
        expect(make).toThrow(/^InverseTimeDecay: /);
      });
    }
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
        expect(() => lr(value as number)).toThrow(/`step` must be a number or bigint in \[0, 3.4028234663852886e38\]/);
      });
    }
    it("a tensor-like step without lr-schedules/tfjs imported says to import it", () => {
      const fakeTensor = { dataId: {}, dtype: "float32", shape: [] };
      expect(() => lr(fakeTensor as never)).toThrow(/import 'lr-schedules\/tfjs'/);
    });
  });
});
