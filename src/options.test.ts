/**
 * The constructor forms as types: `npm run typecheck` compiles this file, so each call below must type-check, and each
 * `@ts-expect-error` line must fail to; at run time the same calls build the schedules they claim to.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  Constant,
  CosineDecay,
  CosineDecayRestarts,
  ExponentialDecay,
  InverseSqrtDecay,
  InverseTimeDecay,
  LinearWarmup,
  OneCycle,
  PiecewiseConstantDecay,
  PolynomialDecay,
  Sequence,
  WarmupStableDecay,
  type LearningRateSchedule,
} from "./index.js";
import { declareOptions, option } from "./options.js";
import { builtInScheduleClasses } from "./catalogue.js";
import type { OptionArguments } from "./options.js";

const config = (s: LearningRateSchedule) => s.getConfig();

describe("constructor arguments: leading positional arguments, then an options object for the rest", () => {
  it("CosineDecay takes any number of leading arguments before its options", () => {
    const all = { initialLearningRate: 1e-3, decaySteps: 10000, alpha: 0, name: "CosineDecay", warmupTarget: 1e-2, warmupSteps: 500 };
    expect(config(new CosineDecay(1e-3, 10000, { warmupTarget: 1e-2, warmupSteps: 500 }))).toEqual(all);
    expect(config(new CosineDecay(1e-3, { decaySteps: 10000, warmupTarget: 1e-2, warmupSteps: 500 }))).toEqual(all);
    expect(config(new CosineDecay(1e-3, 10000, 0, "CosineDecay", { warmupTarget: 1e-2, warmupSteps: 500 }))).toEqual(all);
    expect(config(new CosineDecay(1e-3, 10000, 0, "CosineDecay", 1e-2, 500))).toEqual(all);
    expect(config(new CosineDecay(1e-3, 10000, 0, "CosineDecay", 1e-2, 500, { dtype: "float64" }))).toEqual({ ...all, dtype: "float64" });
  });

  it("the composition blocks take their schedules first, then options", () => {
    const decay = new InverseTimeDecay(0.1, 1, 0.5);
    expect(config(new LinearWarmup(decay, { warmupSteps: 4 }))).toEqual(config(new LinearWarmup({ schedule: decay, warmupSteps: 4 })));
    expect(config(new LinearWarmup(decay, 4, { initialLearningRate: 0.01 })).initialLearningRate).toBe(0.01);
    expect(config(new Sequence([new Constant(0.01), decay], { boundaries: [100] })).boundaries).toEqual([100]);
    expect(config(new OneCycle(0.1, 100, { threePhase: true })).threePhase).toBe(true);
    expect(config(new OneCycle(0.1, 100, 0.25, "linear", { divFactor: 10 }))).toMatchObject({ pctStart: 0.25, annealStrategy: "linear", divFactor: 10 });
    expect(config(new WarmupStableDecay(0.01, 100, 800, 100, { decayType: "linear" })).decayType).toBe("linear");
    expect(config(new WarmupStableDecay(0.01, { warmupSteps: 100, stableSteps: 800, decaySteps: 100 })).decayType).toBe("cosine");
  });

  it("every class still takes Keras's (or its own) full positional order, each argument in its place", () => {
    const decay = new Constant(0.5);
    const cases: [LearningRateSchedule, Record<string, unknown>][] = [
      [new InverseTimeDecay(0.1, 10, 0.5, true, "a"), { initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true, name: "a" }],
      [new ExponentialDecay(0.1, 10, 0.5, true, "b"), { initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true, name: "b" }],
      [new PiecewiseConstantDecay([5], [0.1, 0.2], "c"), { boundaries: [5], values: [0.1, 0.2], name: "c" }],
      [new PolynomialDecay(0.1, 10, 0.01, 2, true, "d"), { initialLearningRate: 0.1, decaySteps: 10, endLearningRate: 0.01, power: 2, cycle: true, name: "d" }],
      [new CosineDecay(0.1, 10, 0.2, "e", 0.3, 4), { initialLearningRate: 0.1, decaySteps: 10, alpha: 0.2, name: "e", warmupTarget: 0.3, warmupSteps: 4 }],
      [new CosineDecayRestarts(0.1, 10, 3, 0.9, 0.2, "f"), { initialLearningRate: 0.1, firstDecaySteps: 10, tMul: 3, mMul: 0.9, alpha: 0.2, name: "f" }],
      [new Constant(0.5, "g"), { value: 0.5, name: "g" }],
      [new LinearWarmup(decay, 10, 0.1, "h"), { schedule: decay, warmupSteps: 10, initialLearningRate: 0.1, name: "h" }],
      [new Sequence([decay, decay], [10], "i"), { schedules: [decay, decay], boundaries: [10], name: "i" }],
      [
        new OneCycle(0.1, 100, 0.4, "linear", 10, 100, true, "j"),
        { peakLearningRate: 0.1, totalSteps: 100, pctStart: 0.4, annealStrategy: "linear", divFactor: 10, finalDivFactor: 100, threePhase: true, name: "j" },
      ],
      [new InverseSqrtDecay(0.1, 10, "k"), { peakLearningRate: 0.1, warmupSteps: 10, name: "k" }],
      [
        new WarmupStableDecay(0.1, 1, 2, 3, 0.01, "1-sqrt", 0.02, "l"),
        { peakLearningRate: 0.1, warmupSteps: 1, stableSteps: 2, decaySteps: 3, endLearningRate: 0.01, decayType: "1-sqrt", initialLearningRate: 0.02, name: "l" },
      ],
    ];
    for (const [schedule, expected] of cases) expect(config(schedule), schedule.className).toEqual(expected);
  });

  it("refuses, at compile time and at run time, an option given twice, a required one missing, a wrong type", () => {
    // @ts-expect-error decaySteps is given by position and again in the options
    expect(() => new CosineDecay(1e-3, 10000, { decaySteps: 5 })).toThrow(/`decaySteps` must be given once/);
    // @ts-expect-error decaySteps is required
    expect(() => new CosineDecay(1e-3, { alpha: 0.5 })).toThrow(/`decaySteps` must be a finite number > 0 \(it is required\)/);
    // @ts-expect-error warmupTarget is a number or null
    expect(() => new CosineDecay(1e-3, 10000, { warmupTarget: "high" })).toThrow(/`warmupTarget` must be/);
    // @ts-expect-error nothing may follow the options object
    expect(() => new OneCycle(0.1, 100, { threePhase: true }, 0.3)).toThrow(TypeError);
    // @ts-expect-error more positional arguments than options
    expect(() => new InverseSqrtDecay(0.1, 10, "k", 5)).toThrow(/at most 3 positional arguments/);
  });

  it("OptionArguments spells each form as a labelled tuple", () => {
    interface Options {
      a: number;
      b?: string;
      dtype?: "float32" | "float64";
    }
    type Args = OptionArguments<Options, [a: "a", b?: "b"]>;
    expectTypeOf<[1]>().toExtend<Args>();
    expectTypeOf<[1, "x"]>().toExtend<Args>();
    expectTypeOf<[1, { b: "x"; dtype: "float64" }]>().toExtend<Args>();
    expectTypeOf<[1, "x", { dtype: "float64" }]>().toExtend<Args>();
    expectTypeOf<[{ a: 1 }]>().not.toExtend<Args>();
    expectTypeOf<["x"]>().not.toExtend<Args>();
    expectTypeOf<[1, { a: 2 }]>().not.toExtend<Args>();
  });
});

describe("option checks are linear in the number of keys", () => {
  it("10^5 unknown option keys are refused at once, through the constructor, fromConfig and deserialize", async () => {
    const { deserialize, ScheduleOptionError } = await import("./index.js");
    const many: Record<string, number> = {};
    for (let i = 0; i < 100_000; i++) many[`k${i}`] = i;
    const started = performance.now();
    expect(() => new Constant(many as never)).toThrow(ScheduleOptionError);
    expect(() => Constant.fromConfig(many)).toThrow(ScheduleOptionError);
    expect(() => deserialize({ class_name: "InverseTimeDecay", config: many })).toThrow(/`config.k0` must be one of the keys/);
    expect(() => deserialize(JSON.stringify({ class_name: "InverseTimeDecay", config: many }))).toThrow(/`config.k0` must be one of the keys/);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe("one declaration per class: keys, constraints and error texts follow from it", () => {
  it("derives each Keras key from the option's name unless the option names its own", () => {
    const fields = declareOptions({ decaySteps: option.number({ rule: "positive" }), beta1: option.number({ rule: "unit", keras: "beta_1" }, 0.9) });
    expect(fields.decaySteps.keras).toBe("decay_steps");
    expect(fields.beta1.keras).toBe("beta_1");
  });

  it("writes the error text from the constraint", () => {
    const texts = [
      option.number({ rule: "nonNegative" }),
      option.number({ rule: { min: 2, integer: true } }),
      option.number({ rule: { min: 0, max: 1, minOpen: true, maxOpen: true } }),
      option.number({ rule: { max: 1, maxOpen: true } }),
      option.nullableNumber({ rule: { min: 0, max: 1, minOpen: true } }),
      option.numbers({ rule: "positive", steps: true }),
      option.numbers({ rule: { min: 1, integer: true } }),
    ].map((o) => o.expected);
    expect(texts).toEqual([
      "a finite number >= 0",
      "an integer >= 2",
      "a finite number in (0, 1)",
      "a finite number < 1",
      "a finite number in (0, 1], or null",
      "an array of finite numbers > 0",
      "an array of integers >= 1",
    ]);
    expect(() => new OneCycle(0.1, 1.5)).toThrow(/totalSteps.*an integer >= 2/);
  });

  it("gives every option of every schedule class a constraint the playground can read", () => {
    for (const cls of builtInScheduleClasses()) {
      for (const [name, field] of Object.entries(cls.fields ?? {})) expect(field.constraint, `${cls.className}.${name}`).toBeDefined();
    }
    expect(OneCycle.fields.totalSteps.constraint).toEqual({ kind: "number", min: 2, integer: true, steps: true });
  });
});
