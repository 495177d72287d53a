/**
 * The arithmetic a schedule's formula is written against, once, for every kind of number: plain numbers rounded to
 * float32 after each operation (Keras's arithmetic), plain doubles, and, through `lr-schedules/tfjs`, tensors.
 *
 * `B` is the type of a comparison's result: `boolean` for numbers, a boolean tensor for tf.js.
 *
 * @example
 * import { float32Ops } from 'lr-schedules';
 * float32Ops.div(float32Ops.constant(1), float32Ops.constant(3)); //=> 0.3333333432674408 (the float32 nearest 1/3)
 */
export interface Ops<T, B = boolean> {
  /** The precision this arithmetic rounds to. */
  readonly dtype: Dtype;
  /** A number given in double precision, rounded to this arithmetic's precision. */
  constant(x: number): T;
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  div(a: T, b: T): T;
  /**
   * `a * b + c` rounded once, as XLA fuses it inside the branches of Keras's `ops.cond`. Numbers round it exactly;
   * tensors may round twice.
   */
  fma(a: T, b: T, c: T): T;
  pow(a: T, b: T): T;
  floor(a: T): T;
  ceil(a: T): T;
  cos(a: T): T;
  log(a: T): T;
  minimum(a: T, b: T): T;
  maximum(a: T, b: T): T;
  less(a: T, b: T): B;
  lessEqual(a: T, b: T): B;
  equal(a: T, b: T): B;
  /** `a` where `condition` holds, else `b`; both are already computed. */
  where(condition: B, a: T, b: T): T;
  /**
   * `then()` where `condition` holds, else `otherwise()`. Numbers compute one side only; tensors compute both and
   * select, as Keras's `ops.cond` does inside a compiled function.
   */
  cond(condition: B, then: () => T, otherwise: () => T): T;
}

/** The precision a schedule computes in: Keras's `float32` (the default), or plain doubles. */
export type Dtype = "float32" | "float64";

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

/** The number arithmetic for a dtype. */
export function numberOps(dtype: Dtype): Ops<number> {
  return dtype === "float64" ? float64Ops : float32Ops;
}

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
