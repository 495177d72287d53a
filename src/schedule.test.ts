import { describe, expect, it } from "vitest";
import {
  Constant,
  CosineDecayRestarts,
  ExponentialDecay,
  InverseTimeDecay,
  LearningRateSchedule,
  LinearWarmup,
  PiecewiseConstantDecay,
  registerSchedule,
  sample,
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
});
