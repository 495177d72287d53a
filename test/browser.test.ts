/**
 * The playground in a real browser: the page is built with Vite to static files, served on 127.0.0.1, and driven in
 * the machine's Chromium through playwright-core (never a downloaded browser; .ci/run installs Debian's package).
 * Without a browser every test here skips, in CI it fails: see test/support/browser.ts.
 */
import { mkdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build as bundle } from "esbuild";
import type { Browser, Page } from "playwright-core";
import { build, preview, type PreviewServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseExpression, scheduleClasses } from "../src/expression.js";
import { deserialize, type LearningRateSchedule } from "../src/index.js";
import { shortFloat } from "../src/plot/data.js";
import { scheduleGroups } from "../src/cli/scheduleGroups.js";
import { chromiumForTests, launchChromium } from "./support/browser.js";

const root = fileURLToPath(new URL("../playground/", import.meta.url));
const artifacts = fileURLToPath(new URL("./artifacts/", import.meta.url));
const CHROMIUM = chromiumForTests();

let outDir: string;
let server: PreviewServer | undefined;
let browser: Browser | undefined;
let page: Page;
let origin: string;
const requests: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!CHROMIUM) return;
  outDir = await mkdtemp(join(tmpdir(), "lr-schedules-playground-"));
  const configFile = join(root, "vite.config.ts");
  await build({ root, configFile, logLevel: "error", build: { outDir, emptyOutDir: true } });
  server = await preview({ root, configFile, logLevel: "error", build: { outDir }, preview: { host: "127.0.0.1", port: 0, open: false } });
  origin = server.resolvedUrls!.local[0]!;
  browser = await launchChromium(CHROMIUM);
  page = await browser.newPage({ viewport: { width: 1440, height: 1100 } });
  page.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => pageErrors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") pageErrors.push(m.text());
  });
  // Offline: anything not served by the local server would fail, and is recorded above.
  await page.route("**/*", (route) => (route.request().url().startsWith(origin) ? route.continue() : route.abort()));
  await page.goto(origin);
  await page.waitForSelector("body[data-ready='true']");
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

const paths = () => page.locator("#chart g.series path");
const firstPathD = () => paths().first().getAttribute("d");
const output = () => page.locator("#output").inputValue();

/** Hovers the chart at a fraction of its plot area's width; returns the readout's step and its rates by label. */
async function readAt(fraction: number, on: Page = page): Promise<{ step: number; rates: Map<string, number> }> {
  const frame = await on.evaluate(() => {
    const stepAxis = document.querySelector<SVGLineElement>("#chart g.axis > line");
    const box = document.querySelector("#chart svg")!.getBoundingClientRect();
    const scale = box.width / Number(document.querySelector("#chart svg")!.getAttribute("width"));
    return { x1: box.x + Number(stepAxis!.getAttribute("x1")) * scale, x2: box.x + Number(stepAxis!.getAttribute("x2")) * scale, y: box.y + 150 * scale };
  });
  await on.mouse.move(frame.x1 + (frame.x2 - frame.x1) * fraction, frame.y);
  const readout = on.locator("#readout");
  await expect.poll(() => readout.isVisible()).toBe(true);
  const step = Number(await readout.getAttribute("data-step"));
  const rows = await readout
    .locator(".readout-row")
    .evaluateAll((els) => els.map((e) => ({ label: e.getAttribute("data-label")!, rate: Number(e.getAttribute("data-rate")), shown: e.querySelector("b")!.textContent })));
  // The rate is written as the CLI writes it: the fewest digits that read back as the same float32.
  for (const { rate, shown } of rows) expect(shown).toBe(shortFloat(rate));
  return { step, rates: new Map(rows.map(({ label, rate }) => [label, rate] as const)) };
}

describe("the playground (npm run playground), in Chromium", () => {
  it("loads from the local server alone, draws one path per schedule and offers every schedule class", async () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((url) => !url.startsWith(origin))).toEqual([]);
    await expect.poll(() => paths().count()).toBe(2);
    const offered = await page.locator("#add-class option").evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
    expect(offered.sort()).toEqual([...scheduleClasses().keys()].sort());
    expect(pageErrors).toEqual([]);
  });

  it("bundles for a browser with nothing Node-only: the CLI modules it shares import no node: module", async () => {
    // esbuild refuses a node: import when bundling for the browser, so a successful bundle is the proof.
    const result = await bundle({ entryPoints: [join(root, "src/main.ts")], bundle: true, platform: "browser", format: "esm", write: false, metafile: true, logLevel: "silent" });
    const modules = Object.keys(result.metafile.inputs);
    expect(modules).toEqual(expect.arrayContaining(["src/cli/kerasDocument.ts", "src/cli/range.ts", "src/plot/svg.ts"]));
    expect(modules.filter((m) => m.startsWith("node:") || m.endsWith("src/cli/inputs.ts"))).toEqual([]);
  });

  it("typing an argument or moving its slider redraws the curve", async () => {
    const before = await firstPathD();
    await page.locator('#editor input[data-path="decaySteps"]').fill("4000");
    await expect.poll(firstPathD).not.toBe(before);

    const typed = await firstPathD();
    await page.locator('#editor input[data-slider="alpha"]').fill("500");
    await expect.poll(() => page.locator('#editor input[data-path="alpha"]').inputValue()).toBe("0.5");
    await expect.poll(firstPathD).not.toBe(typed);
    await expect(page.locator("#editor .error:visible").count()).resolves.toBe(0);
  });

  it("Copy Keras JSON gives JSON whose deserialize is the schedule on screen: same config, same rates as the readout", async () => {
    await page.locator("#copy-json").click();
    const json = JSON.parse(await output()) as unknown;
    const lr = deserialize(json);
    expect(lr.getConfig()).toEqual({ initialLearningRate: 0.001, decaySteps: 4000, alpha: 0.5, name: "CosineDecay", warmupTarget: 0.01, warmupSteps: 1000 });

    // The form shows the same values.
    for (const [option, value] of Object.entries(lr.getConfig())) {
      if (typeof value !== "number") continue;
      expect(Number(await page.locator(`#editor input[data-path="${option}"]`).inputValue()), option).toBe(value);
    }

    // The readout shows, at several steps, the very rates the deserialized schedule computes.
    const seen: number[] = [];
    for (const fraction of [0, 0.05, 0.2, 0.45, 0.7, 1]) {
      const { step, rates } = await readAt(fraction);
      seen.push(step);
      expect(rates.get("CosineDecay"), `step ${step}`).toBe(lr(step));
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen[0]).toBe(0);

    await page.locator("#copy-ts").click();
    const code = await output();
    expect(code).toMatch(/^import \{ CosineDecay \} from "lr-schedules";\n/);
    const expression = code.slice(code.indexOf("const lr = ") + "const lr = ".length);
    expect(parseExpression(expression).getConfig()).toEqual(lr.getConfig());
  });

  it("a composition edits its nested schedule with a picker or an expression box", async () => {
    await page.locator("#add-class").selectOption("LinearWarmup");
    await page.locator("#add").click();
    await expect.poll(() => paths().count()).toBe(3);
    await expect(page.locator('#editor select[data-node="schedule"]').inputValue()).resolves.toBe("CosineDecay");

    const before = await paths().nth(2).getAttribute("d");
    await page.locator('#editor [data-node="schedule"] > .node-head button[data-mode="expression"]').click();
    const box = page.locator('#editor textarea[data-path="schedule"]');
    await box.fill("CosineDecayRestarts(1e-2, 1000, { tMul: 1 })");
    await expect.poll(() => paths().nth(2).getAttribute("d")).not.toBe(before);

    await box.fill("CosineDecayRestarts(1e-2, -5)");
    await expect(page.locator("#editor .node-error").filter({ hasText: "firstDecaySteps" }).textContent()).resolves.toMatch(/firstDecaySteps=-5 \(column 27\)/);
    await box.fill("CosineDecayRestarts(1e-2, 1000, { tMul: 1 })");

    await page.locator("#copy-json").click();
    const lr = deserialize(await output());
    expect(lr.className).toBe("LinearWarmup");
    expect((lr.getConfig().schedule as LearningRateSchedule).getConfig()).toMatchObject({ firstDecaySteps: 1000, tMul: 1 });
  });

  it("loads pasted Keras JSON (an optimizer holding a schedule) as a new curve, and switches to a log scale", async () => {
    const optimizer = {
      class_name: "Adam",
      config: { learning_rate: { class_name: "PolynomialDecay", config: { initial_learning_rate: 0.02, decay_steps: 6000, end_learning_rate: 1e-4, power: 2, cycle: false, name: null } } },
    };
    await page.locator("#load-text").fill(JSON.stringify(optimizer));
    await page.locator("#load").click();
    await expect.poll(() => paths().count()).toBe(4);
    await expect(page.locator("#curves li.selected .label").textContent()).resolves.toBe("PolynomialDecay");
    await page.locator("#copy-json").click();
    expect(deserialize(await output()).getConfig()).toEqual(deserialize(optimizer.config.learning_rate).getConfig());

    await page.locator("#load-text").fill('{"class_name": "NoSuchDecay", "config": {}}');
    await page.locator("#load").click();
    await expect(page.locator("#load-error").textContent()).resolves.toMatch(/NoSuchDecay/);

    await page.locator("#log").check();
    await expect(page.locator("#chart svg").textContent()).resolves.toContain("log scale");
    expect(pageErrors).toEqual([]);
  });

  it("saves a screenshot with the readout showing", async () => {
    await page.locator("#log").uncheck();
    await page.locator("#curves li .pick").first().click();
    await readAt(0.3);
    mkdirSync(artifacts, { recursive: true });
    const png = await page.screenshot({ path: join(artifacts, "playground.png"), fullPage: true });
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect(pageErrors).toEqual([]);
  });
});

/** The page on a phone and on a desktop: nothing sideways, every control reachable, errors beside bad range inputs. */
describe.each([
  { name: "a 390x844 phone", width: 390, height: 844 },
  { name: "a 1280x800 desktop", width: 1280, height: 800 },
])("the playground on $name", ({ width, height }) => {
  let view: Page;
  const longName = "AVeryLongScheduleNameThatGoesOnAndOnWithoutAnySpacesAtAll_warmup_cosine_v2";

  beforeAll(async () => {
    if (!browser) return; // no browser: the file-level rule skips every test
    mkdirSync(artifacts, { recursive: true });
    view = await browser.newPage({ viewport: { width, height } });
    view.on("pageerror", (e) => pageErrors.push(e.message));
    await view.route("**/*", (route) => (route.request().url().startsWith(origin) ? route.continue() : route.abort()));
    await view.goto(origin);
    await view.waitForSelector("body[data-ready='true']");
  });
  afterAll(() => view?.close());

  /**
   * Fails on any sideways scroll, and on any shown control that is not wholly inside the viewport's width or whose
   * centre another element covers; then trial-clicks the remove, Add and Expression buttons (a trial click waits
   * until the button is visible, stable, enabled and the element the pointer would hit).
   */
  async function expectEverythingReachable(): Promise<void> {
    expect(await view.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    const { count, unreachable } = await view.evaluate(() => {
      const controls = Array.from(document.querySelectorAll<HTMLElement>("button, select, input, textarea")).filter((e) => e.checkVisibility());
      const unreachable: string[] = [];
      for (const control of controls) {
        control.scrollIntoView({ block: "center", inline: "nearest" });
        const box = control.getBoundingClientRect();
        const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
        if (box.left < 0 || box.right > window.innerWidth || !hit || !(control.contains(hit) || hit.contains(control))) unreachable.push(`${control.outerHTML.slice(0, 60)} (at its centre: ${hit?.outerHTML.slice(0, 60)})`);
      }
      window.scrollTo(0, 0);
      return { count: controls.length, unreachable };
    });
    expect(count).toBeGreaterThan(10);
    expect(unreachable).toEqual([]);
    for (const button of await view.locator("#curves .remove:enabled, #add, #editor button[data-mode]:enabled").all()) await button.click({ trial: true, timeout: 2000 });
  }

  const stale = () => view.locator("#chart-wrap").evaluate((e) => e.classList.contains("stale"));

  it("has no horizontal overflow, and every button, input and list is inside the viewport and clickable", async () => {
    await expectEverythingReachable();
    await view.locator('#editor button[data-mode="expression"]').click();
    await expect.poll(() => view.locator('#editor textarea[data-path=""]').isVisible()).toBe(true);
    await expectEverythingReachable();
    await view.locator('#editor button[data-mode="form"]').click();
    await view.screenshot({ path: join(artifacts, `playground-${width}.png`), fullPage: true });
  });

  it("shows an error beside each bad range input (aria-invalid, described by the message) and marks the chart stale until the range is valid", async () => {
    const bad: [string, { start: string; stop: string; epoch: string }, string, RegExp][] = [
      ["start after stop", { start: "500", stop: "100", epoch: "" }, "range-stop", /stop must be a number after start \(500\)/],
      ["an empty stop", { start: "0", stop: "", epoch: "" }, "range-stop", /stop must be a number after start/],
      ["a negative stop", { start: "0", stop: "-5", epoch: "" }, "range-stop", /stop must be a number after start \(0\)/],
      ["a negative start", { start: "-1", stop: "100", epoch: "" }, "range-start", /start must be a number ≥ 0/],
      ["0 steps per epoch", { start: "0", stop: "10000", epoch: "0" }, "epoch", /steps per epoch must be a number above 0/],
    ];
    for (const [what, range, id, message] of bad) {
      await view.locator("#range-start").fill(range.start);
      await view.locator("#range-stop").fill(range.stop);
      await view.locator("#epoch").fill(range.epoch);
      const input = view.locator(`#${id}`);
      await expect(input.getAttribute("aria-invalid"), what).resolves.toBe("true");
      const described = (await input.getAttribute("aria-describedby"))!;
      await expect(view.locator(`#${described}`).textContent(), what).resolves.toMatch(message);
      await expect(view.locator(`#${described}`).isVisible(), what).resolves.toBe(true);
      await expect(stale(), what).resolves.toBe(true);
      await expect(view.locator("#chart-stale").isVisible(), what).resolves.toBe(true);
      expect(await view.evaluate(() => document.documentElement.scrollWidth), what).toBeLessThanOrEqual(width);
      await view.screenshot({ path: join(artifacts, `playground-${width}-${what.replace(/ /g, "-")}.png`), fullPage: true });
    }

    await view.locator("#range-start").fill("0");
    await view.locator("#range-stop").fill("5000");
    await view.locator("#epoch").fill("1000");
    await expect.poll(stale).toBe(false);
    await expect(view.locator("#chart-stale").isVisible()).resolves.toBe(false);
    for (const id of ["range-start", "range-stop", "epoch"]) {
      await expect(view.locator(`#${id}`).getAttribute("aria-invalid")).resolves.toBe("false");
      await expect(view.locator(`#${id}-error`).textContent()).resolves.toBe("");
    }
    // Redrawn over the new range, with its epochs.
    const stepLabels = await view.locator("#chart g.axis text[text-anchor='middle']").allTextContents();
    expect(stepLabels).toContain("4,000");
    expect(stepLabels).not.toContain("6,000");
    await expect(view.locator("#chart g.epochs text").allTextContents()).resolves.toEqual(expect.arrayContaining(["1", "4"]));
    await view.locator("#epoch").fill("");
    await view.locator("#range-auto").check();
  });

  it("keeps a long name's remove button visible and clickable, and says in the legend where a log axis leaves a curve out", async () => {
    await view.locator("#load-text").fill(`CosineDecay(1e-3, 10000, { name: '${longName}' })`);
    await view.locator("#load").click();
    const item = view.locator("#curves li").filter({ hasText: longName });
    await expect(item.count()).resolves.toBe(1);
    await view.locator("#log").check();
    await expect.poll(() => view.locator("#chart svg text.note").count()).toBeGreaterThan(0);
    const notes = (await view.locator("#chart svg text.note").allTextContents()).join(" ");
    expect(notes).toContain("reaches 0 at step 10,000; a log axis cannot draw rates ≤ 0");
    await expectEverythingReachable();
    await view.screenshot({ path: join(artifacts, `playground-${width}-long-name-log.png`), fullPage: true });

    const remove = item.locator(".remove");
    const box = (await remove.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(width);
    await remove.click();
    await expect.poll(() => view.locator("#curves li").filter({ hasText: longName }).count()).toBe(0);
    await view.locator("#log").uncheck();
    expect(pageErrors).toEqual([]);
  });
});

/**
 * The Train panel on a phone and on a desktop: a small model trained in the page (loss falls on both data sets), the
 * range test drawn with its suggestion, Stop, and the backend tf.js chose. Screenshots go to test/artifacts/.
 */
describe.each([
  { name: "a 390x844 phone", width: 390, height: 844 },
  { name: "a 1280x800 desktop", width: 1280, height: 800 },
])("the Train panel on $name", ({ width, height }) => {
  const shots = artifacts;
  const errors: string[] = [];
  let view: Page;
  const panel = () => view.locator("#train-panel");
  const state = () => panel().getAttribute("data-state");
  const shoot = (what: string) => panel().screenshot({ path: join(shots, `train-${width}-${what}.png`) });

  beforeAll(async () => {
    if (!browser) return; // no browser: the file-level rule skips every test
    mkdirSync(shots, { recursive: true });
    view = await browser.newPage({ viewport: { width, height } });
    view.on("pageerror", (e) => errors.push(e.message));
    view.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await view.route("**/*", (route) => (route.request().url().startsWith(origin) ? route.continue() : route.abort()));
    await view.goto(origin);
    await view.waitForSelector("body[data-ready='true']");
  });
  afterAll(() => view?.close());

  /** Trains with the panel's settings; resolves once the run has ended, with the mean loss of each epoch. */
  async function train(data: string, epochs: number): Promise<number[]> {
    await view.locator("#train-data").selectOption(data);
    await view.locator("#train-epochs").fill(String(epochs));
    await view.locator("#train-run").click();
    await expect.poll(state, { timeout: 60_000 }).toMatch(/^(done|stopped|failed)$/);
    expect(await view.locator("#train-error").textContent()).toBe("");
    return (await view.locator("#train-status").getAttribute("data-epoch-losses"))!.split(",").map(Number);
  }

  it("fits the viewport: no sideways scroll, every control of the panel inside it and clickable", async () => {
    await panel().scrollIntoViewIfNeeded();
    // Before any run, no empty chart boxes.
    await expect(view.locator("#train-charts").isVisible()).resolves.toBe(false);
    await expect(view.locator("#range-test-result").isVisible()).resolves.toBe(false);
    await view.screenshot({ path: join(shots, `train-${width}-page.png`), fullPage: true });
    await shoot("before");
    expect(await view.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    const controls = await panel().locator("button:visible, select:visible, input:visible").all();
    expect(controls.length).toBeGreaterThanOrEqual(8);
    for (const control of controls) {
      await control.scrollIntoViewIfNeeded();
      const box = (await control.boundingBox())!;
      expect(box.x, await control.evaluate((e) => e.outerHTML.slice(0, 60))).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(width);
      if (await control.isEnabled()) await control.click({ trial: true, timeout: 2000 });
    }
  });

  it("names a bad setting and starts nothing", async () => {
    for (const [id, value, message] of [
      ["#train-peak", "-1", /peak rate must be a number > 0, or empty/],
      ["#train-epochs", "0", /epochs must be a whole number from 1 to 1000/],
      ["#train-batch", "2.5", /batch size must be a whole number ≥ 1/],
    ] as const) {
      const before = await view.locator(id).inputValue();
      await view.locator(id).fill(value);
      await view.locator("#train-run").click();
      await expect(view.locator("#train-error").textContent()).resolves.toMatch(message);
      await expect(state()).resolves.toBe("idle");
      await view.locator(id).fill(before);
    }
  });

  it("trains a few epochs on Iris and on the two spirals, on webgl, wasm or cpu, and the loss falls", async () => {
    const iris = await train("iris", 8);
    expect(iris).toHaveLength(8);
    expect(iris[iris.length - 1]!).toBeLessThan(iris[0]! * 0.8);
    const backend = await view.locator("#train-backend").getAttribute("data-backend");
    expect(["webgl", "wasm", "cpu"]).toContain(backend);
    console.log(`Train panel at ${width}px: tf.js backend ${backend}; Iris epoch losses ${iris.map((l) => l.toFixed(3)).join(" ")}`);
    await expect.poll(() => panel().getAttribute("data-tensors")).not.toBeNull();
    const tensors = await panel().getAttribute("data-tensors");
    const spirals = await train("spirals", 6);
    // No tensor left behind: tf.js holds as many tensors after the second run as after the first.
    await expect.poll(() => panel().getAttribute("data-tensors")).toBe(tensors);
    expect(spirals[spirals.length - 1]!).toBeLessThan(spirals[0]!);
    console.log(`Train panel at ${width}px: two spirals epoch losses ${spirals.map((l) => l.toFixed(3)).join(" ")}`);
    // Both live charts are drawn, each with its lines.
    await expect(view.locator("#train-loss svg g.series path").count()).resolves.toBe(2);
    await expect(view.locator("#train-rate svg g.series path").count()).resolves.toBe(2);
    await expect(view.locator("#train-status").textContent()).resolves.toMatch(/^Done after 150 of 150 steps/);
    expect(await view.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await shoot("trained");
    expect(errors).toEqual([]);
  });

  it("Stop stops a long run part-way; the charts show the steps it ran", async () => {
    await view.locator("#train-data").selectOption("spirals");
    await view.locator("#train-epochs").fill("40");
    await view.locator("#train-run").click();
    // A quarter of the way: ten epochs' losses recorded.
    await expect.poll(async () => (await view.locator("#train-status").getAttribute("data-epoch-losses"))?.split(",").length ?? 0, { timeout: 60_000 }).toBeGreaterThanOrEqual(10);
    await expect(state()).resolves.toBe("training");
    await expect(view.locator("#train-run").isDisabled()).resolves.toBe(true);
    await shoot("during");
    await view.locator("#train-stop").click();
    await expect.poll(state, { timeout: 30_000 }).toBe("stopped");
    const steps = Number(await view.locator("#train-status").getAttribute("data-steps"));
    expect(steps).toBeGreaterThan(0);
    expect(steps).toBeLessThan(40 * 25);
    await expect(view.locator("#train-status").textContent()).resolves.toMatch(new RegExp(`^Stopped after ${steps} of 1000 steps`));
    // The step axis now ends where the run stopped.
    const stepLabels = (await view.locator("#train-loss svg g.axis text[text-anchor='middle']").allTextContents()).map((l) => Number(l.replace(/,/g, ""))).filter(Number.isFinite);
    expect(Math.max(...stepLabels)).toBeLessThanOrEqual(steps);
    await shoot("stopped");
    await expect(view.locator("#train-run").isEnabled()).resolves.toBe(true);
    expect(errors).toEqual([]);
  });

  it("the range test draws its chart with the suggestion marked, and offers it as the peak rate", async () => {
    await view.locator("#train-data").selectOption("iris");
    await view.locator("#train-range-test").click();
    await expect.poll(state, { timeout: 60_000 }).toBe("done");
    const chart = view.locator("#range-test-chart svg");
    await expect(chart.locator("g.series path").count()).resolves.toBe(2);
    await expect(chart.locator("g.markers circle").count()).resolves.toBeGreaterThanOrEqual(1);
    await expect(chart.textContent()).resolves.toMatch(/valley \d/);
    await expect(chart.textContent()).resolves.toContain("learning rate (log scale)");
    const rate = Number(await view.locator("#range-test-suggestion").getAttribute("data-rate"));
    expect(rate).toBeGreaterThan(1e-5);
    expect(rate).toBeLessThan(10);
    await view.locator("#use-suggestion").click();
    expect(Number(await view.locator("#train-peak").inputValue())).toBeCloseTo(rate, 2 - Math.floor(Math.log10(rate)));
    expect(await view.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await panel().scrollIntoViewIfNeeded();
    await shoot("range-test");

    // Training at the suggested peak still lowers the loss.
    const losses = await train("iris", 5);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]!);
    expect(errors).toEqual([]);
  });
});

describe("the Train panel without WebGL", () => {
  it("falls back to wasm, its binary served by the page's own server, and trains", async () => {
    const errors: string[] = [];
    const wasmRequests: string[] = [];
    const view = await browser!.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      view.on("pageerror", (e) => errors.push(e.message));
      view.on("request", (r) => {
        if (r.url().endsWith(".wasm")) wasmRequests.push(r.url());
      });
      // A browser with no WebGL: tf.js's webgl backend cannot start.
      await view.addInitScript(() => {
        for (const canvas of [HTMLCanvasElement, OffscreenCanvas]) {
          const getContext = canvas.prototype.getContext as (this: unknown, kind: string, ...rest: unknown[]) => unknown;
          Object.defineProperty(canvas.prototype, "getContext", {
            value(this: unknown, kind: string, ...rest: unknown[]) {
              return /webgl/.test(kind) ? null : getContext.call(this, kind, ...rest);
            },
          });
        }
      });
      await view.route("**/*", (route) => (route.request().url().startsWith(origin) ? route.continue() : route.abort()));
      await view.goto(origin);
      await view.waitForSelector("body[data-ready='true']");
      await view.locator("#train-epochs").fill("5");
      await view.locator("#train-run").click();
      await expect.poll(() => view.locator("#train-panel").getAttribute("data-state"), { timeout: 60_000 }).toMatch(/^(done|failed)$/);
      expect(await view.locator("#train-error").textContent()).toBe("");
      await expect(view.locator("#train-backend").getAttribute("data-backend")).resolves.toBe("wasm");
      expect(wasmRequests.length).toBeGreaterThan(0);
      expect(wasmRequests.every((url) => url.startsWith(origin))).toBe(true);
      const losses = (await view.locator("#train-status").getAttribute("data-epoch-losses"))!.split(",").map(Number);
      expect(losses[losses.length - 1]!).toBeLessThan(losses[0]!);
      console.log(`Train panel without WebGL: backend wasm (${wasmRequests.map((u) => u.slice(u.lastIndexOf("/") + 1)).join(", ")}); Iris epoch losses ${losses.map((l) => l.toFixed(3)).join(" ")}`);
      expect(errors).toEqual([]);
    } finally {
      await view.close();
    }
  });
});

describe("the playground with the other entries' schedules (optax, torch, transformers)", () => {
  let view: Page;

  beforeAll(async () => {
    if (!browser) return; // no browser: the file-level rule skips every test
    view = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    view.on("pageerror", (e) => pageErrors.push(e.message));
    await view.route("**/*", (route) => (route.request().url().startsWith(origin) ? route.continue() : route.abort()));
    await view.goto(origin);
    await view.waitForSelector("body[data-ready='true']");
  });
  afterAll(() => view?.close());

  const add = async (name: string) => {
    await view.locator("#add-class").selectOption(name);
    await view.locator("#add").click();
  };
  const typescript = async () => {
    await view.locator("#copy-ts").click();
    return view.locator("#output").inputValue();
  };

  it("groups the picker as the CLI's help does: each entry's schedules under its name", async () => {
    const groups = await view.locator("#add-class optgroup").evaluateAll((gs) => gs.map((g) => ({ title: g.getAttribute("label"), names: Array.from(g.children, (o) => (o as HTMLOptionElement).value) })));
    expect(groups).toEqual(scheduleGroups().map((g) => ({ title: g.title, names: g.classes.map((c) => c.className) })));
    expect(groups.map((g) => g.title)).toEqual(expect.arrayContaining(["lr-schedules/optax", "lr-schedules/torch", "lr-schedules/transformers"]));
  });

  it("draws every curve beside a OneCycleLR, which ends at its totalSteps (PyTorch raises past it), and trains with it", async () => {
    // Before, the fitted range ran past totalSteps and the chart showed only OneCycleLR's error, no curve at all.
    await add("OneCycleLR");
    await expect.poll(() => view.locator("#chart g.series path").count()).toBe(3);
    await expect(view.locator("#chart-error").textContent()).resolves.toBe("");
    await expect.poll(() => view.locator("#range-stop").inputValue()).toBe("35000");
    // Its readout ends at step 25000; the other curves go on.
    const labels = async (fraction: number) => [...(await readAt(fraction, view)).rates.keys()];
    expect(await labels(0.5)).toEqual(["CosineDecay", "ExponentialDecay", "OneCycleLR"]);
    expect(await labels(0.9)).toEqual(["CosineDecay", "ExponentialDecay"]);
    expect(await typescript()).toBe('import { OneCycleLR } from "lr-schedules/torch";\n\nconst lr = new OneCycleLR({ maxLr: 0.01, totalSteps: 25000 });\n');

    // The Train panel plays it over its own steps, not the chart's: before, it failed at step 25001.
    await view.locator("#train-schedule").selectOption({ label: "OneCycleLR" });
    await view.locator("#train-epochs").fill("2");
    await view.locator("#train-run").click();
    await expect.poll(() => view.locator("#train-status").textContent(), { timeout: 60_000 }).toMatch(/^Done after 20 of 20 steps/);
    await expect(view.locator("#train-error").textContent()).resolves.toBe("");
  });

  it("says why a StepLR whose lr is cleared draws nothing, and draws the other curves", async () => {
    // Before, choosing the range threw in the page: the chart kept the old curve, with no message; and one curve that
    // failed to sample blanked every other.
    await add("StepLR");
    await view.locator("#editor details.more summary").click();
    await view.locator('#editor input[data-path="lr"]').fill("");
    await expect.poll(() => view.locator("#chart-error").textContent()).toMatch(/^StepLR: `lr` must be the optimizer's learning rate .*given by name: new StepLR\(\.\.\., \{ lr: 0\.1 \}\)/);
    // The other curves stay drawn.
    expect([...(await readAt(0.2, view)).rates.keys()]).toEqual(["CosineDecay", "ExponentialDecay", "OneCycleLR"]);
    await view.locator('#editor input[data-path="lr"]').fill("0.05");
    await expect.poll(() => view.locator("#chart-error").textContent()).toBe("");
    expect(await typescript()).toBe('import { StepLR } from "lr-schedules/torch";\n\nconst lr = new StepLR({ stepSize: 30, lr: 0.05 });\n');
    expect(pageErrors).toEqual([]);
  });

  it("writes each entry's import and calls a function-style schedule without `new`", async () => {
    await add("warmupCosineDecaySchedule");
    expect(await typescript()).toMatch(/^import \{ warmupCosineDecaySchedule \} from "lr-schedules\/optax";\n\nconst lr = warmupCosineDecaySchedule\(\{/);
    await add("getWsdSchedule");
    expect(await typescript()).toMatch(/^import \{ getWsdSchedule \} from "lr-schedules\/transformers";\n\nconst lr = getWsdSchedule\(\{/);
    await add("SequentialLR");
    const code = await typescript();
    expect(code).toMatch(/^import \{ CosineAnnealingLR, LinearLR, SequentialLR \} from "lr-schedules\/torch";\n\nconst lr = new SequentialLR\(\{/);
    expect(parseExpression(code.slice(code.indexOf("const lr = ") + "const lr = ".length)).getConfig().milestones).toEqual([5]);
    await expect.poll(() => view.locator("#chart g.series path").count()).toBe(7);
    expect(pageErrors).toEqual([]);
  });
});
