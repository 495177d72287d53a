import { describe, expect, it } from "vitest";
import {
  Constant,
  CosineDecayRestarts,
  ExponentialDecay,
  InverseTimeDecay,
  LearningRateSchedule,
  LinearWarmup,
  PiecewiseConstantDecay,
  CosineDecay,
  deserialize,
  JSON_LIMITS,
  registerSchedule,
  sample,
  ScheduleOptionError,
  ScheduleTypeError,
  ScheduleValueError,
  Sequence,
  serialize,
  type Ops,
} from "./index.js";

describe("LearningRateSchedule", () => {
  it("lr(step) throws ScheduleValueError where the rate overflows float32, instead of returning Infinity", () => {
    const growing = new ExponentialDecay(0.1, 1, 2);
    expect(growing(10)).toBe(Math.fround(102.4));
    expect(() => growing(200)).toThrow(ScheduleValueError);
    expect(() => growing(200)).toThrow("ExponentialDecay: the rate at step 200 is Infinity, not a finite number >= 0");
    expect(() => sample(growing, { stop: 300 })).toThrow(/the rate at step 128 is Infinity/);
  });

  it("a custom schedule that computes NaN or a negative rate throws instead of returning it", () => {
    class Broken extends LearningRateSchedule {
      static override readonly className = "Broken";
      compute<T, B>(o: Ops<T, B>, step: T): T {
        return o.sub(o.constant(1), step);
      }
      override getConfig() {
        return {};
      }
    }
    const lr = new Broken();
    expect(lr(0.5)).toBe(0.5);
    expect(() => lr(2)).toThrow("Broken: the rate at step 2 is -1, not a finite number >= 0");
    expect(() => sample(lr, { stop: 3 })).toThrow(ScheduleValueError);
  });

  it("a subclass of a built-in that overrides compute computes with it for numbers too; one that does not keeps the built-in formula", () => {
    class Halved extends InverseTimeDecay {
      override compute<T, B>(o: Ops<T, B>, step: T): T {
        return o.mul(super.compute(o, step), o.constant(0.5));
      }
    }
    class Plain extends InverseTimeDecay {}
    const itd = new InverseTimeDecay(0.1, 1, 0.5);
    const halved = new Halved(0.1, 1, 0.5);
    for (const step of [0, 1, 2, 7.5]) {
      expect(halved(step)).toBe(Math.fround(itd(step) * 0.5));
      expect(new Plain(0.1, 1, 0.5)(step)).toBe(itd(step));
    }
    // A whole step past 2^24 keeps PiecewiseConstantDecay's exact comparison in a subclass that does not override it.
    class Stairs extends PiecewiseConstantDecay {}
    expect(new Stairs([2 ** 24], [0.5, 0.25])(2 ** 24 + 1)).toBe(0.25);
  });

  it("options are checked as float32 too: a decaySteps that rounds to 0 or a rate that rounds to Infinity is refused", () => {
    expect(() => new InverseTimeDecay(0.1, 1e-50, 0.5)).toThrow(
      "InverseTimeDecay: `decaySteps` must be a finite number > 0 also in float32 (it rounds to 0). Received: decaySteps=1e-50",
    );
    expect(() => new InverseTimeDecay(1e39, 1, 0.5)).toThrow(/`initialLearningRate` must be a finite number >= 0 also in float32 \(it rounds to Infinity\)/);
    expect(new InverseTimeDecay(0.1, 1e-44, 0.5).getConfig().decaySteps).toBe(1e-44);
    // Options with a rule of their own go through the same check.
    expect(() => new CosineDecayRestarts(0.1, 10, { tMul: 1e39 })).toThrow(/`tMul` must be a finite number >= 1 also in float32 \(it rounds to Infinity\)/);
  });

  it("a sparse array is refused at its hole, never read as undefined", () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(() => new PiecewiseConstantDecay([1, 2], [1, , 3] as never)).toThrow(/`values\[1\]` must be a finite number >= 0\. Received: values\[1\]=undefined/);
    // eslint-disable-next-line no-sparse-arrays
    expect(() => new Sequence([new Constant(1), , new Constant(2)] as never, [1, 2])).toThrow(/`schedules\[1\]` must be a LearningRateSchedule/);
  });

  it("fromConfig reads nested schedules given as Keras JSON in a snake_case config", () => {
    const warm = new LinearWarmup(new InverseTimeDecay(0.1, 1, 0.5), { warmupSteps: 4 });
    const copy = LinearWarmup.fromConfig(serialize(warm).config);
    expect(serialize(copy)).toEqual(serialize(warm));
    expect([0, 2, 4, 9].map(copy)).toEqual([0, 2, 4, 9].map(warm));
    const joined = new Sequence([new Constant(0.1), new InverseTimeDecay(0.1, 1, 0.5)], [10]);
    expect(Sequence.fromConfig(serialize(joined).config)(12)).toBe(joined(12));
    expect(() => LinearWarmup.fromConfig({ ...serialize(warm).config, schedule: { class_name: "Nope", config: {} } })).toThrow(
      /Unknown schedule `schedule.class_name`: "Nope"/,
    );
  });

  it("a wrapper of a schedule (lr.bind(null)) is not a schedule, so compositions and serialize refuse it at once", () => {
    const lr = new InverseTimeDecay(0.1, 1, 0.5);
    const bound: unknown = lr.bind(null);
    expect(lr instanceof LearningRateSchedule && lr instanceof InverseTimeDecay).toBe(true);
    expect(bound instanceof LearningRateSchedule || bound instanceof InverseTimeDecay).toBe(false);
    expect(() => new LinearWarmup(bound as never, { warmupSteps: 2 })).toThrow(/`schedule` must be a LearningRateSchedule/);
    expect(() => serialize(bound as never)).toThrow(/`schedule` must be a LearningRateSchedule/);
  });

  it("registerSchedule refuses a built-in class, whose Keras JSON is fixed", () => {
    expect(() => registerSchedule(InverseTimeDecay, { package: "mine" })).toThrow(/the built-in classes are registered already/);
    expect(serialize(new InverseTimeDecay(0.1, 1, 0.5)).registered_name).toBeNull();
    expect(() => registerSchedule(LearningRateSchedule as never)).toThrow(/must be a class that extends LearningRateSchedule/);
  });

  it("registerSchedule refuses a name a built-in class has, which deserialize would read as the built-in", () => {
    class Mine extends LinearWarmup {}
    expect(() => registerSchedule(Mine, { package: "lr-schedules", name: "LinearWarmup" })).toThrow(
      /`package` must be a package other than "lr-schedules": "lr-schedules>LinearWarmup" is a built-in class's name/,
    );
  });

  /** A user's schedule whose compute returns `value`, whatever it is. */
  const returning = (value: unknown) =>
    new (class Returns extends LearningRateSchedule {
      static override readonly className = "Returns";
      compute<T>(): T {
        return value as T;
      }
      override getConfig() {
        return {};
      }
    })();

  it("a custom schedule's result must be a number: null, strings, arrays, booleans, objects and bigints are refused, nested too", () => {
    for (const value of [null, undefined, "0.5", [], [0.5], true, {}, 1n]) {
      const lr = returning(value);
      expect(() => lr(1), String(value)).toThrow(ScheduleValueError);
      expect(() => lr(1), String(value)).toThrow(/^Returns: the rate at step 1 is /);
      expect(() => sample(lr, { stop: 3 })).toThrow(ScheduleValueError);
      // Inside a composition the value is refused before a formula could coerce it ("0.5" - 0 is 0.5, null * 1 is 0).
      expect(() => new Sequence([lr], [])(1)).toThrow(/^Returns: the rate at step 1 is /);
      expect(() => new LinearWarmup(lr, { warmupSteps: 4 })(2)).toThrow(/^Returns: the rate at step 0 is /);
      expect(() => new LinearWarmup(lr, { warmupSteps: 4 })(5)).toThrow(/^Returns: the rate at step 1 is /);
    }
    expect(returning(0.5)(1)).toBe(0.5);
  });

  it("new lr(step) throws a named error: a schedule is a function, not a class", () => {
    const lr = new Constant(0.1) as unknown as new (step: number) => unknown;
    expect(() => new lr(3)).toThrow(ScheduleTypeError);
    expect(() => new lr(3)).toThrow("Constant: `new` must be absent: a schedule is a function of the step, call it as lr(step)");
    expect(() => new (returning(1) as unknown as new () => unknown)()).toThrow(/^Returns: `new` must be absent/);
  });

  it("a rate is never -0, whichever option is -0", () => {
    const zeros: LearningRateSchedule[] = [
      new InverseTimeDecay(-0, 1, 0.5),
      new ExponentialDecay(-0, 10, 0.5),
      new CosineDecay(-0, 100),
      new CosineDecay(-0, 100, { alpha: -0 }),
      new Constant(-0),
      new PiecewiseConstantDecay([1], [-0, -0]),
      new LinearWarmup(new Constant(-0), { warmupSteps: 4, initialLearningRate: -0 }),
      returning(-0),
      deserialize({ class_name: "InverseTimeDecay", config: { initial_learning_rate: -0, decay_steps: 1, decay_rate: 0.5 } }),
    ];
    for (const lr of zeros) {
      for (const step of [0, 1, 2, 5, 1000]) expect(Object.is(lr(step), 0), `${lr.className} at ${step}`).toBe(true);
      for (const value of sample(lr, { stop: 6 }).values) expect(Object.is(value, 0), lr.className).toBe(true);
    }
  });

  it(`schedules built through the API nest at most JSON_LIMITS.maxDepth (${JSON_LIMITS.maxDepth}) deep, as deserialize reads`, () => {
    let deepest: LearningRateSchedule = new Constant(0.1);
    for (let depth = 2; depth <= JSON_LIMITS.maxDepth; depth++) deepest = new LinearWarmup(deepest, { warmupSteps: 1 });
    // The deepest allowed is called, sampled and serialized in linear time.
    expect(deepest(JSON_LIMITS.maxDepth + 10)).toBe(Math.fround(0.1));
    expect(sample(deepest, { stop: 100 }).values.length).toBe(100);
    expect(serialize(deepest).class_name).toBe("LinearWarmup");
    expect(() => new LinearWarmup(deepest, { warmupSteps: 1 })).toThrow(ScheduleOptionError);
    expect(() => new LinearWarmup(deepest, { warmupSteps: 1 })).toThrow(
      `LinearWarmup: \`schedule\` must be nested at most ${JSON_LIMITS.maxDepth} deep (JSON_LIMITS.maxDepth, as deserialize reads). Received: schedule="[schedules nested ${JSON_LIMITS.maxDepth + 1} deep]"`,
    );
    expect(() => new Sequence([new Constant(1), deepest], [5])).toThrow(/Sequence: `schedules` must be nested at most/);
    // 2 * 10^4 levels, as a user's loop would build them: refused at the first level past the limit, at once.
    const started = performance.now();
    expect(() => {
      let lr: LearningRateSchedule = new Constant(0.1);
      for (let i = 0; i < 20_000; i++) lr = new LinearWarmup(lr, { warmupSteps: 1 });
    }).toThrow(ScheduleOptionError);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("a Sequence of 125,000 schedules is called, sampled and serialized without exhausting the call stack", () => {
    const n = 125_000;
    const lr = new Sequence(
      Array.from({ length: n }, (_, i) => new Constant(i % 2 ? 0.5 : 0.25)),
      Array.from({ length: n - 1 }, (_, i) => i + 1),
    );
    for (const step of [0, 1, 2.5, 70_001, n - 1, n, 1e9]) {
      const i = Math.min(Math.floor(step), n - 1);
      expect(lr(step), `step ${step}`).toBe(i % 2 ? 0.5 : 0.25);
    }
    expect(Array.from(sample(lr, { start: 99_998, stop: 100_002 }).values)).toEqual([0.25, 0.5, 0.25, 0.5]);
    expect(serialize(lr).config.schedules).toHaveLength(n);
  });
});
