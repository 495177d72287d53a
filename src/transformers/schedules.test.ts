/**
 * The ten transformers schedules as LearningRateSchedules: round trips through Keras JSON, bad options, tensor steps
 * (the same formula in float32), the expression language, and the laws of their shapes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { itRefusesBadOptions, itRoundTrips, type BadOptions } from "../../test/support/scheduleSuite.js";
import { describeTensorSteps } from "../../test/support/scheduleTensorSteps.js";
import { parseExpression } from "../expression.js";
import { deserialize, float32Ops, sample, serialize, type LearningRateSchedule, type ScheduleClass } from "../index.js";
import { scheduleClassOf } from "../scheduleFunction.js";
import {
  getConstantSchedule,
  getConstantScheduleWithWarmup,
  getCosineScheduleWithWarmup,
  getCosineWithHardRestartsScheduleWithWarmup,
  getCosineWithMinLrScheduleWithWarmup,
  getCosineWithMinLrScheduleWithWarmupLrRate,
  getInverseSqrtSchedule,
  getLinearScheduleWithWarmup,
  getPolynomialDecayScheduleWithWarmup,
  getWsdSchedule,
} from "./index.js";

const learningRate = fc.double({ min: 1e-8, max: 10, noNaN: true });
/** Warmup and training with warmup <= training. */
const counts = fc.tuple(fc.nat({ max: 5000 }), fc.integer({ min: 1, max: 100_000 })).map(([a, b]) => ({ numWarmupSteps: Math.min(a, b), numTrainingSteps: b }));
const step = fc.oneof(fc.nat({ max: 200_000 }), fc.double({ min: 0, max: 1e9, noNaN: true }));
const unit = fc.double({ min: 0, max: 1, noNaN: true });

const cases: [fn: unknown, options: fc.Arbitrary<Record<string, unknown>>, good: Record<string, unknown>, bad: BadOptions[]][] = [
  [getConstantSchedule, fc.record({ learningRate }), { learningRate: 0.1 }, []],
  [
    getConstantScheduleWithWarmup,
    fc.record({ learningRate, numWarmupSteps: fc.nat({ max: 5000 }) }),
    { learningRate: 0.1, numWarmupSteps: 10 },
    [[{ numWarmupSteps: 2.5 }, /`numWarmupSteps` must be an integer >= 0\. Received: numWarmupSteps=2\.5$/, RangeError]],
  ],
  [getLinearScheduleWithWarmup, fc.record({ learningRate }).chain((o) => counts.map((c) => ({ ...o, ...c }))), { learningRate: 0.1, numWarmupSteps: 10, numTrainingSteps: 100 }, []],
  [
    getCosineScheduleWithWarmup,
    fc.record({ learningRate, numCycles: fc.double({ min: 0, max: 5, noNaN: true }) }).chain((o) => counts.map((c) => ({ ...o, ...c }))),
    { learningRate: 0.1, numWarmupSteps: 10, numTrainingSteps: 100 },
    [[{ numCycles: -0.5 }, /`numCycles` must be a finite number >= 0/, RangeError]],
  ],
  [
    getCosineWithHardRestartsScheduleWithWarmup,
    fc.record({ learningRate, numCycles: fc.integer({ min: 0, max: 10 }) }).chain((o) => counts.map((c) => ({ ...o, ...c }))),
    { learningRate: 0.1, numWarmupSteps: 10, numTrainingSteps: 100 },
    [],
  ],
  [
    getPolynomialDecayScheduleWithWarmup,
    fc.record({ learningRate: fc.double({ min: 1e-3, max: 10, noNaN: true }), lrEnd: fc.double({ min: 0, max: 1e-4, noNaN: true }), power: fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 4, noNaN: true })) })
      .chain((o) => counts.filter((c) => c.numTrainingSteps > c.numWarmupSteps).map((c) => ({ ...o, ...c }))),
    { learningRate: 0.1, numWarmupSteps: 10, numTrainingSteps: 100 },
    [
      [{ lrEnd: 0.1 }, /^getPolynomialDecayScheduleWithWarmup: `lrEnd` must be a finite number >= 0 below learningRate \(learningRate=0\.1\)\. Received: lrEnd=0\.1$/, RangeError, "lrEnd = learningRate (transformers raises)"],
      [{ numTrainingSteps: 10 }, /`numWarmupSteps` must be an integer in \[0, numTrainingSteps\) \(numTrainingSteps=10\)/, RangeError, "numTrainingSteps = numWarmupSteps (transformers divides by zero)"],
      [{ power: -1 }, /`power` must be a finite number >= 0/, RangeError],
      [{ lrEnd: -1e-7 }, /`lrEnd` must be a finite number >= 0/, RangeError],
    ],
  ],
  [
    getInverseSqrtSchedule,
    fc.record({ learningRate, numWarmupSteps: fc.nat({ max: 5000 }), timescale: fc.option(fc.integer({ min: 1, max: 100_000 })) }),
    { learningRate: 0.1, numWarmupSteps: 10 },
    [
      [{ timescale: 0 }, /`timescale` must be an integer >= 1, or null/, RangeError],
      [{ timescale: 2.5 }, /timescale=2\.5/, RangeError],
    ],
  ],
  [
    getCosineWithMinLrScheduleWithWarmup,
    fc.record({ learningRate, numCycles: fc.double({ min: 0, max: 3, noNaN: true }), minLrRate: unit }).chain((o) => counts.map((c) => ({ ...o, ...c }))),
    { learningRate: 0.1, numWarmupSteps: 10, numTrainingSteps: 100, minLrRate: 0.1 },
    [
      [{ minLr: 1e-3 }, /^getCosineWithMinLrScheduleWithWarmup: `minLr` must be null when minLrRate is given \(only one of the two; minLrRate=0\.1\)/, RangeError, "minLr and minLrRate (transformers raises)"],
      [{ minLrRate: null }, /`minLrRate` must be a finite number in \[0, 1\] when minLr is null \(one of the two is required\)/, TypeError, "neither minLr nor minLrRate (transformers raises)"],
      [{ minLrRate: null, minLr: 0.2 }, /`minLr` must be a finite number in \[0, learningRate\] with learningRate > 0 \(learningRate=0\.1\)/, RangeError, "minLr above learningRate"],
      [{ minLrRate: null, minLr: 0, learningRate: 0 }, /learningRate > 0 \(learningRate=0\)/, RangeError, "minLr with learningRate 0 (transformers divides by zero)"],
      [{ minLrRate: 1.5 }, /`minLrRate` must be a finite number in \[0, 1\], or null/, RangeError],
    ],
  ],
  [
    getCosineWithMinLrScheduleWithWarmupLrRate,
    fc.record({ learningRate, minLrRate: unit, warmupLrRate: fc.option(unit) }).chain((o) => counts.map((c) => ({ ...o, ...c }))),
    { learningRate: 0.1, numWarmupSteps: 10, numTrainingSteps: 100, minLr: 1e-3 },
    [
      [{ warmupLrRate: -0.1 }, /`warmupLrRate` must be a finite number in \[0, 1\], or null/, RangeError],
      [{ minLrRate: 0.1 }, /`minLr` must be null when minLrRate is given/, RangeError, "minLr and minLrRate (transformers raises)"],
    ],
  ],
  [
    getWsdSchedule,
    fc.record({
      learningRate,
      numWarmupSteps: fc.nat({ max: 500 }),
      numDecaySteps: fc.nat({ max: 500 }),
      numStableSteps: fc.nat({ max: 500 }),
      warmupType: fc.constantFrom("linear", "cosine", "1-sqrt"),
      decayType: fc.constantFrom("linear", "cosine", "1-sqrt"),
      minLrRatio: unit,
      numCycles: fc.double({ min: 0, max: 3, noNaN: true }),
    }),
    { learningRate: 0.1, numWarmupSteps: 10, numDecaySteps: 20, numTrainingSteps: 100 },
    [
      [{ numTrainingSteps: null }, /^getWsdSchedule: `numTrainingSteps` must be an integer >= 1 when numStableSteps is null \(one of the two is required\)/, TypeError, "neither numTrainingSteps nor numStableSteps (transformers raises)"],
      [{ numTrainingSteps: 29 }, /`numTrainingSteps` must be an integer >= numWarmupSteps \+ numDecaySteps \(30\)\. Received: numTrainingSteps=29/, RangeError, "a negative stable phase"],
      [{ warmupType: "exp" }, /`warmupType` must be one of "linear", "cosine", "1-sqrt"/, RangeError, "warmupType 'exp' (transformers raises)"],
      [{ decayType: "exp" }, /`decayType` must be one of/, RangeError, "decayType 'exp' (transformers raises)"],
      [{ minLrRatio: 1.5 }, /`minLrRatio` must be a finite number in \[0, 1\]/, RangeError],
    ],
  ],
];

/** What every schedule taking both step counts refuses. */
const stepCountsRefused: BadOptions[] = [
  [{ numWarmupSteps: 101 }, /`numWarmupSteps` must be an integer in \[0, numTrainingSteps\]? \(numTrainingSteps=100\)/, RangeError, "a warmup longer than the training"],
  [{ numTrainingSteps: 0, numWarmupSteps: 0 }, /`numTrainingSteps` must be an integer >= 1\. Received: numTrainingSteps=0/, RangeError, "numTrainingSteps 0"],
  [{ numTrainingSteps: 100.5 }, /numTrainingSteps=100\.5/, RangeError],
];

for (const [fn, options, good, bad] of cases) {
  const cls = scheduleClassOf(fn)! as ScheduleClass;
  describe(cls.className, () => {
    itRoundTrips(cls, options, step);

    it(`is registered as lr-schedules>${cls.className}, with transformers' argument names as its config keys`, () => {
      const json = serialize(new cls(good));
      expect(json).toMatchObject({ module: "lr_schedules", class_name: cls.className, registered_name: `lr-schedules>${cls.className}` });
      expect(json.config).toMatchObject({ learning_rate: good.learningRate });
      expect(deserialize(json).getConfig()).toEqual(new cls(good).getConfig());
    });

    it("is called as a function in the expression language, and its examples build", () => {
      for (const expression of cls.examples!.expressions) expect(parseExpression(expression)).toBeInstanceOf(cls);
    });

    describe("bad options throw errors that name the option", () => {
      itRefusesBadOptions(cls, good, [
        [{ learningRate: undefined }, /`learningRate` must be a finite number >= 0 \(it is required\)/, TypeError, "no learningRate"],
        [{ learningRate: -1 }, /`learningRate` must be a finite number >= 0\. Received: learningRate=-1$/, RangeError],
        [{ learningRate: "0.1" }, /learningRate="0\.1"/, TypeError],
        ...("numTrainingSteps" in good && cls.className !== "getWsdSchedule" && cls.className !== "getPolynomialDecayScheduleWithWarmup" ? stepCountsRefused : []),
        ...bad,
      ]);
    });

    const tensorSchedules = fc.sample(options, { numRuns: 4, seed: 17 }).map((o) => new cls(o));
    describeTensorSteps([new cls(good), ...tensorSchedules], [0, 1, 2, 9, 10, 11, 50, 99, 100, 101, 1000, 4999.5, 12345, 1e6, 2 ** 24 + 1], (lr, s) =>
      lr.compute(float32Ops, Math.fround(s)),
    );

    it("within training, the tensor path's float32 formula stays within float32 rounding of the float64 rate", () => {
      const inTraining = options.chain((o) => fc.tuple(fc.constant(o), fc.nat({ max: (o.numTrainingSteps as number | null | undefined) ?? 100_000 })));
      fc.assert(
        fc.property(inTraining, ([o, s]) => {
          // Near numTrainingSteps a power in (0, 1) magnifies float32's cancellation in 1 - p: no such bound holds there.
          fc.pre(!(typeof o.power === "number" && o.power > 0 && o.power < 1));
          const lr = new cls(o);
          // A few float32 roundings of the rate, and of a cosine's argument (up to 2 pi numCycles).
          const tolerance = 2 ** -20 * (o.learningRate as number) * (1 + 2 * Math.PI * ((o.numCycles as number | undefined) ?? 0.5));
          return Math.abs(lr.compute(float32Ops, s) - lr(s)) <= tolerance;
        }),
      );
    });
  });
}

describe("laws", () => {
  const peaks: [string, (o: { learningRate: number; numWarmupSteps: number; numTrainingSteps: number }) => LearningRateSchedule][] = [
    ["getConstantScheduleWithWarmup", (o) => getConstantScheduleWithWarmup(o.numWarmupSteps, { learningRate: o.learningRate })],
    ["getLinearScheduleWithWarmup", (o) => getLinearScheduleWithWarmup(o)],
    ["getCosineScheduleWithWarmup", (o) => getCosineScheduleWithWarmup(o)],
    ["getCosineWithHardRestartsScheduleWithWarmup", (o) => getCosineWithHardRestartsScheduleWithWarmup(o)],
    ["getInverseSqrtSchedule", (o) => getInverseSqrtSchedule(o.numWarmupSteps, { learningRate: o.learningRate })],
  ];
  const optionsWithRoom = fc.record({ learningRate }).chain((o) => counts.filter((c) => c.numTrainingSteps > c.numWarmupSteps).map((c) => ({ ...o, ...c })));

  for (const [name, make] of peaks) {
    it(`${name}: the warmup rises from 0 and reaches learningRate, exactly, at numWarmupSteps`, () => {
      fc.assert(
        fc.property(optionsWithRoom, fc.nat(), (o, k) => {
          const lr = make(o);
          const a = o.numWarmupSteps ? k % o.numWarmupSteps : 0;
          return lr(o.numWarmupSteps) === o.learningRate && (o.numWarmupSteps === 0 || (lr(0) === 0 && lr(a) <= lr(a + 1)));
        }),
      );
    });
  }

  it("the min-lr cosines, the polynomial and WSD reach learningRate at the peak within 1 ulp", () => {
    fc.assert(
      fc.property(optionsWithRoom, unit, (o, m) => {
        const near = (x: number) => Math.abs(x - o.learningRate) <= o.learningRate * 2 ** -51;
        const w = o.numWarmupSteps;
        return (
          near(getCosineWithMinLrScheduleWithWarmup({ ...o, minLrRate: m })(w)) &&
          (w === 0 || near(getCosineWithMinLrScheduleWithWarmupLrRate({ ...o, minLrRate: m })(w - 1))) &&
          near(getPolynomialDecayScheduleWithWarmup({ ...o, lrEnd: 0 })(w)) &&
          near(getWsdSchedule({ ...o, numDecaySteps: 0, minLrRatio: m })(w))
        );
      }),
    );
  });

  it("getLinearScheduleWithWarmup is 0 from numTrainingSteps on, and never above learningRate", () => {
    fc.assert(
      fc.property(optionsWithRoom, step, (o, s) => {
        const lr = getLinearScheduleWithWarmup(o);
        return lr(o.numTrainingSteps) === 0 && lr(o.numTrainingSteps + s) === 0 && lr(s) <= o.learningRate;
      }),
    );
  });

  it("the cosines with a minimum end at it: minLrRate * learningRate at numTrainingSteps (one step earlier for the LrRate variant)", () => {
    fc.assert(
      fc.property(optionsWithRoom, unit, (o, m) => {
        const close = (x: number) => Math.abs(x - m * o.learningRate) <= 1e-15 * o.learningRate;
        return (
          close(getCosineWithMinLrScheduleWithWarmup({ ...o, minLrRate: m })(o.numTrainingSteps)) &&
          close(getCosineWithMinLrScheduleWithWarmupLrRate({ ...o, minLrRate: m })(o.numTrainingSteps - 1))
        );
      }),
    );
  });

  it("getCosineWithHardRestartsScheduleWithWarmup restarts at the peak numCycles times, and is 0 from numTrainingSteps", () => {
    const lr = getCosineWithHardRestartsScheduleWithWarmup(0, 300, 3, { learningRate: 1 });
    expect([0, 100, 200].map(lr)).toEqual([1, 1, 1]);
    expect(lr(99)).toBeLessThan(1e-3);
    expect([300, 301, 1e6].map(lr)).toEqual([0, 0, 0]);
  });

  it("the transformers cosine rises again past numTrainingSteps, as transformers' lambda does", () => {
    const lr = getCosineScheduleWithWarmup(0, 100, { learningRate: 1 });
    expect(lr(100)).toBe(0);
    expect(lr(200)).toBe(1);
  });

  it("sample() gives the rates of the calls", () => {
    const lr = getWsdSchedule(5, 10, 40, { learningRate: 0.1, warmupType: "cosine", decayType: "1-sqrt", minLrRatio: 0.1 });
    const { steps, values } = sample(lr, { start: 0, stop: 45, step: 1 });
    expect(values).toEqual(steps.map((s) => lr(s)));
  });

  it("learningRate is required by the types too: every call ends with the options object", () => {
    // @ts-expect-error no options object, so no learningRate
    expect(() => getCosineScheduleWithWarmup(500, 10000)).toThrow(/^getCosineScheduleWithWarmup: `learningRate` must be a finite number >= 0 \(it is required\)/);
    // @ts-expect-error no options object, so no learningRate
    expect(() => getConstantSchedule()).toThrow(/`learningRate`/);
    // @ts-expect-error the options object without learningRate
    expect(() => getWsdSchedule(5, 10, { numTrainingSteps: 40 })).toThrow(/`learningRate`/);
    expect(getCosineScheduleWithWarmup(500, 10000, 0.5, { learningRate: 1 })(500)).toBe(1);
  });

  it("fractional steps evaluate the same formula at that real step", () => {
    const lr = getLinearScheduleWithWarmup(10, 110, { learningRate: 1 });
    expect(lr(2.5)).toBe(0.25);
    expect(lr(60.5)).toBe(0.495);
  });
});
