/**
 * No tensor leaks: `tf.memory().numTensors` is the same after 10 updates and after 10,000, for every Keras-faithful
 * optimizer, each of their own options that takes another code path, and every base option (the scalars of each
 * update, the slots, the accumulators, the averages); then `dispose` frees everything. A tiny problem (a 3x2 weight and
 * a bias) through `optimizer.minimize`, so that 10,000 updates of every case stay fast.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { InverseTimeDecay } from "../src/index.js";
import { Adam, KerasOptimizer, MultiOptimizer, Nadam, OptimizerMap, SGD } from "../src/tfjs/index.js";
import * as optimizerClasses from "../src/tfjs/optimizerClasses.js";
import { expectNoTensorLeak } from "./support/optimizerSuite.js";

/** A schedule, so that the learning-rate scalar changes at every update. */
const lr = () => new InverseTimeDecay(0.01, 10, 0.5);

/** The classes built from an options object: every one but MultiOptimizer, which wraps other optimizers (below). */
const optionClasses = Object.values(optimizerClasses).filter((cls) => cls !== optimizerClasses.MultiOptimizer) as Exclude<
  (typeof optimizerClasses)[keyof typeof optimizerClasses],
  typeof optimizerClasses.MultiOptimizer
>[];

/** Each optimizer class's own code paths, from its examples. */
const classCases: [string, () => KerasOptimizer][] = optionClasses.flatMap((cls) =>
  cls.examples.map((options): [string, () => KerasOptimizer] => [
    `${cls.kerasName} ${JSON.stringify(options)}`,
    () => new (cls as new (options: object) => KerasOptimizer)({ learningRate: lr(), ...options }),
  ]),
);

/** The base options, on one class each. */
const optimizers: [string, () => KerasOptimizer][] = [
  ...classCases,
  ["weightDecay with an exclusion", () => {
    const o = new SGD({ learningRate: lr(), weightDecay: 0.01 });
    o.excludeFromWeightDecay({ varNames: ["leak-bias"] });
    return o;
  }],
  ["clipnorm", () => new SGD({ learningRate: lr(), momentum: 0.9, clipnorm: 0.5 })],
  ["clipvalue", () => new SGD({ learningRate: lr(), clipvalue: 0.5 })],
  ["globalClipnorm", () => new Adam({ learningRate: lr(), globalClipnorm: 0.5 })],
  ["gradientAccumulationSteps", () => new Adam({ learningRate: lr(), gradientAccumulationSteps: 3 })],
  ["useEma", () => new Adam({ learningRate: lr(), useEma: true })],
  ["useEma with emaOverwriteFrequency", () => new Adam({ learningRate: lr(), useEma: true, emaOverwriteFrequency: 7 })],
  ["a number learning rate", () => new Adam(0.01)],
  ["every option at once", () => new Nadam({ learningRate: lr(), weightDecay: 0.01, globalClipnorm: 1, useEma: true, emaOverwriteFrequency: 5, gradientAccumulationSteps: 4 })],
  // Two inner optimizers from their classes' examples: Adam (AMSGrad) for the weight, SGD (Nesterov) for the bias.
  ["MultiOptimizer over Adam and SGD", () => new MultiOptimizer(new OptimizerMap(new Adam({ learningRate: lr(), ...Adam.examples[1] }), { ".*leak-bias.*": new SGD({ learningRate: lr(), ...SGD.examples[1] }) }))],
  ["MultiOptimizer over inner optimizers with every base option", () => {
    const base = { weightDecay: 0.01, globalClipnorm: 1, useEma: true, emaOverwriteFrequency: 5, gradientAccumulationSteps: 4 };
    return new MultiOptimizer(new OptimizerMap(new Adam({ learningRate: lr(), ...Adam.examples[1], ...base }), { ".*leak-bias.*": new SGD({ learningRate: lr(), ...SGD.examples[1], ...base }) }));
  }],
];

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("no tensor leaks: tf.memory().numTensors is the same after 10 updates and after 10,000", () => {
  it("covers every optimizer class by its examples", () => {
    for (const cls of optionClasses) expect(cls.examples.length, cls.kerasName).toBeGreaterThan(0);
  });

  for (const [name, make] of optimizers) {
    it(`${name}: 10 then 10,000 updates, then dispose frees everything`, () => expectNoTensorLeak(make, 10_000));
  }
});
