/**
 * The tensor path of lr-schedules/torch (`lr(tensor)` after `import 'lr-schedules/tfjs'`): the closed form in float32,
 * which agrees with the number path (PyTorch's chainable float64 arithmetic) within float32's precision.
 */
import * as tf from "@tensorflow/tfjs";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { scheduleExamples } from "../../test/support/examples.js";
import { ScheduleTypeError, type LearningRateSchedule } from "../index.js";
import { tensorOps } from "../tfjs/index.js";
import { torchCase, type TorchCase } from "../../test/support/torchGolden.js";
import { ChainedScheduler, ConstantLR, CosineAnnealingLR, CyclicLR, ExponentialLR, LambdaLR, LinearLR, MultiplicativeLR, OneCycleLR, SequentialLR, StepLR } from "./index.js";

const read = (file: string) => (JSON.parse(readFileSync(fileURLToPath(new URL(`../../test/fixtures/torch/${file}`, import.meta.url)), "utf8")) as { cases: TorchCase[] }).cases;
const withLambda = (c: TorchCase) => JSON.stringify(c.args).includes("lambda");
/**
 * The golden cases whose closed form is the number path's: every single scheduler but those of JavaScript functions,
 * and the shared reference's compositions. Left out: torch-golden-more.json's compositions of children that read one
 * another's state (a OneCycleLR's `initial_lr`, a CyclicLR's `base_lr` at step 0, a cosine with `eta_min` in a chain),
 * which only the number path replays.
 */
const cases = [
  ...read("torch-golden.json").filter((c) => c.framework === "pytorch" && c.class !== "ReduceLROnPlateau" && !withLambda(c)),
  ...read("torch-golden-more.json").filter((c) => !["ReduceLROnPlateau", "SequentialLR", "ChainedScheduler"].includes(c.class!) && !withLambda(c)),
];

/** `lr(tensor)` close to `lr(k)`: within float32's precision of the largest rate the schedule takes over `steps`. */
function agreeing(lr: LearningRateSchedule, steps: readonly number[]): string[] {
  const far: string[] = [];
  const numbers = steps.map((k) => {
    try {
      const v = lr(k);
      return v;
    } catch {
      return undefined;
    }
  });
  const scale = Math.max(...numbers.map((v) => v ?? 0));
  const batch = tf.tidy(() => lr.compute(tensorOps, tf.tensor1d([...steps])));
  const batched = batch.dataSync();
  batch.dispose();
  steps.forEach((k, i) => {
    const want = numbers[i];
    if (want === undefined) return;
    const step = tf.scalar(k);
    const rate = lr(step);
    const got = rate.dataSync()[0]!;
    tf.dispose([step, rate]);
    if (!(Math.abs(got - want) <= 2e-6 * scale + 1e-6 * want) || batched[i] !== got) far.push(`at ${k}: tensor ${got} (batched ${batched[i]}), number ${want}`);
  });
  return far;
}

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("lr-schedules/torch on tensor steps (tf.js, cpu backend)", () => {
  it(`the closed form in float32 agrees with the number path on ${cases.length} golden cases, and leaks no tensor`, () => {
    expect(cases.length).toBe(32);
    const before = tf.memory().numTensors;
    for (const c of cases) expect(agreeing(torchCase(c), c.steps), `${c.class} ${JSON.stringify(c.args)}`).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("so do the catalogue's examples of lr-schedules/torch, far out too", () => {
    const torch = scheduleExamples().filter((s) => ["StepLR", "MultiStepLR", "ConstantLR", "LinearLR", "ExponentialLR", "PolynomialLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts", "CyclicLR", "OneCycleLR", "SequentialLR", "ChainedScheduler"].includes(s.className));
    expect(torch.length).toBeGreaterThanOrEqual(12);
    const steps = [...Array.from({ length: 120 }, (_, i) => i), 0.5, 99.5, 1000, 4567, 12345, 24999, 25000, 1e5];
    for (const lr of torch) expect(agreeing(lr, steps), lr.className).toEqual([]);
  });

  it("compositions of multiplicative children: the tensor path multiplies their closed forms", () => {
    const steps = Array.from({ length: 200 }, (_, i) => i * 3);
    // A cosine in a chain only up to its trough: past it PyTorch adds a step of the base cosine, which does not multiply.
    const chained = new ChainedScheduler([new LinearLR(0.1, 1, 20), new StepLR(50, 0.5), new CosineAnnealingLR(700), new ExponentialLR(0.999)], { lr: 0.1 });
    const sequential = new SequentialLR([new ConstantLR(0.1, 10), new CosineAnnealingLR(100, 0.001), new StepLR(20)], [30, 230], { lr: 0.1 });
    for (const lr of [chained, sequential]) expect(agreeing(lr, steps), lr.className).toEqual([]);
  });

  it("a JavaScript function cannot run on a tensor step: a named error", () => {
    for (const lr of [new LambdaLR((k) => 0.9 ** k, { lr: 0.1 }), new MultiplicativeLR(() => 0.9, { lr: 0.1 }), new CyclicLR(0.001, 0.1, 5, { scaleFn: () => 1 })]) {
      const step = tf.scalar(3);
      expect(() => lr(step)).toThrow(ScheduleTypeError);
      expect(() => lr(step)).toThrow(/(lrLambda|scaleFn) is a JavaScript function of a number/);
      step.dispose();
    }
  });

  it("a composition with a child that changes what the others read (OneCycleLR, CyclicLR) refuses tensor steps by name", () => {
    const stateful = [
      new SequentialLR([new ExponentialLR(0.9), new OneCycleLR(1, 30)], [3], { lr: 0.1 }),
      new ChainedScheduler([new ExponentialLR(0.97), new CyclicLR(0.01, 0.1, 3)], { lr: 0.1 }),
    ];
    for (const lr of stateful) {
      const step = tf.scalar(0);
      expect(() => lr(step)).toThrow(ScheduleTypeError);
      expect(() => lr(step)).toThrow(/among its schedulers changes what PyTorch's other schedulers read/);
      step.dispose();
    }
  });

  it("OneCycleLR past totalSteps holds the rate of that step on a tensor (0 where it is below 0), where the number path throws", () => {
    const cos = new OneCycleLR({ maxLr: 1, totalSteps: 100 });
    const linear = new OneCycleLR({ maxLr: 1, totalSteps: 100, annealStrategy: "linear", threePhase: true });
    const rates = (lr: LearningRateSchedule) => tf.tidy(() => Array.from(lr.compute(tensorOps, tf.tensor1d([100, 150, 1e6])).dataSync()));
    const [at, past, far] = rates(cos);
    expect([past, far]).toEqual([at, at]);
    expect(at).toBeCloseTo(cos(100), 6);
    expect(rates(linear)).toEqual([0, 0, 0]);
    expect(() => linear(100)).toThrow(/`step` must be at most 99: PyTorch's rate at totalSteps \(100\) is -/);
    expect(() => cos(101)).toThrow(/at most totalSteps/);
  });
});

