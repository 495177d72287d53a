/**
 * `.keras` checkpoints written by Keras 3.15.1 (test/fixtures/keras-resume, copied from the shared reference): each is
 * restored into a tf.js model of the same architecture, trained `epochs_after` more epochs, and compared with what
 * Keras's own `load_model` then `fit` gave; restore -> save -> restore keeps every value; bad input is refused with a
 * named error and leaves the model as it was.
 */
import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { strToU8, unzipSync, zipSync } from "fflate";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { ScheduleOptionError, ScheduleTypeError } from "../src/index.js";
import { FinalizeVariableValues, MultiOptimizer, restoreKerasCheckpoint, type OptimizerMap, saveKerasCheckpoint, type KerasOptimizer, type KerasOptimizerClass } from "../src/tfjs/index.js";
import { loadH5wasm, readHdf5, writeHdf5, type H5Group } from "../src/tfjs/hdf5.js";
import { expectContinuationMatchesKeras, fitModel, fitTrainer, resumeModel, type DataCase } from "./support/kerasFit.js";

interface ResumeCase extends DataCase {
  name: string;
  epochs_after: number;
  keras_file: string;
  loss_after: number[];
  accuracy_after: number[];
  iterations_at_save: number;
  iterations_after: number;
  final_weights: number[][];
}

const fixture = (file: string) => new Uint8Array(readFileSync(fileURLToPath(new URL(`fixtures/keras-resume/${file}`, import.meta.url))));
const read = <T>(file: string) => JSON.parse(new TextDecoder().decode(fixture(file))) as T;

/**
 * Restores `file` into `model`, compiled with a tf.js SGD: refused with a named error whose message matches `message`,
 * leaving the model's optimizer and weights as they were and no tensor behind. Disposes the model.
 */
async function expectRestoreRefused(model: tf.LayersModel, file: Uint8Array, message: RegExp): Promise<void> {
  const compiledWith = tf.train.sgd(0.5);
  model.compile({ optimizer: compiledWith, loss: "meanSquaredError" });
  const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
  const before = tf.memory().numTensors;
  const error = await restoreKerasCheckpoint(model, file).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).name).toMatch(/^Schedule(Option|Type)Error$/);
  expect((error as Error).message).toMatch(message);
  expect(model.optimizer).toBe(compiledWith);
  expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(weights);
  expect(tf.memory().numTensors).toBe(before);
  model.dispose();
}

/** Keras's MultiOptimizer after the continuation: its inner optimizers' classes and iterations. */
interface MultiResumeCase extends ResumeCase {
  inner: { class_name: string; iterations: number }[];
  trainable_paths: string[];
}
/**
 * The shared reference's cases, then those scripts/keras-resume.py adds (a number rate, Nadam, accumulation; then
 * MultiOptimizers).
 */
const multiCases = read<{ cases: MultiResumeCase[] }>("keras-resume-multi-golden.json").cases;
const cases: ResumeCase[] = [...read<{ cases: ResumeCase[] }>("keras-resume-golden.json").cases, ...read<{ cases: ResumeCase[] }>("keras-resume-extra-golden.json").cases, ...multiCases];
const byName = (name: string) => cases.find((c) => c.name === name)!;
const sgdCase = byName("seed-sgd-inverse-time");

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** Every weight of the model and every variable of the optimizer, as numbers. */
async function state(model: tf.LayersModel, optimizer: KerasOptimizer): Promise<{ weights: number[][]; optimizer: [string, number[]][] }> {
  const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
  const slots = (await optimizer.getWeights()).map((w) => [w.name.replace(/^.*\//, ""), Array.from(w.tensor.dataSync())] as [string, number[]]);
  return { weights, optimizer: slots };
}


describe("a .keras file from Keras continues training in tf.js as it continued in Keras", () => {
  for (const c of cases) {
    it(c.name, async () => {
      const model = resumeModel(c);
      const start = tf.memory().numTensors;
      const optimizer = await restoreKerasCheckpoint(model, fixture(c.keras_file));
      // Nothing but the optimizer's restored slots (kept until its first update) stays; getWeights adds `iter` (for a
      // MultiOptimizer, its own and each inner optimizer's).
      const kept = tf.memory().numTensors - start;
      const inner = optimizer instanceof MultiOptimizer ? optimizer.optimizers : [];
      expect(kept).toBe((await optimizer.getWeights()).length - 1 - inner.length);
      expect(optimizer.iterations).toBe(c.iterations_at_save);
      const trainer = fitTrainer(c);
      const before = tf.memory().numTensors;
      // Keras's fit ends by writing the moving averages into the weights; FinalizeVariableValues does that here.
      const history = await trainer.fit(model, c.epochs_after, [new FinalizeVariableValues()]);
      expectContinuationMatchesKeras(c.name, model, optimizer, history, { loss: c.loss_after, final_weights: c.final_weights, iterations: c.iterations_after });
      const accuracy = history.history.acc as number[];
      expect(accuracy.map((a) => Math.round(a * c.n))).toEqual(c.accuracy_after.map((a) => Math.round(a * c.n)));
      if ("inner" in c) {
        const keras = (c as MultiResumeCase).inner;
        expect(inner.map((o) => (o.constructor as KerasOptimizerClass).kerasName)).toEqual(keras.map((o) => o.class_name));
        expect(inner.map((o) => o.iterations)).toEqual(keras.map((o) => o.iterations));
      }
      await tf.nextFrame();
      expect(tf.memory().numTensors).toBe(before);
      trainer.dispose();
      model.dispose();
      optimizer.dispose();
    });
  }
});

interface HandbackCase extends DataCase {
  name: string;
  file: string;
  iterations_at_save: number;
  epochs: number;
  iterations_at_load: number;
  loss: number[];
  accuracy: number[];
  iterations: number;
  final_weights: number[][];
  /** A MultiOptimizer's inner optimizers after Keras's continuation. */
  inner?: { class_name: string; iterations: number }[];
}

describe("a .keras file saveKerasCheckpoint wrote: Keras loads it and continues as tf.js continues", () => {
  // handback/: each file above, continued one epoch in tf.js and saved (scripts/keras-handback.ts); Keras's load_model
  // then fit of each (scripts/keras-resume.py handback), with its warning that it skipped the optimizer's variables
  // made an error.
  for (const c of read<{ cases: HandbackCase[] }>("keras-handback-golden.json").cases) {
    it(c.name, async () => {
      expect(c.iterations_at_load).toBe(c.iterations_at_save);
      const model = resumeModel(c);
      const optimizer = await restoreKerasCheckpoint(model, fixture(`handback/${c.file}`));
      expect(optimizer.iterations).toBe(c.iterations_at_load);
      const trainer = fitTrainer(c);
      const history = await trainer.fit(model, c.epochs, [new FinalizeVariableValues()]);
      expectContinuationMatchesKeras(`${c.name}, handed back`, model, optimizer, history, c);
      if (c.inner) expect((optimizer as MultiOptimizer).optimizers.map((o) => o.iterations)).toEqual(c.inner.map((o) => o.iterations));
      trainer.dispose();
      model.dispose();
      optimizer.dispose();
    });
  }
});

describe("saveKerasCheckpoint", () => {
  for (const c of cases) {
    it(`${c.name}: restore -> save -> restore gives the same weights and optimizer state, after training too`, async () => {
      const first = resumeModel(c);
      const optimizer = await restoreKerasCheckpoint(first, fixture(c.keras_file));
      const trainer = fitTrainer(c);
      await trainer.fit(first, 1);
      // The optimizer holds the last getWeights() call's iteration scalar until the next call: one before counting.
      await optimizer.getWeights();
      const before = tf.memory().numTensors;
      const file = await saveKerasCheckpoint(first);
      expect(tf.memory().numTensors).toBe(before);
      expect(Object.keys(unzipSync(file)).sort()).toEqual(["config.json", "metadata.json", "model.weights.h5"]);
      const second = resumeModel(c);
      const again = await restoreKerasCheckpoint(second, file);
      expect(await state(second, again)).toEqual(await state(first, optimizer));
      expect(again.iterations).toBe(optimizer.iterations);
      // And both continue the same way.
      await trainer.fit(first, 1);
      await trainer.fit(second, 1);
      expect(await state(second, again)).toEqual(await state(first, optimizer));
      trainer.dispose();
      for (const m of [first, second]) m.dispose();
      for (const o of [optimizer, again]) o.dispose();
    });
  }

  it("the config.json is the one restored, byte for byte; the weights file keeps Keras's layout", async () => {
    const c = byName("adamw-exponential-ema-clipnorm");
    const model = fitModel(c);
    const optimizer = await restoreKerasCheckpoint(model, fixture(c.keras_file));
    const original = unzipSync(fixture(c.keras_file));
    const saved = unzipSync(await saveKerasCheckpoint(model));
    expect(saved["config.json"]).toEqual(original["config.json"]);
    expect(JSON.parse(new TextDecoder().decode(saved["metadata.json"])).keras_version).toBe("3.15.1");
    model.dispose();
    optimizer.dispose();
  });

  it("refuses a model it did not restore, and one compiled with another optimizer since", async () => {
    const model = fitModel(sgdCase);
    await expect(saveKerasCheckpoint(model)).rejects.toThrow(ScheduleOptionError);
    const optimizer = await restoreKerasCheckpoint(model, fixture(sgdCase.keras_file));
    model.compile({ optimizer: tf.train.sgd(0.1), loss: "sparseCategoricalCrossentropy" });
    await expect(saveKerasCheckpoint(model)).rejects.toThrow(/compiled again since/);
    await expect(saveKerasCheckpoint({} as tf.LayersModel)).rejects.toThrow(ScheduleTypeError);
    model.dispose();
    optimizer.dispose();
  });
});

/** The files of the seed case's .keras file, to be altered. */
const parts = () => unzipSync(fixture(sgdCase.keras_file));
const rezip = (files: Record<string, Uint8Array>) => zipSync(files);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a config edited freely, as a hostile file could be
const configWith = (edit: (config: Record<string, any>) => void) => {
  const files = parts();
  const config = JSON.parse(new TextDecoder().decode(files["config.json"]));
  edit(config);
  files["config.json"] = strToU8(JSON.stringify(config));
  return rezip(files);
};

describe("bad input: a named error, and the model as it was", () => {
  const bad: [string, () => Uint8Array | ArrayBuffer | unknown, RegExp][] = [
    ["not a zip", () => new Uint8Array(100).fill(7), /a zip archive; this is not one/],
    ["a truncated zip", () => fixture(sgdCase.keras_file).slice(0, 5000), /a whole, readable zip archive/],
    ["a zip-slip name", () => rezip({ ...parts(), "../evil.json": strToU8("{}") }), /names stay inside it/],
    ["an absolute name", () => rezip({ ...parts(), "/etc/x": strToU8("{}") }), /names stay inside it/],
    ["a zip without model.weights.h5", () => { const f = parts(); delete f["model.weights.h5"]; return rezip(f); }, /model\.weights\.h5/],
    ["a MultiOptimizer in the config, a single optimizer's state in the file", () => configWith((c) => {
      c.compile_config.optimizer = { class_name: "MultiOptimizer", config: { optimizer_map: { class_name: "OptimizerMap", config: { default_optimizer: "sgd", optimizer_map: { ".*dense/.*": "adam" } } } } };
    }), /optimizer\/vars` must be iterations then the MultiOptimizer's learning rate/],
    ["a config.json that is not JSON", () => rezip({ ...parts(), "config.json": strToU8("{nope") }), /config\.json/],
    ["a weights file that is not HDF5", () => rezip({ ...parts(), "model.weights.h5": strToU8("not an hdf5 file at all") }), /lacks HDF5's signature/],
    ["a truncated HDF5", () => { const f = parts(); f["model.weights.h5"] = f["model.weights.h5"]!.slice(0, 3000); return rezip(f); }, /HDF5/],
    ["an HDF5 of another layout (the optimizer's variables of another case)", () => {
      const f = parts();
      f["model.weights.h5"] = unzipSync(fixture("adam-cosine-warmup.keras"))["model.weights.h5"]!;
      return rezip(f);
    }, /shape|weights/],
    ["an HDF5 with a layer the config does not have", () => configWith((c) => { c.config.layers[2].class_name = "Dense2"; c.config.layers[2].config.name = "x"; }), /layers\/dense_1.*a layer of config\.json/],
    ["an optimizer without a faithful version here", () => configWith((c) => { c.compile_config.optimizer.class_name = "LossScaleOptimizer"; }), /LossScaleOptimizer has none/],
    ["a loss without a tf.js equivalent", () => configWith((c) => { c.compile_config.loss = "huber"; }), /compile_config\.loss/],
    ["a loss computed from logits", () => configWith((c) => { c.compile_config.loss = { class_name: "SparseCategoricalCrossentropy", config: { from_logits: true } }; }), /from_logits/],
    ["a stateful metric", () => configWith((c) => { c.compile_config.metrics = ["auc"]; }), /metrics\[0\]/],
    ["a model saved uncompiled", () => configWith((c) => { delete c.compile_config; }), /compile_config/],
    ["a layer of another class", () => configWith((c) => { c.config.layers[1].class_name = "EinsumDense"; }), /einsum_dense|EinsumDense/],
    ["neither bytes nor a buffer", () => "a .keras file", /Uint8Array or an ArrayBuffer/],
    ["an optimizer config whose slots are not the file's (momentum, where the file has none)", () => configWith((c) => { c.compile_config.optimizer.config.momentum = 0.9; }), /optimizer\/vars.*slots of SGD/],
    ["a number learning rate in the config without its variable in the file", () => configWith((c) => { c.compile_config.optimizer.config.learning_rate = 0.1; }), /the learning rate/],
    ["an HDF5 with a group where a variable belongs", () => {
      const f = parts();
      f["model.weights.h5"] = unzipSync(fixture("handback/seed-sgd-inverse-time.keras"))["model.weights.h5"]!.slice(0, 0);
      return rezip(f);
    }, /HDF5/],
  ];
  for (const [name, bytes, message] of bad) {
    it(name, () => expectRestoreRefused(fitModel(sgdCase), bytes() as Uint8Array, message));
  }

  it("a model of another architecture: count, class and shape", async () => {
    const wider = fitModel({ ...sgdCase, hidden: sgdCase.hidden + 1 });
    await expect(restoreKerasCheckpoint(wider, fixture(sgdCase.keras_file))).rejects.toThrow(/shape \[5, 9\].*of shape \[5, 8\]|float values of shape/);
    const deeper = tf.sequential({ layers: [tf.layers.dense({ units: 8, inputShape: [5] }), tf.layers.dense({ units: 8 }), tf.layers.dense({ units: 3 })] });
    await expect(restoreKerasCheckpoint(deeper, fixture(sgdCase.keras_file))).rejects.toThrow(/3 layers with weights/);
    const conv = tf.sequential({ layers: [tf.layers.dense({ units: 8, inputShape: [5] }), tf.layers.embedding({ inputDim: 8, outputDim: 3 })] });
    await expect(restoreKerasCheckpoint(conv, fixture(sgdCase.keras_file))).rejects.toThrow(/a Dense, as the file's layer dense_1/);
    for (const m of [wider, deeper, conv]) m.dispose();
  });

  it("options: h5wasm given as a module, an ArrayBuffer, and refused options", async () => {
    const h5wasm = await import("h5wasm");
    const model = fitModel(sgdCase);
    const bytes = fixture(sgdCase.keras_file);
    const optimizer = await restoreKerasCheckpoint(model, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer, { h5wasm });
    expect(optimizer.iterations).toBe(sgdCase.iterations_at_save);
    expect((await saveKerasCheckpoint(model, { h5wasm: h5wasm.default })).length).toBeGreaterThan(1000);
    await expect(restoreKerasCheckpoint(model, bytes, { h5wasm: {} })).rejects.toThrow(ScheduleTypeError);
    await expect(restoreKerasCheckpoint(model, bytes, { maxBytes: -1 })).rejects.toThrow(/maxBytes/);
    await expect(restoreKerasCheckpoint(model, bytes, { strict: true } as never)).rejects.toThrow(/one of the options maxBytes, h5wasm/);
    model.dispose();
    optimizer.dispose();
  });

  it("any corrupted byte of the weights file: restored, or a named error with the model as it was (property)", async () => {
    const model = fitModel(sgdCase);
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    const h5 = parts()["model.weights.h5"]!;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(h5.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), async (edits) => {
        const corrupted = h5.slice();
        for (const [at, value] of edits) corrupted[at] = value;
        const before = tf.memory().numTensors;
        const error = await restoreKerasCheckpoint(model, rezip({ ...parts(), "model.weights.h5": corrupted })).then(
          (optimizer) => {
            optimizer.dispose();
            return null;
          },
          (e: unknown) => e,
        );
        if (error === null) {
          model.setWeights(weights.map((w, i) => tf.tensor(w, model.weights[i]!.shape as number[])));
          return;
        }
        expect((error as Error).name, String(error)).toMatch(/^Schedule(Option|Type)Error$/);
        expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(weights);
        expect(tf.memory().numTensors).toBe(before);
      }),
      { numRuns: 150, seed: 14 },
    );
    // h5wasm still works after all that.
    expect((await restoreKerasCheckpoint(model, fixture(sgdCase.keras_file))).iterations).toBe(sgdCase.iterations_at_save);
    model.dispose();
  });

  it("a zip bomb is refused before it inflates", async () => {
    const bomb = rezip({ ...parts(), "assets/zeros.bin": new Uint8Array(2_000_000) });
    const model = fitModel(sgdCase);
    await expect(restoreKerasCheckpoint(model, bomb, { maxBytes: 1_000_000 })).rejects.toThrow(/at most 1000000 bytes once inflated/);
    model.dispose();
  });
});

describe("bad MultiOptimizer checkpoints: a named error, and the model as it was", () => {
  const c = byName("multi-sgd-adam-adamw");
  const multiParts = () => unzipSync(fixture(c.keras_file));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a config edited freely, as a hostile file could be
  const multiConfigWith = (edit: (optimizerMap: Record<string, any>) => void) => {
    const files = multiParts();
    const config = JSON.parse(new TextDecoder().decode(files["config.json"]));
    edit(config.compile_config.optimizer.config.optimizer_map.config);
    files["config.json"] = strToU8(JSON.stringify(config));
    return rezip(files);
  };
  /** The case's file with its weights file edited as a tree (h5wasm, as restoreKerasCheckpoint reads it). */
  const multiWeightsWith = async (edit: (tree: H5Group) => H5Group) => {
    const h5wasm = await loadH5wasm("test");
    const files: Record<string, Uint8Array> = multiParts();
    files["model.weights.h5"] = await writeHdf5(h5wasm, edit(await readHdf5(h5wasm, files["model.weights.h5"]!, "test", "weights")));
    return rezip(files);
  };
  const group = (tree: H5Group, path: string) => path.split("/").reduce((g, part) => g.members.get(part) as H5Group, tree);
  const refused = read<{ cases: (ResumeCase & { keras_error: string })[] }>("keras-resume-multi-refused.json").cases[0]!;

  const bad: [string, () => Uint8Array | Promise<Uint8Array>, RegExp][] = [
    // Keras's own load_model refuses it too (keras-resume-multi-refused.json holds its error).
    [`Keras's own refusal: ${refused.name} (an exact key holding the model's name routes nothing once loaded)`, () => fixture(refused.keras_file), /optimizer\/optimizers\/adam\/vars.*the 0 slots of Adam.*the 0 variables its OptimizerMap routes to it/],
    ["an inner optimizer of another class than the file's (its group's name)", () => multiConfigWith((map) => { map.optimizer_map[".*head/.*"].class_name = "Adam"; }), /the groups adam, adam_1, sgd: .*\(Adam, Adam, SGD\).*Received: .*"adam_w"/],
    ["one inner optimizer fewer than the file's", () => multiConfigWith((map) => { delete map.optimizer_map[".*head/.*"]; }), /optimizer\/optimizers.*the groups adam, sgd: one per inner optimizer/],
    ["one inner optimizer more than the file's", () => multiConfigWith((map) => { map.optimizer_map["nothing"] = { class_name: "Lion", config: {} }; }), /the groups adam, adam_w, lion, sgd/],
    ["keys that route the variables otherwise (the slots no longer fit)", () => multiConfigWith((map) => { map.optimizer_map = { ".*body/.*": map.optimizer_map[".*body/kernel"], ".*head/.*": map.optimizer_map[".*head/.*"] }; }), /adam\/vars.*the 4 slots of Adam with these options for the 2 variables its OptimizerMap routes to it by their paths in a model load_model built \(body\/kernel, body\/bias\)/],
    ["a variable two keys match", () => multiConfigWith((map) => { map.optimizer_map = { ".*/kernel": map.optimizer_map[".*body/kernel"], ".*head/.*": map.optimizer_map[".*head/.*"] }; }), /OptimizerMap: `variable` must be a name at most one key matches; ".*\/kernel" and ".*head\/.*" match it.*Received: variable="head\/kernel"/],
    ["optimizer/vars without an inner optimizer's variables", () => multiWeightsWith((tree) => {
      const vars = group(tree, "optimizer/vars");
      vars.members.delete("12");
      return tree;
    }), /optimizer\/vars` must be 13 variables: the MultiOptimizer's iterations and learning rate, then its inner optimizers' \(3 \+ 5 \+ 3\)\. Received: .*"12 variables"/],
    ["no optimizers group", () => multiWeightsWith((tree) => {
      group(tree, "optimizer").members.delete("optimizers");
      return tree;
    }), /optimizer\/optimizers.*the groups adam, adam_w, sgd/],
  ];
  for (const [name, bytes, message] of bad) {
    it(name, async () => {
      const file = await bytes();
      await expectRestoreRefused(resumeModel(c), file, message);
    });
  }

  it("the refused file is one Keras's load_model refuses for the same reason", () => {
    expect(refused.keras_error).toMatch(/Skipping variable loading for optimizer/);
  });

  for (const golden of multiCases) {
    it(`${golden.name}: the restored model's variables go to the inner optimizers Keras's load_model routes them to, by its paths, whatever their tf.js names`, async () => {
      const model = resumeModel(golden);
      const optimizer = (await restoreKerasCheckpoint(model, fixture(golden.keras_file))) as MultiOptimizer;
      const trainable = model.trainableWeights.map((w) => w.name);
      expect(trainable).not.toEqual(golden.trainable_paths);
      const map = optimizer.optimizerMap as OptimizerMap;
      const trainer = fitTrainer(golden);
      await trainer.fit(model, 1);
      const owners = await Promise.all(optimizer.optimizers.map(async (o) => (await o.getWeights()).slice(1).map((w) => w.name)));
      trainable.forEach((name, i) => {
        // Keras's path (`body/kernel`) picks the inner optimizer; the slots of the tf.js variable are that one's.
        const k = optimizer.optimizers.indexOf(map.get(golden.trainable_paths[i]!));
        owners.forEach((slots, j) => expect(slots.some((slot) => slot.startsWith(`${name}/`)), `${name} (${golden.trainable_paths[i]}) in optimizer ${j}`).toBe(j === k));
      });
      trainer.dispose();
      model.dispose();
      optimizer.dispose();
    });
  }
});
