import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { intervalOps, isFloat32Throughout, rateBounds, type Interval } from "./bounds.js";
import { parseExpression } from "./cli/expression.js";
import { EXAMPLES } from "./cli/test-examples.js";
import { float32Ops } from "./float32.js";
import type { Ops } from "./ops.js";
import { InverseTimeDecay, PiecewiseConstantDecay } from "./index.js";
import { sample } from "./sample.js";

/** A float32 interval with a point inside it, from two ends drawn from `ends`. */
const intervalOf = (ends: fc.Arbitrary<number>) =>
  fc.tuple(ends, ends, fc.double({ min: 0, max: 1, noNaN: true })).map(([x, y, at]) => {
    const [lo, hi] = x <= y ? [x, y] : [y, x];
    return { box: { lo, hi }, point: Math.min(Math.fround(lo + at * (hi - lo)), hi) };
  });
const interval = intervalOf(
  fc.oneof(fc.float({ min: -1e6, max: 1e6, noNaN: true }), fc.float({ min: -2, max: 2, noNaN: true }), fc.constantFrom(0, 1, -1, 0.5)),
);
const positive = intervalOf(fc.oneof(fc.float({ min: 0, max: 1e6, noNaN: true }), fc.float({ min: 0, max: 2, noNaN: true }), fc.constantFrom(0, 1, 0.5)));

const within = (r: Interval, v: number) => r === null || (v >= r.lo && v <= r.hi);

describe("intervalOps", () => {
  const binary = ["add", "sub", "mul", "div", "minimum", "maximum"] as const;
  for (const op of binary) {
    it(`${op}(a, b) bounds float32Ops.${op}(x, y) for every x in a and y in b`, () => {
      fc.assert(fc.property(interval, interval, (a, b) => within(intervalOps[op](a.box, b.box), float32Ops[op](a.point, b.point))));
    });
  }

  it("pow(a, b) bounds x ** y for a base >= 0, and is never below 0", () => {
    fc.assert(
      fc.property(positive, interval, (a, b) => {
        const r = intervalOps.pow(a.box, b.box);
        return within(r, float32Ops.pow(a.point, b.point)) && (r === null || r.lo >= 0);
      }),
    );
    expect(intervalOps.pow({ lo: -1, hi: 2 }, { lo: 0.5, hi: 0.5 })).toBeNull();
    expect(intervalOps.pow({ lo: 0, hi: 2 }, { lo: -1, hi: 1 })).toBeNull();
  });

  it("fma(a, b, c) bounds the once-rounded x * y + z", () => {
    fc.assert(fc.property(interval, interval, interval, (a, b, c) => within(intervalOps.fma(a.box, b.box, c.box), float32Ops.fma(a.point, b.point, c.point))));
  });

  it("floor, ceil, cos and log bound their float32 results", () => {
    fc.assert(
      fc.property(interval, positive, (a, p) =>
        (["floor", "ceil", "cos"] as const).every((op) => within(intervalOps[op](a.box), float32Ops[op](a.point))) &&
        within(intervalOps.log(p.box), float32Ops.log(p.point)),
      ),
    );
    expect(intervalOps.log({ lo: 0, hi: 1 })).toBeNull();
  });

  it("a comparison is decided only when it holds the same way for every pair of points", () => {
    fc.assert(
      fc.property(interval, interval, (a, b) =>
        (["less", "lessEqual", "equal"] as const).every((op) => {
          const decided = intervalOps[op](a.box, b.box);
          return decided === "maybe" || decided === float32Ops[op](a.point, b.point);
        }),
      ),
    );
  });

  it("where and cond take the decided branch, and bound both when undecided", () => {
    const a = { lo: 1, hi: 2 };
    const b = { lo: 5, hi: 6 };
    expect(intervalOps.where(true, a, b)).toBe(a);
    expect(intervalOps.where(false, a, b)).toBe(b);
    expect(intervalOps.where("maybe", a, b)).toEqual({ lo: 1, hi: 6 });
    expect(intervalOps.cond("maybe", () => a, () => null)).toBeNull();
    expect(intervalOps.cond(true, () => a, () => { throw new Error("the branch not taken is not computed"); })).toBe(a);
  });

  it("anything that may overflow or be NaN claims nothing", () => {
    expect(intervalOps.div({ lo: 1, hi: 1 }, { lo: -1, hi: 1 })).toBeNull();
    expect(intervalOps.mul({ lo: 1, hi: 3e38 }, { lo: 2, hi: 2 })).toBeNull();
    expect(intervalOps.add(null, { lo: 1, hi: 1 })).toBeNull();
    expect(intervalOps.constant(Infinity)).toBeNull();
  });
});

describe("rateBounds", () => {
  it("bounds the rates of the bench's InverseTimeDecay over 10^7 steps at once, so sample checks none of them", () => {
    const bounds = rateBounds(new InverseTimeDecay(0.1, 1000, 0.5), 0, 1e7 - 1);
    expect(bounds).not.toBeNull();
    expect(bounds!.lo).toBeGreaterThanOrEqual(0);
    const { values } = sample(new InverseTimeDecay(0.1, 1000, 0.5), { stop: 1e7, step: 997 });
    expect(Math.min(...values)).toBeGreaterThanOrEqual(bounds!.lo);
    expect(Math.max(...values)).toBeLessThanOrEqual(bounds!.hi);
  });

  it("shows every float32 example's rates over 10^6 steps to be rates, but for two whose branches it must join", () => {
    // Where a `cond` cannot be decided, both branches are bounded over the whole range: a linear anneal past its phase
    // goes below 0, and 1 - sqrt of a negative fraction is NaN. sample then halves the range until it can decide.
    const joined = [
      "OneCycle({ peakLearningRate: 0.1, totalSteps: 1000, annealStrategy: 'linear', threePhase: true })",
      "WarmupStableDecay({ peakLearningRate: 1e-3, warmupSteps: 100, stableSteps: 500, decaySteps: 300, decayType: '1-sqrt' })",
    ];
    const unproven = EXAMPLES.filter((text) => {
      const schedule = parseExpression(text);
      const bounds = isFloat32Throughout(schedule) ? rateBounds(schedule, 0, 1e6) : { lo: 0 };
      return bounds === null || bounds.lo < 0;
    });
    expect(unproven).toEqual(joined);
    for (const text of joined) expect(rateBounds(parseExpression(text), 2000, 1e6)).not.toBeNull();
  });

  it("holds where a whole step is compared exactly, though its float32 equals the boundary", () => {
    const lr = new PiecewiseConstantDecay([2 ** 24], [0.5, 0.25]);
    expect(lr(2 ** 24 + 1)).toBe(0.25);
    expect(Math.fround(2 ** 24 + 1)).toBe(2 ** 24);
    expect(rateBounds(lr, 2 ** 24 + 1, 2 ** 24 + 1)).toEqual({ lo: 0.25, hi: 0.5 });
  });

  it("is not used for a subclass that overrides compute, or a float64 schedule: sample checks their values", () => {
    class Cliff extends InverseTimeDecay {
      override compute<T, B>(o: Ops<T, B>, step: T): T {
        return o.where(o.less(step, o.constant(100_000)), o.constant(0.1), o.div(o.constant(1), o.constant(0)));
      }
    }
    const cliff = new Cliff(0.1, 1, 0.5);
    expect(isFloat32Throughout(cliff)).toBe(false);
    expect(isFloat32Throughout(new InverseTimeDecay(0.1, 1, 0.5))).toBe(true);
    expect(isFloat32Throughout(new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5, dtype: "float64" }))).toBe(false);
    expect(() => cliff(100_000)).toThrow("the rate at step 100000 is Infinity");
    expect(() => sample(cliff, { stop: 200_000 })).toThrow("the rate at step 100000 is Infinity");
  });
});
