import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  dtypes,
  itComputesBothSides,
  itRefusesBadOptions,
  itRoundTrips,
  runsChildFormulas,
} from "../../test/support/scheduleSuite.js";
import { describeTensorSteps } from "../../test/support/scheduleTensorSteps.js";
import {
  Constant,
  CosineDecay,
  deserialize,
  InverseTimeDecay,
  LearningRateSchedule,
  LinearWarmup,
  serialize,
  Sequence,
} from "../index.js";
import { numberOps } from "../ops.js";
import { linearWarmup } from "./LinearWarmup.js";

const f = Math.fround;

const rate = fc.double({ min: 0, max: 10, noNaN: true });
const normalRate = fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 10, noNaN: true }));
const decayOptions = fc.record({
  initialLearningRate: rate,
  decaySteps: fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
  decayRate: rate,
  staircase: fc.boolean(),
});
const warmupOptions = fc.record({ warmupSteps: fc.integer({ min: 1, max: 100_000 }), initialLearningRate: rate });
/** An InverseTimeDecay behind a warmup. */
const warmups = fc.tuple(decayOptions, warmupOptions).map(([d, w]) => ({ schedule: new InverseTimeDecay(d), ...w }));

describe("LinearWarmup", () => {
  const decay = new InverseTimeDecay(0.1, 1, 0.5);

  it("LinearWarmup(InverseTimeDecay(0.1, 1, 0.5), 4) ramps from 0 to decay(0), then runs decay from its step 0 (worked in float32)", () => {
    const lr = new LinearWarmup(decay, 4);
    const first = f(0.1);
    // The ramp's formula: (decay(0) - 0) * (step / 4) + 0, each operation in float32.
    expect([0, 1, 2, 3].map(lr)).toEqual([0, f(first * 0.25), f(first * 0.5), f(first * 0.75)]);
    expect(lr(2)).toBe(0.05000000074505806);
    expect(lr(4)).toBe(decay(0));
    expect(lr(5)).toBe(decay(1));
    expect(lr(5)).toBe(f(first / 1.5));
    expect(lr(1000)).toBe(decay(996));
  });

  it("with dtype 'float64' the ramp is the formula in doubles", () => {
    const lr = new LinearWarmup({ schedule: new Constant({ value: 0.1, dtype: "float64" }), warmupSteps: 3, initialLearningRate: 0.01, dtype: "float64" });
    for (const s of [0, 0.5, 1, 2, 2.9]) expect(lr(s)).toBe((0.1 - 0.01) * (s / 3) + 0.01);
    expect(lr(3)).toBe(0.1);
  });

  it("the three constructor forms build equal schedules", () => {
    const a = new LinearWarmup({ schedule: decay, warmupSteps: 10, initialLearningRate: 0.001, name: "w" });
    const b = new LinearWarmup(decay, { warmupSteps: 10, initialLearningRate: 0.001, name: "w" });
    const c = new LinearWarmup(decay, 10, 0.001, "w");
    for (const x of [b, c]) expect(x.getConfig()).toEqual(a.getConfig());
    expect(a.getConfig()).toEqual({ schedule: decay, warmupSteps: 10, initialLearningRate: 0.001, name: "w" });
    expect(new LinearWarmup(decay, 10).name).toBe("LinearWarmup");
  });

  it("lr(0) equals initialLearningRate in float32", () => {
    fc.assert(fc.property(decayOptions, warmupOptions, (d, w) => new LinearWarmup(new InverseTimeDecay(d), w)(0) === f(w.initialLearningRate)));
  });

  it("lr(warmupSteps + k) equals schedule(k): the schedule runs on its own clock from the boundary on", () => {
    fc.assert(
      fc.property(decayOptions, warmupOptions, fc.nat({ max: 1_000_000 }), (d, w, k) => {
        const inner = new InverseTimeDecay(d);
        return new LinearWarmup(inner, w)(w.warmupSteps + k) === inner(k);
      }),
    );
  });

  it("the ramp never falls when it climbs to the schedule's first rate, and ends within rounding of it", () => {
    fc.assert(
      fc.property(decayOptions, warmupOptions, fc.nat(), fc.nat(), (d, w, a, b) => {
        const inner = new InverseTimeDecay(d);
        fc.pre(w.initialLearningRate <= inner(0));
        const lr = new LinearWarmup(inner, w);
        const [lo, hi] = [a % w.warmupSteps, b % w.warmupSteps].sort((x, y) => x - y) as [number, number];
        return lr(lo) <= lr(hi) && lr(hi) <= inner(0);
      }),
    );
  });

  it("lr is continuous at warmupSteps: the last ramp steps approach schedule(0) linearly", () => {
    fc.assert(
      fc.property(decayOptions, warmupOptions, fc.double({ min: 0, max: 1, noNaN: true }), (d, w, back) => {
        const inner = new InverseTimeDecay(d);
        const lr = new LinearWarmup(inner, w);
        const s = f(Math.max(0, w.warmupSteps - back));
        fc.pre(s < w.warmupSteps);
        const gap = Math.abs(inner(0) - f(w.initialLearningRate));
        const ulp = Math.max(2 ** -22 * Math.max(inner(0), f(w.initialLearningRate)), 2 ** -149);
        return Math.abs(lr(s) - inner(0)) <= (gap * (w.warmupSteps - s)) / w.warmupSteps + 2 * ulp;
      }),
    );
  });

  it("warmupSteps 0 is the schedule itself", () => {
    fc.assert(fc.property(decayOptions, fc.nat(), (d, s) => new LinearWarmup(new InverseTimeDecay(d), 0, 0.5)(s) === new InverseTimeDecay(d)(s)));
  });

  it("the wrapped schedule computes in its own dtype", () => {
    const inner = new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 3, decayRate: 0.5, dtype: "float64" });
    const lr = new LinearWarmup(inner, 10);
    expect(lr(14)).toBe(0.1 / (1 + 0.5 * (4 / 3)));
    expect(lr(5)).toBe(f(0.1 * 0.5));
  });

  it("a warmup in front of CosineDecay is Keras's CosineDecay with warmupTarget: equal in float64, within 2 float32 ulps of the larger rate by default", () => {
    fc.assert(
      fc.property(
        // Rates that keep the products out of float32's subnormal range, where an ulp is absolute.
        fc.record({ initial: normalRate, target: normalRate, alpha: fc.double({ min: 0, max: 1, noNaN: true }) }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.nat({ max: 12_000 }),
        ({ initial, target, alpha }, warmupSteps, decaySteps, s) => {
          const keras = (dtype: "float32" | "float64") =>
            new CosineDecay({ initialLearningRate: initial, decaySteps, alpha, warmupTarget: target, warmupSteps, dtype });
          const ours = (dtype: "float32" | "float64") =>
            new LinearWarmup(new CosineDecay({ initialLearningRate: target, decaySteps, alpha, dtype }), { warmupSteps, initialLearningRate: initial, dtype });
          // Keras fuses a * b + c into one rounding inside its cond (XLA); the composition rounds each operation,
          // which near a cancellation costs up to an ulp of the larger rate.
          const ulp = (x: number) => 2 ** (Math.floor(Math.log2(Math.max(x, 2 ** -126))) - 23);
          const [a, b] = [keras("float32")(s), ours("float32")(s)];
          return keras("float64")(s) === ours("float64")(s) && Math.abs(a - b) <= 2 * ulp(Math.max(initial, target));
        },
      ),
    );
  });

  it("the number path runs the wrapped schedule's own formula, never its checked call, and gives what calling it gives, to the bit", () => {
    fc.assert(
      fc.property(decayOptions, dtypes, warmupOptions, dtypes, fc.array(fc.double({ min: 0, max: 2e5, noNaN: true }), { minLength: 1, maxLength: 20 }), (d, innerDtype, w, dtype, steps) => {
        const inner = new InverseTimeDecay({ ...d, dtype: innerDtype });
        const o = numberOps(dtype);
        const byCalls = (x: number) => linearWarmup(o, o.constant(x), { schedule: inner, ...w, dtype, name: "LinearWarmup" }, (local) => inner(local));
        return runsChildFormulas([inner], ([schedule]) => new LinearWarmup({ schedule: schedule!, ...w, dtype }), byCalls, steps, 2.5);
      }),
    );
  });

  itComputesBothSides(LinearWarmup, warmups, fc.double({ min: 0, max: 1e7, noNaN: true }));

  itRoundTrips(LinearWarmup, warmups, fc.nat({ max: 300_000 }));

  it("serialize nests the schedule's Keras JSON under `schedule`, registered as lr-schedules>LinearWarmup", () => {
    const lr = new LinearWarmup(decay, 4);
    expect(serialize(lr)).toEqual({
      module: "lr_schedules",
      class_name: "LinearWarmup",
      config: { schedule: serialize(decay), warmup_steps: 4, initial_learning_rate: 0, name: "LinearWarmup" },
      registered_name: "lr-schedules>LinearWarmup",
    });
    expect(serialize(lr, { format: "keras2" })).toEqual({
      class_name: "lr-schedules>LinearWarmup",
      config: { schedule: serialize(decay, { format: "keras2" }), warmup_steps: 4, initial_learning_rate: 0, name: "LinearWarmup" },
    });
  });

  it("a warmup in front of a Sequence round-trips through JSON text in both formats", () => {
    const lr = new LinearWarmup(new Sequence([new Constant(0.1), decay], [50]), { warmupSteps: 20, initialLearningRate: 0.01 });
    for (const format of ["keras3", "keras2"] as const) {
      const copy = deserialize(JSON.stringify(serialize(lr, { format })));
      for (const s of [0, 10, 19.5, 20, 69, 70, 71, 1000]) expect(copy(s)).toBe(lr(s));
      expect(serialize(copy, { format })).toEqual(serialize(lr, { format }));
    }
    expect(lr(70)).toBe(decay(0));
  });

  describe("bad options throw errors that name the option", () => {
    itRefusesBadOptions(LinearWarmup, { schedule: decay, warmupSteps: 10 }, [
      [{ warmupSteps: -1 }, /^LinearWarmup: `warmupSteps` must be a finite number >= 0\. Received: warmupSteps=-1$/, RangeError],
      [{ warmupSteps: NaN }, /warmupSteps=NaN/, RangeError],
      [{ warmupSteps: Infinity }, /warmupSteps=Infinity/, RangeError],
      [{ warmupSteps: "10" }, /warmupSteps="10"/, TypeError],
      [{ warmupSteps: undefined }, /`warmupSteps` must be a finite number >= 0 \(it is required\)/, TypeError],
      [{ initialLearningRate: -0.1 }, /`initialLearningRate` must be a finite number >= 0/, RangeError],
      [{ schedule: undefined }, /`schedule` must be a LearningRateSchedule instance \(it is required\)/, TypeError],
      [{ schedule: (s: number) => 0.1 / (s + 1) }, /`schedule` must be a LearningRateSchedule instance\. Received: schedule=\[function/, TypeError],
      [{ schedule: 0.1 }, /schedule=0.1/, TypeError],
      [{ schedule: { class_name: "Constant", config: { value: 1 } } }, /schedule=\{class_name, config\}/, TypeError],
      [{ name: 1 }, /`name` must be a string/, TypeError],
    ]);
    it("a bad nested schedule in Keras JSON is reported at its path", () => {
      const json = serialize(new LinearWarmup(decay, 4));
      const bad = { ...json, config: { ...json.config, schedule: { ...serialize(decay), config: { ...serialize(decay).config, decay_steps: 0 } } } };
      expect(() => deserialize(bad)).toThrow(/`config\.schedule\.config\.decay_steps` must be a finite number > 0/);
      expect(() => deserialize({ ...json, config: { ...json.config, schedule: 5 } })).toThrow(/`config\.schedule` must be a LearningRateSchedule instance/);
    });
    it("a step that is not a finite number >= 0 is refused by the warmup itself", () => {
      const lr = new LinearWarmup(decay, 10);
      expect(() => lr(-1)).toThrow(/^LinearWarmup: `step` must be/);
      expect(() => lr(NaN)).toThrow(RangeError);
    });
  });

  it("a LinearWarmup is a LearningRateSchedule that can itself be wrapped", () => {
    const twice = new LinearWarmup(new LinearWarmup(decay, 10), 5);
    expect(twice instanceof LearningRateSchedule).toBe(true);
    expect(twice(5)).toBe(0);
    expect(twice(15)).toBe(decay(0));
  });

  describeTensorSteps(
    [
      new LinearWarmup(new InverseTimeDecay(0.1, 1, 0.5), 4),
      new LinearWarmup(new InverseTimeDecay(0.3, 7, 2, true), { warmupSteps: 10.5, initialLearningRate: 0.01 }),
      new LinearWarmup(new Constant(0.2), 0, 0.5),
    ],
    [0, 1, 2, 3.5, 4, 5, 10, 10.5, 11, 100, 1e6],
  );
});
