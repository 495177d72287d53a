/**
 * What `applyGradients` is given, checked before anything changes: the gradients by variable name (a map, or tf.js's
 * list of `{ name, tensor }`), each a live float32 tensor of its variable's shape; the variables listed without a
 * gradient, which Keras warns about.
 */
import * as tf from "@tensorflow/tfjs-core";
import { ScheduleOptionError, ScheduleTypeError } from "../errors.js";
import type { NamedTensor } from "./slots.js";

/** The gradients of one `applyGradients` call, checked. */
export interface GivenGradients {
  /** Every variable listed, in order, with a gradient or not. */
  readonly variables: readonly tf.Variable[];
  /** The variables with a gradient, in order... */
  readonly updated: readonly tf.Variable[];
  /** ...and their gradients. */
  readonly gradients: tf.Tensor[];
  /** The names of the variables listed without a gradient. */
  readonly missing: readonly string[];
}

/**
 * Reads and checks `applyGradients`' argument; `null` when it lists no variable (a call that does nothing).
 * @throws {ScheduleOptionError} no gradient at all, a variable listed twice, a name tf.js does not know, a gradient not
 * of its variable's shape or already disposed.
 * @throws {ScheduleTypeError} a gradient that is not a float32 tensor (a number, an int32 or bool tensor).
 */
export function readGradients(owner: string, variableGradients: tf.NamedTensorMap | NamedTensor[]): GivenGradients | null {
  const names = Array.isArray(variableGradients) ? variableGradients.map((g) => g.name) : Object.keys(variableGradients);
  if (names.length === 0) return null;
  if (Array.isArray(variableGradients) && new Set(names).size !== names.length) {
    throw new ScheduleOptionError(owner, "gradients", `[${names.join(", ")}]`, "at most one gradient per variable (one would be applied twice)");
  }
  const registered = tf.engine().registeredVariables;
  const variables = names.map((name) => {
    const variable = Object.hasOwn(registered, name) ? registered[name] : undefined;
    if (!variable) throw new ScheduleOptionError(owner, "variable", name, "the name of a tf.js variable");
    return variable;
  });
  const given: (tf.Tensor | null | undefined)[] = Array.isArray(variableGradients)
    ? variableGradients.map((g) => g.tensor)
    : names.map((name) => variableGradients[name]);
  const updated: tf.Variable[] = [];
  const gradients: tf.Tensor[] = [];
  const missing: string[] = [];
  given.forEach((gradient, i) => {
    if (gradient == null) {
      missing.push(names[i]!);
    } else {
      updated.push(variables[i]!);
      gradients.push(checkGradient(owner, gradient, variables[i]!));
    }
  });
  if (gradients.length === 0) {
    throw new ScheduleOptionError(owner, "gradients", `[${names.join(", ")}]`, "a gradient for at least one variable (no gradients provided for any variable)");
  }
  return { variables, updated, gradients, missing };
}

/** A gradient as the update takes it: a live float32 tensor of its variable's shape (tf.js would broadcast or cast). */
function checkGradient(owner: string, gradient: unknown, variable: tf.Variable): tf.Tensor {
  const option = `gradients[${JSON.stringify(variable.name)}]`;
  const expected = `a float32 tensor of shape [${variable.shape.join(", ")}], its variable's`;
  if (!(gradient instanceof tf.Tensor)) throw new ScheduleTypeError(owner, option, gradient, expected);
  if (gradient.isDisposed) throw new ScheduleOptionError(owner, option, "a disposed tensor", expected);
  if (gradient.dtype !== "float32") throw new ScheduleTypeError(owner, option, `a ${gradient.dtype} tensor`, expected);
  if (!tf.util.arraysEqual(gradient.shape, variable.shape)) {
    throw new ScheduleOptionError(owner, option, `a tensor of shape [${gradient.shape.join(", ")}]`, expected);
  }
  return gradient;
}

/** Keras's warning for variables without a gradient, given once per distinct set of them. */
export class MissingGradientWarning {
  readonly #warned = new Set<string>();

  /** Warns (with `console.warn`) that the variables `names` get no gradient, unless this set was warned about. */
  warn(owner: string, names: readonly string[]): void {
    if (names.length === 0) return;
    const key = JSON.stringify(names);
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    console.warn(
      `${owner}: no gradient for the variables [${names.join(", ")}]: they are left unchanged. Is each of them ` +
        "used by the loss, and does the model compute it (a `loss` given to `model.compile()`)?",
    );
  }
}
