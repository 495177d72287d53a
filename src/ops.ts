/**
 * The arithmetic a schedule's formula is written against, once, for every kind of number: plain numbers rounded to
 * float32 after each operation (Keras's arithmetic, `float32.ts`), plain doubles (`float64.ts`), and, through
 * `lr-schedules/tfjs`, tensors.
 */
import { float32Ops } from "./float32.js";
import { float64Ops } from "./float64.js";

/**
 * The operations a formula uses, over numbers of type `T`. `B` is the type of a comparison's result: `boolean` for
 * numbers, a boolean tensor for tf.js.
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
  /** `a + b`, rounded. */
  add(a: T, b: T): T;
  /** `a - b`, rounded. */
  sub(a: T, b: T): T;
  /** `a * b`, rounded. */
  mul(a: T, b: T): T;
  /** `a / b`, rounded. */
  div(a: T, b: T): T;
  /**
   * `a * b + c` rounded once, as XLA fuses it inside the branches of Keras's `ops.cond`. Numbers round it exactly;
   * tensors may round twice.
   */
  fma(a: T, b: T, c: T): T;
  /** `a` to the power `b`, rounded. */
  pow(a: T, b: T): T;
  /** The largest whole number <= `a`. */
  floor(a: T): T;
  /** The smallest whole number >= `a`. */
  ceil(a: T): T;
  /** The cosine of `a` (radians), rounded. */
  cos(a: T): T;
  /** The natural logarithm of `a`, rounded. */
  log(a: T): T;
  /** The smaller of `a` and `b`. */
  minimum(a: T, b: T): T;
  /** The larger of `a` and `b`. */
  maximum(a: T, b: T): T;
  /** Whether `a < b`. */
  less(a: T, b: T): B;
  /** Whether `a <= b`. */
  lessEqual(a: T, b: T): B;
  /** Whether `a === b`. */
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

/** The number arithmetic for a dtype. */
export function numberOps(dtype: Dtype): Ops<number> {
  return dtype === "float64" ? float64Ops : float32Ops;
}

