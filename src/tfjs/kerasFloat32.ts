/** The float32 arithmetic on numbers that Keras's update rules do with `ops.cast(x, "float32")`. */

/**
 * `1 - x` as Keras's update rules compute `1 - ops.cast(x, "float32")`: `x` rounded to float32, then one float32
 * subtraction. (Where Keras writes `1 - self.beta_1` on the Python float, the rule uses `this.scalar(1 - beta1)`
 * instead: the double difference, rounded once.)
 */
export function oneMinus(x: number): number {
  return Math.fround(1 - Math.fround(x));
}
