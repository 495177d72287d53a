import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { trainIris } from "../examples/demo.js";
import { InverseTimeDecay } from "../src/index.js";
import type { ProgressStream } from "../src/tfjs/index.js";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The terminal's control characters made visible, so that assertions can name them. */
const visible = (text: string) => text.replaceAll("\r", "<CR>").replaceAll(String.fromCharCode(27), "<ESC>");

/** Collects what the demo writes, as a terminal or as a pipe would receive it. */
function capture(isTTY: boolean): ProgressStream & { text: string } {
  return {
    isTTY,
    text: "",
    write(chunk: string) {
      this.text += chunk;
    },
  };
}

describe("npm run demo (examples/demo.ts)", () => {
  it("trains 5 epochs of 5 batches, each update at InverseTimeDecay(0.1, 1, 0.5)(step), and the loss falls", async () => {
    const before = tf.memory().numTensors;
    const result = await trainIris({ output: null });
    const seed = new InverseTimeDecay(0.1, 1, 0.5);

    expect(result.epochs.map((e) => e.epoch)).toEqual([0, 1, 2, 3, 4]);
    expect(result.iterations).toBe(25);
    for (const e of result.epochs) {
      expect(e.rates).toEqual([0, 1, 2, 3, 4].map((i) => seed(5 * e.epoch + i)));
      // Keras's learning_rate at the epoch's end: the rate of the next update, after 5 (e + 1) of them.
      expect(e.learningRate).toBe(seed(5 * (e.epoch + 1)));
    }
    expect(result.epochs[0]!.rates[0]).toBe(Math.fround(0.1));
    expect(result.epochs[4]!.rates[4]).toBe(Math.fround(Math.fround(0.1) / 13));

    const losses = result.epochs.map((e) => e.loss);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[4]).toBeLessThan(losses[0]!);
    expect(result.finalLoss).toBeLessThan(losses[0]!);
    expect(result.finalAccuracy).toBeGreaterThan(1 / 3);
    expect(result.epochs.every((e) => e.accuracy >= 0 && e.accuracy <= 1)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("runs the same every time: the rows' shuffle and the initial weights are seeded", async () => {
    const a = await trainIris({ output: null });
    const b = await trainIris({ output: null });
    expect(b.epochs.map((e) => [e.loss, e.accuracy])).toEqual(a.epochs.map((e) => [e.loss, e.accuracy]));
  });

  it("not a terminal: Keras's verbose=2 lines, `Epoch n/5` then loss, accuracy and learning_rate, then a summary", async () => {
    const out = capture(false);
    const result = await trainIris({ output: out });
    expect(visible(out.text)).toBe(out.text);
    const lines = out.text.split("\n");
    const epoch = lines.indexOf("Epoch 1/5");
    const timing = (line: string) => line.replace(/^5\/5 - \d+s - \d+(ms|us|s)\/step/, "5/5 - Ts - T/step");
    expect(lines.slice(epoch, epoch + 10).map(timing)).toEqual(
      result.epochs.flatMap((e) => [
        `Epoch ${e.epoch + 1}/5`,
        `5/5 - Ts - T/step - loss: ${e.loss.toFixed(4)} - acc: ${e.accuracy.toFixed(4)} - learning_rate: ${e.learningRate.toFixed(4)}`,
      ]),
    );
    expect(lines[epoch + 1]).toMatch(/ - learning_rate: 0\.0286$/); // schedule(5) = 0.1 / 3.5
    expect(lines[epoch + 9]).toMatch(/ - learning_rate: 0\.0074$/); // schedule(25) = 0.1 / 13.5
    expect(out.text).toMatch(/\nSummary\n {2}final accuracy {2}\d\.\d{4} \(\d+ of 150\)/);
    expect(out.text).toContain("  learning rates  0.100000 at step 0 -> 0.007692 at step 24, each = schedule(step)");
    expect(out.text).toContain("  iterations      25 (5 epochs x 5 batches)");
    expect(out.text).toMatch(/ {2}time {12}\d+\.\d\d s on tf\.js's cpu backend\n$/);
  });

  it("on a terminal, Keras's bar redrawn at each batch (at most every 50 ms), then the epoch's line", async () => {
    const out = capture(true);
    const result = await trainIris({ output: out, epochs: 2 });
    const text = visible(out.text);
    const bar = (done: number) => `<ESC>[32m${"━".repeat(done)}<ESC>[0m` + (done < 20 ? `<ESC>[37m${"━".repeat(20 - done)}<ESC>[0m` : "");
    // The first batch of each epoch is always drawn; later ones when 50 ms have passed.
    expect(text).toContain(`Epoch 1/2\n<CR><ESC>[1m1/5<ESC>[0m ${bar(4)} <ESC>[1m`);
    expect(text).toContain(`Epoch 2/2\n<CR><ESC>[1m1/5<ESC>[0m ${bar(4)} <ESC>[1m`);
    const ends = text.match(/<CR><ESC>\[1m5\/5<ESC>\[0m [^\n]* - learning_rate: \d\.\d{4} *\n/g) ?? [];
    expect(ends).toHaveLength(2);
    expect(ends[0]).toContain(`${bar(20)} <ESC>[1m`);
    expect(ends[1]).toContain(`- loss: ${result.epochs[1]!.loss.toFixed(4)} - acc: ${result.epochs[1]!.accuracy.toFixed(4)} - learning_rate: 0.0167`);
  });
});

describe("README.md: the seed's example", () => {
  /** The first ```ts block under the heading `## The seed's example`, as a user copies it. */
  function seedExample(): string {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## The seed's example"));
    const block = /```ts\n([\s\S]*?)```/.exec(section);
    if (!block) throw new Error("README.md: no ```ts block under `## The seed's example`");
    return block[1]!;
  }

  it("runs as written with tsx, the package's names resolved to the sources, and prints Keras's progress", () => {
    const code = seedExample();
    expect(code).toMatch(/^import \{ InverseTimeDecay \} from 'lr-schedules';$/m);
    // Inside node_modules, so that '@tensorflow/tfjs' resolves as in a user's project; .mts: an ES module.
    const cache = join(root, "node_modules", ".cache");
    mkdirSync(cache, { recursive: true });
    const dir = mkdtempSync(join(cache, "readme-seed-"));
    try {
      const file = join(dir, "seed.mts");
      const source = (entry: string) => `'${pathToFileURL(join(root, entry)).href}'`;
      writeFileSync(file, code.replaceAll("'lr-schedules/tfjs'", source("src/tfjs/index.ts")).replaceAll("'lr-schedules'", source("src/index.ts")));
      const run = spawnSync(join(root, "node_modules", ".bin", "tsx"), [file], { cwd: root, encoding: "utf8", timeout: 60_000 });
      expect(run.stderr.replace(/=+\nHi, looks like you are running TensorFlow\.js in Node\.js[^\n]*\n=+\n/, "").trim()).toBe("");
      expect(run.status).toBe(0);
      const lines = run.stdout.split("\n");
      // Not a terminal here: Keras's verbose=2 lines, 150 samples in batches of 32.
      for (let epoch = 1; epoch <= 5; epoch++) expect(lines).toContain(`Epoch ${epoch}/5`);
      const epochLines = lines.filter((line) => line.startsWith("5/5 - "));
      expect(epochLines).toHaveLength(5);
      const rates = [5, 10, 15, 20, 25].map((step) => new InverseTimeDecay(0.1, 1, 0.5)(step).toFixed(4));
      epochLines.forEach((line, i) => expect(line).toMatch(new RegExp(`^5/5 - \\d+s - \\d+(ms|us|s)/step - loss: \\d\\.\\d{4} - acc: \\d\\.\\d{4} - learning_rate: ${rates[i]}$`)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
