import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { kerasFixture } from "../../test/support/golden.js";
import { fitModel, fitTrainer, type DataCase } from "../../test/support/kerasFitRun.js";
import { ScheduleOptionError, ScheduleTypeError } from "../errors.js";
import { Adam, MultiOptimizer, optimizerFromKeras, optimizerToKeras, optimizerToKerasJson, OptimizerMap, RMSprop, SGD, type KerasOptimizer, type NamedTensor } from "./index.js";

interface FitGolden extends DataCase {
  name: string;
  epochs: number;
  resume_after: number;
  keras_optimizer: unknown;
  loss: number[];
  iterations: number;
  inner_iterations: number[];
  inner_classes: string[];
  final_weights: number[][];
  resume_state: { path: string; shape: number[]; values: number[] }[];
}
interface Golden {
  fits: FitGolden[];
  keras_test: { keras_optimizer: unknown; final_weights: number[][]; iterations: number; inner_iterations: number[] };
}
const golden = kerasFixture<Golden>("keras-multi-optimizer-golden.json");

const multiOf = (json: unknown) => optimizerFromKeras(json) as MultiOptimizer;
const kerasNames = (m: MultiOptimizer) => m.optimizers.map((o) => (o.constructor as unknown as { kerasName: string }).kerasName);

function expectClose(actual: readonly number[], expected: readonly number[], tolerance = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i]!)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected[i]!))));
}

/** The case's model (layers `body` and `head`), compiled with `optimizer` as Keras compiled it. */
function compiled(c: FitGolden, optimizer: tf.Optimizer): tf.Sequential {
  const m = fitModel(c, ["body", "head"]);
  m.compile({ optimizer, loss: "sparseCategoricalCrossentropy" });
  return m;
}

const weightsOf = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

describe("MultiOptimizer against Keras 3.15.1's fit", () => {
  for (const c of golden.fits) {
    it(`model.fit with optimizerFromKeras(${c.name}) gives Keras's losses, weights and iterations`, async () => {
      const before = tf.memory().numTensors;
      const multi = multiOf(c.keras_optimizer);
      expect(kerasNames(multi)).toEqual(c.inner_classes);
      const m = compiled(c, multi);
      const trainer = fitTrainer(c);
      const history = await trainer.fit(m, c.epochs);
      expectClose(history.history.loss as number[], c.loss);
      weightsOf(m).forEach((w, i) => expectClose(w, c.final_weights[i]!));
      expect(multi.iterations).toBe(c.iterations);
      expect(multi.optimizers.map((o) => o.iterations)).toEqual(c.inner_iterations);
      trainer.dispose();
      m.dispose();
      multi.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });

    it(`getWeights after ${c.resume_after} epochs of ${c.name} holds Keras's optimizer variables, and setWeights resumes as Keras continues`, async () => {
      const trainer = fitTrainer(c);
      const first = multiOf(c.keras_optimizer);
      const m1 = compiled(c, first);
      await trainer.fit(m1, c.resume_after);
      const saved = (await first.getWeights()).map((w) => ({ name: w.name, tensor: tf.clone(w.tensor) }));
      // Keras's variables, less the learning rates it keeps in variables (a number here, in the config).
      const keras = c.resume_state.filter((v) => !v.path.endsWith("/learning_rate"));
      expect(saved.length).toBe(keras.length);
      saved.forEach((w, i) => {
        expect(w.tensor.shape).toEqual(keras[i]!.shape);
        expectClose(Array.from(w.tensor.dataSync()), keras[i]!.values);
      });
      expect(saved.map((w) => w.name.replace(/\/.*\//, "/…/"))[0]).toBe("iter");

      const second = multiOf(c.keras_optimizer);
      const m2 = compiled(c, second);
      m2.setWeights(m1.getWeights());
      await second.setWeights(saved);
      const history = await trainer.fit(m2, c.epochs - c.resume_after);
      expectClose(history.history.loss as number[], c.loss.slice(c.resume_after));
      weightsOf(m2).forEach((w, i) => expectClose(w, c.final_weights[i]!));
      expect(second.iterations).toBe(c.iterations);
      expect(second.optimizers.map((o) => o.iterations)).toEqual(c.inner_iterations);
      tf.dispose(saved.map((w) => w.tensor));
      [m1, m2].forEach((m) => m.dispose());
      [first, second].forEach((o) => o.dispose());
      trainer.dispose();
    });
  }

  it("model.save with includeOptimizer, then tf.loadLayersModel, continues as Keras continues", async () => {
    const c = golden.fits[0]!;
    const trainer = fitTrainer(c);
    const first = multiOf(c.keras_optimizer);
    const m1 = compiled(c, first);
    await trainer.fit(m1, c.resume_after);
    let saved: tf.io.ModelArtifacts | undefined;
    await m1.save(tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }), { includeOptimizer: true });
    const m2 = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    const second = m2.optimizer as MultiOptimizer;
    expect(second).toBeInstanceOf(MultiOptimizer);
    expect(second.iterations).toBe(first.iterations);
    const history = await trainer.fit(m2, c.epochs - c.resume_after);
    expectClose(history.history.loss as number[], c.loss.slice(c.resume_after));
    weightsOf(m2).forEach((w, i) => expectClose(w, c.final_weights[i]!));
    expect(second.optimizers.map((o) => o.iterations)).toEqual(c.inner_iterations);
    [m1, m2].forEach((m) => m.dispose());
    [first, second].forEach((o) => o.dispose());
    trainer.dispose();
  });

  it("multi_optimizer_test.py's test_multi_optimizer_with_model_fit: Keras's weights and iterations", async () => {
    const k = golden.keras_test;
    const multi = multiOf(k.keras_optimizer);
    const m = tf.sequential({
      layers: [
        tf.layers.dense({ units: 2, kernelInitializer: "ones", useBias: false, inputShape: [1], name: "dense_1" }),
        tf.layers.dense({ units: 1, kernelInitializer: "ones", useBias: false, name: "dense_2" }),
      ],
    });
    m.compile({ optimizer: multi, loss: "meanSquaredError" });
    const [x, y] = [tf.ones([1, 1]), tf.zeros([1, 1])];
    await m.fit(x, y, { batchSize: 1, epochs: 1, verbose: 0 });
    weightsOf(m).forEach((w, i) => expectClose(w, k.final_weights[i]!));
    expect(multi.iterations).toBe(k.iterations);
    expect(multi.optimizers.map((o) => o.iterations)).toEqual(k.inner_iterations);
    tf.dispose([x, y]);
    m.dispose();
    multi.dispose();
  });
});

describe("OptimizerMap", () => {
  const [adam, sgd, rmsprop] = [new Adam(), new SGD(), new RMSprop()];

  it("map.get(name) takes the exact key first, then the one pattern that matches the whole name, then the default", () => {
    const map = new OptimizerMap(rmsprop, { "encoder/layer_0/dense": adam, "encoder/.*": sgd, decoder: adam });
    expect(map.get("encoder/layer_0/dense")).toBe(adam);
    expect(map.get("encoder/layer_0/attention/query")).toBe(sgd);
    expect(map.get("decoder")).toBe(adam);
    expect(map.get("decoder/layer_0/dense")).toBe(rmsprop); // 'decoder' matches only the whole name
    expect(map.size).toBe(3);
  });

  it("map.get(name) throws when two patterns match the name (multi_optimizer_test.py's conflict)", () => {
    const map = new OptimizerMap(rmsprop, { ".*kernel.*": adam, ".*dense.*": sgd });
    expect(() => map.get("dense/kernel")).toThrow(ScheduleOptionError);
    expect(() => map.get("dense/kernel")).toThrow(/`variable` must be a name at most one key matches; ".\*kernel.\*" and ".\*dense.\*" match it/);
    expect(map.get("dense/bias")).toBe(sgd);
  });

  it("map.set refuses a duplicated key, a MultiOptimizer, a pattern outside the linear-time subset and a non-optimizer", () => {
    const map = new OptimizerMap(rmsprop, { "a/.*": adam });
    expect(() => map.set("a/.*", sgd)).toThrow(/`key` must be a key not already in the map/);
    expect(() => map.set("b", new MultiOptimizer(new OptimizerMap(sgd)))).toThrow(/cannot be MultiOptimizer/);
    expect(() => map.set("(a)\\1", sgd)).toThrow(ScheduleOptionError);
    expect(() => map.set("(", sgd)).toThrow(/`key` must be a JavaScript regular expression/);
    expect(() => map.set("c", {} as KerasOptimizer)).toThrow(ScheduleTypeError);
    expect(() => new OptimizerMap(undefined as unknown as KerasOptimizer)).toThrow(/`defaultOptimizer` must be a Keras-faithful optimizer/);
  });

  it("map.get(name) is RegExp's whole-name match of the one key that matches, or the exact key, or the default", () => {
    const keys = ["a.*", "b/.*", "a/b", "(ab)+", ".*c", "a|b"];
    const optimizers = keys.map(() => new SGD());
    fc.assert(fc.property(fc.subarray(keys.map((_, i) => i), { minLength: 1 }), fc.stringMatching(/^[abc/]{0,6}$/), (chosen, name) => {
      const map = new OptimizerMap(rmsprop, Object.fromEntries(chosen.map((i) => [keys[i]!, optimizers[i]!])));
      const matching = chosen.filter((i) => new RegExp(`^(?:${keys[i]})$`).test(name));
      const exact = chosen.find((i) => keys[i] === name);
      if (exact === undefined && matching.length > 1) expect(() => map.get(name)).toThrow(ScheduleOptionError);
      else expect(map.get(name)).toBe(exact !== undefined ? optimizers[exact] : matching.length ? optimizers[matching[0]!] : rmsprop);
    }));
  });

  it("map.get(name) is linear in the name's length for a pattern that backtracks in RegExp", () => {
    const map = new OptimizerMap(rmsprop, { "(a+)+b": adam });
    const start = performance.now();
    expect(map.get("a".repeat(5000))).toBe(rmsprop);
    expect(performance.now() - start).toBeLessThan(2000);
  });
});

describe("MultiOptimizer", () => {
  const json = golden.fits[1]!.keras_optimizer;

  it("optimizerToKeras(optimizerFromKeras(json)) is Keras's JSON back, and optimizerToKerasJson the same as text", () => {
    const multi = multiOf(json);
    const back = optimizerToKeras(multi);
    expect(back.class_name).toBe("MultiOptimizer");
    expect(optimizerToKeras(multiOf(back))).toEqual(back);
    expect(JSON.parse(optimizerToKerasJson(multi))).toEqual(JSON.parse(JSON.stringify(back)));
    expect(optimizerToKerasJson(multi)).toContain('"momentum": 0.5, "nesterov": true');
    const keras = golden.keras_test.keras_optimizer as { config: Record<string, unknown> };
    expect(optimizerToKeras(multiOf(keras))).toEqual(keras);
  });

  it("optimizerFromKeras refuses an unknown inner optimizer, an unknown key, a loss_scale_factor and a nested MultiOptimizer", () => {
    const map = (inner: unknown) => ({ class_name: "MultiOptimizer", config: { optimizer_map: { class_name: "OptimizerMap", config: { default_optimizer: "sgd", optimizer_map: { "a/.*": inner } } } } });
    expect(() => optimizerFromKeras(map("adamm"))).toThrow(/`json` must be the name of a Keras optimizer/);
    expect(() => optimizerFromKeras(map(map("sgd")))).toThrow(/cannot be MultiOptimizer/);
    expect(() => optimizerFromKeras({ class_name: "MultiOptimizer", config: { optimizer_map: null } })).toThrow(ScheduleTypeError);
    expect(() => optimizerFromKeras({ ...map("sgd"), config: { ...map("sgd").config, loss_scale_factor: 2 } })).toThrow(/`config.loss_scale_factor` must be null/);
    expect(() => optimizerFromKeras({ ...map("sgd"), config: { ...map("sgd").config, lr: 2 } })).toThrow(/`config.lr` must be one of the keys of Keras's MultiOptimizer/);
    expect(() => optimizerFromKeras({ class_name: "MultiOptimizer", config: { optimizer_map: { class_name: "Adam", config: {} } } })).toThrow(/must be 'OptimizerMap'/);
    expect(optimizerFromKeras(map("sgd"))).toBeInstanceOf(MultiOptimizer);
  });

  it("an update routes each variable once, a selector function too; an ambiguous name throws before any update", () => {
    const a = tf.tidy(() => tf.variable(tf.ones([2]), true, "multiTestRoute/a"));
    const b = tf.tidy(() => tf.variable(tf.ones([2]), true, "multiTestRoute/b"));
    const [fast, slow] = [new SGD(1), new SGD(0.1)];
    const selected = new MultiOptimizer((v) => (v.name.endsWith("/a") ? fast : slow));
    selected.minimize(() => tf.sum(tf.add(a, b)));
    expect(Array.from(a.dataSync())).toEqual([0, 0]);
    expectClose(Array.from(b.dataSync()), [0.9, 0.9]);
    expect(selected.optimizers).toEqual([fast, slow]);
    expect(() => optimizerToKeras(selected)).toThrow(/a selector function has no config/);

    const ambiguous = new MultiOptimizer(new OptimizerMap(new SGD(1), { ".*a": new SGD(1), "multiTestRoute/.*": new SGD(1) }));
    expect(() => ambiguous.minimize(() => tf.sum(tf.add(a, b)))).toThrow(/at most one key matches/);
    expect(Array.from(a.dataSync())).toEqual([0, 0]);
    expect(ambiguous.iterations).toBe(0);
    expect(() => selected.learningRate).toThrow(ScheduleTypeError);
    expect(() => (selected.learningRate = 0.1)).toThrow(/has no learning rate of its own/);
    [a, b].forEach((v) => v.dispose());
    [selected, ambiguous].forEach((o) => o.dispose());
  });

  it("setWeights refuses weights that do not fit and leaves every inner optimizer as it was", async () => {
    const start = tf.memory().numTensors;
    const w = tf.tidy(() => tf.variable(tf.ones([2]), true, "multiTestSet/w"));
    const v = tf.tidy(() => tf.variable(tf.ones([3]), true, "multiTestSet/v"));
    const [adam, sgd] = [new Adam(0.1), new SGD({ learningRate: 0.1, momentum: 0.9 })];
    const multi = new MultiOptimizer(new OptimizerMap(sgd, { ".*/w": adam }));
    multi.minimize(() => tf.add(tf.sum(tf.square(w)), tf.sum(tf.square(v))));
    const good = (await multi.getWeights()).map((x) => ({ name: x.name, tensor: tf.clone(x.tensor) }));
    expect(good.map((x) => x.name)).toEqual(["iter", "optimizers/0/iter", "optimizers/0/multiTestSet/w/momentum", "optimizers/0/multiTestSet/w/velocity", "optimizers/1/iter", "optimizers/1/multiTestSet/v/momentum"]);
    multi.minimize(() => tf.add(tf.sum(tf.square(w)), tf.sum(tf.square(v))));
    const state = async () => (await multi.getWeights()).map((x) => Array.from(x.tensor.dataSync()));
    const now = await state();
    const bad: NamedTensor[] = [...good.slice(0, 5), { name: "optimizers/1/multiTestSet/v/momentum", tensor: tf.zeros([4]) }];
    await expect(multi.setWeights(bad)).rejects.toThrow(/`weights\[1\]` must be a "momentum" slot of shape \[3\]/);
    expect(await state()).toEqual(now);
    expect(multi.iterations).toBe(2);
    await expect(multi.setWeights([good[0]!, { name: "optimizers/7/iter", tensor: good[1]!.tensor }])).rejects.toThrow(/optimizers\/<k>\/<name>/);
    await expect(multi.setWeights(good.slice(0, 4))).rejects.toThrow(/optimizers\/1\/iter first/);
    await multi.setWeights(good);
    expect(multi.iterations).toBe(1);
    expect(multi.optimizers.map((o) => o.iterations)).toEqual([1, 1]);
    tf.dispose([...good.map((x) => x.tensor), bad[5]!.tensor]);
    [w, v].forEach((x) => x.dispose());
    multi.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it("finalizeVariableValues writes each EMA optimizer's averages into its own variables only", () => {
    const w = tf.tidy(() => tf.variable(tf.ones([2]), true, "multiTestEma/w"));
    const v = tf.tidy(() => tf.variable(tf.ones([2]), true, "multiTestEma/v"));
    const multi = new MultiOptimizer(new OptimizerMap(new SGD(0.1), { ".*/w": new SGD({ learningRate: 0.1, useEma: true, emaMomentum: 0.5 }) }));
    multi.minimize(() => tf.add(tf.sum(w), tf.sum(v)));
    multi.minimize(() => tf.add(tf.sum(w), tf.sum(v)));
    multi.finalizeVariableValues([w, v]);
    // Keras's EMA: the first update's average is the weight, then average = 0.5 * average + 0.5 * weight.
    expectClose(Array.from(w.dataSync()), [0.85, 0.85]);
    expectClose(Array.from(v.dataSync()), [0.8, 0.8]);
    [w, v].forEach((x) => x.dispose());
    multi.dispose();
  });

  it("getConfig and fromConfig rebuild it as tf.js's loader does", () => {
    const multi = multiOf(json);
    const cls = tf.serialization.SerializationMap.getMap().classNameMap[multi.getClassName()]!;
    const copy = cls[1](cls[0], JSON.parse(JSON.stringify(multi.getConfig()))) as unknown as MultiOptimizer;
    expect(optimizerToKeras(copy)).toEqual(optimizerToKeras(multi));
  });

  it("routeByPath routes a variable by a path rather than its name, once; refuses another route, a selector and bad arguments", () => {
    const head = new Adam();
    const body = new SGD(0.1);
    const multi = new MultiOptimizer(new OptimizerMap(body, { "head/.*": head, ".*/kernel": new RMSprop() }));
    const w = tf.tidy(() => tf.variable(tf.ones([2]), true, "multiRouteTest/bias"));
    expect(multi.routeByPath(w, "head/bias")).toBe(head);
    expect(multi.routeByPath(w, "head/bias")).toBe(head); // the same route again is harmless
    expect(() => multi.routeByPath(w, "body/bias")).toThrow(/`variable` must be a variable not yet routed \(it goes to adam/);
    expect(() => multi.routeByPath(w, "head/kernel")).toThrow(/match it/);
    expect(() => multi.routeByPath({} as tf.Variable, "head/bias")).toThrow(ScheduleTypeError);
    expect(() => multi.routeByPath(w, 3 as unknown as string)).toThrow(ScheduleTypeError);
    multi.minimize(() => tf.sum(w));
    expect([head.iterations, body.iterations]).toEqual([1, 0]);
    const selected = new MultiOptimizer(() => body);
    expect(() => selected.routeByPath(w, "head/bias")).toThrow(/an OptimizerMap: a selector function has no config/);
    w.dispose();
    multi.dispose();
  });
});
