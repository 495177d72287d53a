/**
 * Keras's `model.fit` trajectories for every other optimizer and the base options (keras-fit-optimizers-golden.json)
 * reproduced with `optimizerFromKeras(case.keras_optimizer)` on the cpu backend: per-epoch loss (relative 1e-5),
 * accuracy (exact, compared as counts as in tfjs-fit-golden.test.ts), final weights (absolute 1e-5) and iterations
 * (exact).
 *
 * One loop over every case of the file: a case whose optimizer has no faithful class here fails (optimizerFromKeras
 * throws), it is not skipped. With `use_ema`, Keras's `fit` ends by writing the averages into the weights
 * (`finalize_variable_values`); the `FinalizeVariableValues` callback does that here.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { FinalizeVariableValues } from "../src/tfjs/finalize.js";
import { expectFitMatchesKeras, fitCases, runFitCase } from "./support/kerasFit.js";

const cases = fitCases("keras-fit-optimizers-golden.json");

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("model.fit with optimizerFromKeras(case.keras_optimizer) matches Keras's model.fit, for every case of the file", () => {
  it("the file holds its 20 cases", () => expect(cases).toHaveLength(20));

  it("adam-ema without FinalizeVariableValues ends with the raw weights, not Keras's: the callback is what matches", async () => {
    const c = cases.find((x) => x.name === "adam-ema")!;
    const r = await runFitCase(c);
    expect(r.weightAbsolute).toBeGreaterThan(1e-4);
    expect(r.lossRelative).toBeLessThan(1e-5);
  });

  for (const c of cases) {
    it(`${c.name}: per-epoch loss, accuracy, final weights and iterations`, async () =>
      expectFitMatchesKeras(c, await runFitCase(c, () => new FinalizeVariableValues())));
  }
});
