/**
 * No tensor leaks: `tf.memory().numTensors` is the same after 10 updates and after 10,000, for every Keras-faithful
 * optimizer, each of their own options that takes another code path, and every base option (the scalars of each
 * update, the slots, the accumulators, the averages); then `dispose` frees everything. A tiny problem (a 3x2 weight and
 * a bias) through `optimizer.minimize`, so that 10,000 updates of every case stay fast.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, it } from "vitest";
import { InverseTimeDecay } from "../src/index.js";
import {
  Adadelta,
  Adafactor,
  Adagrad,
  Adam,
  Adamax,
  AdamW,
  Ftrl,
  KerasOptimizer,
  Lamb,
  Lion,
  Muon,
  Nadam,
  RMSprop,
  ScheduleFreeAdamW,
  SGD,
} from "../src/tfjs/index.js";
import { expectNoTensorLeak } from "./support/optimizerSuite.js";

/** A schedule, so that the learning-rate scalar changes at every update. */
const lr = () => new InverseTimeDecay(0.01, 10, 0.5);

const optimizers: [string, () => KerasOptimizer][] = [
  ["SGD", () => new SGD({ learningRate: lr() })],
  ["SGD nesterov momentum", () => new SGD({ learningRate: lr(), momentum: 0.9, nesterov: true })],
  ["Adam", () => new Adam({ learningRate: lr() })],
  ["Adam amsgrad", () => new Adam({ learningRate: lr(), amsgrad: true })],
  ["AdamW amsgrad", () => new AdamW({ learningRate: lr(), amsgrad: true })],
  ["RMSprop", () => new RMSprop({ learningRate: lr() })],
  ["RMSprop centered with momentum", () => new RMSprop({ learningRate: lr(), momentum: 0.9, centered: true })],
  ["Adadelta", () => new Adadelta({ learningRate: lr() })],
  ["Adagrad", () => new Adagrad({ learningRate: lr() })],
  ["Adamax", () => new Adamax({ learningRate: lr() })],
  ["Nadam", () => new Nadam({ learningRate: lr() })],
  ["Ftrl with l1, l2, l2 shrinkage and beta", () => new Ftrl({ learningRate: lr(), l1RegularizationStrength: 0.001, l2RegularizationStrength: 0.001, l2ShrinkageRegularizationStrength: 0.001, beta: 0.1 })],
  ["Lamb", () => new Lamb({ learningRate: lr() })],
  ["Lion", () => new Lion({ learningRate: lr() })],
  ["Adafactor", () => new Adafactor({ learningRate: lr() })],
  ["Muon (the weight by Newton-Schulz, the bias by Adam)", () => new Muon({ learningRate: lr() })],
  ["Muon without nesterov", () => new Muon({ learningRate: lr(), nesterov: false })],
  ["ScheduleFreeAdamW with warm-up", () => new ScheduleFreeAdamW({ learningRate: lr(), warmupSteps: 100 })],
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
];

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("no tensor leaks: tf.memory().numTensors is the same after 10 updates and after 10,000", () => {
  for (const [name, make] of optimizers) {
    it(`${name}: 10 then 10,000 updates, then dispose frees everything`, () => expectNoTensorLeak(make, 10_000));
  }
});
