/**
 * Bounds on a schedule's rates over a whole range of steps, from one evaluation of its formula in interval
 * arithmetic: what lets {@link sample} skip checking each value when the bounds already show that every one is a
 * rate.
 */
import { float32Ops } from "./float32.js";
import type { Ops } from "./ops.js";
import { computesAsBuiltIn, scheduleTree, type LearningRateSchedule, type ScheduleClass } from "./schedule.js";

/**
 * Every value of a quantity lies in `[lo, hi]`, both finite; `null` claims nothing (the quantity may be anything,
 * NaN and infinities included).
 */
export type Interval = { readonly lo: number; readonly hi: number } | null;

/** A comparison of two intervals: decided for every value in them, or `"maybe"`. */
type Truth = boolean | "maybe";

const bounded = (lo: number, hi: number): Interval => (Number.isFinite(lo) && Number.isFinite(hi) ? { lo, hi } : null);

const hull = (a: Interval, b: Interval): Interval => a && b && { lo: Math.min(a.lo, b.lo), hi: Math.max(a.hi, b.hi) };

/**
 * `f` at the four corners of `a` × `b`, for an `f` monotone in each operand while the other is held (in a direction
 * that may depend on it): its extremes over the box then lie at corners. A correctly rounded float32 operation is
 * such an `f` when the exact one is (sum, difference, product, quotient by an interval without 0), since rounding is
 * monotone too.
 */
function corners(a: Interval, b: Interval, f: (x: number, y: number) => number): Interval {
  if (!a || !b) return null;
  const xs = [f(a.lo, b.lo), f(a.lo, b.hi), f(a.hi, b.lo), f(a.hi, b.hi)];
  return bounded(Math.min(...xs), Math.max(...xs));
}

/** `f` at both ends of `a`, for a non-decreasing `f`. */
const ends = (a: Interval, f: (x: number) => number): Interval => a && bounded(f(a.lo), f(a.hi));

/**
 * `r` widened by several float32 ulps at each end, keeping float32 ends: more than enough for a libm function
 * (`Math.pow`, `Math.log`), which may be off by an ulp of a double and so is not quite monotone.
 */
const widened = (r: Interval): Interval =>
  r && bounded(Math.fround(r.lo - Math.abs(r.lo) * 2 ** -20 - 2 ** -149), Math.fround(r.hi + Math.abs(r.hi) * 2 ** -20 + 2 ** -149));

function choose(condition: Truth, a: () => Interval, b: () => Interval): Interval {
  if (condition === "maybe") return hull(a(), b());
  return condition ? a() : b();
}

/**
 * Keras's float32 arithmetic on intervals: an operation applies the same float32 operation of {@link float32Ops} to
 * the ends of its operands (cos is bounded by [-1, 1]), so the result bounds every value the operation gives on
 * numbers in them. Anything that could overflow or be NaN (a result rounding to infinity, a quotient by an interval
 * holding 0, the log of a number <= 0, a negative base of pow) is `null`, and `null` spreads. A comparison whose
 * operands overlap is `"maybe"`, and a `where` or `cond` on it bounds both branches together.
 */
export const intervalOps: Ops<Interval, Truth> = Object.freeze({
  dtype: "float32",
  constant: (x: number) => bounded(Math.fround(x), Math.fround(x)),
  add: (a: Interval, b: Interval) => corners(a, b, float32Ops.add),
  sub: (a: Interval, b: Interval) => corners(a, b, float32Ops.sub),
  mul: (a: Interval, b: Interval) => corners(a, b, float32Ops.mul),
  div: (a: Interval, b: Interval) => (b && (b.lo > 0 || b.hi < 0) ? corners(a, b, float32Ops.div) : null),
  // fma rounds a * b + c once: monotone in a and in b, increasing in c.
  fma: (a: Interval, b: Interval, c: Interval) =>
    c && hull(corners(a, b, (x, y) => float32Ops.fma(x, y, c.lo)), corners(a, b, (x, y) => float32Ops.fma(x, y, c.hi))),
  // For a base >= 0, a ** b is monotone in a and in b (pow(0, 0) = 1 included) and never below 0; Math.pow may be
  // off by an ulp, hence the widening.
  pow: (a: Interval, b: Interval) => {
    const r = a && a.lo >= 0 ? widened(corners(a, b, float32Ops.pow)) : null;
    return r && { lo: Math.max(0, r.lo), hi: r.hi };
  },
  floor: (a: Interval) => ends(a, Math.floor),
  ceil: (a: Interval) => ends(a, Math.ceil),
  cos: (a: Interval) => a && { lo: -1, hi: 1 },
  log: (a: Interval) => (a && a.lo > 0 ? widened(ends(a, float32Ops.log)) : null),
  minimum: (a: Interval, b: Interval) => a && b && { lo: Math.min(a.lo, b.lo), hi: Math.min(a.hi, b.hi) },
  maximum: (a: Interval, b: Interval) => a && b && { lo: Math.max(a.lo, b.lo), hi: Math.max(a.hi, b.hi) },
  less: (a: Interval, b: Interval) => (!a || !b ? "maybe" : a.hi < b.lo ? true : a.lo >= b.hi ? false : "maybe"),
  lessEqual: (a: Interval, b: Interval) => (!a || !b ? "maybe" : a.hi <= b.lo ? true : a.lo > b.hi ? false : "maybe"),
  equal: (a: Interval, b: Interval) =>
    !a || !b ? "maybe" : a.hi < b.lo || b.hi < a.lo ? false : a.lo === a.hi && b.lo === b.hi ? true : "maybe",
  where: (condition: Truth, a: Interval, b: Interval) => choose(condition, () => a, () => b),
  cond: (condition: Truth, then: () => Interval, otherwise: () => Interval) => choose(condition, then, otherwise),
});

/**
 * Bounds on `schedule(s)` for every step `s` from `first` to `last`, or `null` when interval arithmetic cannot bound
 * them. Only for a schedule that {@link isFloat32Throughout} accepts: its `compute` is then the formula it runs.
 */
export function rateBounds(schedule: LearningRateSchedule, first: number, last: number): Interval {
  // Widened past the float32 steps, so that the bounds also hold where a formula compares a whole step exactly
  // (PiecewiseConstantDecay's number path finds step 2^24 + 1 past a boundary of 2^24, though the float32 of that
  // step is 2^24). Steps are never negative.
  const steps = widened(bounded(Math.fround(first), Math.fround(last)));
  return steps && schedule.compute(intervalOps, { lo: Math.max(0, steps.lo), hi: steps.hi });
}

/**
 * Whether every value is a float32 by construction: a built-in schedule, and everything nested in it, computing in
 * float32 with the built-in formula. A user's class, or a subclass overriding `compute`, may compute outside the
 * `ops` it is given, so it is never one.
 */
export function isFloat32Throughout(schedule: LearningRateSchedule): boolean {
  return scheduleTree(schedule).every((node) => node.dtype === "float32" && computesAsBuiltIn(node.schedule.constructor as ScheduleClass));
}
