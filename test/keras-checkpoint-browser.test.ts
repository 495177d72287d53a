/**
 * `.keras` checkpoints in a real browser, offline: the sources of lr-schedules/tfjs, tf.js and h5wasm bundled by
 * esbuild for the browser, run in Debian's Chromium (playwright-core) on a blank page whose every request is refused.
 * A Keras-written file is restored, trained and saved there, and restored again.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { chromiumForTests, launchChromium } from "./support/browser.js";

const root = fileURLToPath(new URL("..", import.meta.url));
// Without a browser the test skips (in CI it fails), as every browser test does: see test/support/browser.ts.
const CHROMIUM = chromiumForTests();
let browser: Browser | undefined;

beforeAll(async () => {
  if (CHROMIUM) browser = await launchChromium(CHROMIUM);
});

afterAll(async () => {
  await browser?.close();
});

it("restores a Keras-written .keras file, trains, saves and restores again, with no network", async () => {
  const keras = readFileSync(`${root}test/fixtures/keras-resume/seed-sgd-inverse-time.keras`).toString("base64");
  const script = `
    import * as tf from "@tensorflow/tfjs";
    import h5wasm from "h5wasm";
    import { restoreKerasCheckpoint, saveKerasCheckpoint } from "./src/tfjs/index.ts";
    window.run = async () => {
      await tf.setBackend("cpu");
      const bytes = Uint8Array.from(atob(${JSON.stringify(keras)}), (c) => c.charCodeAt(0));
      const model = () => tf.sequential({ layers: [tf.layers.dense({ units: 8, activation: "relu", inputShape: [5] }), tf.layers.dense({ units: 3, activation: "softmax" })] });
      // Without options.h5wasm, a page cannot import the optional package by name: a named error says what to do.
      const missing = await restoreKerasCheckpoint(model(), bytes).then(() => "restored", (e) => e.name + ": " + e.message);
      const first = model();
      const optimizer = await restoreKerasCheckpoint(first, bytes, { h5wasm });
      const x = tf.randomUniform([8, 5], -0.5, 0.5, "float32", 1);
      const y = tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1]);
      await first.fit(x, y, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
      const saved = await saveKerasCheckpoint(first, { h5wasm });
      const second = model();
      const again = await restoreKerasCheckpoint(second, saved, { h5wasm });
      const same = first.getWeights().every((w, i) => tf.util.arraysEqual(w.dataSync(), second.getWeights()[i].dataSync()));
      return { missing, iterations: optimizer.iterations, againAt: again.iterations, same, bytes: saved.length };
    };
  `;
  const { outputFiles } = await build({
    stdin: { contents: script, resolveDir: root, loader: "ts" },
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "es2022",
    logLevel: "silent",
  });
  const page = await browser!.newPage();
  const requests: string[] = [];
  await page.route("**/*", (route) => {
    requests.push(route.request().url());
    return route.abort();
  });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.setContent("<!doctype html><title>keras checkpoint</title>");
  await page.addScriptTag({ content: outputFiles[0]!.text });
  const result = await page.evaluate(() => (window as unknown as { run(): Promise<Record<string, unknown>> }).run());
  expect(errors).toEqual([]);
  expect(requests).toEqual([]);
  expect(result.missing).toMatch(/^ScheduleOptionError: .*npm install h5wasm.*options\.h5wasm/);
  expect(result.iterations).toBe(8);
  expect(result.againAt).toBe(8);
  expect(result.same).toBe(true);
  expect(result.bytes).toBeGreaterThan(1000);
  await page.close();
}, 120_000);
