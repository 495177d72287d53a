/**
 * Keras's own `model.fit` trajectories (keras-fit-golden.json) reproduced with `optimizerFromKeras` on the cpu backend:
 * per-epoch loss (relative 1e-5), accuracy (exact), final weights (absolute 1e-5) and iterations (exact).
 *
 * Accuracy is compared as the number of samples classified right in each epoch: tf.js averages the batch accuracies in
 * float32 (sum of accuracy * batch size, times 1/n), so 31/48 can come out one float32 ulp away from Keras's value.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { expectFitMatchesKeras, fitCases, runFitCase } from "./support/kerasFit.js";

const cases = fitCases("keras-fit-golden.json");

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("model.fit with optimizerFromKeras(case.keras_optimizer) matches Keras's model.fit", () => {
  expect(cases.map((c) => c.name)).toEqual(["seed-example-sgd-inverse-time", "sgd-nesterov-inverse-time", "adam-amsgrad-inverse-time"]);

  for (const c of cases) {
    it(`${c.name}: per-epoch loss, accuracy, final weights and iterations`, async () => expectFitMatchesKeras(c, await runFitCase(c)));
  }
});
