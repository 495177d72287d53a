/**
 * The schedules' arithmetic on tf.js tensors: the same formulas that run on numbers run on the backend, and on the cpu
 * backend (where every float32 operation is correctly rounded) they give the number path's results to the bit.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Ops } from "../ops.js";

const f32 = (x: number): tf.Scalar => tf.scalar(x, "float32");

/** Both parts of `a + b`: the float32 sum and its exact rounding error (Knuth's TwoSum). */
function twoSum(a: tf.Tensor, b: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const s = tf.add(a, b);
  const bb = tf.sub(s, a);
  return [s, tf.add(tf.sub(a, tf.sub(s, bb)), tf.sub(b, bb))];
}

/** `a` as a sum of two float32s of 12 significant bits each, so that their products are exact (Veltkamp). */
function split(a: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const c = tf.mul(f32(4097), a);
  const high = tf.sub(c, tf.sub(c, a));
  return [high, tf.sub(a, high)];
}

/** 2^-28 where `|a|` > 2^100, else 1: a scaling, exact, under which `4097 * a` cannot overflow. */
function safeScale(a: tf.Tensor): tf.Tensor {
  return tf.where(tf.greater(tf.abs(a), f32(2 ** 100)), f32(2 ** -28), f32(1));
}

/**
 * Both parts of `a * b`: the float32 product and its exact rounding error (Dekker's TwoProduct). The error is found
 * on scaled copies of `a` and `b` and scaled back, both exact, so that huge operands do not overflow on the way.
 */
function twoProduct(a: tf.Tensor, b: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const sa = safeScale(a);
  const sb = safeScale(b);
  const as = tf.mul(a, sa);
  const bs = tf.mul(b, sb);
  const ps = tf.mul(as, bs);
  const [ah, al] = split(as);
  const [bh, bl] = split(bs);
  const es = tf.add(tf.add(tf.add(tf.sub(tf.mul(ah, bh), ps), tf.mul(ah, bl)), tf.mul(al, bh)), tf.mul(al, bl));
  return [tf.mul(a, b), tf.div(es, tf.mul(sa, sb))];
}

/**
 * `a * b + c` rounded once, from float32 operations only. The exact value is split into `r + f + e` with `r` its
 * rounding to float32 and `f`, `e` exact remainders; `r` is right unless `r + f` lies exactly halfway between two
 * float32s, where the sign of the tiny `e` picks the side (the same tie rule as the number path's fma).
 *
 * Exact while the operands and the result are 0 or of magnitude in [2^-40, 2^60], as a schedule's steps and rates
 * are; beyond, a partial product can underflow or overflow and the result may be rounded twice.
 */
function fma(a: tf.Tensor, b: tf.Tensor, c: tf.Tensor): tf.Tensor {
  const [ph, pl] = twoProduct(a, b);
  const [th, tl] = twoSum(c, ph);
  const [v, e] = twoSum(tl, pl);
  const [r, f] = twoSum(th, v);
  const twoF = tf.mul(f32(2), f);
  const other = tf.add(r, twoF);
  const tie = tf.logicalAnd(tf.notEqual(f, f32(0)), tf.equal(tf.sub(other, r), twoF));
  const beyond = tf.logicalAnd(tf.notEqual(e, f32(0)), tf.equal(tf.sign(e), tf.sign(f)));
  const fused = tf.where(tf.logicalAnd(tie, beyond), other, r);
  // Infinities and NaNs make the remainders NaN; there the plain result is the rounded one.
  const plain = tf.add(tf.mul(a, b), c);
  return tf.where(tf.isFinite(plain), fused, plain);
}

/**
 * The schedules' arithmetic on float32 tensors, for `schedule.compute(tensorOps, step)`. Constants become float32
 * scalars; `cond` computes both branches and selects, as Keras's `ops.cond` does inside a compiled function; `fma`
 * rounds once, as the number path does. Call it inside `tf.tidy`: every operation allocates a tensor.
 *
 * @example
 * import { InverseTimeDecay } from 'lr-schedules';
 * import { tensorOps } from 'lr-schedules/tfjs';
 * import * as tf from '@tensorflow/tfjs';
 * const lr = new InverseTimeDecay(0.1, 1, 0.5);
 * const rates = tf.tidy(() => lr.compute(tensorOps, tf.range(0, 4, 1, 'float32')));
 * Array.from(rates.dataSync()); //=> [0.10000000149011612, 0.06666667014360428, 0.05000000074505806, 0.03999999910593033]
 */
export const tensorOps: Ops<tf.Tensor, tf.Tensor> = Object.freeze({
  dtype: "float32",
  constant: f32,
  add: (a: tf.Tensor, b: tf.Tensor) => tf.add(a, b),
  sub: (a: tf.Tensor, b: tf.Tensor) => tf.sub(a, b),
  mul: (a: tf.Tensor, b: tf.Tensor) => tf.mul(a, b),
  div: (a: tf.Tensor, b: tf.Tensor) => tf.div(a, b),
  fma,
  pow: (a: tf.Tensor, b: tf.Tensor) => tf.pow(a, b),
  floor: (a: tf.Tensor) => tf.floor(a),
  ceil: (a: tf.Tensor) => tf.ceil(a),
  cos: (a: tf.Tensor) => tf.cos(a),
  log: (a: tf.Tensor) => tf.log(a),
  minimum: (a: tf.Tensor, b: tf.Tensor) => tf.minimum(a, b),
  maximum: (a: tf.Tensor, b: tf.Tensor) => tf.maximum(a, b),
  less: (a: tf.Tensor, b: tf.Tensor) => tf.less(a, b),
  lessEqual: (a: tf.Tensor, b: tf.Tensor) => tf.lessEqual(a, b),
  equal: (a: tf.Tensor, b: tf.Tensor) => tf.equal(a, b),
  where: (condition: tf.Tensor, a: tf.Tensor, b: tf.Tensor) => tf.where(condition, a, b),
  cond: (condition: tf.Tensor, then: () => tf.Tensor, otherwise: () => tf.Tensor) => tf.where(condition, then(), otherwise()),
} as const);
