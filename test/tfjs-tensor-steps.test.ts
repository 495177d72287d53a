/**
 * Tensor steps: after `import 'lr-schedules/tfjs'`, every schedule class gives, for a tensor step, a float32 scalar
 * computed with tf.js operations that equals the number path to the bit on the cpu backend.
 */
import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import * as schedules from "../src/schedules/index.js";
import {
  deserialize,
  float32Bits,
  float32Ops,
  JSON_LIMITS,
  LearningRateSchedule,
  PiecewiseConstantDecay,
  ScheduleTypeError,
  ScheduleValueError,
  type Ops,
} from "../src/index.js";
import { tensorOps } from "../src/tfjs/index.js";
import { scheduleExamples } from "./support/examples.js";
import { goldenCases } from "./support/golden.js";

const { Constant, CosineDecay, InverseTimeDecay, LinearWarmup, Sequence, OneCycle, InverseSqrtDecay, WarmupStableDecay } = schedules;

/** Steps around every boundary the schedules below have, plus large and fractional ones. */
const extraSteps = [
  ...Array.from({ length: 301 }, (_, i) => i),
  0.25, 0.5, 1.5, 2.75, 99.5, 100.5, 999.999, 1000, 1001, 4000, 12345.678, 1e5, 2 ** 24, 2 ** 24 + 1, 1e7, 2 ** 31 - 1, 1e12, 3e38,
];

/** Instances of each class: Keras's golden configs for Keras's classes, a few hand-made ones for the others. */
function instances(): Map<string, LearningRateSchedule[]> {
  const byClass = new Map<string, LearningRateSchedule[]>();
  for (const cls of Object.values(schedules)) {
    byClass.set(cls.className, goldenCases(cls.className).map((c) => deserialize(c.keras)));
  }
  const own: LearningRateSchedule[] = [
    ...scheduleExamples(),
    new Constant(0.1),
    new Constant(0),
    new LinearWarmup(new InverseTimeDecay(0.1, 1, 0.5), { warmupSteps: 4 }),
    new LinearWarmup(new CosineDecay(0.03, 200, 0.1), { warmupSteps: 37, initialLearningRate: 0.001 }),
    new Sequence([new Constant(0.01), new InverseTimeDecay(0.1, 3, 0.5), new CosineDecay(0.05, 100)], [10, 150]),
    new OneCycle(0.1, 100),
    new OneCycle({ peakLearningRate: 0.3, totalSteps: 250, annealStrategy: "linear", threePhase: true }),
    new InverseSqrtDecay(0.001, 40),
    new WarmupStableDecay({ peakLearningRate: 0.01, warmupSteps: 10, stableSteps: 80, decaySteps: 100, decayType: "linear" }),
    new WarmupStableDecay({ peakLearningRate: 0.02, warmupSteps: 13, stableSteps: 50, decaySteps: 77, decayType: "cosine", endLearningRate: 0.001 }),
    new WarmupStableDecay({ peakLearningRate: 0.5, warmupSteps: 0, stableSteps: 20, decaySteps: 60, decayType: "1-sqrt" }),
  ];
  for (const s of own) byClass.get(s.className)?.push(s);
  return byClass;
}

/** The tensor path for many steps at once: the same formula on a float32 tensor of steps. */
function tensorValues(lr: LearningRateSchedule, steps: number[]): Float32Array {
  const out = tf.tidy(() => lr.compute(tensorOps, tf.tensor1d(steps, "float32")));
  const values = out.dataSync() as Float32Array;
  out.dispose();
  return values;
}

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("schedule(tensor) equals schedule(number) to the bit on the cpu backend", () => {
  const byClass = instances();

  it("every schedule class of src/schedules/index.ts is covered", () => {
    for (const [name, list] of byClass) expect(list.length, name).toBeGreaterThan(0);
  });

  for (const [name, list] of byClass) {
    it(`${name}: every instance, at Keras's golden steps and ${extraSteps.length} more, through tensorOps`, () => {
      let compared = 0;
      list.forEach((lr, k) => {
        const golden = goldenCases(name)[k]?.steps ?? [];
        const steps = [...new Set([...golden, ...extraSteps])];
        const values = tensorValues(lr, steps);
        steps.forEach((s, i) => {
          expect(float32Bits(values[i]!), `${JSON.stringify(lr.getConfig())} at step ${s}`).toBe(float32Bits(lr(s)));
          compared++;
        });
      });
      expect(compared).toBeGreaterThan(300);
    });

    it(`${name}: lr(tf.scalar(step)), lr(int32 scalar) and lr(tf.variable) return a float32 scalar equal to lr(step)`, () => {
      for (const lr of list) {
        for (const s of [0, 1, 7, 30, 99, 100, 101, 1000, 123457, 2 ** 24 + 1, 2 ** 31 - 1]) {
          const inputs = [tf.scalar(s), tf.scalar(s, "int32"), tf.variable(tf.scalar(s), false)];
          for (const step of inputs) {
            const before = tf.memory().numTensors;
            const rate = lr(step);
            expect(tf.memory().numTensors).toBe(before + 1);
            expect(rate.dtype).toBe("float32");
            expect(rate.shape).toEqual([]);
            expect(float32Bits(rate.dataSync()[0]!)).toBe(float32Bits(lr(s)));
            rate.dispose();
          }
          tf.dispose(inputs);
        }
      }
    });
  }

  it("random steps (fast-check): the tensor path equals the number path for every instance", () => {
    const all = [...byClass.values()].flat();
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.nat({ max: 100_000 }), fc.double({ min: 0, max: 1e9, noNaN: true })), { minLength: 1, maxLength: 50 }), (steps) => {
        for (const lr of all) {
          const values = tensorValues(lr, steps);
          steps.forEach((s, i) => expect(float32Bits(values[i]!)).toBe(float32Bits(lr(s))));
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe("tensorOps.fma rounds once, as the number path's fma", () => {
  it("for random float32 triples of magnitudes in [2^-40, 2^60] or 0, including products that land on ties", () => {
    const f32 = fc.oneof(
      fc.constant(0),
      fc.tuple(fc.integer({ min: 2 ** 23, max: 2 ** 24 - 1 }), fc.integer({ min: -63, max: 37 }), fc.boolean()).map(([m, e, negative]) => (negative ? -m : m) * 2 ** e),
    );
    const twelveBits = fc.integer({ min: -4095, max: 4095 }).chain((m) => fc.integer({ min: -20, max: 20 }).map((e) => m * 2 ** e));
    const arg = fc.oneof(f32, twelveBits);
    fc.assert(
      fc.property(fc.array(fc.tuple(arg, arg, arg), { minLength: 1, maxLength: 200 }), (triples) => {
        const [a, b, c] = [0, 1, 2].map((k) => tf.tensor1d(triples.map((t) => t[k]!)));
        const fused = tf.tidy(() => tensorOps.fma(a!, b!, c!));
        const got = fused.dataSync();
        triples.forEach(([x, y, z], i) => {
          const want = float32Ops.fma(Math.fround(x), Math.fround(y), Math.fround(z));
          expect(Object.is(got[i], want) || float32Bits(got[i]!) === float32Bits(want)).toBe(true);
        });
        tf.dispose([a!, b!, c!, fused]);
      }),
      { numRuns: 300 },
    );
  });

  it("a tie broken by the low part of the product: (1 + 2^-12)^2 + c", () => {
    const a = 1 + 2 ** -12;
    for (const c of [0, 2 ** -40, -(2 ** -40), 2 ** -30, -1]) {
      const got = tf.tidy(() => tensorOps.fma(tf.scalar(a), tf.scalar(a), tf.scalar(c))).dataSync()[0]!;
      expect(got).toBe(float32Ops.fma(a, a, Math.fround(c)));
    }
  });
});

describe("tensor steps that cannot work throw a clear error", () => {
  const lr = new InverseTimeDecay(0.1, 1, 0.5);
  it("a schedule with dtype 'float64' nested at any depth, not only at the top", () => {
    const inner = new LinearWarmup(new Constant({ value: 0.1, dtype: "float64" }), { warmupSteps: 2 });
    const deep = new Sequence([new Constant(0.2), new LinearWarmup(inner, { warmupSteps: 1 })], [3]);
    for (const [name, schedule] of [["LinearWarmup", inner], ["Sequence", deep]] as const) {
      expect(() => schedule(tf.scalar(5))).toThrow(ScheduleTypeError);
      expect(() => schedule(tf.scalar(5))).toThrow(new RegExp(`^${name}: \`step\` must be a number or a bigint: this schedule computes in float64`));
    }
    expect(inner(5)).toBe(0.1);
    const float32 = new LinearWarmup(new Constant(0.1), { warmupSteps: 2 });
    expect(float32(tf.scalar(5)).dataSync()[0]).toBe(float32(5));
  });

  it("a schedule with dtype 'float64' (tf.js has no float64)", () => {
    const wide = new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5, dtype: "float64" });
    expect(() => wide(tf.scalar(1))).toThrow(TypeError);
    expect(() => wide(tf.scalar(1))).toThrow(/^InverseTimeDecay: `step` must be a number or a bigint: this schedule computes in float64 and tf\.js has no float64 tensors\. Received: step="tensor\(float32, shape \[\]\)"/);
  });
  it("a step that is not a scalar, or not float32 or int32", () => {
    expect(() => lr(tf.tensor1d([1, 2]))).toThrow(/`step` must be a scalar \(rank 0\) float32 or int32 tensor\. Received: step="tensor\(float32, shape \[2\]\)"/);
    expect(() => lr(tf.scalar(true, "bool"))).toThrow(/Received: step="tensor\(bool, shape \[\]\)"/);
  });
  it("a negative tensor step is not checked (that would read it back): it gives what Keras's formula gives", () => {
    const rate = lr(tf.scalar(-1));
    expect(rate.dataSync()[0]).toBe(Math.fround(Math.fround(0.1) / Math.fround(1 - 0.5)));
    expect(() => lr(-1)).toThrow(RangeError);
  });
});

describe("what the tensor path refuses or must agree on", () => {
  /** A user's schedule whose compute returns what `make` builds from the ops it is given. */
  const returning = (make: (o: Ops<unknown, unknown>) => unknown) =>
    new (class Returns extends LearningRateSchedule {
      static override readonly className = "Returns";
      compute<T, B>(o: Ops<T, B>): T {
        return make(o as Ops<unknown, unknown>) as T;
      }
      override getConfig() {
        return {};
      }
    })();

  it("a custom compute that returns no float32 scalar tensor is a ScheduleValueError, and what it made is disposed", () => {
    const wrong: [string, (o: Ops<unknown, unknown>) => unknown, RegExp][] = [
      ["an int32 scalar", () => tf.scalar(1, "int32"), /is "tensor\(int32, shape \[\]\)"/],
      ["a float32 vector", () => tf.tensor1d([0.1, 0.2]), /is "tensor\(float32, shape \[2\]\)"/],
      ["a [1] tensor", (o) => tf.reshape(o.constant(0.1) as tf.Tensor, [1]), /is "tensor\(float32, shape \[1\]\)"/],
      ["a number", () => 0.1, /is 0\.1,/],
      ["a string", () => "0.1", /is "0\.1",/],
      ["null", () => null, /is null,/],
    ];
    for (const [what, make, message] of wrong) {
      const lr = returning(make);
      const step = tf.scalar(3);
      const before = tf.memory().numTensors;
      expect(() => lr(step), what).toThrow(ScheduleValueError);
      expect(() => lr(step), what).toThrow(message);
      expect(() => lr(step), what).toThrow(/, not a float32 scalar tensor$/);
      expect(tf.memory().numTensors, what).toBe(before);
      step.dispose();
    }
  });

  it("a disposed tensor step is a ScheduleTypeError, not tf.js's raw TypeError", () => {
    const lr = new InverseTimeDecay(0.1, 1, 0.5);
    const step = tf.scalar(2);
    step.dispose();
    expect(() => lr(step)).toThrow(ScheduleTypeError);
    expect(() => lr(step)).toThrow(/^InverseTimeDecay: `step` must be a tensor that is not disposed/);
    const variable = tf.variable(tf.scalar(2));
    variable.dispose();
    expect(() => lr(variable)).toThrow(/must be a tensor that is not disposed/);
  });

  it("a rate from -0 options is +0 for tensors as for numbers, bit for bit", () => {
    for (const lr of [new InverseTimeDecay(-0, 1, 0.5), new Constant(-0), new CosineDecay(-0, 10), returning((o) => o.constant(-0))]) {
      for (const s of [0, 1, 5, 20]) {
        const step = tf.scalar(s);
        const rate = lr(step);
        expect(float32Bits(rate.dataSync()[0]!), `${lr.className} at ${s}`).toBe(float32Bits(lr(s)));
        expect(Object.is(rate.dataSync()[0], 0)).toBe(true);
        tf.dispose([step, rate]);
      }
    }
  });

  it(`warmups nested JSON_LIMITS.maxDepth (${JSON_LIMITS.maxDepth}) deep take linear time on tensors, not 2^depth`, () => {
    let lr: LearningRateSchedule = new InverseTimeDecay(0.1, 1, 0.5);
    for (let depth = 2; depth <= JSON_LIMITS.maxDepth; depth++) lr = new LinearWarmup(lr, { warmupSteps: 3 });
    const before = tf.memory().numTensors;
    const started = performance.now();
    for (const s of [0, 1, 100, 190, 200]) {
      const step = tf.scalar(s);
      const rate = lr(step);
      expect(float32Bits(rate.dataSync()[0]!), `step ${s}`).toBe(float32Bits(lr(s)));
      tf.dispose([step, rate]);
    }
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("a PiecewiseConstantDecay with 125,000 boundaries takes a tensor step without exhausting the call stack", { timeout: 120_000 }, () => {
    const n = 125_000;
    const lr = new PiecewiseConstantDecay(
      Array.from({ length: n }, (_, i) => i + 1),
      Array.from({ length: n + 1 }, (_, i) => (i % 2 ? 0.5 : 0.25)),
    );
    const before = tf.memory().numTensors;
    const step = tf.scalar(70_001.5);
    const rate = lr(step);
    expect(rate.dataSync()[0]).toBe(lr(70_001.5));
    tf.dispose([step, rate]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
