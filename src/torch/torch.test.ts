/**
 * lr-schedules/torch beyond the golden values (golden.test.ts): `lr` and children, steps as PyTorch counts them, the
 * laws that hold between classes, the round trips every registered class obeys, and the options refused.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { itRefusesBadOptions, itRoundTrips } from "../../test/support/scheduleSuite.js";
import { scheduleCatalogue } from "../catalogue.js";
import { parseExpression } from "../expression.js";
import { CosineDecay, deserialize, sample, ScheduleOptionError, ScheduleTypeError, serialize, type LearningRateSchedule } from "../index.js";
import {
  ChainedScheduler,
  ConstantLR,
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  CyclicLR,
  ExponentialLR,
  LambdaLR,
  LinearLR,
  MAX_TORCH_STEP,
  MultiplicativeLR,
  MultiStepLR,
  OneCycleLR,
  PolynomialLR,
  ReduceLROnPlateau,
  SequentialLR,
  StepLR,
} from "./index.js";

const rate = fc.double({ min: 1e-6, max: 1, noNaN: true });
const factor = fc.double({ min: 0.01, max: 1, noNaN: true });
const steps = fc.integer({ min: 1, max: 60 });

/** Options of each class that chains (its rate from the rate before), without `lr`. */
const chainable = {
  StepLR: fc.record({ stepSize: steps, gamma: fc.double({ min: 0, max: 2, noNaN: true }) }),
  MultiStepLR: fc.record({ milestones: fc.array(fc.integer({ min: 0, max: 80 }), { maxLength: 6 }), gamma: factor }),
  ConstantLR: fc.record({ factor, totalIters: steps }),
  LinearLR: fc.record({ startFactor: factor, endFactor: fc.double({ min: 0, max: 1, noNaN: true }), totalIters: steps }),
  ExponentialLR: fc.record({ gamma: fc.double({ min: 0.5, max: 1.05, noNaN: true }) }),
  PolynomialLR: fc.record({ totalIters: steps, power: fc.double({ min: 0, max: 3, noNaN: true }) }),
  CosineAnnealingLR: fc.record({ tMax: steps, etaMin: fc.double({ min: 0, max: 1e-3, noNaN: true }) }),
  CosineAnnealingWarmRestarts: fc.record({ t0: steps, tMult: fc.integer({ min: 1, max: 3 }), etaMin: fc.double({ min: 0, max: 1e-3, noNaN: true }) }),
};
const classes = { StepLR, MultiStepLR, ConstantLR, LinearLR, ExponentialLR, PolynomialLR, CosineAnnealingLR, CosineAnnealingWarmRestarts };
type Leaf = keyof typeof chainable;
const leafNames = Object.keys(chainable) as Leaf[];

/** A scheduler of a chainable class, given `extra` options (`lr`, or none for a child). */
const leaf = (extra: object = {}) =>
  fc.constantFrom(...leafNames).chain((name) => chainable[name].map((o) => new (classes[name] as new (o: object) => LearningRateSchedule)({ ...o, ...extra })));

const cyclic = fc.record({
  baseLr: rate,
  maxLr: rate,
  stepSizeUp: steps,
  stepSizeDown: fc.option(fc.integer({ min: 0, max: 60 })),
  mode: fc.constantFrom("triangular", "triangular2", "exp_range") as fc.Arbitrary<"triangular" | "triangular2" | "exp_range">,
  gamma: fc.double({ min: 0.9, max: 1, noNaN: true }),
});
const oneCycle = fc.record({
  maxLr: rate,
  totalSteps: fc.integer({ min: 20, max: 500 }),
  pctStart: fc.double({ min: 0.1, max: 0.45, noNaN: true }),
  annealStrategy: fc.constantFrom("cos", "linear") as fc.Arbitrary<"cos" | "linear">,
  divFactor: fc.double({ min: 1, max: 100, noNaN: true }),
  finalDivFactor: fc.double({ min: 1, max: 1e4, noNaN: true }),
  threePhase: fc.boolean(),
});

describe("lr-schedules/torch", () => {
  describe("lr: the optimizer's rate", () => {
    it("a scheduler without lr throws a named error that says how to give it, when evaluated", () => {
      const lr = new StepLR(30);
      expect(() => lr(3)).toThrow(ScheduleTypeError);
      expect(() => lr(3)).toThrow("StepLR: `lr` must be the optimizer's learning rate (PyTorch's base_lrs), given by name: new StepLR(..., { lr: 0.1 })");
      expect(() => sample(lr, { stop: 3 })).toThrow(/`lr` must be/);
    });

    it("lr is named only, never positional, and left out of the config while null", () => {
      expect(() => new StepLR(30, 0.1, 0.1 as never)).toThrow(/at most 2 positional arguments \(stepSize, gamma\)/);
      expect(new StepLR(30).getConfig()).toEqual({ stepSize: 30, gamma: 0.1 });
      expect(serialize(new StepLR(30, { lr: 0.5 })).config).toEqual({ step_size: 30, gamma: 0.1, lr: 0.5 });
    });

    it("CyclicLR and OneCycleLR set their own rate: they need no lr", () => {
      expect(new CyclicLR(0.001, 0.1, 5)(5)).toBe(0.1);
      expect(new OneCycleLR(0.1, 100)(29)).toBe(0.1);
    });

    it("children are built without lr and rebuilt with their parent's; a child with another lr is refused by name", () => {
      const warmup = new LinearLR(0.1, 1, 5);
      const seq = new SequentialLR([warmup, new ExponentialLR(0.9, { lr: 0.1 })], [5], { lr: 0.1 });
      const children = seq.getConfig().schedulers as LearningRateSchedule[];
      expect(children[0]).not.toBe(warmup);
      expect(children.map((c) => c.getConfig().lr)).toEqual([0.1, 0.1]);
      expect(children[0]!(2)).toBe(new LinearLR(0.1, 1, 5, { lr: 0.1 })(2));
      const other = () => new ChainedScheduler([new ExponentialLR(0.9, { lr: 0.2 })], { lr: 0.1 });
      expect(other).toThrow(ScheduleOptionError);
      expect(other).toThrow("ChainedScheduler: `schedulers[0].lr` must be left out (or 0.1): a child takes the lr of its ChainedScheduler");
      expect(() => new SequentialLR([new ExponentialLR(0.9, { lr: 0.2 })], [])).toThrow(/`schedulers\[0\]\.lr` must be left out/);
    });

    it("a parent without lr keeps its children as given, and throws the missing-lr error when evaluated", () => {
      const seq = new SequentialLR([new ConstantLR(), new ExponentialLR(0.9)], [5]);
      expect(() => seq(1)).toThrow(/SequentialLR: `lr` must be/);
    });
  });

  describe("steps as PyTorch counts them", () => {
    const lr = new ExponentialLR(0.5, { lr: 1 });

    it("a fractional step gives the rate at its floor (the rate between two step() calls)", () => {
      expect([0.5, 1, 1.99, 2, 2.5].map(lr)).toEqual([1, 0.5, 0.5, 0.25, 0.25]);
    });

    it("a step past 2^24 calls is refused by name", () => {
      expect(lr(MAX_TORCH_STEP)).toBe(0);
      expect(() => lr(MAX_TORCH_STEP + 1)).toThrow(ScheduleOptionError);
      expect(() => lr(MAX_TORCH_STEP + 1)).toThrow("ExponentialLR: `step` must be at most 16777216 (2^24)");
    });

    it("OneCycleLR throws past totalSteps, as PyTorch raises there, and recovers for earlier steps", () => {
      const one = new OneCycleLR(0.1, 10);
      expect(one(10)).toBeGreaterThan(0);
      expect(() => one(11)).toThrow("OneCycleLR: `step` must be at most totalSteps (10): PyTorch's OneCycleLR raises past it. Received: step=11");
      expect(one(3)).toBe(new OneCycleLR(0.1, 10)(3));
    });

    it("any order of steps gives the values of a fresh schedule at each (the replay restarts when asked for an earlier step)", () => {
      fc.assert(
        fc.property(leaf({ lr: 0.1 }), fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 20 }), (lr, ks) => {
          const fresh = (k: number) => deserialize(serialize(lr))(k);
          return ks.every((k) => Object.is(lr(k), fresh(k)));
        }),
      );
    });

    it("sample over 10^5 steps stays fast for the classes that replay every step", () => {
      for (const lr of [new CosineAnnealingLR(1000, { lr: 0.1 }), new SequentialLR([new LinearLR(), new CosineAnnealingLR(5000)], [5], { lr: 0.1 })]) {
        const start = performance.now();
        const { values } = sample(lr, { stop: 100_000 });
        expect(values[99_999]).toBe(lr(99_999));
        expect(performance.now() - start).toBeLessThan(1000);
      }
    });

    it("a settled scheduler jumps to far steps: the rate stays where PyTorch leaves it", () => {
      expect(new MultiStepLR([10, 20], 0.5, { lr: 1 })(MAX_TORCH_STEP)).toBe(0.25);
      expect(new ChainedScheduler([new LinearLR(0.5, 1, 4), new ConstantLR(0.5, 3)], { lr: 1 })(MAX_TORCH_STEP)).toBe(1);
    });
  });

  describe("laws", () => {
    it("a ChainedScheduler of one scheduler is that scheduler, at every step", () => {
      fc.assert(
        fc.property(leaf(), rate, fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 10 }), (child, lr, ks) => {
          const alone = new (child.constructor as new (o: object) => LearningRateSchedule)({ ...child.getConfig(), lr });
          const chained = new ChainedScheduler([child], { lr });
          return ks.every((k) => Object.is(chained(k), alone(k)));
        }),
      );
    });

    it("a SequentialLR of two runs the first alone before the milestone, and the second alone from it, on its own clock", () => {
      fc.assert(
        fc.property(leaf(), leaf(), rate, fc.integer({ min: 1, max: 100 }), fc.integer({ min: 0, max: 200 }), (a, b, lr, milestone, k) => {
          const alone = (s: LearningRateSchedule) => new (s.constructor as new (o: object) => LearningRateSchedule)({ ...s.getConfig(), lr });
          const seq = new SequentialLR([a, b], [milestone], { lr });
          return Object.is(seq(k), k < milestone ? alone(a)(k) : alone(b)(k - milestone));
        }),
      );
    });

    it("MultiStepLR's value does not depend on the order of its milestones", () => {
      fc.assert(
        fc.property(chainable.MultiStepLR, (o) => {
          const sorted = new MultiStepLR({ ...o, milestones: [...o.milestones].sort((x, y) => x - y), lr: 0.1 });
          const given = new MultiStepLR({ ...o, lr: 0.1 });
          return [0, 1, 5, 20, 40, 79, 80, 81].every((k) => Object.is(sorted(k), given(k)));
        }),
      );
    });
  });

  describe("JavaScript functions (LambdaLR, MultiplicativeLR)", () => {
    it("are left out of the catalogue (no JSON, CLI or playground), and serialize refuses them by name", () => {
      const names = scheduleCatalogue().filter((e) => e.entry === "lr-schedules/torch").map((e) => e.exportName);
      expect(names).not.toContain("LambdaLR");
      expect(names).not.toContain("MultiplicativeLR");
      expect(names).toContain("StepLR");
      const lambda = new LambdaLR((k) => 0.9 ** k, { lr: 0.1 });
      expect(() => serialize(lambda)).toThrow(ScheduleTypeError);
      expect(() => serialize(lambda)).toThrow("serialize: `schedule` must be a schedule whose options JSON can hold: `lrLambda` of LambdaLR is a JavaScript function");
      expect(() => serialize(new SequentialLR([new MultiplicativeLR(() => 0.9)], [], { lr: 0.1 }))).toThrow(/`lrLambda` of MultiplicativeLR is a JavaScript function/);
      expect(() => parseExpression("LambdaLR(1)")).toThrow();
    });

    it("CyclicLR's optional scaleFn keeps the class in the catalogue; an instance with one is refused by serialize", () => {
      expect(scheduleCatalogue().some((e) => e.exportName === "CyclicLR")).toBe(true);
      expect(serialize(new CyclicLR(0.001, 0.1, 5)).config).toMatchObject({ scale_fn: null, scale_mode: "cycle" });
      const custom = new CyclicLR(0.001, 0.1, 5, { scaleFn: (cycle) => 1 / cycle });
      expect(custom(25)).toBe(0.001 + 0.099 / 3);
      expect(() => serialize(custom)).toThrow("serialize: `schedule` must be a schedule whose options JSON can hold: `scaleFn` of CyclicLR is a JavaScript function");
      expect(() => new CyclicLR(0.001, 0.1, 5, { scaleFn: () => null as never })(1)).toThrow("CyclicLR: `scaleFn` must be a function that returns a number");
    });

    it("a lambda that returns something other than a number is refused by name", () => {
      expect(() => new LambdaLR((() => "0.5") as never, { lr: 0.1 })(1)).toThrow("LambdaLR: `lrLambda` must be a function that returns a number");
      expect(() => new MultiplicativeLR(42 as never)).toThrow(ScheduleTypeError);
    });

    it("are called with whole steps, and getConfig gives the function back", () => {
      const seen: number[] = [];
      const lr = new MultiplicativeLR((k) => (seen.push(k), 0.5), { lr: 1 });
      expect(lr(3.7)).toBe(0.125);
      expect(seen).toEqual([1, 2, 3]);
      expect(typeof lr.getConfig().lrLambda).toBe("function");
    });
  });

  describe("ReduceLROnPlateau", () => {
    it("needs lr, keeps its state readable, and refuses a metric that is not a number", () => {
      expect(() => new ReduceLROnPlateau()).toThrow(/`lr` must be a finite number >= 0 \(it is required\)/);
      const plateau = new ReduceLROnPlateau({ lr: 1, patience: 0, cooldown: 1, factor: 0.5 });
      expect([3, 2, 2, 2, 2].map((m) => plateau.step(m))).toEqual([1, 1, 0.5, 0.5, 0.25]);
      expect({ best: plateau.best, bad: plateau.numBadEpochs, cooldown: plateau.cooldownCounter, epoch: plateau.lastEpoch }).toEqual({ best: 2, bad: 0, cooldown: 1, epoch: 5 });
      expect(() => plateau.step("1" as never)).toThrow(ScheduleTypeError);
    });

    it("a NaN metric is a bad step, as in PyTorch", () => {
      const plateau = new ReduceLROnPlateau({ lr: 1, patience: 0 });
      plateau.step(1);
      expect(plateau.step(Number.NaN)).toBe(0.1);
    });
  });

  describe("round trips (every class of the catalogue)", () => {
    const step = fc.integer({ min: 0, max: 400 });
    for (const [name, options] of Object.entries(chainable)) {
      itRoundTrips(classes[name as Leaf], options.map((o) => ({ ...o, lr: 0.1 })), step);
    }
    itRoundTrips(CyclicLR, cyclic, step);
    itRoundTrips(OneCycleLR, oneCycle, fc.integer({ min: 0, max: 19 }));
    const children = fc.array(leaf(), { minLength: 1, maxLength: 4 });
    itRoundTrips(ChainedScheduler, children.map((schedulers) => ({ schedulers, lr: 0.1 })), step);
    it("a rounding residue below 0 that a later factor grows is still 0 (a counterexample of the round-trip property)", () => {
      // LinearLR to 0 leaves PyTorch's ratios a residue below 0, which ExponentialLR's gamma > 1 grows to -1e-13 by 400.
      const children = [new LinearLR(0.0306103825089528, 0, 34), new ExponentialLR(1.0346716431597174)];
      expect(new ChainedScheduler(children, { lr: 0.1 })(400)).toBe(0);
    });
    itRoundTrips(
      SequentialLR,
      children.chain((schedulers) =>
        fc
          .uniqueArray(fc.integer({ min: 1, max: 300 }), { minLength: schedulers.length - 1, maxLength: schedulers.length - 1 })
          .map((m) => ({ schedulers, milestones: m.sort((x, y) => x - y), lr: 0.1 })),
      ),
      step,
    );

    it("every torch class of the catalogue is covered here", () => {
      const covered = new Set([...leafNames, "CyclicLR", "OneCycleLR", "ChainedScheduler", "SequentialLR"]);
      for (const e of scheduleCatalogue().filter((x) => x.entry === "lr-schedules/torch")) expect(covered, e.exportName).toContain(e.exportName);
    });
  });

  describe("bad options: what PyTorch refuses, and what it lets through silently", () => {
    itRefusesBadOptions(StepLR, { stepSize: 3, lr: 0.1 }, [
      [{ stepSize: 0 }, /`stepSize` must be an integer >= 1/, RangeError, "stepSize 0 (PyTorch divides by it at step 1)"],
      [{ stepSize: 2.5 }, /an integer >= 1/, RangeError],
      [{ gamma: -0.1 }, /`gamma` must be a finite number >= 0/, RangeError, "a negative gamma (PyTorch lets it through: negative rates)"],
      [{ lr: -1 }, /`lr` must be a finite number >= 0, or null/, RangeError],
      [{ lr: "0.1" }, /`lr` must be/, TypeError],
    ]);
    itRefusesBadOptions(MultiStepLR, { milestones: [3], lr: 0.1 }, [
      [{ milestones: [-1] }, /`milestones\[0\]` must be an integer >= 0/, RangeError, "a negative milestone (never reached by step())"],
      [{ milestones: [1.5] }, /an integer >= 0/, RangeError],
      [{ milestones: 3 }, /`milestones` must be an array/, TypeError],
    ]);
    itRefusesBadOptions(ConstantLR, { lr: 0.1 }, [
      [{ factor: 0 }, /`factor` must be a finite number in \(0, 1\]/, RangeError, "factor 0 (PyTorch divides by it at totalIters)"],
      [{ factor: 1.5 }, /in \(0, 1\]/, RangeError],
      [{ totalIters: 0 }, /`totalIters` must be an integer >= 1/, RangeError, "totalIters 0 (PyTorch then never restores the rate)"],
    ]);
    itRefusesBadOptions(LinearLR, { lr: 0.1 }, [
      [{ startFactor: 0 }, /`startFactor` must be a finite number in \(0, 1\]/, RangeError],
      [{ endFactor: 1.5 }, /`endFactor` must be a finite number in \[0, 1\]/, RangeError],
      [{ totalIters: 0 }, /`totalIters` must be an integer >= 1/, RangeError, "totalIters 0 (PyTorch's closed form divides by it)"],
    ]);
    itRefusesBadOptions(ExponentialLR, { gamma: 0.9, lr: 0.1 }, [[{ gamma: -0.9 }, /`gamma` must be a finite number >= 0/, RangeError]]);
    itRefusesBadOptions(PolynomialLR, { lr: 0.1 }, [
      [{ power: -1 }, /`power` must be a finite number >= 0/, RangeError, "a negative power (0 ** -1 at totalIters)"],
      [{ totalIters: 0 }, /`totalIters` must be an integer >= 1/, RangeError],
    ]);
    itRefusesBadOptions(CosineAnnealingLR, { tMax: 10, lr: 0.1 }, [
      [{ tMax: -10 }, /`tMax` must be an integer >= 1/, RangeError, "a negative tMax (PyTorch lets it through)"],
      [{ tMax: 0 }, /`tMax` must be an integer >= 1/, RangeError, "tMax 0 (PyTorch divides by it)"],
      [{ tMax: 2.5 }, /an integer >= 1/, RangeError],
      [{ etaMin: -0.1 }, /`etaMin` must be a finite number >= 0/, RangeError],
    ]);
    itRefusesBadOptions(CosineAnnealingWarmRestarts, { t0: 10, lr: 0.1 }, [
      [{ t0: 0 }, /`t0` must be an integer >= 1/, RangeError],
      [{ tMult: 0 }, /`tMult` must be an integer >= 1/, RangeError],
      [{ tMult: 1.5 }, /`tMult` must be an integer >= 1/, RangeError],
    ]);
    itRefusesBadOptions(CyclicLR, { baseLr: 0.001, maxLr: 0.1 }, [
      [{ stepSizeUp: 0 }, /`stepSizeUp` must be a finite number > 0/, RangeError, "stepSizeUp 0 (PyTorch divides by 0)"],
      [{ stepSizeDown: -1 }, /`stepSizeDown` must be a finite number >= 0, or null/, RangeError],
      [{ mode: "cosine" }, /`mode` must be one of "triangular", "triangular2", "exp_range"/, RangeError],
      [{ scaleFn: 0.5 }, /`scaleFn` must be a function of the cycle or step that returns a number, or null/, TypeError, "a scaleFn that is not a function"],
      [{ scaleMode: "epochs" }, /`scaleMode` must be one of "cycle", "iterations"/, RangeError],
    ]);
    itRefusesBadOptions(OneCycleLR, { maxLr: 0.1, totalSteps: 100 }, [
      [{ totalSteps: null }, /`totalSteps` must be a whole number >= 1, or epochs and stepsPerEpoch/, TypeError, "no totalSteps, epochs or stepsPerEpoch"],
      [{ totalSteps: null, epochs: 3 }, /or epochs and stepsPerEpoch/, TypeError, "epochs without stepsPerEpoch"],
      [{ totalSteps: 0 }, /`totalSteps` must be an integer >= 1/, RangeError],
      [{ pctStart: 1 }, /`pctStart` must be a finite number in \(0, 1\)/, RangeError],
      [{ pctStart: 0.6, threePhase: true }, /`pctStart` must be such that each phase lasts more than 0 steps/, RangeError, "threePhase with pctStart 0.6"],
      [{ totalSteps: 2 }, /each phase lasts more than 0 steps/, RangeError, "a first phase of no steps (PyTorch divides 0 by 0)"],
      [{ divFactor: 0 }, /`divFactor` must be a finite number > 0/, RangeError],
    ]);
    itRefusesBadOptions(SequentialLR, { schedulers: [new ConstantLR(), new ExponentialLR(0.9)], milestones: [5], lr: 0.1 }, [
      [{ schedulers: [] , milestones: [] }, /`schedulers` must be a non-empty array/, RangeError, "no scheduler"],
      [{ milestones: [] }, /`milestones` must be an array of 1 steps, one fewer than `schedulers` \(2\)/, RangeError, "too few milestones"],
      [{ schedulers: [new ConstantLR(), new ConstantLR(), new ConstantLR()], milestones: [5, 5] }, /`milestones\[1\]` must be greater than milestones\[0\] = 5/, RangeError, "repeated milestones"],
      [{ milestones: [0] }, /`milestones\[0\]` must be an integer >= 1/, RangeError],
      [{ schedulers: [new CosineDecay(0.1, 100), new ConstantLR()] }, /`schedulers\[0\]` must be a scheduler of lr-schedules\/torch/, TypeError, "a Keras schedule as a child"],
      [{ schedulers: [new ChainedScheduler([new ConstantLR()]), new ConstantLR()] }, /`schedulers\[0\]` must be a scheduler that holds no other schedulers/, RangeError, "a composite child"],
    ]);
    itRefusesBadOptions(ChainedScheduler, { schedulers: [new ConstantLR()], lr: 0.1 }, [
      [{ schedulers: [] }, /`schedulers` must be a non-empty array/, RangeError, "no scheduler"],
      [{ schedulers: [new LambdaLR(() => 1, { lr: 0.2 })] }, /`schedulers\[0\]\.lr` must be left out/, RangeError, "a child with another lr"],
    ]);
    itRefusesBadOptions(ReduceLROnPlateau as never, { lr: 0.1 }, [
      [{ factor: 1 }, /`factor` must be a finite number in \[0, 1\)/, RangeError, "factor 1 (PyTorch: Factor should be < 1.0)"],
      [{ mode: "mean" }, /`mode` must be one of "min", "max"/, RangeError],
      [{ thresholdMode: "pct" }, /`thresholdMode` must be one of "rel", "abs"/, RangeError],
      [{ patience: -1 }, /`patience` must be an integer >= 0/, RangeError],
    ]);
  });
});
