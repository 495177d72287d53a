/**
 * `npm run bench`'s optimizer benchmark (bench/optimizerSteps.ts): each Keras-faithful optimizer against tf.js's own
 * of the same family, first in Node on tf.js's cpu backend, then on webgl in the machine's Chromium (SwiftShader when
 * there is no GPU; test/support/browser.ts says where the browser is looked up, and without one a line says how to get
 * one). `BENCH_BACKEND=wasm` (or `cpu`, or `webgl`) measures on that backend alone; `BENCH_ONLY=adam,sgd` measures
 * only those families.
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { fileURLToPath } from "node:url";
import { findChromium, launchChromium, servePage } from "../test/support/browser.js";
import { benchOptimizers } from "./optimizerSteps.js";

const only = process.env.BENCH_ONLY?.split(",");

/** The benchmark in Node, on `backend`. */
async function inNode(backend: string): Promise<void> {
  await tf.setBackend(backend);
  await tf.ready();
  benchOptimizers((line) => console.log(line), `node ${process.version}`, only);
}

/** The benchmark on webgl, in a page of the machine's Chromium. */
async function inChromium(): Promise<void> {
  const lookup = findChromium();
  if ("missing" in lookup) {
    console.log(`webgl in Chromium: skipped, ${lookup.missing}`);
    return;
  }
  const server = await servePage(fileURLToPath(new URL("./optimizerPage.ts", import.meta.url)));
  const browser = await launchChromium(lookup.executablePath, { webgl: true });
  try {
    const page = await browser.newPage();
    await page.exposeFunction("benchLine", (line: string) => console.log(line));
    await page.goto(server.url);
    await page.waitForFunction(() => typeof window.benchOnWebgl === "function");
    await page.evaluate((families) => window.benchOnWebgl(families), only);
  } finally {
    await browser.close();
    await server.close();
  }
}

for (const backend of process.env.BENCH_BACKEND ? [process.env.BENCH_BACKEND] : ["cpu", "webgl"]) {
  await (backend === "webgl" ? inChromium() : inNode(backend));
}
