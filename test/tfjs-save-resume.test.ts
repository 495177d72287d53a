/**
 * Save and resume, for every optimizer of the base's options issue and for every base option: 2 epochs,
 * `model.save(..., { includeOptimizer: true })`, `tf.loadLayersModel`, 3 more epochs gives the same weights, to the
 * bit on the cpu backend, as 5 epochs straight (on the data and model of keras-fit-golden.json's first case: 6 calls
 * per epoch). The optimizer comes back with its class, its options and schedule, its call count and every slot:
 * moments, gradient accumulators (a partial sum at the save), EMA averages.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { CosineDecay, ExponentialDecay, InverseTimeDecay, LearningRateSchedule, LinearWarmup, registerSchedule, serialize, type Ops } from "../src/index.js";
import { Adadelta, Adagrad, Adam, Adamax, AdamW, KerasOptimizer, Nadam, RMSprop, SGD } from "../src/tfjs/index.js";
import { compiledModel, fitCase, fitTrainer } from "./support/kerasFit.js";
import { expectSaveResumeExact, modelBits } from "./support/optimizerSuite.js";

const fitted = "seed-example-sgd-inverse-time";

interface Case {
  make: () => KerasOptimizer;
  /** What the optimizer needs after it is built or loaded and is not part of its config (weight-decay exclusions). */
  prepare?: (optimizer: KerasOptimizer) => void;
}

const itd = () => new InverseTimeDecay(0.05, 3, 0.5);

/**
 * A user's schedule with snake_case options, registered under a package whose name holds `_`: tf.js's loader would
 * camelCase both its keys and its `registered_name` ('my_pkg>StepDrop') if the schedule were saved as an object.
 */
class StepDrop extends LearningRateSchedule {
  static override readonly className = "StepDrop";
  constructor(readonly options: { base_rate: number; drop_every: number }) {
    super();
  }
  compute<T, B>(o: Ops<T, B>, step: T): T {
    return o.div(o.constant(this.options.base_rate), o.pow(o.constant(2), o.floor(o.div(step, o.constant(this.options.drop_every)))));
  }
  override getConfig(): Record<string, unknown> {
    return { ...this.options };
  }
}
registerSchedule(StepDrop, { package: "my_pkg" });
const cases: [string, Case][] = [
  ["SGD momentum 0.9, InverseTimeDecay", { make: () => new SGD({ learningRate: new InverseTimeDecay(0.1, 1, 0.5), momentum: 0.9 }) }],
  ["SGD nesterov, a staircase InverseTimeDecay named with an underscore", { make: () => new SGD({ learningRate: new InverseTimeDecay({ initialLearningRate: 0.2, decaySteps: 4, decayRate: 0.5, staircase: true, name: "my_itd" }), momentum: 0.8, nesterov: true }) }],
  ["Adam amsgrad, InverseTimeDecay", { make: () => new Adam({ learningRate: new InverseTimeDecay(0.03, 3, 0.5), amsgrad: true }) }],
  ["Adam amsgrad, LinearWarmup of a CosineDecay (nested schedules)", { make: () => new Adam({ learningRate: new LinearWarmup(new CosineDecay(0.03, 20, 0.1), 6), amsgrad: true }) }],
  ["SGD momentum, a registered custom schedule with snake_case options, from a package named with an underscore", { make: () => new SGD({ learningRate: new StepDrop({ base_rate: 0.1, drop_every: 4 }), momentum: 0.9 }) }],
  ["Adam, a number learning rate", { make: () => new Adam(0.02) }],
  ["RMSprop centered with momentum, ExponentialDecay", { make: () => new RMSprop({ learningRate: new ExponentialDecay(0.01, 3, 0.9), momentum: 0.9, centered: true }) }],
  ["RMSprop, a number learning rate", { make: () => new RMSprop(0.01) }],
  ["AdamW amsgrad, CosineDecay with warm-up", { make: () => new AdamW({ learningRate: new CosineDecay({ initialLearningRate: 0, decaySteps: 30, warmupTarget: 0.03, warmupSteps: 6 }), weightDecay: 0.01, amsgrad: true }) }],
  ["Adadelta, ExponentialDecay", { make: () => new Adadelta({ learningRate: new ExponentialDecay(1, 5, 0.8) }) }],
  ["Adagrad, InverseTimeDecay", { make: () => new Adagrad({ learningRate: itd(), initialAccumulatorValue: 0.2 }) }],
  ["Adamax, InverseTimeDecay", { make: () => new Adamax({ learningRate: itd() }) }],
  ["Nadam, InverseTimeDecay (u_product is saved)", { make: () => new Nadam({ learningRate: itd() }) }],
  ["weightDecay, with biases excluded by name", { make: () => new SGD({ learningRate: itd(), momentum: 0.9, weightDecay: 0.05 }), prepare: (o) => o.excludeFromWeightDecay({ varNames: ["bias"] }) }],
  ["clipnorm", { make: () => new Adam({ learningRate: itd(), clipnorm: 0.1 }) }],
  ["clipvalue", { make: () => new SGD({ learningRate: itd(), clipvalue: 0.05 }) }],
  ["globalClipnorm", { make: () => new Adam({ learningRate: itd(), globalClipnorm: 0.2 }) }],
  ["gradientAccumulationSteps 5 (saved with a partial sum of 2 calls)", { make: () => new Adam({ learningRate: itd(), gradientAccumulationSteps: 5 }) }],
  ["useEma with emaOverwriteFrequency 4", { make: () => new Adam({ learningRate: itd(), useEma: true, emaMomentum: 0.8, emaOverwriteFrequency: 4 }) }],
  ["useEma, finalized after the last epoch", { make: () => new Nadam({ learningRate: itd(), useEma: true, emaMomentum: 0.9 }) }],
  ["every option at once", { make: () => new RMSprop({ learningRate: itd(), momentum: 0.5, weightDecay: 0.01, globalClipnorm: 1, useEma: true, emaOverwriteFrequency: 7, gradientAccumulationSteps: 4 }) }],
];

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("2 epochs + save + load + 3 epochs equals 5 epochs straight, bit for bit", () => {
  for (const [name, { make, prepare }] of cases) {
    it(name, () => expectSaveResumeExact(make, fitted, prepare));
  }

  it("each case's options change the trajectory: no option here is silently ignored", async () => {
    const c = fitCase(fitted);
    const trainer = fitTrainer(c);
    const weightsAfter = async (optimizer: KerasOptimizer, prepare: (o: KerasOptimizer) => void = () => {}) => {
      prepare(optimizer);
      const m = compiledModel(c, optimizer);
      await trainer.fit(m, 2);
      optimizer.finalizeVariableValues(m);
      const out = modelBits(m);
      m.dispose();
      optimizer.dispose();
      return out;
    };
    const base = { learningRate: itd() };
    const plainSGD = await weightsAfter(new SGD({ ...base, momentum: 0.9, weightDecay: 0.05 }));
    expect(await weightsAfter(new SGD({ ...base, momentum: 0.9, weightDecay: 0.05 }), (o) => o.excludeFromWeightDecay({ varNames: ["bias"] }))).not.toEqual(plainSGD);
    const plainAdam = await weightsAfter(new Adam(base));
    for (const options of [{ clipnorm: 0.1 }, { globalClipnorm: 0.2 }, { gradientAccumulationSteps: 5 }, { useEma: true, emaMomentum: 0.8 }]) {
      expect(await weightsAfter(new Adam({ ...base, ...options }))).not.toEqual(plainAdam);
    }
    expect(await weightsAfter(new SGD({ ...base, clipvalue: 0.05 }))).not.toEqual(await weightsAfter(new SGD(base)));
    trainer.dispose();
  });

  it("the saved training config holds the optimizer's registered name and the schedule's Keras JSON, as text with `_` escaped", async () => {
    const m = compiledModel(fitCase(fitted), new SGD({ learningRate: new InverseTimeDecay(0.1, 1, 0.5), momentum: 0.9 }));
    let config: unknown;
    await m.save(
      tf.io.withSaveHandler(async (artifacts) => {
        config = artifacts.trainingConfig?.optimizer_config;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
      }),
      { includeOptimizer: true },
    );
    const text = '{"module":"keras.optimizers.schedules","class\\u005fname":"InverseTimeDecay","config":{"initial\\u005flearning\\u005frate":0.1,' +
      '"decay\\u005fsteps":1,"decay\\u005frate":0.5,"staircase":false,"name":"InverseTimeDecay"},"registered\\u005fname":null}';
    expect(config).toEqual({ class_name: "lr-schedules>SGD", config: { learningRate: text, momentum: 0.9, nesterov: false, name: "sgd" } });
    expect(JSON.parse(text)).toEqual(serialize(new InverseTimeDecay(0.1, 1, 0.5)));
    m.dispose();
  });

  it("a custom schedule's snake_case keys and `_` in its registered name survive tf.js's loader", async () => {
    const optimizer = new SGD({ learningRate: new StepDrop({ base_rate: 0.1, drop_every: 4 }) });
    const loaded = SGD.fromConfig(SGD, tfjsLoaderView(optimizer.getConfig()) as tf.serialization.ConfigDict) as SGD;
    const schedule = loaded.getConfig().learningRate as string;
    expect(JSON.parse(schedule)).toEqual({ module: "my_pkg", class_name: "StepDrop", config: { base_rate: 0.1, drop_every: 4 }, registered_name: "my_pkg>StepDrop" });
    expect(loaded.learningRate).toBe(Math.fround(0.1));
    loaded.dispose();
    optimizer.dispose();
  });
});

/** What tf.js's loader makes of a saved config: keys and strings holding `_` camelCased (its `convertPythonicToTs`). */
function tfjsLoaderView(value: unknown): unknown {
  const camel = (s: string) => (s.includes("_") ? s.replace(/_+(\w|$)/g, (_m, c: string) => c.toUpperCase()) : s);
  if (typeof value === "string") return camel(value);
  if (Array.isArray(value)) return value.map(tfjsLoaderView);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [camel(k), k === "name" && typeof v === "string" ? v : tfjsLoaderView(v)]));
  }
  return value;
}
