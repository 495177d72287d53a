import { describe, expect, it } from "vitest";
import { type PythonError, distance, transformersFixture } from "../../test/support/transformers.js";
import { ScheduleOptionError, ScheduleTypeError } from "../index.js";
import { SCHEDULER_TYPES, getCosineScheduleWithWarmup, getScheduler, type SchedulerType } from "./index.js";

interface GetSchedulerCase {
  name: string;
  num_warmup_steps: number | null;
  num_training_steps: number | null;
  scheduler_specific_kwargs: Record<string, unknown> | null;
  base_lr: number;
  steps?: number[];
  lr?: number[];
  error?: PythonError;
}

const cases = transformersFixture<{ get_scheduler: GetSchedulerCase[] }>("transformers-5.18.json").get_scheduler;
const call = (c: GetSchedulerCase) => () =>
  getScheduler(c.name as SchedulerType, {
    learningRate: c.base_lr,
    numWarmupSteps: c.num_warmup_steps,
    numTrainingSteps: c.num_training_steps,
    schedulerSpecificKwargs: c.scheduler_specific_kwargs,
  });
const label = (c: GetSchedulerCase) =>
  `getScheduler(${JSON.stringify(c.name)}, warmup ${c.num_warmup_steps}, training ${c.num_training_steps}, kwargs ${JSON.stringify(c.scheduler_specific_kwargs)})`;

describe("getScheduler, against transformers 5.18.0's get_scheduler", () => {
  it("covers every name of SchedulerType, as transformers lists them", () => {
    expect(SCHEDULER_TYPES).toEqual([
      "linear", "cosine", "cosine_with_restarts", "polynomial", "constant", "constant_with_warmup", "inverse_sqrt",
      "reduce_lr_on_plateau", "cosine_with_min_lr", "cosine_warmup_with_min_lr", "warmup_stable_decay", "greedy",
    ]);
    expect(cases.length).toBe(26);
  });

  for (const c of cases.filter((c) => !c.error)) {
    it(`${label(c)} gives transformers' rates within 1e-12 relative`, () => {
      const { off } = distance(call(c)(), c.steps!, c.lr!);
      expect(off).toEqual([]);
    });
  }

  for (const c of cases.filter((c) => c.error)) {
    it(`${label(c)} is refused, as transformers refuses it (${c.error!.type}: ${c.error!.message})`, () => {
      expect(call(c)).toThrow(c.error!.type === "TypeError" ? ScheduleOptionError : Error);
      expect(call(c)).toThrow(/^get\w+: `/);
    });
  }

  it("names the step count a name requires, and the kwarg it does not take", () => {
    expect(() => getScheduler("linear", { learningRate: 1e-3, numTrainingSteps: 50 })).toThrow(
      new ScheduleTypeError("getScheduler", "numWarmupSteps", undefined, "an integer ('linear' requires it)"),
    );
    expect(() => getScheduler("cosine", { learningRate: 1e-3, numWarmupSteps: 5, numTrainingSteps: 50, schedulerSpecificKwargs: { num_cycle: 3 } })).toThrow(
      /^getScheduler: `schedulerSpecificKwargs.num_cycle` must be one of num_cycles \(num_cycle is not an argument of getCosineScheduleWithWarmup\)/,
    );
    expect(() => getScheduler("cosine", { learningRate: 1e-3, numWarmupSteps: 5, numTrainingSteps: 50, schedulerSpecificKwargs: { num_warmup_steps: 3 } })).toThrow(
      /`schedulerSpecificKwargs.num_warmup_steps` .*passed by getScheduler itself/,
    );
    expect(() => getScheduler("cosine", { learningRate: 1e-3, numWarmupSteps: 5, numTrainingSteps: 50, schedulerSpecificKwargs: { learning_rate: 1 } })).toThrow(
      /`schedulerSpecificKwargs.learning_rate` .*passed by getScheduler itself/,
    );
  });

  it("refuses the metric-driven names by name, saying what drives them", () => {
    for (const name of ["reduce_lr_on_plateau", "greedy"] as const) {
      expect(() => getScheduler(name, { learningRate: 0.1 })).toThrow(ScheduleOptionError);
      expect(() => getScheduler(name, { learningRate: 0.1 })).toThrow(new RegExp(`^getScheduler: \`name\` must be a schedule that is a function of the step: '${name}' is .*driven by a metric`));
    }
  });

  it("refuses an unknown name, suggesting the closest", () => {
    expect(() => getScheduler("cosin" as SchedulerType, { learningRate: 0.1 })).toThrow(/did you mean "cosine"\?/);
    expect(() => getScheduler(3 as unknown as SchedulerType, { learningRate: 0.1 })).toThrow(ScheduleTypeError);
  });

  it("reads kwargs under this package's names too, and refuses unknown options of its own", () => {
    const a = getScheduler("cosine", { learningRate: 1e-3, numWarmupSteps: 5, numTrainingSteps: 50, schedulerSpecificKwargs: { numCycles: 2 } });
    expect(a.getConfig()).toEqual(getCosineScheduleWithWarmup(5, 50, 2, { learningRate: 1e-3 }).getConfig());
    expect(() => getScheduler("cosine", { learningRate: 1e-3, numWarmupSteps: 5, numTrainingSteps: 50, warmup: 3 } as never)).toThrow(/^getScheduler: `warmup` must be one of the options/);
    expect(() => getScheduler("cosine", null as never)).toThrow(ScheduleTypeError);
    expect(() => getScheduler("cosine", { learningRate: 1e-3, numWarmupSteps: 5, numTrainingSteps: 50, schedulerSpecificKwargs: [] as never })).toThrow(ScheduleTypeError);
  });

  it("'constant' ignores a warmup and kwargs, as transformers does; 'constant_with_warmup' ignores kwargs", () => {
    const constant = getScheduler("constant", { learningRate: 0.1, numWarmupSteps: 20, numTrainingSteps: 50, schedulerSpecificKwargs: { anything: 1 } });
    expect(constant(0)).toBe(0.1);
    expect(getScheduler("constant_with_warmup", { learningRate: 0.1, numWarmupSteps: 20, schedulerSpecificKwargs: { anything: 1 } })(10)).toBe(0.05);
  });
});
