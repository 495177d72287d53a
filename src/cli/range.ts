/**
 * Ranges of steps: read from `--steps`, or chosen to show the whole of a schedule. No Node-only API here: the
 * playground picks its ranges with the same code.
 */
import { scaleLinear } from "d3-scale";
import { ScheduleOptionError } from "../errors.js";
import { isPlainObject, type Fields } from "../options.js";
import { sample, type Samples } from "../sample.js";
import { LearningRateSchedule, type ScheduleClass } from "../schedule.js";
import { UsageError } from "./usage.js";

/** A range of steps, `start` included and `stop` left out. */
export interface Range {
  start: number;
  stop: number;
  step: number;
}

/**
 * Reads `--steps START:STOP[:STEP]` (or just `STOP`). A missing STEP is the {@link defaultStep} that keeps at most
 * `maxPoints` points.
 */
export function parseRange(text: string, maxPoints: number): Range {
  const parts = text.split(":");
  if (parts.length > 3 || parts.some((p) => p.trim() === "")) {
    throw new UsageError(`--steps '${text}' must be START:STOP or START:STOP:STEP, such as 0:10000 or 0:10000:10`);
  }
  const numbers = parts.map((p, i) => {
    const n = Number(p.replace(/_/g, ""));
    const names = parts.length === 1 ? ["STOP"] : ["START", "STOP", "STEP"];
    if (!Number.isFinite(n)) throw new UsageError(`--steps '${text}': ${names[i]} '${p}' is not a finite number`);
    return n;
  });
  const [start, stop] = numbers.length === 1 ? [0, numbers[0]!] : [numbers[0]!, numbers[1]!];
  if (start < 0) throw new UsageError(`--steps '${text}': START (${start}) must be 0 or more`);
  if (stop < start) throw new UsageError(`--steps '${text}': STOP (${stop}) is before START (${start})`);
  if (numbers.length === 3 && !(numbers[2]! > 0)) throw new UsageError(`--steps '${text}': STEP (${numbers[2]}) must be more than 0`);
  return { start, stop, step: numbers[2] ?? defaultStep(stop - start, maxPoints) };
}

/**
 * The distance between sampled steps over `span` steps: 1, or the smallest round number (1, 2 or 5 times a power of
 * ten) that keeps at most `maxPoints` points, so that a long range draws at once and still looks the same.
 */
export function defaultStep(span: number, maxPoints: number): number {
  if (span <= maxPoints) return 1;
  const power = 10 ** Math.floor(Math.log10(span / maxPoints));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => span / s <= maxPoints)!;
}

/**
 * A range that shows the whole of every schedule, from their step options: the sum of each schedule's `...Steps`
 * options and its largest boundary, nested schedules included, plus a quarter, rounded to a nice number; sampled by
 * the {@link defaultStep} for `maxPoints`.
 */
export function defaultRange(schedules: readonly LearningRateSchedule[], maxPoints: number): Range {
  const horizon = Math.max(...schedules.map(stepsOf));
  const nice = Math.max(100, scaleLinear().domain([0, Math.ceil(horizon * 1.25)]).nice().domain()[1]!);
  // A range past the last step of every schedule (PyTorch's OneCycleLR raises past totalSteps) ends at the last one.
  // A schedule that fails otherwise (a torch scheduler without its `lr`) leaves the range as it is: sampling it over
  // the range then reports the error.
  const end = (schedule: LearningRateSchedule) => {
    try {
      return sampleDefined(schedule, { start: 0, stop: nice, step: defaultStep(nice, maxPoints) }).stop;
    } catch {
      return nice;
    }
  };
  const stop = Math.max(...schedules.map(end));
  return { start: 0, stop, step: defaultStep(stop, maxPoints) };
}

/**
 * The schedule's rates over `range`, up to where it has one: a schedule that raises past its last step (PyTorch's
 * OneCycleLR past totalSteps, as PyTorch does) is sampled before the first whole step it raises at, which is `stop`.
 */
export function sampleDefined(schedule: LearningRateSchedule, range: Range): Samples & { stop: number } {
  try {
    return { ...sample(schedule, range), stop: range.stop };
  } catch (e) {
    if (!raisesPastEnd(e)) throw e;
    const raises = (step: number) => {
      try {
        schedule(step);
        return false;
      } catch (error) {
        if (raisesPastEnd(error)) return true;
        throw error;
      }
    };
    // Its steps are a prefix of the range: bisect for the first whole step it raises at (`lo` has a rate, `hi` not).
    let [lo, hi] = [Math.ceil(range.start) - 1, Math.ceil(range.stop)];
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (raises(mid)) hi = mid;
      else lo = mid;
    }
    if (hi <= range.start) throw e;
    return { ...sample(schedule, { ...range, stop: hi }), stop: hi };
  }
}

/** Whether `e` is a schedule refusing a step past its last (not `sample` refusing a range). */
const raisesPastEnd = (e: unknown): e is ScheduleOptionError => e instanceof ScheduleOptionError && e.option === "step" && e.owner !== "sample";

function stepsOf(schedule: LearningRateSchedule): number {
  const fields = (schedule.constructor as ScheduleClass).fields;
  return fields ? stepsIn(fields, schedule.getConfig()) : 0;
}

/**
 * How far a config reaches, from its options that count steps (their constraints say so): the sum of its step
 * counts, its largest boundary (or step map key), its longest nested schedule; an option list's objects (optax's
 * sgdrSchedule) one after the other.
 */
function stepsIn(fields: Fields, config: Record<string, unknown>): number {
  let own = 0;
  let boundary = 0;
  let nested = 0;
  for (const [name, field] of Object.entries(fields)) {
    const value = config[name];
    const c = field.constraint;
    if (c?.kind === "number" && c.steps && typeof value === "number") own += value;
    if (c?.kind === "numbers" && c.steps && Array.isArray(value)) boundary = Math.max(boundary, ...value.filter((v): v is number => typeof v === "number"));
    if (c?.kind === "stepMap" && isPlainObject(value)) boundary = Math.max(boundary, ...Object.keys(value).map(Number));
    if (c?.kind === "optionList" && Array.isArray(value)) for (const v of value) if (isPlainObject(v)) own += stepsIn(c.fields, v);
    if (value instanceof LearningRateSchedule) nested = Math.max(nested, stepsOf(value));
    if (Array.isArray(value)) for (const v of value) if (v instanceof LearningRateSchedule) nested = Math.max(nested, stepsOf(v));
  }
  return own + boundary + nested;
}
