/** Keras's float32 arithmetic on plain numbers, and the float32 bit pattern its golden values are compared by. */
import type { Ops } from "./ops.js";

const fr = Math.fround;

/**
 * The float32 `a * b + c` rounded once, for float32 `a`, `b`, `c`. The product is exact in double, so only the double
 * sum rounds; its error (TwoSum) matters only when that sum lands exactly halfway between two float32s, where
 * rounding it again would break the tie the wrong way.
 */
function fma32(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = fr(s);
  if (r === s || !Number.isFinite(r)) return r;
  const v = s - p;
  const err = p - (s - v) + (c - v);
  if (err === 0) return r;
  const other = float32Neighbour(r, s);
  return (r + other) / 2 === s && (other > r) === (err > 0) ? other : r;
}

/** The float32 next to `r` on the side of `toward`. */
function float32Neighbour(r: number, toward: number): number {
  if (r === 0) return toward > 0 ? 2 ** -149 : -(2 ** -149);
  bitsView[0] = r;
  bitsWord[0]! += (toward > r) === (r > 0) ? 1 : -1;
  return bitsView[0]!;
}

/**
 * Keras's float32 arithmetic on plain numbers: every operation is computed in double precision and rounded to the
 * nearest float32, which for +, -, *, / and floor is exactly the float32 operation.
 *
 * @example
 * import { float32Ops } from 'lr-schedules';
 * float32Ops.constant(0.1); //=> 0.10000000149011612
 */
export const float32Ops: Ops<number> = Object.freeze({
  dtype: "float32",
  constant: fr,
  add: (a: number, b: number) => fr(a + b),
  sub: (a: number, b: number) => fr(a - b),
  mul: (a: number, b: number) => fr(a * b),
  div: (a: number, b: number) => fr(a / b),
  fma: fma32,
  pow: (a: number, b: number) => fr(Math.pow(a, b)),
  floor: Math.floor,
  ceil: Math.ceil,
  cos: (a: number) => fr(Math.cos(a)),
  log: (a: number) => fr(Math.log(a)),
  minimum: Math.min,
  maximum: Math.max,
  less: (a: number, b: number) => a < b,
  lessEqual: (a: number, b: number) => a <= b,
  equal: (a: number, b: number) => a === b,
  where: (condition: boolean, a: number, b: number) => (condition ? a : b),
  cond: (condition: boolean, then: () => number, otherwise: () => number) => (condition ? then() : otherwise()),
} as const);

/**
 * The IEEE-754 float32 bit pattern of a number, as an unsigned integer: how Keras's golden values are compared.
 *
 * @example
 * import { float32Bits } from 'lr-schedules';
 * float32Bits(1); //=> 1065353216 (0x3f800000)
 */
export function float32Bits(x: number): number {
  bitsView[0] = x;
  return bitsWord[0]!;
}
const bitsView = new Float32Array(1);
const bitsWord = new Uint32Array(bitsView.buffer);
