/**
 * No tensor leaks: `tf.memory().numTensors` is the same after 10 updates and after many more, for every optimizer of
 * the base options' issue and every base option (the scalars of each update, the slots, the accumulators, the
 * averages). A tiny problem through `optimizer.minimize`: 2,000 updates for most, 10,000 for a few.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, it } from "vitest";
import { InverseTimeDecay } from "../src/index.js";
import { Adadelta, Adagrad, Adam, Adamax, AdamW, KerasOptimizer, Nadam, RMSprop, SGD } from "../src/tfjs/index.js";
import { expectNoTensorLeak } from "./support/optimizerSuite.js";

/** A schedule, so that the learning-rate scalar changes at every update. */
const lr = () => new InverseTimeDecay(0.01, 10, 0.5);

const optimizers: [string, () => KerasOptimizer, number][] = [
  ["RMSprop", () => new RMSprop({ learningRate: lr() }), 2_000],
  ["RMSprop centered with momentum", () => new RMSprop({ learningRate: lr(), momentum: 0.9, centered: true }), 10_000],
  ["AdamW amsgrad", () => new AdamW({ learningRate: lr(), amsgrad: true }), 10_000],
  ["Adadelta", () => new Adadelta({ learningRate: lr() }), 2_000],
  ["Adagrad", () => new Adagrad({ learningRate: lr() }), 2_000],
  ["Adamax", () => new Adamax({ learningRate: lr() }), 2_000],
  ["Nadam", () => new Nadam({ learningRate: lr() }), 10_000],
  ["weightDecay with an exclusion", () => {
    const o = new SGD({ learningRate: lr(), weightDecay: 0.01 });
    o.excludeFromWeightDecay({ varNames: ["leak-bias"] });
    return o;
  }, 2_000],
  ["clipnorm", () => new SGD({ learningRate: lr(), momentum: 0.9, clipnorm: 0.5 }), 2_000],
  ["clipvalue", () => new SGD({ learningRate: lr(), clipvalue: 0.5 }), 2_000],
  ["globalClipnorm", () => new Adam({ learningRate: lr(), globalClipnorm: 0.5 }), 2_000],
  ["gradientAccumulationSteps", () => new Adam({ learningRate: lr(), gradientAccumulationSteps: 3 }), 2_000],
  ["useEma with emaOverwriteFrequency", () => new Adam({ learningRate: lr(), useEma: true, emaOverwriteFrequency: 7 }), 2_000],
  ["every option at once", () => new Nadam({ learningRate: lr(), weightDecay: 0.01, globalClipnorm: 1, useEma: true, emaOverwriteFrequency: 5, gradientAccumulationSteps: 4 }), 10_000],
];

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("no tensor leaks: tf.memory().numTensors is the same after 10 updates and after thousands", () => {
  for (const [name, make, steps] of optimizers) {
    it(`${name}: 10 then ${steps.toLocaleString("en")} updates, then dispose frees everything`, () => expectNoTensorLeak(make, steps));
  }
});
