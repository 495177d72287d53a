import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { kerasFixture } from "../../test/support/golden.js";
import { kerasFixtureTypes, numberTypes, pythonTypes } from "../../test/support/pythonJson.js";
import { Constant, CosineDecay, InverseTimeDecay, LinearWarmup, PiecewiseConstantDecay, ScheduleOptionError, ScheduleTypeError, Sequence } from "../index.js";
import { fitCases } from "../../test/support/kerasFit.js";
import { KERAS_OPTIMIZERS_ANY_CASE } from "./keras.js";
import type { KerasOptimizer, KerasOptimizerClass } from "./optimizer.js";
import * as optimizers from "./optimizerClasses.js";
import { Adadelta, Adagrad, Adam, Adamax, AdamW, Muon, optimizerFromKeras, optimizerToKeras, optimizerToKerasJson, RMSprop, ScheduleFreeAdamW, SGD } from "./index.js";

const fr = Math.fround;
type Json = Record<string, unknown>;
interface Keras3Optimizer {
  module: string;
  class_name: string;
  config: Json;
  registered_name: null;
}

const keras3 = kerasFixture<{ optimizers: Record<string, Keras3Optimizer>; compile_config: { optimizer: Keras3Optimizer } }>("keras3-configs.json");
const goldenCases = fitCases("keras-fit-optimizers-golden.json");
const keras2 = kerasFixture<{ training_config: { optimizer_config: { class_name: string; config: Json } } }>("tf-keras-legacy-configs.json");

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("optimizerFromKeras", () => {
  const classes: Record<string, unknown> = { SGD, Adam, RMSprop, Adagrad, Adamax, Adadelta };
  const entries = ["SGD", "SGD-momentum-nesterov", "Adam", "Adam-constant", "RMSprop", "Adagrad", "Adamax", "Adadelta"];

  it("the fixture has exactly these optimizer entries", () => {
    expect(Object.keys(keras3.optimizers).sort()).toEqual([...entries].sort());
  });

  for (const key of entries) {
    it(`keras3-configs.json ${key}: builds the faithful class, and optimizerToKeras writes the same JSON back`, () => {
      const json = keras3.optimizers[key]!;
      const optimizer = optimizerFromKeras(json);
      expect(optimizer.constructor).toBe(classes[json.class_name]);
      expect(optimizerToKeras(optimizer)).toEqual(json);
      expect(optimizerFromKeras(JSON.stringify(json)).getConfig()).toEqual(optimizer.getConfig());
    });
  }

  for (const c of goldenCases) {
    it(`keras-fit-optimizers-golden.json ${c.name}: Keras's JSON (base options too) is read and written back unchanged`, () => {
      const json = c.keras_optimizer as Keras3Optimizer;
      expect(optimizerToKeras(optimizerFromKeras(json))).toEqual(json);
    });
  }

  it("Keras's base options become the optimizer's", () => {
    const json = (config: Json) => ({ class_name: "AdamW", config });
    const options = {
      weight_decay: 0.01,
      clipnorm: 0.5,
      use_ema: true,
      ema_momentum: 0.9,
      ema_overwrite_frequency: 5,
      gradient_accumulation_steps: 4,
      loss_scale_factor: null,
    };
    expect(optimizerFromKeras(json(options)).getConfig()).toEqual(
      new AdamW({ weightDecay: 0.01, clipnorm: 0.5, useEma: true, emaMomentum: 0.9, emaOverwriteFrequency: 5, gradientAccumulationSteps: 4 }).getConfig(),
    );
    expect(optimizerFromKeras(json({ global_clipnorm: 1.0 })).getConfig().globalClipnorm).toBe(1);
    expect(optimizerFromKeras(json({ clipvalue: 0.1 })).getConfig().clipvalue).toBe(0.1);
  });

  it("registered_name null, missing or the class name is Keras's own class", () => {
    for (const registered_name of [null, undefined, "SGD"]) {
      expect(optimizerFromKeras({ module: "keras.optimizers", class_name: "SGD", config: { momentum: 0.5 }, registered_name })).toBeInstanceOf(SGD);
    }
  });

  it("gradient_accumulation_steps 0 and ema_overwrite_frequency 0 are off, as Keras reads them; the constructor still refuses 0", () => {
    const optimizer = optimizerFromKeras({ class_name: "Adam", config: { use_ema: true, ema_overwrite_frequency: 0, gradient_accumulation_steps: 0 } });
    expect(optimizer.getConfig()).toEqual(new Adam({ useEma: true }).getConfig());
    expect(optimizerToKeras(optimizer).config).toMatchObject({ ema_overwrite_frequency: null, gradient_accumulation_steps: null });
    expect(() => new Adam({ gradientAccumulationSteps: 0 })).toThrow(/`gradientAccumulationSteps` must be an integer >= 2, or null\. Received: gradientAccumulationSteps=0/);
    expect(() => new Adam({ useEma: true, emaOverwriteFrequency: 0 })).toThrow(/`emaOverwriteFrequency` must be an integer >= 1, or null/);
  });

  it("Keras's LossScaleOptimizer, which has no faithful version here: an error that names it, not a silent substitute", () => {
    const read = () => optimizerFromKeras({ class_name: "LossScaleOptimizer", config: {} });
    expect(read).toThrow(ScheduleOptionError);
    expect(read).toThrow(/^optimizerFromKeras: `class_name` must be one of the optimizers lr-schedules\/tfjs has a Keras-faithful version of \(SGD, Adam, .*RMSprop.*\); Keras's LossScaleOptimizer has none here yet/);
    expect(read).toThrow(/Received: class_name="LossScaleOptimizer"$/);
  });

  it("keras3-configs.json SGD-momentum-nesterov: options and schedule as Keras wrote them", () => {
    const optimizer = optimizerFromKeras(keras3.optimizers["SGD-momentum-nesterov"]);
    const expected = new SGD({ learningRate: new InverseTimeDecay({ initialLearningRate: 0.05, decaySteps: 10, decayRate: 0.96, staircase: true, name: "my_itd" }), momentum: 0.9, nesterov: true, name: "sgd_1" });
    expect(optimizer.getConfig()).toEqual(expected.getConfig());
  });

  it("keras3-configs.json Adam: CosineDecay with warmup, and Adam-constant: Keras's float32 learning rate", () => {
    const adam = optimizerFromKeras(keras3.optimizers.Adam);
    expect(adam.getConfig()).toEqual(new Adam({ learningRate: new CosineDecay({ initialLearningRate: 0.001, decaySteps: 1000, alpha: 0.1, warmupTarget: 0.01, warmupSteps: 100 }) }).getConfig());
    const constant = optimizerFromKeras(keras3.optimizers["Adam-constant"]);
    expect(constant.learningRate).toBe(fr(0.001));
    expect(constant.getConfig().name).toBe("adam_1");
  });

  it("keras3-configs.json compile_config.optimizer", () => {
    expect(optimizerToKeras(optimizerFromKeras(keras3.compile_config.optimizer))).toEqual(keras3.compile_config.optimizer);
  });

  it("tf-keras-legacy-configs.json training_config.optimizer_config (Keras 2: no module, name 'SGD', decay 0.0)", () => {
    const optimizer = optimizerFromKeras(keras2.training_config.optimizer_config);
    expect(optimizer.getConfig()).toEqual(new SGD({ learningRate: new InverseTimeDecay(0.1, 1, 0.5), name: "SGD" }).getConfig());
    expect(optimizerToKeras(optimizer)).toEqual({ ...keras3.optimizers.SGD, config: { ...keras3.optimizers.SGD!.config, name: "SGD" } });
  });

  it("Keras 2's decay > 0 becomes InverseTimeDecay(lr, 1, decay): lr / (1 + decay * iterations) in float32", () => {
    const optimizer = optimizerFromKeras({ class_name: "SGD", config: { name: "SGD", learning_rate: 0.1, decay: 0.01, momentum: 0.9, nesterov: false } });
    const w = tf.variable(tf.zeros([1]));
    for (let step = 0; step < 5; step++) {
      expect(optimizer.learningRate).toBe(fr(fr(0.1) / fr(1 + fr(fr(0.01) * step))));
      optimizer.applyGradients([{ name: w.name, tensor: tf.ones([1]) }]);
    }
    w.dispose();
    expect(() => optimizerFromKeras({ class_name: "SGD", config: { learning_rate: keras3.optimizers.SGD!.config.learning_rate, decay: 0.01 } })).toThrow(/`config\.decay` must be 0 or null when the learning rate is a schedule/);
  });

  it("Keras 2's older keys: lr for the learning rate; jit_compile and is_legacy_optimizer are ignored", () => {
    const optimizer = optimizerFromKeras({ class_name: "Adam", config: { lr: 0.01, beta_1: 0.8, jit_compile: true, is_legacy_optimizer: false } });
    expect(optimizer.getConfig()).toEqual(new Adam({ learningRate: 0.01, beta1: 0.8 }).getConfig());
  });

  describe("bad input throws an error that names the Keras key and the value", () => {
    const sgd = (config: Json) => ({ module: "keras.optimizers", class_name: "SGD", config, registered_name: null });
    const cases: [string, unknown, ErrorConstructor, RegExp][] = [
      ["a negative learning rate", sgd({ learning_rate: -0.1 }), RangeError, /`config\.learning_rate` must be a finite number >= 0\. Received: config\.learning_rate=-0\.1/],
      ["a NaN learning rate", sgd({ learning_rate: NaN }), RangeError, /config\.learning_rate=NaN/],
      ["a learning rate that is neither a number nor a schedule", sgd({ learning_rate: "0.1" }), TypeError, /`config\.learning_rate` must be a finite number >= 0 or a LearningRateSchedule\. Received: config\.learning_rate="0\.1"/],
      ["a learning rate schedule Keras does not have", sgd({ learning_rate: { class_name: "Nope", config: {} } }), RangeError, /Unknown schedule `config\.learning_rate\.class_name`: "Nope"/],
      ["a bad schedule option", sgd({ learning_rate: { class_name: "InverseTimeDecay", config: { initial_learning_rate: 0.1, decay_steps: 0, decay_rate: 1 } } }), RangeError, /config\.learning_rate\.config\.decay_steps/],
      ["momentum out of range", sgd({ momentum: 2 }), RangeError, /^optimizerFromKeras: `config\.momentum` must be a finite number in \[0, 1\]\. Received: config\.momentum=2$/],
      ["an unknown key", sgd({ momentun: 0.9 }), RangeError, /`config\.momentun` must be one of the keys of Keras's SGD: learning_rate, momentum, nesterov, weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum, ema_overwrite_frequency, gradient_accumulation_steps, name, loss_scale_factor\./],
      ["a key given twice (lr and learning_rate)", sgd({ lr: 0.1, learning_rate: 0.1 }), RangeError, /`config\.learning_rate` must be given once/],
      ["a loss_scale_factor (Keras scales the loss in its own training step)", sgd({ loss_scale_factor: 128.0 }), RangeError, /^optimizerFromKeras: `config\.loss_scale_factor` must be null: Keras multiplies the loss by it in its own training step.*Received: config\.loss_scale_factor=128$/],
      ["two clipping options", sgd({ clipnorm: 1.0, clipvalue: 0.5 }), RangeError, /^optimizerFromKeras: `config\.clipvalue` must be null when `clipnorm` is set: Keras takes only one of clipnorm, clipvalue and globalClipnorm\. Received: config\.clipvalue=0\.5$/],
      ["a clipnorm of 0 (Keras would silently not clip)", sgd({ clipnorm: 0.0 }), RangeError, /`config\.clipnorm` must be a finite number > 0, or null\. Received: config\.clipnorm=0/],
      ["gradient_accumulation_steps of 1", sgd({ gradient_accumulation_steps: 1 }), RangeError, /`config\.gradient_accumulation_steps` must be an integer >= 2, or null\. Received: config\.gradient_accumulation_steps=1/],
      ["gradient_accumulation_steps not an integer", sgd({ gradient_accumulation_steps: 2.5 }), RangeError, /config\.gradient_accumulation_steps=2\.5/],
      ["ema_momentum above 1", sgd({ use_ema: true, ema_momentum: 1.5 }), RangeError, /`config\.ema_momentum` must be a finite number in \[0, 1\]\. Received: config\.ema_momentum=1\.5/],
      ["ema_overwrite_frequency of -1", sgd({ use_ema: true, ema_overwrite_frequency: -1 }), RangeError, /`config\.ema_overwrite_frequency` must be an integer >= 1, or null/],
      ["a registered_name of another package", { module: "evil", class_name: "SGD", config: {}, registered_name: "evil>SGD" }, RangeError, /^optimizerFromKeras: `registered_name` must be null or "SGD": Keras's own SGD, not a class registered by another package\. Received: registered_name="evil>SGD"$/],
      ["a registered_name naming another class", { class_name: "SGD", config: {}, registered_name: "Adam" }, RangeError, /`registered_name` must be null or "SGD"/],
      ["a negative weight_decay", sgd({ weight_decay: -0.1 }), RangeError, /`config\.weight_decay` must be a finite number >= 0, or null\. Received: config\.weight_decay=-0\.1/],
      ["AdamW's weight_decay null (Keras refuses it too)", { class_name: "AdamW", config: { weight_decay: null } }, TypeError, /`config\.weight_decay` must be a finite number >= 0\. Received: config\.weight_decay=null/],
      ["use_ema not a boolean", sgd({ use_ema: 1 }), TypeError, /`config\.use_ema` must be a boolean/],
      ["an unknown optimizer", { class_name: "Sgdd", config: {} }, RangeError, /`class_name` must be the name of a Keras optimizer with a Keras-faithful version here: .*SGD.*Adam.*RMSprop.*\. Received: class_name="Sgdd"/],
      ["an unknown envelope key", { class_name: "SGD", config: {}, extra: 1 }, RangeError, /`extra` must be one of the keys module, class_name, config, registered_name/],
      ["no class_name", { config: {} }, TypeError, /`class_name` must be a string\. Received: class_name=undefined/],
      ["a config that is not an object", { class_name: "SGD", config: [] }, TypeError, /`config` must be an object of the optimizer's options, or null/],
      ["not an object", [1, 2], TypeError, /`json` must be a Keras optimizer object/],
      ["text that is not JSON", "{class_name: SGD}", TypeError, /`json` must be valid JSON/],
      ["a __proto__ key", '{"class_name": "SGD", "config": {"__proto__": {"momentum": 0.5}}}', RangeError, /`json\.config\.__proto__` must be absent/],
      ["input nested too deep", JSON.parse("[".repeat(100) + "]".repeat(100)), RangeError, /nested at most 64 deep/],
    ];
    for (const [what, json, kind, message] of cases) {
      it(what, () => {
        const read = () => optimizerFromKeras(json);
        expect(read).toThrow(kind);
        expect(read).toThrow(message);
      });
    }
  });
});

describe("optimizerFromKeras reads Keras's names, as keras.optimizers.get does", () => {
  const faithful = Object.values(optimizers) as unknown as (KerasOptimizerClass & (new () => KerasOptimizer))[];

  it("a name in any case builds the optimizer with Keras's defaults; so does a class_name so spelled, with or without a config", () => {
    // A MultiOptimizer has no defaults: it needs its map (below).
    for (const cls of faithful.filter((c) => KERAS_OPTIMIZERS_ANY_CASE.includes(c.kerasName) && c.kerasName !== "MultiOptimizer")) {
      const defaults = new cls().getConfig();
      const name = cls.kerasName;
      for (const spelling of [name, name.toLowerCase(), name.toUpperCase()]) {
        for (const identifier of [spelling, { class_name: spelling, config: {} }, { class_name: spelling }, { class_name: spelling, config: null }]) {
          const optimizer = optimizerFromKeras(identifier);
          expect(optimizer).toBeInstanceOf(cls);
          expect(optimizer.getConfig()).toEqual(defaults);
        }
      }
    }
    expect(optimizerFromKeras({ module: "keras.optimizers", class_name: "sgd", config: { momentum: 0.5 }, registered_name: "SGD" }).getConfig()).toEqual(new SGD({ momentum: 0.5 }).getConfig());
    expect(optimizerFromKeras("rmsprop")).toBeInstanceOf(RMSprop);
    expect(optimizerFromKeras("adamw")).toBeInstanceOf(AdamW);
  });

  it("Lamb, and any class outside Keras's table of lowercase names, only by its class name, as Keras", () => {
    const exact = faithful.map((c) => c.kerasName).filter((name) => !KERAS_OPTIMIZERS_ANY_CASE.includes(name));
    expect(exact).toContain("Lamb");
    const except = `except ${exact.join(", ")}: Keras finds ${exact.length > 1 ? "these" : "it"} by the exact class name only\\)`;
    for (const name of exact) {
      expect(optimizerFromKeras(name).getClassName()).toBe(`lr-schedules>${name}`);
      expect(() => optimizerFromKeras(name.toLowerCase())).toThrow(new RegExp(`${except}\\. Received: json="${name.toLowerCase()}"`));
    }
  });

  it("text that starts with { after whitespace is JSON; any other string is a name", () => {
    expect(optimizerFromKeras(' \n\t{"class_name": "adam", "config": {"amsgrad": true}}').getConfig().amsgrad).toBe(true);
    expect(() => optimizerFromKeras('"adam"')).toThrow(/`json` must be the name of a Keras optimizer.*Received: json="\\"adam\\""/);
    expect(() => optimizerFromKeras(" adam")).toThrow(ScheduleOptionError);
  });

  it("an unknown name is a named error listing the known ones; Keras's names without a faithful version here say so", () => {
    for (const identifier of ["adamm", { class_name: "adamm", config: {} }]) {
      const read = () => optimizerFromKeras(identifier);
      expect(read).toThrow(ScheduleOptionError);
      for (const cls of faithful) expect(read).toThrow(new RegExp(`\\b${cls.kerasName}\\b`));
    }
    for (const name of ["lossscaleoptimizer", "optimizer"]) {
      expect(() => optimizerFromKeras(name)).toThrow(/has none here yet/);
    }
    // Keras's MultiOptimizer needs its optimizer_map, by name as in Keras's `get`.
    expect(() => optimizerFromKeras("multioptimizer")).toThrow(/`optimizerMap` must be an OptimizerMap/);
    expect(() => optimizerFromKeras({ class_name: "MultiOptimizer", config: {} })).toThrow(/config.optimizer_map/);
  });
});

describe("optimizerToKeras and optimizerToKerasJson", () => {
  it("optimizerToKerasJson writes counts as Python ints, where Keras refuses a float (range(5.0))", () => {
    const sgd = optimizerToKerasJson(new SGD({ learningRate: 1, gradientAccumulationSteps: 3, useEma: true, emaOverwriteFrequency: 5 }));
    expect(sgd).toContain('"gradient_accumulation_steps": 3,');
    expect(sgd).toContain('"ema_overwrite_frequency": 5,');
    expect(sgd).toContain('"learning_rate": 1.0,');
    expect(optimizerToKerasJson(new Muon())).toContain('"ns_steps": 5,');
    expect(optimizerToKerasJson(new ScheduleFreeAdamW({ warmupSteps: 4 }))).toMatch(/"warmup_steps": 4[,}]/);
  });

  it("write every base key of Keras's get_config in Keras's order, then the optimizer's own", () => {
    const json = optimizerToKeras(new Adam({ learningRate: 0.01, amsgrad: true }));
    expect(Object.keys(json)).toEqual(["module", "class_name", "config", "registered_name"]);
    expect(Object.keys(json.config)).toEqual(Object.keys(keras3.optimizers.Adam!.config));
    expect(json.config.learning_rate).toBe(fr(0.01));
  });

  it("optimizerToKerasJson writes whole numbers that Keras reads as floats with a decimal point", () => {
    const optimizer = new SGD(1);
    const text = optimizerToKerasJson(optimizer);
    expect(text).toContain('"learning_rate": 1.0');
    expect(text).toContain('"momentum": 0.0');
    expect(text).toContain('"ema_momentum": 0.99');
    expect(text).toContain('"weight_decay": null');
    expect(JSON.parse(text)).toEqual(optimizerToKeras(optimizer));
    const scheduled = new SGD({ learningRate: new InverseTimeDecay(0.1, 1, 0.5), momentum: 0.9 });
    expect(JSON.parse(optimizerToKerasJson(scheduled))).toEqual(optimizerToKeras(scheduled));
    expect(optimizerFromKeras(optimizerToKerasJson(scheduled)).getConfig()).toEqual(scheduled.getConfig());
  });

  it("optimizerToKerasJson writes Python floats throughout the schedule's JSON: Keras computes in int32 from an int initial_learning_rate", () => {
    const text = optimizerToKerasJson(new SGD({ learningRate: new InverseTimeDecay(1, 10, 0.5) }));
    expect(text).toContain('"initial_learning_rate": 1.0');
    expect(text).toContain('"decay_steps": 10,');
    expect(text).toContain('"decay_rate": 0.5');
    expect(text).toContain('"staircase": false');
    expect(text).toContain('"registered_name": null');
  });

  it("optimizerToKerasJson writes floats in nested schedules and arrays too, step counts as ints, and reads back as the same optimizer", () => {
    const nested = new Sequence([new LinearWarmup(new CosineDecay(2, 100), 10), new PiecewiseConstantDecay([5, 20], [1, 2, 3])], [110]);
    const optimizer = new Adam({ learningRate: nested, gradientAccumulationSteps: 2 });
    const text = optimizerToKerasJson(optimizer);
    expect(text).toContain('"initial_learning_rate": 2.0, "decay_steps": 100,');
    expect(text).toContain('"warmup_steps": 10,');
    expect(text).toContain('"boundaries": [5, 20], "values": [1.0, 2.0, 3.0]');
    expect(text).toContain('"boundaries": [110]');
    expect(text).toContain('"gradient_accumulation_steps": 2,');
    const ints = [...text.matchAll(/"(\w+)": (?:\[[\d, ]*\]|\d+)[,}]/g)].map((m) => m[1]);
    expect(ints.sort()).toEqual(["boundaries", "boundaries", "decay_steps", "gradient_accumulation_steps", "warmup_steps", "warmup_steps"]);
    expect(JSON.parse(text)).toEqual(optimizerToKeras(optimizer));
    expect(optimizerFromKeras(text).getConfig()).toEqual(optimizer.getConfig());
  });

  it("optimizerToKerasJson writes what Keras cannot read as it is (documented): dtype float64, this library's classes", () => {
    const text = optimizerToKerasJson(new SGD({ learningRate: new LinearWarmup(new Constant({ value: 1, dtype: "float64" }), 4) }));
    expect(text).toContain('"dtype": "float64"');
    expect(text).toContain('"registered_name": "lr-schedules>LinearWarmup"');
  });

  it("optimizerToKerasJson writes Keras's own optimizer configs back with the types Keras wrote (decay_steps: 1.0 comes back 1)", () => {
    const keras = numberTypes(kerasFixtureTypes("keras3-configs.json"));
    const differences: string[] = [];
    let compared = 0;
    for (const [name, json] of Object.entries(keras3.optimizers)) {
      const ours = numberTypes(pythonTypes(optimizerToKerasJson(optimizerFromKeras(json))), `optimizers.${name}`);
      for (const [path, type] of keras) {
        if (!path.startsWith(`optimizers.${name}.`)) continue;
        compared++;
        if (ours.get(path) !== type) differences.push(`${path.replace(/^.*\.config\./, "")}: ${type} -> ${ours.get(path)}`);
      }
    }
    expect(compared).toBeGreaterThan(50);
    expect(differences).toEqual(["decay_steps: float -> int"]);
  });

  it("refuses what is not a faithful optimizer", () => {
    expect(() => optimizerToKeras(tf.train.sgd(0.1) as never)).toThrow(ScheduleTypeError);
    expect(() => optimizerToKeras(tf.train.sgd(0.1) as never)).toThrow(/`optimizer` must be a Keras-faithful optimizer of lr-schedules\/tfjs/);
  });
});
