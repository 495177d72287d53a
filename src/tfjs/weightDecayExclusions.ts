/**
 * The variables an optimizer does not decay, Keras's `exclude_from_weight_decay(var_list, var_names)`: variables, and
 * name substrings.
 */
import * as tf from "@tensorflow/tfjs-core";
import { ScheduleTypeError } from "../errors.js";

/** What {@link KerasOptimizer.excludeFromWeightDecay} takes: Keras's `var_list` and `var_names`. */
export interface WeightDecayExclusions {
  /** Variables to exclude: `tf.Variable`s, or a layer's weights (`layer.trainableWeights`). */
  varList?: readonly (
    | tf.Variable
    | {
        /** The variable behind a layer's weight. */
        read(): tf.Tensor;
      }
  )[];
  /** Exclude every variable whose tf.js name contains one of these strings (as `'bias'`). */
  varNames?: readonly string[];
}

/** Checked exclusions: whether a variable is excluded. */
export type ExcludedFromDecay = (variable: tf.Variable) => boolean;

/** Nothing excluded. */
export const noExclusions: ExcludedFromDecay = () => false;

/**
 * Reads exclusions, checking each entry: a layer weight stands for its variable.
 * @throws {ScheduleTypeError} `varList` holds something that is not a variable, or `varNames` something that is not a
 * string.
 */
export function readExclusions(owner: string, exclusions: WeightDecayExclusions): ExcludedFromDecay {
  const { varList = [], varNames = [] } = exclusions;
  const variables = new Set(
    varList.map((v, i) => {
      const variable = typeof (v as { read?: unknown }).read === "function" ? (v as { read(): tf.Tensor }).read() : v;
      if (!(variable instanceof tf.Variable)) {
        throw new ScheduleTypeError(owner, `varList[${i}]`, v, "a tf.Variable or a layer weight (LayerVariable)");
      }
      return variable;
    }),
  );
  varNames.forEach((name, i) => {
    if (typeof name !== "string") throw new ScheduleTypeError(owner, `varNames[${i}]`, name, "a string");
  });
  const names = [...varNames];
  return (variable) => variables.has(variable) || names.some((name) => variable.name.includes(name));
}
