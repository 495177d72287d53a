import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { shortFloat } from "./data.js";
import { formatRate } from "./rangeTest.js";

describe("shortFloat: one printer for rates people read", () => {
  it("prints the fewest digits that read back as the same float32, and a double as it is", () => {
    expect(shortFloat(Math.fround(0.1))).toBe("0.1");
    expect(shortFloat(Math.fround(1e-7))).toBe("1e-7");
    expect(shortFloat(0.1 + 0.2)).toBe("0.30000000000000004");
    expect([0, Infinity, NaN].map((x) => shortFloat(x))).toEqual(["0", "Infinity", "NaN"]);
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const text = shortFloat(x);
        expect(Math.fround(Number(text))).toBe(x === 0 ? 0 : x); // -0 prints as 0
      }),
    );
  });

  it("rounds to `digits` and writes e-notation outside `plainWithin`: the range test's rates", () => {
    const rate = (x: number) => shortFloat(x, { digits: 3, plainWithin: [0.01, 1e6] });
    expect(rate(0.0012345)).toBe("1.23e-3");
    expect(rate(0.001)).toBe("1e-3");
    expect(rate(0.0015)).toBe("1.5e-3");
    expect(rate(0.012345)).toBe("0.0123");
    expect(rate(Math.fround(0.1))).toBe("0.1");
    expect(rate(123456.7)).toBe("123000");
    expect(rate(12345678)).toBe("1.23e7");
    expect(rate(0.009996)).toBe("1e-2"); // below 0.01 before rounding
    expect(formatRate(0.0012345)).toBe(rate(0.0012345));
    fc.assert(
      fc.property(fc.double({ min: 1e-12, max: 1e12, noNaN: true }), (x) => {
        expect(Number(rate(x))).toBe(Number(x.toPrecision(3)));
      }),
    );
  });
});
