/**
 * Keras's `model.fit` reference cases trained on tf.js's webgl backend, the backend of tf.js users in browsers: a page
 * bundled from test/support/fitPage.ts runs the same harness in Chromium (SwiftShader's WebGL2, float32 textures), and
 * its results are checked here as tfjs-fit-golden.test.ts checks cpu's: per-epoch loss (relative 1e-5), accuracy
 * (exact), final weights (absolute 1e-5), iterations (exact), no tensor left. Without a browser these tests skip (in CI
 * they fail): see test/support/browser.ts.
 */
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumForTests, launchChromium, servePage } from "./support/browser.js";
import type { FitPageReport } from "./support/fitPage.js";
import { backendFitCases, expectFitMatchesKeras } from "./support/kerasFit.js";

const CHROMIUM = chromiumForTests();
const cases = backendFitCases();

let browser: Browser | undefined;
let server: { url: string; close(): Promise<void> } | undefined;
let report: FitPageReport;

beforeAll(async () => {
  if (!CHROMIUM) return;
  server = await servePage(fileURLToPath(new URL("./support/fitPage.ts", import.meta.url)));
  browser = await launchChromium(CHROMIUM, { webgl: true });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(server.url);
  await page.waitForFunction(() => typeof window.trainFitCases === "function");
  report = await page.evaluate((c) => window.trainFitCases("webgl", c), cases);
  expect(errors).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("model.fit on the webgl backend, in Chromium, matches Keras's model.fit", () => {
  it("runs on webgl: WebGL2 with float32 textures", () => {
    expect(report).toMatchObject({ backend: "webgl", webglVersion: 2, float32Textures: true });
  });

  cases.forEach((c, i) => {
    it(`${c.name}: per-epoch loss, accuracy, final weights, iterations, no tensor left`, () => expectFitMatchesKeras(c, report.results[i]!));
  });
});
