import { describe, expect, it } from "vitest";
import { type PythonError, distance, transformersFixture } from "../../test/support/transformers.js";
import { ScheduleOptionError, ScheduleTypeError } from "../index.js";
import { fromTrainingArguments } from "./index.js";

interface TrainingArgumentsCase {
  args?: Record<string, unknown>;
  json?: string;
  steps_per_epoch: number;
  num_training_steps?: number;
  num_warmup_steps?: number;
  steps?: number[];
  lr?: number[];
  error?: PythonError;
}

const cases = transformersFixture<{ training_arguments: TrainingArgumentsCase[] }>("transformers-5.18.json").training_arguments;

describe("fromTrainingArguments, against transformers 5.18.0's Trainer", () => {
  it("has every case", () => expect(cases.length).toBe(19));

  for (const c of cases.filter((c) => !c.error)) {
    it(`${c.args ? JSON.stringify(c.args) : "a whole to_json_string()"} with ${c.steps_per_epoch} batches an epoch: the Trainer's step counts and rates`, () => {
      const lr = fromTrainingArguments(c.args ?? c.json, { stepsPerEpoch: c.steps_per_epoch });
      const config = lr.getConfig();
      if ("numTrainingSteps" in config) expect(config.numTrainingSteps).toBe(c.num_training_steps);
      if ("numWarmupSteps" in config) expect(config.numWarmupSteps).toBe(c.num_warmup_steps);
      expect(distance(lr, c.steps!, c.lr!).off).toEqual([]);
    });
  }

  // transformers 5.18 refuses the key warmup_ratio; this package reads it as 4.x did (tested below).
  for (const c of cases.filter((c) => c.error && !("warmup_ratio" in c.args!))) {
    it(`${JSON.stringify(c.args)} is refused, as transformers refuses it (${c.error!.type}: ${c.error!.message})`, () => {
      expect(() => fromTrainingArguments(c.args, { stepsPerEpoch: c.steps_per_epoch })).toThrow(/^get\w+: `|^fromTrainingArguments: `/);
    });
  }

  it("reads warmup_ratio, which transformers 5 removed (5.18 raises a TypeError), as 4.x read it: used when warmup_steps is 0", () => {
    expect(cases.find((c) => c.args && "warmup_ratio" in c.args)?.error?.type).toBe("TypeError");
    expect(fromTrainingArguments({ warmup_ratio: 0.1, warmup_steps: 0, max_steps: 95 }).getConfig()).toMatchObject({ numWarmupSteps: 10 });
    expect(fromTrainingArguments({ warmup_ratio: 0.1, warmup_steps: 3, max_steps: 95 }).getConfig()).toMatchObject({ numWarmupSteps: 3 });
    expect(() => fromTrainingArguments({ warmup_ratio: 1.5, max_steps: 95 })).toThrow(/`warmup_ratio` must be a finite number in \[0, 1\]/);
  });

  it("needs the batches of an epoch unless max_steps > 0, and refuses max_steps 0", () => {
    expect(() => fromTrainingArguments({ num_train_epochs: 3 })).toThrow(new ScheduleTypeError(
      "fromTrainingArguments", "stepsPerEpoch", undefined, "an integer >= 1 when max_steps is not > 0 (the Trainer counts epochs in batches of the training data)",
    ));
    expect(() => fromTrainingArguments({ max_steps: 0 }, { stepsPerEpoch: 10 })).toThrow(/`max_steps` must be an integer > 0, or < 0 to count epochs \(0 trains no step\)/);
    expect(() => fromTrainingArguments({}, { stepsPerEpoch: 1.5 })).toThrow(/`stepsPerEpoch` must be an integer >= 1/);
    expect(() => fromTrainingArguments({}, { steps: 10 } as never)).toThrow(/`steps` must be stepsPerEpoch, the only option/);
    // Checked where max_steps leaves it unused too; found by a review, where both went through.
    expect(() => fromTrainingArguments({ max_steps: 100 }, { stepsPerEpoch: "x" } as never)).toThrow(ScheduleTypeError);
    expect(() => fromTrainingArguments({ max_steps: 100 }, { stepsPerEpoch: -5 })).toThrow(/`stepsPerEpoch` must be an integer >= 1/);
  });

  it("names num_train_epochs when its training is longer than any step count (it named another function's NaN)", () => {
    expect(() => fromTrainingArguments({ num_train_epochs: 1e308 }, { stepsPerEpoch: 10 })).toThrow(
      /`num_train_epochs` must be a finite number > 0 whose training \(10 updates an epoch\) lasts at most 2\^53 - 1 steps/,
    );
    expect(fromTrainingArguments({ num_train_epochs: 1e12 }, { stepsPerEpoch: 10 }).getConfig()).toMatchObject({ numTrainingSteps: 1e13 });
  });

  it("validates each key it reads, with a named error", () => {
    const refused: [Record<string, unknown>, RegExp, typeof ScheduleTypeError | typeof ScheduleOptionError][] = [
      [{ learning_rate: "1e-3" }, /`learning_rate` must be a finite number >= 0/, ScheduleTypeError],
      [{ learning_rate: -1 }, /learning_rate=-1/, ScheduleOptionError],
      [{ lr_scheduler_type: 3 }, /`lr_scheduler_type` must be a name of transformers' SchedulerType/, ScheduleTypeError],
      [{ lr_scheduler_type: "reduce_lr_on_plateau" }, /driven by a metric/, ScheduleOptionError],
      [{ warmup_steps: -1 }, /`warmup_steps` must be a finite number >= 0/, ScheduleOptionError],
      [{ max_steps: 1.5 }, /`max_steps` must be an integer/, ScheduleOptionError],
      [{ gradient_accumulation_steps: 0, max_steps: -1 }, /`gradient_accumulation_steps` must be an integer >= 1/, ScheduleOptionError],
      [{ num_train_epochs: 0 }, /`num_train_epochs` must be a finite number > 0/, ScheduleOptionError],
      [{ lr_scheduler_kwargs: "num_cycles=2" }, /`lr_scheduler_kwargs` must be an object/, ScheduleTypeError],
      [{ lr_scheduler_kwargs: [1] }, /`lr_scheduler_kwargs` must be an object/, ScheduleTypeError],
    ];
    for (const [args, message, kind] of refused) {
      const make = () => fromTrainingArguments(args, { stepsPerEpoch: 10 });
      expect(make, JSON.stringify(args)).toThrow(kind);
      expect(make, JSON.stringify(args)).toThrow(message);
    }
    expect(() => fromTrainingArguments("[1, 2]")).toThrow(/`json` must be a TrainingArguments JSON object/);
    expect(() => fromTrainingArguments("{")).toThrow(/`json` must be valid JSON/);
  });

  it("converts the string values of a JSON text of kwargs as TrainingArguments does", () => {
    const lr = fromTrainingArguments({ lr_scheduler_type: "warmup_stable_decay", max_steps: 100, lr_scheduler_kwargs: '{"num_decay_steps": "20", "min_lr_ratio": "0.1", "decay_type": "linear"}' });
    expect(lr.getConfig()).toMatchObject({ numDecaySteps: 20, minLrRatio: 0.1, decayType: "linear" });
  });

  it("takes TrainingArguments' defaults for absent keys: 'linear', 5e-5, 3 epochs, no warmup", () => {
    expect(fromTrainingArguments({}, { stepsPerEpoch: 7 }).getConfig()).toEqual({ numWarmupSteps: 0, numTrainingSteps: 21, learningRate: 5e-5 });
    expect(fromTrainingArguments({ learning_rate: null, lr_scheduler_kwargs: null }, { stepsPerEpoch: 7 }).getConfig()).toEqual({ numWarmupSteps: 0, numTrainingSteps: 21, learningRate: 5e-5 });
  });
});
