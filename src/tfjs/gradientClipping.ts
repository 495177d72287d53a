/**
 * Keras's gradient clipping (`BaseOptimizer._clip_gradients`): one of `clipnorm` (each gradient to its own L2 norm),
 * `globalClipnorm` (all gradients together) or `clipvalue` (each element), in float32 tensor operations.
 */
import * as tf from "@tensorflow/tfjs-core";
import { ScheduleOptionError } from "../errors.js";
import type { ScalarOf } from "./callScalars.js";

/** The clipping options, `null` when off; at most one is set. */
export interface ClipOptions {
  readonly clipnorm: number | null;
  readonly clipvalue: number | null;
  readonly globalClipnorm: number | null;
}

/** The three clipping options, in the order Keras's message names them. */
const CLIP_OPTIONS = ["clipnorm", "clipvalue", "globalClipnorm"] as const;

/**
 * Refuses more than one clipping option, as Keras's `BaseOptimizer` does, naming the second one set.
 * @throws {ScheduleOptionError} two or three of them are not `null`.
 */
export function checkOneClipOption(owner: string, options: ClipOptions): void {
  const clips = CLIP_OPTIONS.filter((option) => options[option] !== null);
  if (clips.length > 1) {
    const [first, second] = clips as [keyof ClipOptions, keyof ClipOptions];
    throw new ScheduleOptionError(
      owner,
      second,
      options[second],
      `null when \`${first}\` is set: Keras takes only one of clipnorm, clipvalue and globalClipnorm`,
    );
  }
}

/**
 * The gradients clipped as `options` say (the same array when no option is set). Call it inside `tf.tidy`: the
 * clipped gradients are new tensors.
 */
export function clipGradients(gradients: tf.Tensor[], options: ClipOptions, scalar: ScalarOf): tf.Tensor[] {
  const { clipnorm, globalClipnorm, clipvalue } = options;
  if (clipnorm !== null) {
    const c = scalar(clipnorm);
    return gradients.map((g) => tf.div(tf.mul(g, c), tf.maximum(tf.sqrt(tf.sum(tf.square(g))), c)));
  }
  if (globalClipnorm !== null) {
    const norm = tf.sqrt(tf.sum(tf.stack(gradients.map((g) => tf.sum(tf.square(g))))));
    // 1 / clip is a double rounded once, 1 / norm a float32 division; the last term makes the scale NaN if norm is.
    const limited = tf.mul(scalar(globalClipnorm), tf.minimum(tf.div(scalar(1), norm), scalar(1 / globalClipnorm)));
    const scale = tf.add(limited, tf.sub(norm, norm));
    return gradients.map((g) => tf.mul(g, scale));
  }
  if (clipvalue !== null) return gradients.map((g) => tf.clipByValue(g, -clipvalue, clipvalue));
  return gradients;
}
