/**
 * Keras's exponential moving average of the weights (`use_ema`): after each `applyGradients` call every variable's
 * average moves towards it, the averages may overwrite the variables every few updates, and
 * `finalize_variable_values` writes them into the variables at the end.
 */
import * as tf from "@tensorflow/tfjs-core";
import { ScheduleOptionError, ScheduleTypeError } from "../errors.js";
import type { ScalarOf } from "./callScalars.js";
import { oneMinus } from "./kerasFloat32.js";

/** What {@link KerasOptimizer.finalizeVariableValues} takes: a model (its trainable weights) or variables. */
export type VariablesOrModel =
  | readonly tf.Variable[]
  | {
      /** A model's (or a layer's) trainable weights. */
      readonly trainableWeights: readonly {
        /** The variable behind the weight. */
        read(): tf.Tensor;
      }[];
    };

/**
 * The variables of `target`: the array itself, or a model's trainable weights.
 * @throws {ScheduleTypeError} `target` is neither.
 */
export function variablesOf(owner: string, target: VariablesOrModel): tf.Variable[] {
  if (Array.isArray(target)) return target as tf.Variable[];
  if (target != null && Array.isArray((target as { trainableWeights?: unknown }).trainableWeights)) {
    return (target as Exclude<VariablesOrModel, readonly tf.Variable[]>).trainableWeights.map((w) => w.read() as tf.Variable);
  }
  throw new ScheduleTypeError(owner, "target", target, "a tf.LayersModel or an array of tf.Variable");
}

/** The averages of an optimizer's variables (its `average` slots, indexed like the variables it was built for). */
export class MovingAverage {
  readonly #averages: readonly tf.Variable[];
  readonly #momentum: number;
  readonly #overwriteFrequency: number | null;
  /** Whether the averages hold values (updated or restored), so that the next update may average. */
  #filled = false;

  constructor(averages: readonly tf.Variable[], options: { readonly emaMomentum: number; readonly emaOverwriteFrequency: number | null }) {
    this.#averages = averages;
    this.#momentum = Math.fround(options.emaMomentum);
    this.#overwriteFrequency = options.emaOverwriteFrequency;
  }

  /** Marks the averages as holding values, restored from saved weights. */
  markFilled(): void {
    this.#filled = true;
  }

  /**
   * Refuses a disposed variable before an update, which the average's update reads (all of them, with a gradient or
   * not): tf.js would throw halfway through.
   */
  checkAlive(owner: string, variables: readonly tf.Variable[]): void {
    for (const v of variables) {
      if (v.isDisposed) throw new ScheduleOptionError(owner, "variable", v.name, "alive: the EMA update reads every variable this optimizer was built for");
    }
  }

  /**
   * Keras's `_update_model_variables_moving_average`, then the periodic overwrite, for `variables` (all those the
   * averages were built for, in order) after update number `iterations` (counted before this one). Call it inside
   * `tf.tidy`.
   */
  update(variables: readonly tf.Variable[], iterations: number, scalar: ScalarOf): void {
    // The first update copies the variables: momentum 0, so that the averages do not start from zero (also when the
    // count was set, and the averages were built at zero, not restored).
    const momentum = iterations === 0 || !this.#filled ? 0 : this.#momentum;
    this.#filled = true;
    const m = scalar(momentum);
    const rest = scalar(oneMinus(momentum));
    variables.forEach((v, i) => {
      const average = this.#averages[i]!;
      average.assign(tf.add(tf.mul(m, average), tf.mul(rest, v)));
    });
    const frequency = this.#overwriteFrequency;
    if (frequency !== null && (iterations + 1) % frequency === 0) variables.forEach((v, i) => v.assign(this.#averages[i]!));
  }

  /** Writes each variable's average into it; `indexOf` gives a variable's position among those built for. */
  writeInto(variables: readonly tf.Variable[], indexOf: (variable: tf.Variable) => number): void {
    tf.tidy(() => variables.forEach((v) => v.assign(this.#averages[indexOf(v)]!)));
  }
}
