/**
 * A schedule's values over a range of steps, in bulk: the data behind every chart and table this package draws.
 */
import { ScheduleOptionError, ScheduleTypeError, ScheduleValueError } from "./errors.js";
import { checkNumber, isPlainObject } from "./options.js";
import { formulaOf, isRate, LearningRateSchedule, scheduleTree } from "./schedule.js";

/** Options of {@link sample}: the steps `start, start + step, ...` below `stop`. */
export interface SampleOptions {
  /** The first step. A finite number >= 0. @defaultValue 0 */
  start?: number;
  /** The end of the range, left out (as `range` in Python). A finite number >= `start`. */
  stop: number;
  /** The distance between two steps. A finite number > 0. @defaultValue 1 */
  step?: number;
}

/** What {@link sample} returns: `values[i]` is `schedule(steps[i])`. */
export interface Samples {
  steps: Float64Array;
  /** A `Float32Array`, as Keras computes; a `Float64Array` only when some value is not a float32 (`dtype: 'float64'`). */
  values: Float32Array | Float64Array;
}

/** Limits of {@link sample}, so that a typo in a range fails with a clear error instead of exhausting memory. */
export const SAMPLE_LIMITS = Object.freeze({ maxPoints: 50_000_000 });

const optionNames = new Set(["start", "stop", "step"]);

/**
 * Evaluates a schedule at `start, start + step, start + 2 * step, ...` up to but not including `stop`, in one loop
 * over the schedule's own formula: the steps are checked once for the whole range, and nothing is allocated per step.
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
 * unknown, or more than {@link SAMPLE_LIMITS}`.maxPoints` steps.
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
  const start = checkNumber(options.start ?? 0, "sample", "start", "nonNegative");
  const stop = checkNumber(options.stop, "sample", "stop");
  if (!(stop >= start)) throw new ScheduleOptionError("sample", "stop", stop, `a finite number >= start (${start})`);
  const step = checkNumber(options.step ?? 1, "sample", "step", "positive");
  const n = countSteps(start, stop, step);

  const steps = new Float64Array(n);
  const formula = formulaOf(schedule);
  if (isFloat32Throughout(schedule)) {
    const values = new Float32Array(n);
    // The check that no value is NaN, infinite or negative costs one OR per value: such a float32 has its sign bit or
    // all its exponent bits set, so the OR of every bit pattern has them too. Only then (or for rates of 1 and 2
    // together, which also set them) are the values checked one by one.
    const bits = new Int32Array(values.buffer);
    let any = 0;
    for (let i = 0; i < n; i++) {
      const s = start + i * step;
      steps[i] = s;
      values[i] = formula(s);
      any |= bits[i]!;
    }
    if (any < 0 || (any & 0x7f800000) === 0x7f800000) values.forEach((v, i) => isRate(v) || refuse(schedule, steps[i]!, v));
    return { steps, values };
  }
  const values = new Float64Array(n);
  let float32 = true;
  for (let i = 0; i < n; i++) {
    const s = start + i * step;
    steps[i] = s;
    const v = formula(s);
    if (!isRate(v)) refuse(schedule, s, v);
    values[i] = v;
    float32 &&= Math.fround(v) === v;
  }
  return { steps, values: float32 ? Float32Array.from(values) : values };
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

/**
 * Whether every value is a float32 by construction: a built-in schedule, and everything nested in it, computing in
 * float32. A user's own class or `dtype: 'float64'` anywhere goes through the Float64Array path, which still returns
 * a Float32Array when every value turns out to be one.
 */
function isFloat32Throughout(schedule: LearningRateSchedule): boolean {
  return scheduleTree(schedule).every(({ dtype }) => dtype === "float32");
}
