import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { trainIris, type DemoOutput } from "../examples/demo.js";
import { InverseTimeDecay } from "../src/index.js";

/** The terminal's control characters made visible, so that assertions can name them. */
const visible = (text: string) => text.replaceAll("\r", "<CR>").replaceAll(String.fromCharCode(27), "<ESC>");

/** Collects what the demo writes, as a terminal or as a pipe would receive it. */
function capture(isTTY: boolean): DemoOutput & { text: string } {
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
      expect(e.firstIteration).toBe(5 * e.epoch);
      expect(e.rates).toEqual([0, 1, 2, 3, 4].map((i) => seed(e.firstIteration + i)));
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

  it("prints each epoch's loss, accuracy and learning rates, then a summary; plain lines when not a terminal", async () => {
    const out = capture(false);
    const result = await trainIris({ output: out });
    expect(visible(out.text)).toBe(out.text);
    const epochLines = out.text.split("\n").filter((l) => l.startsWith("Epoch "));
    expect(epochLines).toHaveLength(5);
    expect(epochLines[0]).toBe(
      `Epoch 1/5  loss ${result.epochs[0]!.loss.toFixed(4)}  accuracy ${result.epochs[0]!.accuracy.toFixed(4)}  ` +
        "learning rate 0.100000 -> 0.033333 (steps 0-4)",
    );
    expect(epochLines[4]).toMatch(/^Epoch 5\/5 .* learning rate 0\.009091 -> 0\.007692 \(steps 20-24\)$/);
    expect(out.text).toMatch(/\nSummary\n {2}final accuracy {2}\d\.\d{4} \(\d+ of 150\)/);
    expect(out.text).toContain("  iterations      25 (5 epochs x 5 batches)");
    expect(out.text).toMatch(/ {2}time {12}\d+\.\d\d s on tf\.js's cpu backend\n$/);
  });

  it("on a terminal, redraws a progress line at each batch", async () => {
    const out = capture(true);
    await trainIris({ output: out, epochs: 2 });
    const progress = visible(out.text).match(/<CR><ESC>\[2KEpoch \d\/2 \[[=>.]{20}\] \d\/5 {2}loss \d\.\d{4} {2}learning rate \d\.\d{6}/g) ?? [];
    expect(progress).toHaveLength(10);
    expect(progress[0]).toContain("Epoch 1/2 [===>................] 1/5");
    expect(progress[9]).toContain("Epoch 2/2 [====================] 5/5");
    expect(out.text.split("\n").filter((l) => l.includes("Epoch 2/2  loss"))).toHaveLength(1);
  });
});
