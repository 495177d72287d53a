import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { InverseTimeDecay, ScheduleOptionError, ScheduleTypeError } from "../index.js";
import { LearningRateLogger, ReduceLROnPlateau } from "./callbacks.js";
import { fixed, formatValue, ProgbarLogger, type ProgressStream } from "./progress.js";
import { SGD } from "./SGD.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
  await tf.ready();
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** Collects what a ProgbarLogger writes, as a terminal (`isTTY`) or a pipe would receive it. */
function capture(isTTY: boolean): ProgressStream & { text: string; writes: string[] } {
  return {
    isTTY,
    text: "",
    writes: [],
    write(chunk: string) {
      this.text += chunk;
      this.writes.push(chunk);
    },
  };
}

/** A clock that advances `ms` at each reading, so that the times printed are known: 10 ms per reading by default. */
function fakeClock(ms = 10) {
  let now = 0;
  return vi.spyOn(performance, "now").mockImplementation(() => (now += ms));
}

/** The text without its colour codes (ESC [ n m). */
const uncoloured = (text: string) => text.split("\x1b[").map((part, i) => (i === 0 ? part : part.replace(/^\d+m/, ""))).join("");

/** The terminal's control characters made visible. */
const visible = (text: string) => text.replaceAll("\r", "<CR>").replaceAll("\x1b[", "<ESC>[");

/**
 * y = 1 from x = 1 with one weight and a bias that start at 0: the losses are known and the same on every run.
 * 6 samples in batches of 2: 3 batches per epoch.
 */
function tinyModel(optimizer: tf.Optimizer) {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1], kernelInitializer: "zeros" })] });
  model.compile({ optimizer, loss: "meanSquaredError" });
  return { model, x: tf.ones([6, 1]), y: tf.ones([6, 1]) };
}

describe("formatValue", () => {
  it("formatValue(x) writes what Python's '%.4f' or '%.4e' write, as Keras's progress bar chooses between them", () => {
    const python: [number, string][] = [
      [0.88101, "0.8810"],
      [1234.56789, "1234.5679"],
      [-0.5, "-0.5000"],
      [0.03125, "0.0312"], // a tie: Python rounds to even, toFixed would write 0.0313
      [0.09375, "0.0938"],
      [-0.03125, "-0.0312"],
      [0.0010000001, "0.0010"],
      [0.001, "1.0000e-03"],
      [1e-4, "1.0000e-04"],
      [-2.5e-7, "-2.5000e-07"],
      [0, "0.0000e+00"],
      [1e-120, "1.0000e-120"],
      [NaN, "nan"],
      [Infinity, "inf"],
      [-Infinity, "-inf"],
    ];
    expect(python.map(([x]) => formatValue(x))).toEqual(python.map(([, s]) => s));
  });

  it("fixed(x, 0) rounds ties to even as Python's '%.0f': 0.5 -> 0, 1.5 -> 2, 2.5 -> 2, -0.5 -> -0", () => {
    expect([0.5, 1.5, 2.5, -0.5, -2.5, 2.4].map((x) => fixed(x, 0))).toEqual(["0", "2", "2", "-0", "-2", "2"]);
  });

  it("fixed(x, 4) is toFixed(x, 4) but on exact ties, and then keeps an even last digit", () =>
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (x) => {
        const tie = Number.isInteger(x * 32) && (x * 32) % 2 !== 0;
        if (!tie) return fixed(x, 4) === x.toFixed(4);
        return Math.abs(Number(fixed(x, 4)) - x) <= 5e-5 && Number(fixed(x, 4).slice(-1)) % 2 === 0;
      }),
    ));
});

describe("ProgbarLogger", () => {
  it("not a terminal (verbose 'auto' -> 2): `Epoch n/N`, then one plain line per epoch, as Keras's verbose=2", async () => {
    fakeClock();
    const out = capture(false);
    const { model, x, y } = tinyModel(tf.train.sgd(0.1));
    await model.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0, callbacks: [new ProgbarLogger({ stream: out }), new LearningRateLogger()] });
    expect(out.writes).toEqual([
      "Epoch 1/2\n",
      // (1 + 0.36 + 0.1296) / 3: SGD(0.1) takes the prediction 0 -> 0.4 -> 0.64; the clock reads 10, 20, ... 50 ms,
      // and the time per step leaves the first out, as Keras's does: (50 - 20) / 2
      "3/3 - 0s - 15ms/step - loss: 0.4965 - learning_rate: 0.1000\n",
      "Epoch 2/2\n",
      "3/3 - 0s - 15ms/step - loss: 0.0232 - learning_rate: 0.1000\n",
    ]);
  });

  it("a terminal (verbose 'auto' -> 1): the bar redrawn in place at each batch with the ETA, then the epoch's time", async () => {
    fakeClock();
    const out = capture(true);
    const { model, x, y } = tinyModel(tf.train.sgd(0.1));
    const progbar = new ProgbarLogger({ stream: out, interval: 0 });
    await model.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0, callbacks: [progbar, new LearningRateLogger()] });
    const bar = (done: number) => `<ESC>[32m${"━".repeat(done)}<ESC>[0m` + (done < 20 ? `<ESC>[37m${"━".repeat(20 - done)}<ESC>[0m` : "");
    expect(out.writes.map(visible)).toEqual([
      "Epoch 1/2\n",
      `<CR><ESC>[1m1/3<ESC>[0m ${bar(6)} <ESC>[1m0s<ESC>[0m 10ms/step - loss: 1.0000`,
      `<CR><ESC>[1m2/3<ESC>[0m ${bar(13)} <ESC>[1m0s<ESC>[0m 10ms/step - loss: 0.6800`,
      `<CR><ESC>[1m3/3<ESC>[0m ${bar(20)} <ESC>[1m0s<ESC>[0m 10ms/step - loss: 0.4965`,
      `<CR><ESC>[1m3/3<ESC>[0m ${bar(20)} <ESC>[1m0s<ESC>[0m 15ms/step - loss: 0.4965 - learning_rate: 0.1000\n`,
      "Epoch 2/2\n",
      `<CR><ESC>[1m1/3<ESC>[0m ${bar(6)} <ESC>[1m0s<ESC>[0m 10ms/step - loss: 0.0467`,
      `<CR><ESC>[1m2/3<ESC>[0m ${bar(13)} <ESC>[1m0s<ESC>[0m 10ms/step - loss: 0.0317`,
      `<CR><ESC>[1m3/3<ESC>[0m ${bar(20)} <ESC>[1m0s<ESC>[0m 10ms/step - loss: 0.0232`,
      `<CR><ESC>[1m3/3<ESC>[0m ${bar(20)} <ESC>[1m0s<ESC>[0m 15ms/step - loss: 0.0232 - learning_rate: 0.1000\n`,
    ]);
  });
});

describe("ProgbarLogger and LearningRateLogger in a real fit, for each kind of optimizer", () => {
  const schedule = new InverseTimeDecay(0.1, 1, 0.5);
  const fr = Math.fround;
  const cases: [string, () => tf.Optimizer, (step: number) => number][] = [
    ["this package's SGD with a schedule", () => new SGD({ learningRate: schedule }), (step) => schedule(step)],
    ["this package's SGD with a constant", () => new SGD({ learningRate: 0.05 }), () => fr(0.05)],
    ["tf.js's own tf.train.adam", () => tf.train.adam(0.01), () => fr(0.01)],
  ];
  for (const [name, optimizer, rateAt] of cases) {
    for (const isTTY of [false, true]) {
      it(`${name}, ${isTTY ? "a terminal" : "not a terminal"}: history holds each epoch's and each batch's rate, the lines show them, no tensor leaks`, async () => {
        fakeClock();
        const out = capture(isTTY);
        const { model, x, y } = tinyModel(optimizer());
        const callbacks = () => [new ProgbarLogger({ stream: out, interval: 0 }), new LearningRateLogger({ perBatch: true })];
        const before = tf.memory().numTensors;
        const history = await model.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0, callbacks: callbacks() });
        // Each batch's update used rateAt(i) (the i-th update of the fit); each epoch logs the rate after its 3 updates.
        expect(history.history.batch_learning_rate).toEqual([0, 1, 2, 3, 4, 5].map(rateAt));
        expect(history.history.learning_rate).toEqual([rateAt(3), rateAt(6)]);
        // The optimizer's slots and the model's weights were made by this first fit; a second one adds nothing.
        const made = tf.memory().numTensors - before;
        await model.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0, callbacks: callbacks() });
        expect(tf.memory().numTensors - before).toBe(made);

        const loss = history.history.loss as number[];
        const final = (e: number) => `- loss: ${formatValue(loss[e]!)} - learning_rate: ${formatValue(rateAt(3 * (e + 1)))}`;
        const lines = out.text.split(/\r|\n/).filter((line) => line !== "").slice(0, isTTY ? 10 : 4);
        if (!isTTY) {
          expect(lines).toEqual(["Epoch 1/2", `3/3 - 0s - 15ms/step ${final(0)}`, "Epoch 2/2", `3/3 - 0s - 15ms/step ${final(1)}`]);
          return;
        }
        const plain = lines.map(uncoloured);
        expect(plain[0]).toBe("Epoch 1/2");
        for (let batch = 0; batch < 3; batch++) {
          expect(plain[1 + batch]).toMatch(new RegExp(`^${batch + 1}/3 ━{20} 0s 10ms/step - loss: \\d\\.\\d{4} - learning_rate: ${formatValue(rateAt(batch))}$`));
        }
        expect(plain[4]).toBe(`3/3 ${"━".repeat(20)} 0s 15ms/step ${final(0)}`);
        expect(plain[5]).toBe("Epoch 2/2");
        expect(plain[9]).toBe(`3/3 ${"━".repeat(20)} 0s 15ms/step ${final(1)}`);
      });
    }
  }

  it("a rate that changes within the epoch shows the batch's rate while it runs and the epoch's end rate at the end", async () => {
    fakeClock();
    const out = capture(true);
    const { model, x, y } = tinyModel(new SGD({ learningRate: schedule }));
    await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0, callbacks: [new ProgbarLogger({ stream: out, interval: 0 }), new LearningRateLogger({ perBatch: true })] });
    const rates = [...out.text.matchAll(/learning_rate: (\d\.\d{4})/g)].map((m) => m[1]);
    expect(rates).toEqual(["0.1000", "0.0667", "0.0500", "0.0400"]); // schedule(0), (1), (2), then schedule(3)
  });
});

describe("ProgbarLogger's details", () => {
  it("one epoch: no `Epoch 1/1` line, as Keras prints it only for more than one", async () => {
    fakeClock();
    const out = capture(false);
    const { model, x, y } = tinyModel(tf.train.sgd(0.1));
    await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0, callbacks: [new ProgbarLogger({ stream: out })] });
    expect(out.writes).toEqual(["3/3 - 0s - 15ms/step - loss: 0.4965\n"]);
  });

  it("validation values come after the loss and metrics, the learning rate after them", async () => {
    fakeClock();
    const out = capture(false);
    const { model, x, y } = tinyModel(tf.train.sgd(0.1));
    model.compile({ optimizer: tf.train.sgd(0.1), loss: "meanSquaredError", metrics: ["mae"] });
    await model.fit(x, y, {
      epochs: 1,
      batchSize: 2,
      verbose: 0,
      validationData: [tf.ones([2, 1]), tf.ones([2, 1])],
      callbacks: [new LearningRateLogger(), new ProgbarLogger({ stream: out })],
    });
    // mae (1 + 0.6 + 0.36) / 3; after the 3 updates the prediction is 0.784: val_loss 0.216², val_mae 0.216
    expect(out.text).toBe("3/3 - 0s - 15ms/step - loss: 0.4965 - mae: 0.6533 - val_loss: 0.0467 - val_mae: 0.2160 - learning_rate: 0.1000\n");
  });

  it("with the default interval of 0.05 s, the bar is redrawn at most every 50 ms; the epoch's line always comes", async () => {
    fakeClock(10);
    const out = capture(true);
    const { model, x, y } = tinyModel(tf.train.sgd(0.1));
    await model.fit(x, y, { epochs: 1, batchSize: 1, verbose: 0, callbacks: [new ProgbarLogger({ stream: out })] });
    // The clock reads 20, 30, ..., 70 ms at the six batches' ends: drawn at 20 and at 70.
    expect(out.writes.map((w) => uncoloured(w).slice(1, 4))).toEqual(["1/6", "6/6", "6/6"]);
    expect(out.writes.at(-1)).toMatch(/\n$/);
  });

  it("the epoch's line is the same whatever the callbacks' order: it is written once every onEpochEnd has run", async () => {
    const run = async (order: (p: ProgbarLogger, l: LearningRateLogger, r: ReduceLROnPlateau) => tf.Callback[]) => {
      fakeClock();
      const out = capture(false);
      const { model, x, y } = tinyModel(tf.train.sgd(0.1));
      const reduce = new ReduceLROnPlateau("loss", { patience: 0, factor: 0.5, minDelta: 10 });
      const history = await model.fit(x, y, {
        epochs: 3,
        batchSize: 2,
        verbose: 0,
        callbacks: order(new ProgbarLogger({ stream: out }), new LearningRateLogger(), reduce),
      });
      vi.restoreAllMocks();
      return { text: out.text, rates: history.history.learning_rate };
    };
    const first = await run((p, l, r) => [p, l, r]);
    // ReduceLROnPlateau logs the rate before it halves it, as Keras; the logger keeps that value in either order.
    expect(first.rates).toEqual([0.1, 0.1, 0.05].map(Math.fround));
    expect(first.text.match(/learning_rate: \d\.\d{4}/g)).toEqual(["learning_rate: 0.1000", "learning_rate: 0.1000", "learning_rate: 0.0500"]);
    for (const order of [(p: ProgbarLogger, l: LearningRateLogger, r: ReduceLROnPlateau) => [r, l, p], (p: ProgbarLogger, l: LearningRateLogger, r: ReduceLROnPlateau) => [l, p, r]]) {
      expect(await run(order)).toEqual(first);
    }
  });

  it("a dataset of unknown length: `n/Unknown` and the time so far in the first epoch, a bar once its length is known", async () => {
    fakeClock();
    const out = capture(true);
    const { model } = tinyModel(tf.train.sgd(0.1));
    const batches = tf.data.generator(function* () {
      for (let i = 0; i < 3; i++) yield { xs: tf.ones([2, 1]), ys: tf.ones([2, 1]) };
    });
    const before = tf.memory().numTensors;
    await model.fitDataset(batches, { epochs: 2, verbose: 0, callbacks: [new ProgbarLogger({ stream: out, interval: 0 })] });
    expect(tf.memory().numTensors).toBe(before);
    const lines = out.text.split(/\r|\n/).filter((line) => line !== "").map(uncoloured);
    expect(lines.slice(0, 5)).toEqual([
      "Epoch 1/2",
      "      1/Unknown 0s 10ms/step - loss: 1.0000",
      "      2/Unknown 0s 10ms/step - loss: 0.6800",
      "      3/Unknown 0s 10ms/step - loss: 0.4965",
      `3/3 ${"━".repeat(20)} 0s 15ms/step - loss: 0.4965`,
    ]);
    expect(lines[6]).toBe(`1/3 ${"━".repeat(6)}${"━".repeat(14)} 0s 10ms/step - loss: 0.0467`);
  });

  it("writes to process.stdout by default in Node, and 'auto' follows its isTTY", () => {
    const progbar = new ProgbarLogger();
    expect(progbar.stream).toBe(process.stdout);
    expect(progbar.verbose).toBe("auto");
    expect(progbar.interval).toBe(0.05);
  });

  it("where there is no process (a browser), writes to the console, one console.log per line, as plain lines", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const saved = globalThis.process;
    let progbar: ProgbarLogger;
    try {
      (globalThis as { process?: unknown }).process = undefined;
      progbar = new ProgbarLogger();
    } finally {
      globalThis.process = saved;
    }
    expect(progbar.stream.isTTY).toBeUndefined();
    progbar.stream.write("Epoch 1/2\n");
    expect(log).toHaveBeenCalledWith("Epoch 1/2");
  });

  it("verbose: 2 on a terminal writes plain lines; verbose: 1 elsewhere draws the bar", async () => {
    fakeClock();
    const tty = capture(true);
    const pipe = capture(false);
    const { model, x, y } = tinyModel(tf.train.sgd(0.1));
    await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0, callbacks: [new ProgbarLogger({ stream: tty, verbose: 2 }), new ProgbarLogger({ stream: pipe, verbose: 1 })] });
    expect(tty.text).toMatch(/^3\/3 - \d+s - \d+ms\/step - loss: 0\.4965\n$/);
    expect(visible(pipe.text)).toMatch(/^<CR><ESC>\[1m1\/3/);
  });

  describe("bad options throw errors that name them", () => {
    const cases: [string, () => unknown, RegExp, typeof ScheduleOptionError | typeof ScheduleTypeError][] = [
      ["verbose 0", () => new ProgbarLogger({ verbose: 0 as never }), /^ProgbarLogger: `verbose` must be 'auto', 1 or 2\. Received: verbose=0$/, ScheduleOptionError],
      ["verbose true", () => new ProgbarLogger({ verbose: true as never }), /`verbose` must be 'auto', 1 or 2/, ScheduleTypeError],
      ["a stream without write", () => new ProgbarLogger({ stream: {} as never }), /`stream` must be an object with a write\(text\) method/, ScheduleTypeError],
      ["a negative interval", () => new ProgbarLogger({ interval: -1 }), /`interval` must be a finite number >= 0\. Received: interval=-1/, ScheduleOptionError],
      ["an unknown option", () => new ProgbarLogger({ verbosity: 1 } as never), /`verbosity` must be one of the options verbose, stream, interval/, ScheduleOptionError],
      ["a LearningRateLogger perBatch of 1", () => new LearningRateLogger({ perBatch: 1 as never }), /^LearningRateLogger: `perBatch` must be a boolean\. Received: perBatch=1$/, ScheduleTypeError],
      ["a LearningRateLogger unknown option", () => new LearningRateLogger({ batch: true } as never), /`batch` must be one of the options perBatch/, ScheduleOptionError],
    ];
    for (const [label, make, message, kind] of cases) {
      it(`${label} throws ${kind.name}`, () => {
        expect(make).toThrow(message);
        expect(make).toThrow(kind);
      });
    }
  });
});
