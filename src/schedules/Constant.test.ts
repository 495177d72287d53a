import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dtypes, itRefusesBadOptions, itRoundTrips } from "../../test/support/scheduleSuite.js";
import { describeTensorSteps } from "../../test/support/scheduleTensorSteps.js";
import { Constant, deserialize, float32Ops, LearningRateSchedule, serialize } from "../index.js";

const value = fc.double({ min: 0, max: 10, noNaN: true });
const step = fc.oneof(fc.nat(), fc.double({ min: 0, max: 1e30, noNaN: true }));
/** Either precision: the round trip must keep `dtype` too. */
const options = fc.record({ value, dtype: dtypes });

describe("Constant", () => {
  it("new Constant(0.1) is 0.1 in float32 at every step, and compute() gives the same", () => {
    const lr = new Constant(0.1);
    expect(typeof lr).toBe("function");
    expect(lr instanceof LearningRateSchedule && lr instanceof Constant).toBe(true);
    expect([0, 1, 2.5, 1e9].map(lr)).toEqual(Array(4).fill(Math.fround(0.1)));
    expect(lr(7n)).toBe(Math.fround(0.1));
    expect(lr.compute(float32Ops, 3)).toBe(Math.fround(0.1));
  });

  it("lr(step) equals value rounded to float32 for any value and step; dtype 'float64' returns value itself", () => {
    fc.assert(
      fc.property(value, step, (v, s) => {
        return new Constant(v)(s) === Math.fround(v) && new Constant({ value: v, dtype: "float64" })(s) === v;
      }),
    );
  });

  it("the positional form and the options object build equal schedules", () => {
    const a = new Constant(0.5, "flat");
    const b = new Constant({ value: 0.5, name: "flat" });
    expect(a.getConfig()).toEqual({ value: 0.5, name: "flat" });
    expect(b.getConfig()).toEqual(a.getConfig());
    expect(new Constant(0.5).name).toBe("Constant");
  });

  it("serialize writes Keras 3's and Keras 2's shapes, registered as lr-schedules>Constant", () => {
    const lr = new Constant(0.5);
    expect(serialize(lr)).toEqual({
      module: "lr_schedules",
      class_name: "Constant",
      config: { value: 0.5, name: "Constant" },
      registered_name: "lr-schedules>Constant",
    });
    expect(serialize(lr, { format: "keras2" })).toEqual({ class_name: "lr-schedules>Constant", config: { value: 0.5, name: "Constant" } });
    expect(deserialize({ class_name: "lr-schedules>Constant", config: { value: 0.5, name: null } }).name).toBe("Constant");
  });

  itRoundTrips(Constant, options, step);

  describe("bad options throw errors that name the option", () => {
    itRefusesBadOptions(Constant, { value: 0.1 }, [
      [{ value: -0.1 }, /^Constant: `value` must be a finite number >= 0\. Received: value=-0.1$/, RangeError],
      [{ value: NaN }, /value=NaN/, RangeError],
      [{ value: Infinity }, /value=Infinity/, RangeError],
      [{ value: "0.1" }, /value="0.1"/, TypeError],
      [{ value: undefined }, /`value` must be a finite number >= 0 \(it is required\)/, TypeError],
      [{ name: 3 }, /`name` must be a string/, TypeError],
      [{ dtype: "float16" }, /`dtype` must be one of "float32", "float64"/, RangeError],
    ]);
    it("an unknown option is refused", () => {
      expect(() => new Constant({ value: 0.1, rate: 2 } as never)).toThrow(/`rate` must be one of the options value, name, dtype/);
    });
  });

  describeTensorSteps([new Constant(0.1), new Constant(3.7), new Constant(0)], [0, 1, 2.5, 1e6]);
});
