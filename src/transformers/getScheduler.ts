/**
 * transformers' `get_scheduler(name, optimizer, num_warmup_steps, num_training_steps, scheduler_specific_kwargs)`:
 * a schedule by its `SchedulerType` name, with transformers' rules for which names need which step counts.
 */
import { ScheduleOptionError, ScheduleTypeError } from "../errors.js";
import { optionsOfKerasConfig } from "../keras/keys.js";
import { isPlainObject } from "../plainObject.js";
import type { LearningRateSchedule, ScheduleClass } from "../schedule.js";
import { closestName } from "../suggest.js";
import { ConstantSchedule } from "./getConstantSchedule.js";
import { ConstantScheduleWithWarmup } from "./getConstantScheduleWithWarmup.js";
import { CosineScheduleWithWarmup } from "./getCosineScheduleWithWarmup.js";
import { CosineWithHardRestartsScheduleWithWarmup } from "./getCosineWithHardRestartsScheduleWithWarmup.js";
import { CosineWithMinLrScheduleWithWarmup } from "./getCosineWithMinLrScheduleWithWarmup.js";
import { CosineWithMinLrScheduleWithWarmupLrRate } from "./getCosineWithMinLrScheduleWithWarmupLrRate.js";
import { InverseSqrtSchedule } from "./getInverseSqrtSchedule.js";
import { LinearScheduleWithWarmup } from "./getLinearScheduleWithWarmup.js";
import { PolynomialDecayScheduleWithWarmup } from "./getPolynomialDecayScheduleWithWarmup.js";
import { WsdSchedule } from "./getWsdSchedule.js";

/** transformers' `TYPE_TO_SCHEDULER_FUNCTION`, for the names whose schedule is a function of the step. */
const BY_NAME = {
  linear: LinearScheduleWithWarmup,
  cosine: CosineScheduleWithWarmup,
  cosine_with_restarts: CosineWithHardRestartsScheduleWithWarmup,
  polynomial: PolynomialDecayScheduleWithWarmup,
  constant: ConstantSchedule,
  constant_with_warmup: ConstantScheduleWithWarmup,
  inverse_sqrt: InverseSqrtSchedule,
  cosine_with_min_lr: CosineWithMinLrScheduleWithWarmup,
  cosine_warmup_with_min_lr: CosineWithMinLrScheduleWithWarmupLrRate,
  warmup_stable_decay: WsdSchedule,
} as const satisfies Record<string, ScheduleClass>;

/** The names of transformers' `SchedulerType` whose rate follows a metric given to `step(metric)`, not the step. */
const METRIC_DRIVEN = {
  reduce_lr_on_plateau: "torch's ReduceLROnPlateau (lr-schedules/torch has it as an object whose step(metric) returns the rate)",
  greedy: "transformers' GreedyLR",
} as const;

/** A name of transformers' `SchedulerType` (5.17), in its order. */
export type SchedulerType =
  | "linear" | "cosine" | "cosine_with_restarts" | "polynomial" | "constant" | "constant_with_warmup" | "inverse_sqrt"
  | "reduce_lr_on_plateau" | "cosine_with_min_lr" | "cosine_warmup_with_min_lr" | "warmup_stable_decay" | "greedy";

/**
 * Every name of transformers' `SchedulerType`, in its order; {@link getScheduler} takes all but the two driven by a
 * metric.
 *
 * @example
 * import { SCHEDULER_TYPES } from 'lr-schedules/transformers';
 * SCHEDULER_TYPES.length; //=> 12
 * SCHEDULER_TYPES[0]; //=> 'linear'
 */
export const SCHEDULER_TYPES: readonly SchedulerType[] = Object.freeze([
  "linear", "cosine", "cosine_with_restarts", "polynomial", "constant", "constant_with_warmup", "inverse_sqrt",
  "reduce_lr_on_plateau", "cosine_with_min_lr", "cosine_warmup_with_min_lr", "warmup_stable_decay", "greedy",
]);

/** The arguments of {@link getScheduler} after the name: transformers' `get_scheduler` arguments, and the optimizer's rate. */
export interface GetSchedulerOptions {
  /** The optimizer's rate, which transformers' lambda multiplies (its `optimizer.defaults["lr"]`). */
  learningRate: number;
  /** `num_warmup_steps`: required by every name but `'constant'`. */
  numWarmupSteps?: number | null;
  /** `num_training_steps`: required by every name but `'constant'`, `'constant_with_warmup'`, `'inverse_sqrt'`, `'warmup_stable_decay'`. */
  numTrainingSteps?: number | null;
  /** `scheduler_specific_kwargs`: the schedule's other arguments under transformers' names (`{ num_cycles: 3 }`), or this package's. */
  schedulerSpecificKwargs?: Record<string, unknown> | null;
}

const OWNER = "getScheduler";
const OPTION_NAMES = ["learningRate", "numWarmupSteps", "numTrainingSteps", "schedulerSpecificKwargs"];

/** Checks `name`: one of `SchedulerType` whose schedule is a function of the step. */
function scheduleClassNamed(name: unknown): ScheduleClass {
  const known = `one of ${SCHEDULER_TYPES.map((n) => JSON.stringify(n)).join(", ")}`;
  if (typeof name !== "string") throw new ScheduleTypeError(OWNER, "name", name, known);
  if (Object.hasOwn(METRIC_DRIVEN, name)) {
    const what = METRIC_DRIVEN[name as keyof typeof METRIC_DRIVEN];
    throw new ScheduleOptionError(OWNER, "name", name, `a schedule that is a function of the step: '${name}' is ${what}, driven by a metric, not by the step`);
  }
  if (!Object.hasOwn(BY_NAME, name)) {
    const closest = closestName(name, SCHEDULER_TYPES);
    throw new ScheduleOptionError(OWNER, "name", name, `${known}${closest ? ` (did you mean ${JSON.stringify(closest)}?)` : ""}`);
  }
  return BY_NAME[name as keyof typeof BY_NAME];
}

/**
 * The schedule transformers' `get_scheduler(name, optimizer, ...)` makes for an optimizer whose rate is
 * `learningRate`, by transformers' rules: `'constant'` takes none of the other arguments (a warmup given to it is
 * ignored, as transformers ignores it); `'constant_with_warmup'` takes only `numWarmupSteps`; `'inverse_sqrt'` takes
 * `numWarmupSteps` and the kwargs; `'warmup_stable_decay'` also takes `numTrainingSteps`, which may be null when the
 * kwargs give `num_stable_steps`; every other name requires both step counts. `schedulerSpecificKwargs` are the
 * schedule function's other arguments, under transformers' names or this package's.
 *
 * @example
 * import { getScheduler } from 'lr-schedules/transformers';
 * const lr = getScheduler('cosine', { learningRate: 1e-3, numWarmupSteps: 10, numTrainingSteps: 110 });
 * lr.className; //=> 'getCosineScheduleWithWarmup'
 * lr(10); //=> 0.001
 * lr(60); //=> 0.0005
 * getScheduler('cosine_with_restarts', { learningRate: 1e-3, numWarmupSteps: 0, numTrainingSteps: 100, schedulerSpecificKwargs: { num_cycles: 2 } })(50); //=> 0.001
 * @throws {ScheduleOptionError} a name not in `SchedulerType`, or `'reduce_lr_on_plateau'` or `'greedy'`, which follow
 * a metric rather than the step; a kwarg the schedule function does not take, or one that repeats an argument
 * `getScheduler` passes itself (transformers raises a TypeError for both); the schedule's own refusals.
 * @throws {ScheduleTypeError} a step count the name requires missing (transformers raises a ValueError); an option of
 * the wrong kind.
 */
export function getScheduler(name: SchedulerType, options: GetSchedulerOptions): LearningRateSchedule {
  const cls = scheduleClassNamed(name);
  if (!isPlainObject(options)) throw new ScheduleTypeError(OWNER, "options", options, `a plain object of ${OPTION_NAMES.join(", ")}`);
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.includes(key)) throw new ScheduleOptionError(OWNER, key, options[key], `one of the options ${OPTION_NAMES.join(", ")}`);
  }
  const { learningRate, numWarmupSteps, numTrainingSteps, schedulerSpecificKwargs: kwargs } = options as GetSchedulerOptions;
  if (name === "constant") return new cls({ learningRate });
  const required = (option: "numWarmupSteps" | "numTrainingSteps", value: unknown): unknown => {
    if (value === null || value === undefined) throw new ScheduleTypeError(OWNER, option, value, `an integer ('${name}' requires it)`);
    return value;
  };
  const given: Record<string, unknown> = { learningRate, numWarmupSteps: required("numWarmupSteps", numWarmupSteps) };
  if (name === "constant_with_warmup") return new cls(given);
  if (name === "warmup_stable_decay") given.numTrainingSteps = numTrainingSteps ?? null;
  else if (name !== "inverse_sqrt") given.numTrainingSteps = required("numTrainingSteps", numTrainingSteps);
  return new cls({ ...given, ...kwargsOf(cls, kwargs, Object.keys(given)) });
}

/** The kwargs as options of `cls`: each key one of its arguments (transformers' name or this package's), none of `given`. */
function kwargsOf(cls: ScheduleClass, kwargs: unknown, given: readonly string[]): Record<string, unknown> {
  if (kwargs === null || kwargs === undefined) return {};
  if (!isPlainObject(kwargs)) throw new ScheduleTypeError(OWNER, "schedulerSpecificKwargs", kwargs, "a plain object of the schedule's arguments, or null");
  const fields = cls.fields!;
  const own = Object.keys(fields).filter((name) => !given.includes(name));
  const options = optionsOfKerasConfig(fields, kwargs, {
    owner: OWNER,
    at: (key) => `schedulerSpecificKwargs.${key}`,
    optionNames: true,
    value: (_name, raw) => raw,
  });
  for (const [name, value] of Object.entries(options)) {
    if (given.includes(name) || !Object.hasOwn(fields, name)) {
      const key = Object.keys(kwargs).find((k) => k === name || fields[name]?.keras === k) ?? name;
      const why = given.includes(name) ? `passed by getScheduler itself` : `not an argument of ${cls.className}`;
      throw new ScheduleOptionError(OWNER, `schedulerSpecificKwargs.${key}`, value, `one of ${own.map((n) => fields[n]!.keras).join(", ")} (${key} is ${why})`);
    }
  }
  return options;
}
