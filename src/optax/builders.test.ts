/**
 * The laws of lr-schedules/optax's builders (round trips, bad options, both sides of each cond) and the identities
 * optax defines them by (a warmup schedule is a join of a line and a decay, linear is polynomial with power 1...),
 * checked to the bit on random configs; and tensor steps, the same float32 rates as number steps.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { itComputesBothSides, itRefusesBadOptions, itRoundTrips } from "../../test/support/scheduleSuite.js";
import { describeTensorSteps } from "../../test/support/scheduleTensorSteps.js";
import { CosineDecay, deserialize, ScheduleOptionError, ScheduleTypeError, serialize, type LearningRateSchedule } from "../index.js";
import { parseExpression, printExpression } from "../expression.js";
import { kindOf, parseStepMap, stepMapText } from "../../playground/src/fields.js";
import {
  constantSchedule,
  cosineDecaySchedule,
  cosineOnecycleSchedule,
  exponentialDecay,
  joinSchedules,
  linearOnecycleSchedule,
  linearSchedule,
  piecewiseConstantSchedule,
  piecewiseInterpolateSchedule,
  polynomialSchedule,
  sgdrSchedule,
  warmupConstantSchedule,
  warmupCosineDecaySchedule,
  warmupExponentialDecaySchedule,
} from "./index.js";

const f = Math.fround;
const rate = fc.double({ min: 0, max: 10, noNaN: true });
const steps = fc.oneof(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0.5, max: 1e5, noNaN: true }));
const begin = fc.nat({ max: 1000 });
const step = fc.oneof(fc.nat({ max: 300_000 }), fc.double({ min: 0, max: 3e5, noNaN: true }), fc.constantFrom(0, 2 ** 24, 1e9, 2 ** 31 - 1));
const scales = fc.dictionary(fc.integer({ min: 0, max: 200_000 }).map(String), fc.double({ min: 0, max: 4, noNaN: true }), { maxKeys: 6 });

const polynomial = fc.record({ initValue: rate, endValue: rate, power: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.double({ min: 0.1, max: 5, noNaN: true })), transitionSteps: steps, transitionBegin: begin });
const linear = fc.record({ initValue: rate, endValue: rate, transitionSteps: steps, transitionBegin: begin });
const piecewise = fc.record({ initValue: rate, boundariesAndScales: scales });
const interpolate = fc.record({ interpolateType: fc.constantFrom("linear" as const, "cosine" as const), initValue: rate, boundariesAndScales: scales });
const exponential = fc.record({
  initValue: rate,
  transitionSteps: steps,
  decayRate: fc.double({ min: 0.01, max: 0.999, noNaN: true }),
  transitionBegin: begin,
  staircase: fc.boolean(),
  endValue: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
});
const cosine = fc.record({ initValue: rate, decaySteps: steps, alpha: fc.double({ min: 0, max: 1, noNaN: true }), exponent: fc.double({ min: 0.25, max: 4, noNaN: true }) });
const linearCycle = fc.record({
  transitionSteps: fc.integer({ min: 10, max: 100_000 }),
  peakValue: rate,
  pctStart: fc.double({ min: 0.05, max: 0.45, noNaN: true }),
  pctFinal: fc.double({ min: 0.55, max: 0.95, noNaN: true }),
  divFactor: fc.double({ min: 1, max: 100, noNaN: true }),
  finalDivFactor: fc.double({ min: 1, max: 1e5, noNaN: true }),
});
const cosineCycle = fc.record({
  transitionSteps: fc.integer({ min: 1, max: 100_000 }),
  peakValue: rate,
  pctStart: fc.double({ min: 0, max: 0.99, noNaN: true }),
  divFactor: fc.double({ min: 1, max: 100, noNaN: true }),
  finalDivFactor: fc.double({ min: 1, max: 1e5, noNaN: true }),
});
const warmupConstant = fc.record({ initValue: rate, peakValue: rate, warmupSteps: steps });
const cycle = fc
  .record({ initValue: rate, peakValue: rate, warmupSteps: fc.nat({ max: 1000 }), length: fc.integer({ min: 1, max: 50_000 }), end: fc.double({ min: 0, max: 1, noNaN: true }), exponent: fc.double({ min: 0.25, max: 4, noNaN: true }) })
  // endValue a fraction of peakValue: optax's alpha = endValue / peakValue stays within float32 (checkCycle).
  .map(({ length, end, ...c }) => ({ ...c, endValue: c.peakValue * end, decaySteps: c.warmupSteps + length }));
const warmupExponential = fc.record({
  initValue: rate,
  peakValue: rate,
  warmupSteps: fc.nat({ max: 1000 }),
  transitionSteps: steps,
  decayRate: fc.double({ min: 0.01, max: 0.999, noNaN: true }),
  transitionBegin: begin,
  staircase: fc.boolean(),
  endValue: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
});
const cycles = fc.array(cycle, { minLength: 1, maxLength: 4 });
const child: fc.Arbitrary<LearningRateSchedule> = fc.oneof(
  rate.map((v) => constantSchedule(v)),
  linear.map((o) => linearSchedule(o)),
  cosine.map((o) => cosineDecaySchedule(o)),
);
const join = fc
  .array(fc.tuple(child, fc.integer({ min: 1, max: 50_000 })), { minLength: 1, maxLength: 5 })
  .map((pieces) => {
    let at = 0;
    return { schedules: pieces.map(([s]) => s), boundaries: pieces.slice(1).map(([, gap]) => (at += gap)) };
  });

/** The step a piece starting at `boundary` sees, as a float32 subtraction. */
const since = (s: number, boundary: number) => f(f(s) - f(boundary));

describe("optax builders: round trips, both sides of each cond", () => {
  const cases = [
    [constantSchedule, fc.record({ value: rate })],
    [polynomialSchedule, polynomial],
    [linearSchedule, linear],
    [piecewiseConstantSchedule, piecewise],
    [exponentialDecay, exponential],
    [cosineDecaySchedule, cosine],
    [piecewiseInterpolateSchedule, interpolate],
    [linearOnecycleSchedule, linearCycle],
    [cosineOnecycleSchedule, cosineCycle],
    [warmupConstantSchedule, warmupConstant],
    [warmupCosineDecaySchedule, cycle],
    [warmupExponentialDecaySchedule, warmupExponential],
    [sgdrSchedule, cycles.map((cosineKwargs) => ({ cosineKwargs }))],
    [joinSchedules, join],
  ] as const;
  for (const [builder, options] of cases) {
    describe(builder.scheduleClass.className, () => {
      itRoundTrips(builder.scheduleClass, options as fc.Arbitrary<object>, step);
      itComputesBothSides(builder.scheduleClass, options as fc.Arbitrary<object>, step);
      it("the positional form and the options object build equal schedules; the JSON is registered as lr-schedules>name", () => {
        fc.assert(
          fc.property(options as fc.Arbitrary<Record<string, unknown>>, (o) => {
            const byName = (builder as (o: object) => LearningRateSchedule)(o);
            const positional = (builder as (...a: unknown[]) => LearningRateSchedule)(...Object.values(byName.getConfig()));
            return JSON.stringify(positional.getConfig()) === JSON.stringify(byName.getConfig()) && serialize(byName).registered_name === `lr-schedules>${builder.scheduleClass.className}`;
          }),
          { numRuns: 20 },
        );
      });
    });
  }
});

describe("optax's identities, to the bit", () => {
  it("linearSchedule is polynomialSchedule with power 1", () => {
    fc.assert(fc.property(linear, step, (o, s) => linearSchedule(o)(s) === polynomialSchedule({ ...o, power: 1 })(s)));
  });

  it("warmupConstantSchedule is linearSchedule(initValue, peakValue, warmupSteps)", () => {
    fc.assert(fc.property(warmupConstant, step, (o, s) => warmupConstantSchedule(o)(s) === linearSchedule(o.initValue, o.peakValue, o.warmupSteps)(s)));
  });

  it("piecewiseConstantSchedule is initValue times the scales of the boundaries crossed (boundary included), in step order", () => {
    fc.assert(
      fc.property(piecewise, step, ({ initValue, boundariesAndScales }, s) => {
        let expected = f(initValue);
        for (const [b, scale] of Object.entries(boundariesAndScales)) if (f(s) >= f(Number(b))) expected = f(f(scale) * expected);
        return piecewiseConstantSchedule(initValue, boundariesAndScales)(s) === expected;
      }),
    );
  });

  it("joinSchedules gives, at each step, the piece whose interval holds it, at the step counted from its boundary", () => {
    fc.assert(
      fc.property(join, step, ({ schedules, boundaries }, s) => {
        const i = boundaries.filter((b) => f(s) >= f(b)).length;
        return joinSchedules(schedules, boundaries)(s) === schedules[i]!(i === 0 ? s : since(s, boundaries[i - 1]!));
      }),
    );
  });

  it("warmupCosineDecaySchedule is the join of linearSchedule to the peak and cosineDecaySchedule over decaySteps - warmupSteps", () => {
    fc.assert(
      fc.property(cycle, step, (c, s) => {
        const alpha = c.peakValue === 0 ? 0 : c.endValue / c.peakValue;
        const decay = cosineDecaySchedule(c.peakValue, c.decaySteps - c.warmupSteps, alpha, c.exponent);
        const joined = c.warmupSteps === 0 ? decay : joinSchedules([linearSchedule(c.initValue, c.peakValue, c.warmupSteps), decay], [c.warmupSteps]);
        return warmupCosineDecaySchedule(c)(s) === joined(s);
      }),
    );
  });

  it("warmupExponentialDecaySchedule is the join of linearSchedule to the peak and exponentialDecay from it", () => {
    fc.assert(
      fc.property(warmupExponential, step, ({ initValue, peakValue, warmupSteps, ...decay }, s) => {
        const tail = exponentialDecay({ ...decay, initValue: peakValue });
        const joined = warmupSteps === 0 ? tail : joinSchedules([linearSchedule(initValue, peakValue, warmupSteps), tail], [warmupSteps]);
        return warmupExponentialDecaySchedule({ initValue, peakValue, warmupSteps, ...decay })(s) === joined(s);
      }),
    );
  });

  it("sgdrSchedule is the join of its cycles at the running sums of their decaySteps", () => {
    fc.assert(
      fc.property(cycles, step, (cs, s) => {
        let at = 0;
        const boundaries = cs.slice(0, -1).map((c) => (at += c.decaySteps));
        return sgdrSchedule(cs)(s) === joinSchedules(cs.map((c) => warmupCosineDecaySchedule(c)), boundaries)(s);
      }),
    );
  });

  it("linearOnecycleSchedule and cosineOnecycleSchedule are piecewiseInterpolateSchedule on optax's knots", () => {
    fc.assert(
      fc.property(linearCycle, cosineCycle, step, (l, c, s) => {
        const t = l.transitionSteps;
        const linearKnots = { [Math.trunc(l.pctStart * t)]: l.divFactor, [Math.trunc(l.pctFinal * t)]: 1 / l.divFactor, [t]: 1 / l.finalDivFactor };
        const cosineKnots = { [Math.trunc(c.pctStart * c.transitionSteps)]: c.divFactor, [c.transitionSteps]: 1 / (c.divFactor * c.finalDivFactor) };
        return (
          linearOnecycleSchedule(l)(s) === piecewiseInterpolateSchedule("linear", l.peakValue / l.divFactor, linearKnots)(s) &&
          cosineOnecycleSchedule(c)(s) === piecewiseInterpolateSchedule("cosine", c.peakValue / c.divFactor, cosineKnots)(s)
        );
      }),
    );
  });

  it("a decay never rises: cosineDecaySchedule (alpha <= 1), exponentialDecay (decayRate < 1), polynomialSchedule (endValue <= initValue)", () => {
    fc.assert(
      fc.property(cosine, exponential, polynomial, step, step, (c, e, p, a, b) => {
        const [lo, hi] = a < b ? [a, b] : [b, a];
        const falls = (lr: LearningRateSchedule) => lr(lo) >= lr(hi);
        const poly = polynomialSchedule({ ...p, endValue: Math.min(p.endValue, p.initValue) });
        return falls(cosineDecaySchedule(c)) && falls(exponentialDecay({ ...e, endValue: null })) && falls(poly);
      }),
    );
  });
});

describe("objects keyed by step", () => {
  it("an object of step keys as the last positional argument is the boundaries, not the options object", () => {
    const lr = piecewiseConstantSchedule(1, { 10: 0.5 });
    expect(lr.getConfig()).toEqual({ initValue: 1, boundariesAndScales: { 10: 0.5 } });
    expect(piecewiseInterpolateSchedule("linear", 1, { 10: 0.5 })(5)).toBe(0.75);
    expect(piecewiseConstantSchedule(1, { 10: 0.5 }, { dtype: "float64" })(10)).toBe(0.5);
    expect(piecewiseConstantSchedule(1, {})(10)).toBe(1);
    // A bad step key given by position is named as a step, not taken for an unknown option.
    expect(() => piecewiseConstantSchedule(1, { "-5": 0.5 })).toThrow(/`boundariesAndScales` must be an object whose keys are whole steps .*\(a key is "-5"\)/);
  });

  it("reads back from the expression language and Keras JSON, its keys strings as JSON writes them", () => {
    const lr = piecewiseConstantSchedule(0.1, { 100: 0.1, 200: 0.5 });
    expect(serialize(lr).config).toEqual({ init_value: 0.1, boundaries_and_scales: { "100": 0.1, "200": 0.5 } });
    expect(parseExpression(printExpression(lr)).getConfig()).toEqual(lr.getConfig());
    expect(parseExpression("piecewiseConstantSchedule(0.1, { '100': 0.1 })")(100)).toBe(f(f(0.1) * f(0.1)));
    // Number keys, as TypeScript writes them: 1e2 is the key '100', as in JavaScript.
    expect(parseExpression("piecewiseConstantSchedule(0.1, { 100: 0.1, 1e3: 0.5 })").getConfig()).toEqual({ initValue: 0.1, boundariesAndScales: { 100: 0.1, 1000: 0.5 } });
    expect(deserialize(JSON.stringify(serialize(lr)))(200)).toBe(lr(200));
  });

  it("the playground writes one as `step: value` pairs and reads it back; sgdrSchedule's cycles get an input of their own", () => {
    expect(kindOf(piecewiseConstantSchedule.scheduleClass.fields!.boundariesAndScales!)).toEqual({ kind: "stepMap" });
    expect(kindOf(sgdrSchedule.scheduleClass.fields!.cosineKwargs!)).toEqual({ kind: "optionList" });
    expect(stepMapText({ 100: 0.1, 200: 0.01 })).toBe("100: 0.1, 200: 0.01");
    expect(parseStepMap("100: 0.1, 200: 0.01")).toEqual({ 100: 0.1, 200: 0.01 });
    expect(parseStepMap("")).toEqual({});
    // What does not read as pairs is left as text, for the schedule to refuse with its own message.
    expect(parseStepMap("100 0.1")).toBe("100 0.1");
    expect(parseStepMap("1: 2, 1: 3")).toBe("1: 2, 1: 3");
  });

  itRefusesBadOptions(piecewiseConstantSchedule.scheduleClass, { initValue: 0.1 }, [
    [{ boundariesAndScales: { 10: -0.5 } }, /`boundariesAndScales\[10\]` must be a finite number >= 0\. Received: boundariesAndScales\[10\]=-0\.5/, RangeError],
    [{ boundariesAndScales: { "-5": 0.5 } }, /`boundariesAndScales` must be an object whose keys are whole steps in \[0, 2147483647\].*\(a key is "-5"\)/, RangeError, "a negative step"],
    [{ boundariesAndScales: { "1.5": 0.5 } }, /a key is "1\.5"/, RangeError, "a fractional step"],
    [{ boundariesAndScales: { "2147483648": 0.5 } }, /a key is "2147483648"/, RangeError, "a step past int32"],
    [{ boundariesAndScales: [0.5] }, /`boundariesAndScales` must be an object whose keys/, TypeError, "an array"],
    [{ boundariesAndScales: { 10: "0.5" } }, /boundariesAndScales\[10\]="0\.5"/, TypeError, "a string scale"],
    [{ initValue: -1 }, /`initValue` must be a finite number >= 0/, RangeError],
  ]);
});

describe("bad options throw errors that name the option (optax's own refusals, and what it lets through silently)", () => {
  it("throws the library's named errors: ScheduleOptionError for a value out of range, ScheduleTypeError for the wrong kind", () => {
    expect(() => piecewiseConstantSchedule(1, { 10: -1 })).toThrow(ScheduleOptionError);
    expect(() => exponentialDecay(1, 0, 0.5)).toThrow(ScheduleOptionError);
    expect(() => sgdrSchedule([5] as never)).toThrow(ScheduleTypeError);
    expect(() => joinSchedules([0.1] as never, [])).toThrow(ScheduleTypeError);
  });
  itRefusesBadOptions(polynomialSchedule.scheduleClass, { initValue: 1, endValue: 0.1, power: 2, transitionSteps: 100 }, [
    [{ transitionSteps: 0 }, /^polynomialSchedule: `transitionSteps` must be a finite number > 0\. Received: transitionSteps=0$/, RangeError, "transitionSteps 0 (optax: a constant)"],
    [{ transitionBegin: -3 }, /`transitionBegin` must be a finite number >= 0/, RangeError, "a negative transitionBegin (optax: 0)"],
    [{ power: 0 }, /`power` must be a finite number > 0/, RangeError],
    [{ endValue: -0.1 }, /`endValue` must be a finite number >= 0/, RangeError],
    [{ power: undefined }, /`power` must be a finite number > 0 \(it is required\)/, TypeError],
  ]);
  itRefusesBadOptions(linearSchedule.scheduleClass, { initValue: 1, endValue: 0.1, transitionSteps: 100 }, [
    [{ transitionSteps: -1 }, /`transitionSteps` must be a finite number > 0/, RangeError],
    [{ transitionSteps: NaN }, /transitionSteps=NaN/, RangeError],
  ]);
  itRefusesBadOptions(exponentialDecay.scheduleClass, { initValue: 1, transitionSteps: 10, decayRate: 0.5 }, [
    [{ transitionSteps: 0 }, /`transitionSteps` must be a finite number > 0/, RangeError, "transitionSteps 0 (optax: a constant)"],
    [{ decayRate: 0 }, /`decayRate` must be a finite number > 0/, RangeError, "decayRate 0 (optax: a constant)"],
    [{ decayRate: -0.5 }, /`decayRate` must be a finite number > 0/, RangeError],
    [{ endValue: -1 }, /`endValue` must be a finite number >= 0, or null/, RangeError],
    [{ staircase: 1 }, /`staircase` must be a boolean/, TypeError],
  ]);
  itRefusesBadOptions(cosineDecaySchedule.scheduleClass, { initValue: 1, decaySteps: 10 }, [
    [{ decaySteps: 0 }, /`decaySteps` must be a finite number > 0/, RangeError, "decaySteps 0 (optax raises too)"],
    [{ alpha: -0.1 }, /`alpha` must be a finite number >= 0/, RangeError],
    [{ exponent: 0 }, /`exponent` must be a finite number > 0/, RangeError],
  ]);
  itRefusesBadOptions(piecewiseInterpolateSchedule.scheduleClass, { interpolateType: "linear", initValue: 1 }, [
    [{ interpolateType: "cubic" }, /`interpolateType` must be one of "linear", "cosine"/, RangeError, "interpolateType 'cubic' (optax raises too)"],
    [{ interpolateType: undefined }, /`interpolateType` must be one of "linear", "cosine" \(it is required\)/, TypeError],
    [{ boundariesAndScales: { 5: -1 } }, /`boundariesAndScales\[5\]` must be a finite number >= 0/, RangeError, "a negative scale (optax raises too)"],
  ]);
  itRefusesBadOptions(linearOnecycleSchedule.scheduleClass, { transitionSteps: 100, peakValue: 0.1 }, [
    [{ transitionSteps: 0 }, /`transitionSteps` must be an integer >= 1/, RangeError, "transitionSteps 0 (optax raises too)"],
    [{ transitionSteps: 1 }, /`transitionSteps` must be a value that, with pctStart = 0\.3 and pctFinal = 0\.85, gives three distinct phase ends/, RangeError, "so few steps that two knots share one (optax drops a scale)"],
    [{ pctStart: 0.9, pctFinal: 0.2 }, /three distinct phase ends/, RangeError, "pctStart after pctFinal"],
    [{ pctFinal: 1 }, /`pctFinal` must be a finite number in \(0, 1\)/, RangeError],
    [{ divFactor: 0 }, /`divFactor` must be a finite number > 0/, RangeError, "divFactor 0 (optax divides by zero)"],
  ]);
  itRefusesBadOptions(cosineOnecycleSchedule.scheduleClass, { transitionSteps: 100, peakValue: 0.1 }, [
    [{ transitionSteps: -5 }, /`transitionSteps` must be an integer >= 1/, RangeError],
    [{ transitionSteps: 10.5 }, /`transitionSteps` must be an integer >= 1/, RangeError],
    [{ pctStart: 1 }, /`pctStart` must be a finite number in \[0, 1\)/, RangeError],
    [{ finalDivFactor: 0 }, /`finalDivFactor` must be a finite number > 0/, RangeError],
  ]);
  itRefusesBadOptions(warmupConstantSchedule.scheduleClass, { initValue: 0, peakValue: 0.1, warmupSteps: 10 }, [
    [{ warmupSteps: 0 }, /`warmupSteps` must be a finite number > 0/, RangeError, "warmupSteps 0 (optax: initValue forever)"],
  ]);
  itRefusesBadOptions(warmupCosineDecaySchedule.scheduleClass, { initValue: 0, peakValue: 0.1, warmupSteps: 10, decaySteps: 100 }, [
    [{ decaySteps: 10 }, /^warmupCosineDecaySchedule: `decaySteps` must be greater than warmupSteps = 10: decaySteps counts the warmup too\. Received: decaySteps=10$/, RangeError, "decaySteps = warmupSteps (optax raises too)"],
    [{ warmupSteps: -1 }, /`warmupSteps` must be a finite number >= 0/, RangeError],
    [{ endValue: -1 }, /`endValue` must be a finite number >= 0/, RangeError],
    [{ peakValue: 0, endValue: 0.01 }, /`endValue` must be 0 when peakValue is 0/, RangeError, "peakValue 0 and endValue 0.01 (optax ends at 0)"],
    [{ peakValue: 1e-300, endValue: 0.01 }, /optax's alpha = endValue \/ peakValue must be a float32/, RangeError, "a peakValue that is 0 in float32 (alpha Infinity)"],
  ]);
  itRefusesBadOptions(warmupExponentialDecaySchedule.scheduleClass, { initValue: 0, peakValue: 0.1, warmupSteps: 10, transitionSteps: 10, decayRate: 0.5 }, [
    [{ transitionSteps: 0 }, /`transitionSteps` must be a finite number > 0/, RangeError, "transitionSteps 0 (optax: peakValue forever)"],
    [{ decayRate: 0 }, /`decayRate` must be a finite number > 0/, RangeError],
  ]);
  itRefusesBadOptions(sgdrSchedule.scheduleClass, { cosineKwargs: [{ initValue: 0, peakValue: 0.1, warmupSteps: 1, decaySteps: 10 }] }, [
    [{ cosineKwargs: [] }, /`cosineKwargs` must be a non-empty array of cycles/, RangeError],
    [{ cosineKwargs: [{ initValue: 0, peakValue: 0.1, warmupSteps: 1, decaySteps: 10 }, { init_value: 0, peak_value: 0.1, warmup_steps: 5, decay_steps: 5 }] }, /`cosineKwargs\[1\]\.decaySteps` must be greater than warmupSteps = 5/, RangeError, "a cycle whose decaySteps does not exceed its warmup"],
    [{ cosineKwargs: [{ initValue: 0, peakValue: 0.1, warmupSteps: 1 }] }, /`cosineKwargs\[0\]\.decaySteps` must be a finite number > 0 \(it is required\)/, TypeError, "a cycle without decaySteps"],
    [{ cosineKwargs: [{ initValue: 0, peakValue: 0.1, warmupSteps: 1, decaySteps: 10, peak: 1 }] }, /`cosineKwargs\[0\]\.peak` must be one of the options/, RangeError, "a cycle with an unknown option"],
    [{ cosineKwargs: [5] }, /`cosineKwargs\[0\]` must be an object of options/, TypeError, "a cycle that is not an object"],
  ]);
  itRefusesBadOptions(joinSchedules.scheduleClass, { schedules: [constantSchedule(0.1), constantSchedule(0.2)], boundaries: [10] }, [
    [{ schedules: [] , boundaries: [] }, /`schedules` must be a non-empty array/, RangeError, "no schedule"],
    [{ boundaries: [] }, /`boundaries` must be an array of 1 numbers, one fewer than `schedules` \(2\)/, RangeError, "too few boundaries"],
    [{ schedules: [constantSchedule(0.1), constantSchedule(0.2), constantSchedule(0.3)], boundaries: [10, 10] }, /`boundaries\[1\]` must be greater than boundaries\[0\] = 10/, RangeError, "boundaries that do not increase"],
    [{ boundaries: [-1] }, /`boundaries\[0\]` must be a finite number >= 0/, RangeError],
    [{ schedules: [constantSchedule(0.1), 0.2] }, /`schedules\[1\]` must be a LearningRateSchedule instance/, TypeError, "a number among the schedules"],
  ]);
});

describe("optax builders with tensor steps", () => {
  describeTensorSteps(
    [
      constantSchedule(0.1),
      polynomialSchedule(1, 0.01, 2, 100),
      polynomialSchedule(0.05, 0.5, 3.5, 17, 3),
      linearSchedule(0.01, 0.1, 7, 10),
      piecewiseConstantSchedule(0.2, { 3: 2, 7: 0.25, 100: 0.5 }),
      piecewiseConstantSchedule(0.2),
      exponentialDecay(0.1, 10, 0.96),
      exponentialDecay(1, 5, 0.5, 10, true, 0.05),
      exponentialDecay(0.01, 3, 1.5, { endValue: 0.2 }),
      exponentialDecay(0.1, 1, 0.5),
      cosineDecaySchedule(0.1, 20),
      cosineDecaySchedule(1, 25, 0.1, 2),
      piecewiseInterpolateSchedule("linear", 1, { 4: 0.1, 8: 0.01 }),
      piecewiseInterpolateSchedule("cosine", 1, { 0: 0.5, 10: 0.1 }),
      piecewiseInterpolateSchedule("linear", 0.4),
      linearOnecycleSchedule(30, 0.1),
      cosineOnecycleSchedule(7, 0.05),
      warmupConstantSchedule(0, 0.1, 10),
      warmupCosineDecaySchedule(0, 0.1, 5, 25),
      warmupCosineDecaySchedule(0, 0.4, 0, 30, 0.01),
      warmupExponentialDecaySchedule(0, 0.1, 5, 10, 0.5, { staircase: true }),
      sgdrSchedule([{ initValue: 0, peakValue: 0.1, warmupSteps: 2, decaySteps: 10 }, { initValue: 0, peakValue: 0.05, warmupSteps: 2, decaySteps: 20 }]),
      joinSchedules([constantSchedule(0.1), linearSchedule(0.1, 0, 10), new CosineDecay(0.05, 10)], [5, 15]),
    ],
    [0, 0.5, 1, 2, 2.5, 3, 4, 5, 7, 7.25, 8, 9.999, 10, 10.75, 12, 15, 20, 24, 25, 29.9, 30, 35, 100, 140, 150, 1000, 12345, 1e6, 2 ** 24],
  );
});
