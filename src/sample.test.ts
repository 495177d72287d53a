import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseExpression, scheduleClasses } from "./expression.js";
import { EXAMPLES } from "../test/support/expressionExamples.js";
import { Constant, ExponentialDecay, InverseTimeDecay, LearningRateSchedule, PiecewiseConstantDecay, ScheduleValueError, type Ops } from "./index.js";
import { SAMPLE_LIMITS, sample } from "./sample.js";

const examples = EXAMPLES.map((text) => ({ text, schedule: parseExpression(text) }));

/** A user's own schedule: no option table, no formula closure, so `sample` must call it. */
class HalveEvery extends LearningRateSchedule {
  static override readonly className = "HalveEvery";
  constructor(readonly every: number) {
    super();
  }
  compute<T, B>(o: Ops<T, B>, step: T): T {
    return o.div(o.constant(1), o.pow(o.constant(2), o.floor(o.div(step, o.constant(this.every)))));
  }
  override getConfig() {
    return { every: this.every };
  }
}

/** A user's schedule that returns doubles: its values must come back as a Float64Array to stay exact. */
class Third extends LearningRateSchedule {
  static override readonly className = "Third";
  compute<T>(): T {
    return (1 / 3) as T;
  }
  override getConfig() {
    return {};
  }
}

describe("sample", () => {
  it("sample(lr) throws where lr(step) would, at the first bad step", () => {
    const growing = new ExponentialDecay(1, 1, 2);
    expect(() => sample(growing, { stop: 200 })).toThrow(ScheduleValueError);
    expect(() => sample(growing, { stop: 200 })).toThrow("ExponentialDecay: the rate at step 128 is Infinity, not a finite number >= 0");
    // Deep in a long range.
    expect(() => sample(new ExponentialDecay(1, 1000, 2), { stop: 200_000 })).toThrow("the rate at step 128000 is Infinity");
  });

  it("the examples cover every schedule class", () => {
    const covered = new Set(examples.map((e) => e.schedule.className));
    for (const name of scheduleClasses().keys()) expect(covered, `no example of ${name} in test/support/expressionExamples.ts`).toContain(name);
  });

  it("sample(s, range).values[i] equals s(steps[i]) to the bit, for every class", () => {
    const ranges = [
      { stop: 1500 },
      { stop: 20_000 },
      { start: 95, stop: 105, step: 0.25 },
      { start: 0.5, stop: 3000, step: 7.3 },
    ];
    for (const { text, schedule } of examples) {
      for (const range of ranges) {
        const { steps, values } = sample(schedule, range);
        expect(steps.length, text).toBeGreaterThan(0);
        for (let i = 0; i < steps.length; i++) {
          if (!Object.is(values[i], schedule(steps[i]!))) {
            expect.fail(`${text} at step ${steps[i]}: sample gave ${values[i]}, the call ${schedule(steps[i]!)}`);
          }
        }
      }
    }
  });

  it("float32 schedules give a Float32Array, float64 ones a Float64Array", () => {
    for (const { text, schedule } of examples) {
      const { values } = sample(schedule, { stop: 20 });
      // Doubles where a value is not a float32: `dtype: 'float64'`, and the float64 schedules (lr-schedules/transformers).
      const float64 = Array.from({ length: 20 }, (_, i) => schedule(i)).some((v) => Math.fround(v) !== v);
      expect(values, text).toBeInstanceOf(float64 ? Float64Array : Float32Array);
    }
  });

  it("steps are start + i * step, every one below stop, none missing", () => {
    const lr = new InverseTimeDecay(0.1, 1, 0.5);
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        fc.double({ min: 0, max: 2000, noNaN: true }),
        (start, step, count) => {
          const stop = start + count * step;
          const { steps, values } = sample(lr, { start, stop, step });
          const n = steps.length;
          const exact = steps.every((s, i) => s === start + i * step);
          return values.length === n && exact && (n === 0 || steps[n - 1]! < stop) && start + n * step >= stop;
        },
      ),
      { numRuns: 300 },
    );
  });

  it("sample(s, { stop: 3 }) gives the documented example", () => {
    const { steps, values } = sample(new InverseTimeDecay(0.1, 1, 0.5), { stop: 3 });
    expect(Array.from(steps)).toEqual([0, 1, 2]);
    expect(Array.from(values)).toEqual([0.10000000149011612, 0.06666667014360428, 0.05000000074505806]);
  });

  it("a custom subclass is sampled by calling it, exactly", () => {
    const lr = new HalveEvery(10);
    const { values } = sample(lr, { stop: 40, step: 3 });
    expect(values).toBeInstanceOf(Float32Array);
    expect(Array.from(values)).toEqual(Array.from({ length: 14 }, (_, i) => lr(i * 3)));
    const third = sample(new Third(), { stop: 2 });
    expect(third.values).toBeInstanceOf(Float64Array);
    expect(Array.from(third.values)).toEqual([1 / 3, 1 / 3]);
  });

  it("an empty range gives empty arrays", () => {
    const { steps, values } = sample(new InverseTimeDecay(0.1, 1, 0.5), { start: 5, stop: 5 });
    expect(steps.length + values.length).toBe(0);
  });

  it("steps are not rounded before the formula: a whole step past 2^24 keeps PiecewiseConstantDecay's exact comparison", () => {
    const lr = new PiecewiseConstantDecay([2 ** 24], [0.5, 0.25]);
    const { steps, values } = sample(lr, { start: 2 ** 24, stop: 2 ** 24 + 4 });
    expect(Array.from(values)).toEqual([0.5, 0.25, 0.25, 0.25]);
    expect(Array.from(values)).toEqual(Array.from(steps, (s) => lr(s)));
    expect(Math.fround(steps[1]!)).toBe(2 ** 24);
  });

  it("a range may end past float32's largest step, as long as no step does", () => {
    expect(Array.from(sample(new Constant(0.1), { start: 3e38, stop: 3.5e38, step: 1e38 }).steps)).toEqual([3e38]);
    expect(sample(new Constant(0.1), { stop: 1e-44, step: 1e-46 }).steps.length).toBe(100);
  });

  describe("bad arguments throw errors that name the argument", () => {
    const lr = new InverseTimeDecay(0.1, 1, 0.5);
    const cases: [string, () => unknown, RegExp, ErrorConstructor][] = [
      ["stop before start", () => sample(lr, { start: 10, stop: 5 }), /^sample: `stop` must be a finite number >= start \(10\)\. Received: stop=5$/, RangeError],
      ["step 0", () => sample(lr, { stop: 5, step: 0 }), /`step` must be a finite number > 0\. Received: step=0/, RangeError],
      ["step negative", () => sample(lr, { stop: 5, step: -1 }), /step=-1/, RangeError],
      ["step NaN", () => sample(lr, { stop: 5, step: NaN }), /step=NaN/, RangeError],
      ["stop Infinity", () => sample(lr, { stop: Infinity }), /`stop` must be a finite number\. Received: stop=Infinity/, RangeError],
      ["stop NaN", () => sample(lr, { stop: NaN }), /stop=NaN/, RangeError],
      ["stop missing", () => sample(lr, {} as never), /`stop` must be a finite number\. Received: stop=undefined/, TypeError],
      ["stop a string", () => sample(lr, { stop: "10" as never }), /stop="10"/, TypeError],
      ["start negative", () => sample(lr, { start: -1, stop: 5 }), /`start` must be a finite number in \[0, 3\.4028234663852886e\+38\] \(float32's range, as a call accepts\)\. Received: start=-1/, RangeError],
      ["too many points", () => sample(lr, { stop: SAMPLE_LIMITS.maxPoints + 1 }), /`stop` must be at most 50000000 steps/, RangeError],
      ["too many points by a small step", () => sample(lr, { stop: 1, step: 1e-9 }), /at most 50000000 steps from start \(0\) by step \(1e-9\)/, RangeError],
      ["a start past float32's range", () => sample(lr, { start: 3.5e38, stop: 3.6e38, step: 1e37 }), /`start` must be a finite number in \[0, 3\.4028234663852886e\+38\] \(float32's range, as a call accepts\)\. Received: start=3\.5e\+38/, RangeError],
      ["a start just above float32's largest, where it still rounds to a float32", () => sample(lr, { start: 3.4028235e38, stop: 3.40282356e38, step: 1e30 }), /`start` must be a finite number in \[0, 3\.4028234663852886e\+38\]/, RangeError],
      ["a range reaching past float32's largest", () => sample(lr, { start: 3.4028234e38, stop: 3.40282356e38, step: 1e31 }), /`stop` must be such that no step exceeds 3\.4028234663852886e\+38, float32's largest/, RangeError],
      ["an unknown option", () => sample(lr, { stop: 5, end: 3 } as never), /`end` must be one of the options start, stop, step/, RangeError],
      ["no options", () => sample(lr, undefined as never), /`options` must be an object/, TypeError],
      ["not a schedule", () => sample(((s: number) => s) as never, { stop: 5 }), /`schedule` must be a LearningRateSchedule/, TypeError],
    ];
    for (const [what, call, message, kind] of cases) {
      it(`${what} throws ${kind.name}`, () => {
        expect(call).toThrow(kind);
        expect(call).toThrow(message);
      });
    }
  });
});

describe("sample at sizes that once overflowed the stack", () => {
  it("a PiecewiseConstantDecay with 125,000 boundaries: sample and calls work, within seconds", () => {
    const n = 125_000;
    const started = performance.now();
    const lr = new PiecewiseConstantDecay(
      Array.from({ length: n }, (_, i) => i + 1),
      Array.from({ length: n + 1 }, (_, i) => (i % 2 ? 0.5 : 0.25)),
    );
    const { values } = sample(lr, { start: 70_000, stop: 70_004 });
    expect(Array.from(values)).toEqual([70_000, 70_001, 70_002, 70_003].map((s) => lr(s)));
    expect(Array.from(values)).toEqual([0.5, 0.25, 0.5, 0.25]);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
