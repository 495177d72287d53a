/** Plain double-precision arithmetic: the float32 operations without the rounding. */
import { float32Ops } from "./float32.js";
import type { Ops } from "./ops.js";

/**
 * Plain double-precision arithmetic, the same operations in the same order as {@link float32Ops} without rounding.
 *
 * @example
 * import { float64Ops } from 'lr-schedules';
 * float64Ops.div(1, 3); //=> 0.3333333333333333
 */
export const float64Ops: Ops<number> = Object.freeze({
  ...float32Ops,
  dtype: "float64",
  constant: (x: number) => x,
  add: (a: number, b: number) => a + b,
  sub: (a: number, b: number) => a - b,
  mul: (a: number, b: number) => a * b,
  div: (a: number, b: number) => a / b,
  fma: (a: number, b: number, c: number) => a * b + c,
  pow: Math.pow,
  cos: Math.cos,
  log: Math.log,
} as const);

