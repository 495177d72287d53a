/**
 * Keras's gradient accumulation (`gradient_accumulation_steps` N): the calls between updates add their gradients to
 * accumulators; every N-th call updates with the mean, `(g + accumulated) / N`, and the accumulators start again at
 * 0. `iterations` then counts updates, `floor(calls / N)`.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { ScalarOf } from "./callScalars.js";

/** The number of updates applied after `calls` calls: every call, or with N steps, `floor(calls / N)`. */
export function updatesOf(calls: number, steps: number | null): number {
  return steps === null ? calls : Math.floor(calls / steps);
}

/** The gradient accumulators of an optimizer's variables (its `gradient_accumulator` slots, indexed like them). */
export class GradientAccumulation {
  readonly #steps: number;
  readonly #accumulators: readonly tf.Variable[];

  constructor(steps: number, accumulators: readonly tf.Variable[]) {
    this.#steps = steps;
    this.#accumulators = accumulators;
  }

  /**
   * Call number `calls + 1` with `gradients` for the variables at `indices`: `null` when it only adds them to the
   * accumulators, or the mean gradients of the update it completes (then call {@link reset} after the update). Call
   * it inside `tf.tidy`.
   */
  accumulate(gradients: readonly tf.Tensor[], indices: readonly number[], calls: number, scalar: ScalarOf): tf.Tensor[] | null {
    const accumulators = indices.map((i) => this.#accumulators[i]!);
    if ((calls + 1) % this.#steps !== 0) {
      gradients.forEach((g, k) => accumulators[k]!.assign(tf.add(g, accumulators[k]!)));
      return null;
    }
    const n = scalar(this.#steps);
    return gradients.map((g, k) => tf.div(tf.add(g, accumulators[k]!), n));
  }

  /** Sets every accumulator to 0. */
  reset(): void {
    tf.tidy(() => this.#accumulators.forEach((a) => a.assign(tf.zerosLike(a))));
  }
}
