/**
 * The scalar tensors of one `applyGradients` call: an update rule's constants and per-update numbers, one tensor per
 * distinct value, freed when the call ends, so that between updates an optimizer holds only its slots.
 */
import * as tf from "@tensorflow/tfjs-core";

/** A float32 scalar tensor of a number, valid until the end of the current `applyGradients` call. */
export type ScalarOf = (value: number) => tf.Scalar;

/** The scalars of one call, by value; {@link CallScalars.release} frees them at its end. */
export class CallScalars {
  #tensors = new Map<number, tf.Scalar>();

  /** `value` rounded to float32 (-0 is 0), as a scalar tensor kept out of any `tf.tidy` until {@link release}. */
  get(value: number): tf.Scalar {
    const key = Math.fround(value) + 0;
    let tensor = this.#tensors.get(key);
    if (!tensor) {
      tensor = tf.keep(tf.scalar(key));
      this.#tensors.set(key, tensor);
    }
    return tensor;
  }

  /** Frees every scalar of the call. */
  release(): void {
    for (const t of this.#tensors.values()) t.dispose();
    this.#tensors.clear();
  }
}
