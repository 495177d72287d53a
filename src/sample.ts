/**
 * A schedule's values over a range of steps, in bulk: the data behind every chart and table this package draws.
 */
import { ScheduleOptionError, ScheduleTypeError, ScheduleValueError } from "./errors.js";
import { checkNumber, isPlainObject } from "./options.js";
import { computesAsBuiltIn, evaluatorOf, isRate, LearningRateSchedule, MAX_STEP, scheduleTree, type ScheduleClass } from "./schedule.js";

/** Options of {@link sample}: the steps `start, start + step, ...` below `stop`. */
export interface SampleOptions {
  /** The first step: a number in [0, float32's largest], as a call accepts. @defaultValue 0 */
  start?: number;
  /** The end of the range, left out (as `range` in Python). A finite number >= `start`. */
  stop: number;
  /** The distance between two steps. A finite number > 0. @defaultValue 1 */
  step?: number;
}

/** What {@link sample} returns: `values[i]` is `schedule(steps[i])`. */
export interface Samples {
  /** The steps: `start`, `start + step`, ... below `stop`. */
  steps: Float64Array;
  /** A `Float32Array`, as Keras computes; a `Float64Array` only when some value is not a float32 (`dtype: 'float64'`). */
  values: Float32Array | Float64Array;
}

/** Limits of {@link sample}, so that a typo in a range fails with a clear error instead of exhausting memory. */
export const SAMPLE_LIMITS = Object.freeze({
  /** Steps in one call. */
  maxPoints: 50_000_000,
});

const optionNames = new Set(["start", "stop", "step"]);

/** What a call accepts as a step. */
const firstStep = { ok: (x: number) => x >= 0 && x <= MAX_STEP, expected: `a finite number in [0, ${MAX_STEP}] (float32's range, as a call accepts)` };

/**
 * Evaluates a schedule at `start, start + step, start + 2 * step, ...` up to but not including `stop`, in one loop
 * over the schedule's own formula: the steps are checked once for the whole range, each value as it is computed, and
 * nothing is allocated per step.
 * Each value equals `schedule(steps[i])` to the bit; step `i` is computed as `start + i * step`, so long ranges do
 * not drift.
 *
 * @example
 * import { InverseTimeDecay, sample } from 'lr-schedules';
 * const { steps, values } = sample(new InverseTimeDecay(0.1, 1, 0.5), { stop: 3 });
 * steps;  //=> new Float64Array([0, 1, 2])
 * values; //=> new Float32Array([0.1, 0.06666667014360428, 0.05])
 * sample(new InverseTimeDecay(0.1, 1, 0.5), { start: 0, stop: 1, step: 0.25 }).steps; //=> new Float64Array([0, 0.25, 0.5, 0.75])
 * @throws {ScheduleTypeError} `schedule` is not a schedule, `options` not an object, an option not a number.
 * @throws {ScheduleOptionError} `start` negative, `stop` before `start`, `step` not > 0, an option not finite or
 * unknown, a step above float32's largest, or more than {@link SAMPLE_LIMITS}`.maxPoints` steps.
 * @throws {ScheduleValueError} a value is NaN, infinite or negative: at the first such step, as the call throws there.
 */
export function sample(schedule: LearningRateSchedule, options: SampleOptions): Samples {
  if (!(schedule instanceof LearningRateSchedule)) {
    throw new ScheduleTypeError("sample", "schedule", schedule, "a LearningRateSchedule");
  }
  if (!isPlainObject(options)) {
    throw new ScheduleTypeError("sample", "options", options, "an object { start?, stop, step? }");
  }
  for (const key of Object.keys(options)) {
    if (!optionNames.has(key)) throw new ScheduleOptionError("sample", key, options[key as keyof SampleOptions], "one of the options start, stop, step");
  }
  const start = checkNumber(options.start ?? 0, "sample", "start", firstStep);
  const stop = checkNumber(options.stop, "sample", "stop");
  if (!(stop >= start)) throw new ScheduleOptionError("sample", "stop", stop, `a finite number >= start (${start})`);
  const step = checkNumber(options.step ?? 1, "sample", "step", "positive");
  const n = countSteps(start, stop, step);
  if (n > 0 && start + (n - 1) * step > MAX_STEP) {
    throw new ScheduleOptionError("sample", "stop", stop, `such that no step exceeds ${MAX_STEP}, float32's largest (the largest step a call accepts)`);
  }

  const steps = new Float64Array(n);
  const evaluate = evaluatorOf(schedule);
  if (isFloat32Throughout(schedule)) {
    const values = new Float32Array(n);
    const bad = fill(evaluate, start, step, steps, values);
    if (bad < n) refuse(schedule, steps[bad]!, evaluate(steps[bad]!));
    return { steps, values };
  }
  // A user's class, or dtype 'float64' anywhere: doubles, and a Float32Array still when every value turns out to be a
  // float32.
  const values = new Float64Array(n);
  let float32 = true;
  for (let i = 0; i < n; i++) {
    const s = start + i * step;
    steps[i] = s;
    const v = evaluate(s);
    if (!isRate(v)) refuse(schedule, s, v);
    values[i] = v + 0;
    float32 &&= Math.fround(v) === v;
  }
  return { steps, values: float32 ? Float32Array.from(values) : values };
}

/**
 * Writes the steps of the range and their values up to the first value that is not a rate, and returns its index (the
 * length when there is none), so that the caller throws what a call would throw there. A function of its own, with
 * everything it uses passed in, so that the loop works on locals: read from a closure's context, the loop is a fifth
 * slower. The check is written out rather than calling `isRate`, which made the loop twice as slow, and the throw is
 * left to the caller, which saves another fifth (measured on the bench's loop); a built-in's evaluator returns a
 * number, so `>=` and `<` coerce nothing.
 */
function fill(evaluate: (step: number) => number, start: number, step: number, steps: Float64Array, values: Float32Array): number {
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const s = start + i * step;
    steps[i] = s;
    const v = evaluate(s);
    if (!(v >= 0 && v < Infinity)) return i;
    // `+ 0` turns a -0 into 0, as a call does.
    values[i] = v + 0;
  }
  return n;
}

/**
 * Whether every value is a float32 by construction: a built-in schedule, and everything nested in it, computing in
 * float32 with the built-in formula. A user's class, or a subclass overriding `compute`, may compute anything, so it
 * is never one.
 */
function isFloat32Throughout(schedule: LearningRateSchedule): boolean {
  return scheduleTree(schedule).every((node) => node.dtype === "float32" && computesAsBuiltIn(node.schedule.constructor as ScheduleClass));
}

/** Throws what `schedule(step)` throws for a value that is not a rate. */
function refuse(schedule: LearningRateSchedule, step: number, value: number): never {
  throw new ScheduleValueError(schedule.className, step, value);
}

/** How many of `start + i * step` lie below `stop`, refusing a count above the limit before anything is allocated. */
function countSteps(start: number, stop: number, step: number): number {
  const span = (stop - start) / step;
  const { maxPoints } = SAMPLE_LIMITS;
  if (!(span <= maxPoints + 1)) {
    throw new ScheduleOptionError("sample", "stop", stop, `at most ${maxPoints} steps from start (${start}) by step (${step})`);
  }
  // (stop - start) / step rounds, so the count can be one off either way: settle it on the steps themselves.
  let n = Math.ceil(span);
  while (n > 0 && start + (n - 1) * step >= stop) n--;
  while (start + n * step < stop) n++;
  if (n > maxPoints) {
    throw new ScheduleOptionError("sample", "stop", stop, `at most ${maxPoints} steps from start (${start}) by step (${step})`);
  }
  return n;
}
