/**
 * The browser page of test/tfjs-fit-webgl.test.ts (bundled with esbuild, served on 127.0.0.1, driven through
 * playwright-core): trains the Keras fit cases it is given with the harness of kerasFitRun.ts on a tf.js backend of
 * the browser, and hands back the results for the test to check against Keras in Node.
 */
import * as tf from "@tensorflow/tfjs";
import { FinalizeVariableValues } from "../../src/tfjs/finalize.js";
import { runFitCase, type FitCase, type FitResult } from "./kerasFitRun.js";

/** What the page reports: the backend that ran, its WebGL flags, and one result per case. */
export interface FitPageReport {
  backend: string;
  webglVersion: number;
  float32Textures: boolean;
  results: FitResult[];
}

declare global {
  interface Window {
    trainFitCases(backend: string, cases: FitCase[]): Promise<FitPageReport>;
  }
}

window.trainFitCases = async (backend, cases) => {
  if (!(await tf.setBackend(backend))) throw new Error(`the ${backend} backend did not start`);
  await tf.ready();
  const results: FitResult[] = [];
  for (const c of cases) results.push(await runFitCase(c, () => new FinalizeVariableValues()));
  const flags = backend === "webgl" ? { webglVersion: tf.env().getNumber("WEBGL_VERSION"), float32Textures: tf.env().getBool("WEBGL_RENDER_FLOAT32_ENABLED") } : { webglVersion: 0, float32Textures: false };
  return { backend: tf.getBackend(), ...flags, results };
};
