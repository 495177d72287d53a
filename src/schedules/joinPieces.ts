import { ScheduleOptionError } from "../errors.js";
import { checkNesting } from "../nesting.js";
import { numberOps, type Dtype, type Ops } from "../ops.js";
import { evaluatorOf, type LearningRateSchedule } from "../schedule.js";

/** What a join of schedules is made of: Sequence's and optax's joinSchedules' options. */
export interface JoinConfig {
  schedules: readonly LearningRateSchedule[];
  boundaries: readonly number[];
  dtype: Dtype;
}

/** What a join computes, in one line, as `lr-schedules show` prints it (Sequence's and optax's joinSchedules'). */
export const JOIN_FORMULA =
  "lr = schedules[i](step - boundaries[i-1])  for boundaries[i-1] <= step < boundaries[i]  (boundaries[-1] = 0)";

/**
 * Pieces one after another, each on its own clock (optax's `join_schedules`; `Sequence`, optax's joins and
 * piecewise schedules): piece `i` runs from `boundaries[i - 1]` (strictly increasing) up to `boundaries[i]`, and
 * `run(i, s)` computes it at `s`, the step counted from where it starts (the first piece sees the step itself).
 */
export function joinPieces<T, B>(o: Ops<T, B>, step: T, boundaries: readonly number[], run: (index: number, step: T) => T): T {
  const local = (i: number) => run(i, i === 0 ? step : o.sub(step, o.constant(boundaries[i - 1]!)));
  // The schedule that runs is the first `i` with step < boundaries[i] (the last if none). Searching schedules `lo` to
  // `hi` by halves keeps the conds nested log2(n) deep, not n deep (a call stack cannot hold 10^5 frames), and a
  // number step evaluates log2(n) comparisons and one schedule.
  const among = (lo: number, hi: number): T => {
    if (lo === hi) return local(lo);
    const middle = (lo + hi) >>> 1;
    return o.cond(o.less(step, o.constant(boundaries[middle]!)), () => among(lo, middle), () => among(middle + 1, hi));
  };
  return among(0, boundaries.length);
}

/**
 * Throws (naming `owner`) unless `schedules` can be joined at `boundaries`: at least one schedule, one boundary fewer,
 * and boundaries that increase strictly once rounded as `dtype` rounds them.
 */
function checkJoin(owner: string, c: JoinConfig): void {
  const { schedules, boundaries } = c;
  if (schedules.length === 0) {
    throw new ScheduleOptionError(owner, "schedules", schedules, "a non-empty array of LearningRateSchedule instances");
  }
  if (boundaries.length !== schedules.length - 1) {
    const expected = `an array of ${schedules.length - 1} numbers, one fewer than \`schedules\` (${schedules.length})`;
    throw new ScheduleOptionError(owner, "boundaries", boundaries, expected);
  }
  const o = numberOps(c.dtype);
  for (let i = 1; i < boundaries.length; i++) {
    if (!(o.constant(boundaries[i]!) > o.constant(boundaries[i - 1]!))) {
      const previous = `boundaries[${i - 1}] = ${boundaries[i - 1]}${c.dtype === "float32" ? " once rounded to float32" : ""}`;
      const expected = `greater than ${previous}: the boundaries must increase strictly`;
      throw new ScheduleOptionError(owner, `boundaries[${i}]`, boundaries[i], expected);
    }
  }
}

/**
 * A join of schedules (Sequence, optax's joinSchedules), checked ({@link checkJoin}, and how deep it nests), as a
 * function of a number step: each schedule runs through its own number formula, so that it computes in its own dtype,
 * without the call's checks (the step it sees is never negative).
 */
export function checkedJoinFormula(owner: string, c: JoinConfig): (step: number) => number {
  checkJoin(owner, c);
  checkNesting(owner, "schedules", c.schedules);
  const o = numberOps(c.dtype);
  const formulas = c.schedules.map(evaluatorOf);
  return (step) => joinPieces(o, o.constant(step), c.boundaries, (i, s) => formulas[i]!(s));
}

/** A join of schedules over any arithmetic: each schedule's `compute`. */
export function computeJoin<T, B>(o: Ops<T, B>, step: T, c: JoinConfig): T {
  return joinPieces(o, step, c.boundaries, (i, s) => c.schedules[i]!.compute(o, s));
}
