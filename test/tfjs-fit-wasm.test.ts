/**
 * Keras's `model.fit` reference cases trained on tf.js's wasm backend, the backend of tf.js users in Node without
 * tfjs-node: per-epoch loss (relative 1e-5), accuracy (exact), final weights (absolute 1e-5) and iterations (exact)
 * against Keras, as tfjs-fit-golden.test.ts checks them on cpu, and no tensor left behind. The backend's .wasm
 * files are loaded from the installed package.
 */
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { FinalizeVariableValues } from "../src/tfjs/finalize.js";
import { backendFitCases, expectFitMatchesKeras, runFitCase } from "./support/kerasFit.js";

beforeAll(async () => {
  setWasmPaths(fileURLToPath(new URL("../node_modules/@tensorflow/tfjs-backend-wasm/dist/", import.meta.url)));
  expect(await tf.setBackend("wasm")).toBe(true);
  await tf.ready();
});

describe("model.fit on the wasm backend matches Keras's model.fit", () => {
  it("runs on wasm", () => expect(tf.getBackend()).toBe("wasm"));

  for (const c of backendFitCases()) {
    it(`${c.name}: per-epoch loss, accuracy, final weights, iterations, no tensor left`, async () =>
      expectFitMatchesKeras(c, await runFitCase(c, () => new FinalizeVariableValues())));
  }
});
