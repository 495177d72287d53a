/**
 * The browser page of `npm run bench` (bundled with esbuild, served on 127.0.0.1, driven through playwright-core):
 * runs the optimizer benchmark of bench/optimizerSteps.ts on tf.js's webgl backend and reports each line through
 * `benchLine`, which the Node side exposes to the page.
 */
import * as tf from "@tensorflow/tfjs";
import { benchOptimizers } from "./optimizerSteps.js";

declare global {
  interface Window {
    benchLine(line: string): Promise<void>;
    benchOnWebgl(only?: string[]): Promise<void>;
  }
}

window.benchOnWebgl = async (only) => {
  if (!(await tf.setBackend("webgl"))) throw new Error("the webgl backend did not start");
  await tf.ready();
  const lines: string[] = [];
  const where = `${navigator.userAgent.match(/(?:Headless)?Chrome\/[\d.]+/)?.[0] ?? navigator.userAgent}, ${tf.env().getBool("WEBGL_RENDER_FLOAT32_ENABLED") ? "float32" : "float16"} textures`;
  benchOptimizers((line) => lines.push(line), where, only);
  for (const line of lines) await window.benchLine(line);
};
