/**
 * The arithmetic of optax's schedules (optax/schedules/_schedule.py, 0.2.8), written once over `Ops` so that numbers
 * and tensors share it, in the order and precision jax computes it with x64 off: Python numbers (optax's arguments)
 * combine in double precision before they meet the step, and everything that involves the step is a float32
 * operation. The schedule classes of this folder compose these.
 */
import type { Ops } from "../ops.js";
import { isPlainObject } from "../plainObject.js";
import { joinPieces } from "../schedules/joinPieces.js";

/** float32's smallest normal number: XLA on CPU flushes anything smaller (a subnormal) to 0. */
const SMALLEST_NORMAL = 2 ** -126;

/**
 * A rate below float32's smallest normal number as 0, as jax computes on CPU (XLA flushes subnormals to zero): an
 * exponential decay that runs long reaches 0 there, not 1e-44.
 */
export function flushSubnormal<T, B>(o: Ops<T, B>, x: T): T {
  return o.where(o.less(x, o.constant(SMALLEST_NORMAL)), o.mul(x, o.constant(0)), x);
}

/**
 * `x ** n` for a whole `n >= 1` as jax computes it for a Python int exponent (`lax.integer_pow`): square-and-multiply,
 * each product rounded.
 */
function integerPow<T, B>(o: Ops<T, B>, x: T, n: number): T {
  let acc: T | undefined;
  let base = x;
  for (let y = n; y > 0; y = Math.floor(y / 2)) {
    if (y % 2 === 1) acc = acc === undefined ? base : o.mul(acc, base);
    if (y > 1) base = o.mul(base, base);
  }
  return acc!;
}

/**
 * Powers up to this exponent are computed as jax computes a Python int exponent; beyond, and for fractions, `pow`.
 * A JavaScript number does not say whether it was `2` or `2.0`; the two differ by an ulp at most.
 */
const INTEGER_POW_LIMIT = 64;

/** `x ** p` for a power given as a number: {@link integerPow} when `p` is a small whole number, else `pow`. */
export function power<T, B>(o: Ops<T, B>, x: T, p: number): T {
  return Number.isInteger(p) && p >= 1 && p <= INTEGER_POW_LIMIT ? integerPow(o, x, p) : o.pow(x, o.constant(p));
}

/** optax's `polynomial_schedule` (and `linear_schedule`, power 1) once its arguments are checked. */
export interface Polynomial {
  readonly initValue: number;
  readonly endValue: number;
  readonly power: number;
  readonly transitionSteps: number;
  readonly transitionBegin: number;
}

/**
 * `(initValue - endValue) * (1 - t / transitionSteps) ** power + endValue`, `t = clip(step - transitionBegin, 0,
 * transitionSteps)`; `initValue - endValue` is a Python subtraction (double), the rest float32.
 */
export function polynomial<T, B>(o: Ops<T, B>, step: T, c: Polynomial): T {
  const steps = o.constant(c.transitionSteps);
  const t = o.minimum(o.maximum(o.sub(step, o.constant(c.transitionBegin)), o.constant(0)), steps);
  const frac = o.sub(o.constant(1), o.div(t, steps));
  return flushSubnormal(o, o.add(o.mul(o.constant(c.initValue - c.endValue), power(o, frac, c.power)), o.constant(c.endValue)));
}

/** optax's `exponential_decay` once its arguments are checked. */
export interface Exponential {
  readonly initValue: number;
  readonly transitionSteps: number;
  readonly decayRate: number;
  readonly transitionBegin: number;
  readonly staircase: boolean;
  readonly endValue: number | null;
}

/**
 * `initValue * decayRate ** ((step - transitionBegin) / transitionSteps)` (the exponent floored when `staircase`),
 * `initValue` until `transitionBegin`, then bounded by `endValue`: from below when `decayRate < 1`, else from above.
 */
export function exponential<T, B>(o: Ops<T, B>, step: T, c: Exponential): T {
  const since = o.sub(step, o.constant(c.transitionBegin));
  const p = o.div(since, o.constant(c.transitionSteps));
  const init = o.constant(c.initValue);
  const decayed = o.where(o.lessEqual(since, o.constant(0)), init, flushSubnormal(o, o.mul(init, o.pow(o.constant(c.decayRate), c.staircase ? o.floor(p) : p))));
  if (c.endValue === null) return decayed;
  return c.decayRate < 1 ? o.maximum(decayed, o.constant(c.endValue)) : o.minimum(decayed, o.constant(c.endValue));
}

/** optax's `cosine_decay_schedule` once its arguments are checked. */
export interface Cosine {
  readonly initValue: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly exponent: number;
}

/**
 * `initValue * ((1 - alpha) * c ** exponent + alpha)`, `c = (1 + cos(pi * min(step, decaySteps) / decaySteps)) / 2`;
 * `1 - alpha` is a Python subtraction (double), `pi` rounds to float32 before it multiplies, and a float exponent is
 * `pow` (optax's defaults are floats: `1.0`).
 */
export function cosine<T, B>(o: Ops<T, B>, step: T, c: Cosine): T {
  const steps = o.constant(c.decaySteps);
  const angle = o.div(o.mul(o.constant(Math.PI), o.minimum(step, steps)), steps);
  const decay = o.mul(o.constant(0.5), o.add(o.constant(1), o.cos(angle)));
  const decayed = o.add(o.mul(o.constant(1 - c.alpha), o.pow(decay, o.constant(c.exponent))), o.constant(c.alpha));
  return flushSubnormal(o, o.mul(o.constant(c.initValue), decayed));
}

/**
 * A step map's entries as numbers, in ascending step order (JavaScript orders integer keys so, and Python's
 * `sorted(dict.items())` does).
 */
export function stepEntries(map: Readonly<Record<number, number>>): [step: number, value: number][] {
  return Object.entries(map).map(([k, v]) => [Number(k), v]);
}

/**
 * The arguments of a builder whose argument at `index` is an object keyed by step, as `resolveOptions` reads them: a
 * last argument whose keys are all numbers (`piecewiseConstantSchedule(1, { 100: 0.1 })`) stands in its position, not
 * as the options object (no option is named by a number), so it is followed by an empty options object.
 */
export function withStepMapAt(args: readonly unknown[], index: number): readonly unknown[] {
  const last = args[args.length - 1];
  // Keys that read as numbers (`-5` and `1.5` too, for the step check to name them) are steps, never option names.
  const stepKeys = isPlainObject(last) && Object.keys(last).length > 0 && Object.keys(last).every((k) => k.trim() !== "" && Number.isFinite(Number(k)));
  return args.length === index + 1 && stepKeys ? [...args, {}] : args;
}

/** A warmup as optax's warmup schedules give it: from `initValue` up to `peakValue` over `warmupSteps`. */
export interface Warmup {
  readonly initValue: number;
  readonly peakValue: number;
  readonly warmupSteps: number;
}

/** The `linear_schedule` optax's warmups build: from `initValue` to `peakValue` over `warmupSteps`. */
export function warmupLine(w: Warmup): Polynomial {
  return { initValue: w.initValue, endValue: w.peakValue, power: 1, transitionSteps: w.warmupSteps, transitionBegin: 0 };
}

/**
 * optax's warmup schedules: the join of {@link warmupLine} and `decay`, which sees the step counted from the end of
 * the warmup. Without warmup the line would run only before step 0 (optax makes it a constant there): `decay` alone.
 */
export function afterWarmup<T, B>(o: Ops<T, B>, step: T, w: Warmup, decay: (local: T) => T): T {
  if (w.warmupSteps === 0) return decay(step);
  const line = warmupLine(w);
  return joinPieces(o, step, [w.warmupSteps], (i, local) => (i === 0 ? polynomial(o, local, line) : decay(local)));
}
