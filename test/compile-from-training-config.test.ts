/**
 * compileFromTrainingConfig: a model.json's training config compiles the model with a Keras-faithful optimizer. A
 * converted Keras 2 model (tfjs-converter keeps `training_config` inside `modelTopology`) then trains as Keras trained
 * (keras-fit-golden.json's seed case), and a tf.js save with includeOptimizer comes back with the same optimizer.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { CosineDecay } from "../src/index.js";
import { Adam, compileFromTrainingConfig, type KerasOptimizer } from "../src/tfjs/index.js";
import { kerasFixture } from "./support/golden.js";
import { expectContinuationMatchesKeras, fitCase, fitModel, fitTrainer } from "./support/kerasFit.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const legacy = kerasFixture<{ training_config: Record<string, unknown> }>("tf-keras-legacy-configs.json").training_config;

describe("compileFromTrainingConfig", () => {
  it("a converted Keras 2 model.json (training_config in modelTopology): SGD + InverseTimeDecay trains as Keras trained", async () => {
    const c = fitCase("seed-example-sgd-inverse-time");
    const model = fitModel(c);
    const modelJson = JSON.stringify({ format: "layers-model", modelTopology: { class_name: "Sequential", config: {}, keras_version: "2.15.0", backend: "tensorflow", training_config: legacy }, weightsManifest: [] });
    const optimizer = compileFromTrainingConfig(model, modelJson);
    expect(optimizer.getClassName()).toBe("lr-schedules>SGD");
    const trainer = fitTrainer(c);
    const history = await trainer.fit(model, c.epochs);
    expectContinuationMatchesKeras(`converted training_config, ${c.name}`, model, optimizer, history, c);
    trainer.dispose();
    model.dispose();
    optimizer.dispose();
  });

  it("a tf.js save with includeOptimizer: the same optimizer, schedule included, and the same training", async () => {
    const c = fitCase("seed-example-sgd-inverse-time");
    const original = new Adam({ learningRate: new CosineDecay({ initialLearningRate: 0.001, decaySteps: 20, warmupTarget: 0.02, warmupSteps: 4 }), amsgrad: true, clipnorm: 1 });
    const first = fitModel(c);
    first.compile({ optimizer: original, loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });
    let saved: tf.io.ModelArtifacts | undefined;
    await first.save(tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }), { includeOptimizer: true });
    const modelJson = JSON.stringify({ modelTopology: saved!.modelTopology, trainingConfig: saved!.trainingConfig });
    const second = fitModel(c);
    const optimizer = compileFromTrainingConfig(second, modelJson);
    expect(optimizer).toBeInstanceOf(Adam);
    expect(optimizer.getConfig()).toEqual(original.getConfig());
    const trainer = fitTrainer(c);
    const weights = async (m: tf.LayersModel) => {
      await trainer.fit(m, 2);
      return m.getWeights().map((w) => Array.from(w.dataSync()));
    };
    expect(await weights(second)).toEqual(await weights(first));
    trainer.dispose();
    for (const m of [first, second]) m.dispose();
    for (const o of [original, optimizer] as KerasOptimizer[]) o.dispose();
  });

  it("refuses, naming the key: no training config, several outputs, an optimizer or loss without a faithful version", () => {
    const model = fitModel(fitCase("seed-example-sgd-inverse-time"));
    const refused: [unknown, RegExp][] = [
      [{ modelTopology: { class_name: "Sequential" } }, /modelJson.*training config/],
      [{ training_config: { ...legacy, weighted_metrics: ["accuracy"] } }, /training_config\.weighted_metrics.*null/],
      [{ training_config: { ...legacy, loss: "huber" } }, /training_config\.loss/],
      [{ trainingConfig: { ...legacy, optimizer_config: { class_name: "lr-schedules>Nope", config: {} } } }, /trainingConfig\.optimizer_config\.class_name/],
      [{ training_config: { ...legacy, optimizer_config: { class_name: "LossScaleOptimizer", config: {} } } }, /LossScaleOptimizer has none/],
      ["{not json", /JSON/],
    ];
    for (const [json, message] of refused) expect(() => compileFromTrainingConfig(model, json), String(message)).toThrow(message);
    expect(model.optimizer).toBeUndefined();
    model.dispose();
  });
});
