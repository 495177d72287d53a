import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { ScheduleOptionError } from "../index.js";
import { CallScalars } from "./callScalars.js";
import { checkOneClipOption, clipGradients, type ClipOptions } from "./gradientClipping.js";

const fr = Math.fround;
const off: ClipOptions = { clipnorm: null, clipvalue: null, globalClipnorm: null };

/** The clipped values of `gradients`, with no tensor left behind. */
function clipped(gradients: number[][], options: Partial<ClipOptions>): number[][] {
  const scalars = new CallScalars();
  try {
    return tf.tidy(() => clipGradients(gradients.map((g) => tf.tensor1d(g)), { ...off, ...options }, (x) => scalars.get(x)).map((t) => Array.from(t.dataSync())));
  } finally {
    scalars.release();
  }
}

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("clipGradients", () => {
  it("clipnorm scales each gradient to its own L2 norm, (g * c) / max(norm, c), and leaves a smaller one as it is", () => {
    expect(clipped([[3, 4], [0.3, 0.4]], { clipnorm: 1 })).toEqual([[fr(3 / 5), fr(4 / 5)], [fr(0.3), fr(0.4)]]);
  });

  it("globalClipnorm scales every gradient by clip / the global norm (3-4-5: norm 5)", () => {
    const scale = fr(fr(2) * Math.min(fr(1 / 5), fr(1 / 2)));
    expect(clipped([[3], [4]], { globalClipnorm: 2 })).toEqual([[fr(3 * scale)], [fr(4 * scale)]]);
  });

  it("globalClipnorm's scale is NaN when a gradient is, for every gradient (no silent skip)", () => {
    expect(clipped([[NaN], [4]], { globalClipnorm: 2 }).flat().every(Number.isNaN)).toBe(true);
  });

  it("clipvalue clips each element to [-clipvalue, clipvalue]", () => {
    expect(clipped([[-3, 0.5, 100]], { clipvalue: 1 })).toEqual([[-1, 0.5, 1]]);
  });

  it("without an option, the gradients come back as they are, in the same array", () => {
    const g = [tf.tensor1d([1, 2])];
    expect(clipGradients(g, off, () => tf.scalar(0))).toBe(g);
    tf.dispose(g);
  });

  it("leaves no tensor behind", () => {
    const before = tf.memory().numTensors;
    clipped([[3, 4]], { globalClipnorm: 1 });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("checkOneClipOption", () => {
  it("takes none or one option", () => {
    expect(() => checkOneClipOption("SGD", off)).not.toThrow();
    expect(() => checkOneClipOption("SGD", { ...off, globalClipnorm: 1 })).not.toThrow();
  });

  it("refuses two, naming the second in Keras's order and the first", () => {
    const call = () => checkOneClipOption("SGD", { clipnorm: 1, clipvalue: null, globalClipnorm: 2 });
    expect(call).toThrow(ScheduleOptionError);
    expect(call).toThrow("SGD: `globalClipnorm` must be null when `clipnorm` is set: Keras takes only one of clipnorm, clipvalue and globalClipnorm. Received: globalClipnorm=2");
  });
});
