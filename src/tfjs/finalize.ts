/**
 * The end of Keras's `fit` for tf.js's `fit`: Keras writes the optimizer's moving averages into the model's weights
 * when training ends (`finalize_variable_values`); tf.js's `fit` knows nothing of it, so this callback does it.
 */
import { Callback } from "@tensorflow/tfjs-layers";
import { ScheduleTypeError } from "../errors.js";
import { KerasOptimizer } from "./optimizer.js";

/**
 * A `model.fit` callback that ends training as Keras's `fit` does: when `fit` ends (after at least one epoch asked
 * for), it calls the optimizer's {@link KerasOptimizer.finalizeVariableValues} with the model, so that with `useEma`
 * the weights become their moving averages. Without `useEma` it changes nothing.
 *
 * Leave it out of a `fit` that training continues after (a fit of a few epochs, then save, then more): Keras's own
 * `fit` would write the averages at the end of each, which then continue from the averaged weights.
 *
 * @example
 * import { Adam, FinalizeVariableValues } from 'lr-schedules/tfjs';
 * import * as tf from '@tensorflow/tfjs';
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
 * model.compile({ optimizer: new Adam({ learningRate: 0.1, useEma: true, emaMomentum: 0.9 }), loss: 'meanSquaredError' });
 * const xs = tf.tensor2d([[1], [2], [3]]);
 * const ys = tf.tensor2d([[2], [4], [6]]);
 * await model.fit(xs, ys, { epochs: 5, verbose: 0, callbacks: [new FinalizeVariableValues()] });
 * // The model now holds the exponential moving averages of its weights, as after Keras's fit.
 * @throws {ScheduleTypeError} at the end of `fit`, when the model's optimizer is not one of lr-schedules/tfjs's.
 * @see Keras `keras.optimizers.Optimizer.finalize_variable_values`
 */
export class FinalizeVariableValues extends Callback {
  /** Calls the optimizer's `finalizeVariableValues` with the model. */
  override async onTrainEnd(): Promise<void> {
    const optimizer = this.model?.optimizer;
    if (!(optimizer instanceof KerasOptimizer)) {
      throw new ScheduleTypeError("FinalizeVariableValues", "model.optimizer", optimizer, "a Keras-faithful optimizer of lr-schedules/tfjs (compile the model with one)");
    }
    // Keras's fit finalizes only when it was asked for epochs.
    if (Number(this.params?.epochs ?? 0) > 0) optimizer.finalizeVariableValues(this.model);
  }
}
