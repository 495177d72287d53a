import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { oneMinus } from "./kerasFloat32.js";

describe("oneMinus", () => {
  it("is 1 - x with x rounded to float32, then the difference rounded to float32", () => {
    expect(oneMinus(0.9)).toBe(Math.fround(1 - Math.fround(0.9)));
    expect(oneMinus(0.9)).not.toBe(Math.fround(1 - 0.9));
    fc.assert(fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (x) => Object.is(oneMinus(x), Math.fround(oneMinus(x)))));
  });
});
