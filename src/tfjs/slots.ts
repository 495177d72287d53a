/**
 * An optimizer's slot variables (Keras's optimizer variables) and their saved form: created for the variables of the
 * first update, in creation order, saved as `<variable>/<slot>` after `iter`, and restored by position (tf.js renames
 * a reloaded model's variables: `dense/kernel_1`), each saved value checked for its kind and shape before any is
 * assigned, so that a refused restore changes nothing.
 */
import * as tf from "@tensorflow/tfjs-core";
import { ScheduleOptionError, ScheduleTypeError } from "../errors.js";
import { checkNumber, type NumberRule } from "../options.js";

/** One weight as tf.js saves it (tf.js does not export this type at the top level). */
export interface NamedTensor {
  /** `iter`, or `<variable>/<slot>`. */
  name: string;
  /** The value. */
  tensor: tf.Tensor;
}

/** A slot variable, the name it is saved under (`<variable>/<slot>`) and its kind (`<slot>`: `momentum`). */
interface Slot {
  readonly name: string;
  readonly kind: string;
  readonly variable: tf.Variable;
}

/**
 * The kind of a saved slot: its name after the last `/` (`momentum` for `dense/kernel/momentum`), which does not
 * change when tf.js renames a reloaded model's variables (`dense/kernel_1`).
 */
const slotKind = (name: string) => name.slice(name.lastIndexOf("/") + 1);

/** The largest call count `getWeights` can save: tf.js saves `iter` as an int32. */
export const MAX_CALLS = 2 ** 31 - 1;

/** A count of `applyGradients` calls, as `iter` holds it: what a restore and the `iterations` setter accept. */
export const callCount = { ok: (x) => Number.isInteger(x) && x >= 0 && x <= MAX_CALLS, expected: `an integer in [0, ${MAX_CALLS}]` } satisfies NumberRule;

/**
 * Reads saved weights as `setWeights` takes them, checking each before anything changes: an array of
 * `{ name, tensor }` with live float32 or int32 tensors, `iter` first, a whole number in int32's range.
 * @throws {ScheduleOptionError} `iter` missing, not first, or not a whole number >= 0; a disposed tensor.
 * @throws {ScheduleTypeError} not an array of `{ name, tensor }`, or a tensor that is not numeric.
 */
export async function readSavedWeights(owner: string, weightValues: unknown): Promise<{ calls: number; slots: NamedTensor[] }> {
  if (!Array.isArray(weightValues)) throw new ScheduleTypeError(owner, "weights", weightValues, "an array of { name, tensor }, as getWeights() returns");
  weightValues.forEach((w, i) => checkWeight(owner, w, i));
  const weights = weightValues as NamedTensor[];
  const first = weights[0];
  if (!first || first.name !== "iter") {
    throw new ScheduleOptionError(owner, "weights[0]", first?.name, `"iter", the number of updates, first`);
  }
  const values = first.tensor.size === 1 ? Array.from(await first.tensor.data()) : [];
  const calls = checkNumber(values[0] ?? `a tensor of shape [${first.tensor.shape.join(", ")}]`, owner, "weights[0] (iter)", callCount);
  return { calls, slots: weights.slice(1) };
}

/** One saved weight: `{ name, tensor }` with a live numeric tensor. */
function checkWeight(owner: string, weight: unknown, i: number): void {
  const option = `weights[${i}]`;
  const w = weight as Partial<NamedTensor> | null;
  if (typeof w?.name !== "string" || !(w.tensor instanceof tf.Tensor)) {
    throw new ScheduleTypeError(owner, option, weight, "{ name, tensor }, as getWeights() returns");
  }
  if (w.tensor.isDisposed) throw new ScheduleOptionError(owner, option, `${w.name}, a disposed tensor`, "a live tensor");
  if (w.tensor.dtype !== "float32" && w.tensor.dtype !== "int32") {
    throw new ScheduleTypeError(owner, option, `${w.name}, a ${w.tensor.dtype} tensor`, "a float32 or int32 tensor");
  }
}

/**
 * The slot variables of one optimizer, built once for the variables of its first update, and the saved values
 * restored before they exist. `owner` (Keras's class name) is what errors name.
 */
export class SlotStore {
  readonly #owner: string;
  #built: { variables: readonly tf.Variable[]; index: Map<tf.Variable, number> } | null = null;
  #slots: Slot[] = [];
  /** Values restored before the slots existed, and the call count before the restore, to go back to if refused. */
  #pending: { slots: NamedTensor[]; callsBefore: number } | null = null;

  constructor(owner: string) {
    this.#owner = owner;
  }

  /** The variables the slots were built for, in order; `null` before they are built. */
  get variables(): readonly tf.Variable[] | null {
    return this.#built?.variables ?? null;
  }

  /** With values restored before the slots exist: the call count before that restore; otherwise `null`. */
  get pendingCallsBefore(): number | null {
    return this.#pending?.callsBefore ?? null;
  }

  /** The position of `variable` among those the slots were built for: Keras's `_get_variable_index`. */
  indexOf(variable: tf.Variable): number {
    const i = this.#built?.index.get(variable);
    if (i === undefined) throw new ScheduleOptionError(this.#owner, "variable", variable.name, "a variable this optimizer was built for");
    return i;
  }

  /** Before an update of built slots: each variable is one they were built for, and every slot is alive. */
  checkUpdatable(variables: readonly tf.Variable[]): void {
    const index = this.#built!.index;
    for (const v of variables) {
      if (!index.has(v)) {
        throw new ScheduleOptionError(this.#owner, "variable", v.name, "one of the variables of this optimizer's first update, as Keras requires; use a new optimizer for other variables");
      }
    }
    for (const slot of this.#slots) {
      if (slot.variable.isDisposed) throw new ScheduleOptionError(this.#owner, "slot variable", slot.name, "alive: a slot variable was disposed (getWeights' tensors are the optimizer's own)");
    }
  }

  /** Creates one slot variable, saved under `name` in creation order, with a tf.js name not yet taken. */
  add(name: string, shape: readonly number[], initialValue = 0): tf.Variable {
    const registered = tf.engine().registeredVariables;
    let unique = name;
    for (let k = 1; Object.hasOwn(registered, unique); k++) unique = `${name}_${k}`;
    const variable = tf.tidy(() => tf.variable(tf.fill([...shape], initialValue, "float32"), false, unique));
    this.#slots.push({ name, kind: slotKind(name), variable });
    return variable;
  }

  /**
   * Builds the slots for `variables`: `create` adds them all (with {@link add}), then values restored before are
   * checked and assigned. Returns whether restored values were assigned. If `create` throws or the restored values do
   * not fit, the slots and the restored values are dropped and the error is thrown.
   */
  build(variables: readonly tf.Variable[], create: (variables: readonly tf.Variable[]) => void): boolean {
    const built = { variables: [...variables], index: new Map(variables.map((v, i) => [v, i] as const)) };
    this.#built = built;
    const pending = this.#pending;
    try {
      create(built.variables);
      if (pending) this.#check(pending.slots);
    } catch (e) {
      this.dispose();
      throw e;
    }
    if (pending) this.#assign(pending.slots);
    this.#disposePending();
    return pending !== null;
  }

  /** The slots as `getWeights` saves them after `iter`: the variables, or before they exist, the values restored. */
  saved(): NamedTensor[] {
    return this.#built ? this.#slots.map((s) => ({ name: s.name, tensor: s.variable as tf.Tensor })) : (this.#pending?.slots ?? []);
  }

  /**
   * Restores saved slot values (copies of them): checked and assigned at once when the slots exist (returns true),
   * otherwise kept, with the call count before the restore, until {@link build} checks and assigns them (false).
   * @throws {ScheduleOptionError} the slots exist and the values do not fit them; nothing is assigned.
   */
  restore(values: readonly NamedTensor[], callsBefore: number): boolean {
    if (this.#built) this.#check(values);
    const copies = values.map((w) => ({ name: w.name, tensor: tf.keep(tf.clone(w.tensor)) }));
    if (this.#built) {
      try {
        this.#assign(copies);
      } finally {
        tf.dispose(copies.map((c) => c.tensor));
      }
      return true;
    }
    this.#disposePending();
    this.#pending = { slots: copies, callsBefore };
    return false;
  }

  /** Frees the slot variables and any values restored before them; the next build starts afresh. */
  dispose(): void {
    for (const slot of this.#slots) slot.variable.dispose();
    this.#slots = [];
    this.#built = null;
    this.#disposePending();
  }

  /**
   * Checks saved slot values against the slots, before any is assigned: as many, each of the same kind (the slot name
   * after the last `/`: `momentum`, `velocity_hat`, `average`), in the same order and of the same shape. The kinds and
   * their order tell apart the weights of another optimizer class, or of other options that shape the slots
   * (`amsgrad`, `centered`, `momentum`, `useEma`, `gradientAccumulationSteps`).
   */
  #check(values: readonly NamedTensor[]): void {
    if (values.length !== this.#slots.length) {
      throw new ScheduleOptionError(
        this.#owner,
        "weights",
        `[${values.length} slot variables]`,
        `the ${this.#slots.length} slot variables this optimizer creates for its ${this.#built?.variables.length ?? 0} variables (saved with other options, by another optimizer, or for another model?)`,
      );
    }
    values.forEach((w, i) => {
      const slot = this.#slots[i]!;
      if (slotKind(w.name) !== slot.kind || !tf.util.arraysEqual(w.tensor.shape, slot.variable.shape)) {
        throw new ScheduleOptionError(
          this.#owner,
          `weights[${i + 1}]`,
          `${w.name} of shape [${w.tensor.shape.join(", ")}]`,
          `a "${slot.kind}" slot of shape [${slot.variable.shape.join(", ")}], for ${slot.name} (saved by another optimizer, with other options, or for another model?)`,
        );
      }
    });
  }

  /** Assigns checked slot values by position. */
  #assign(values: readonly NamedTensor[]): void {
    tf.tidy(() => values.forEach((w, i) => this.#slots[i]!.variable.assign(tf.cast(w.tensor, "float32"))));
  }

  #disposePending(): void {
    if (this.#pending) tf.dispose(this.#pending.slots.map((w) => w.tensor));
    this.#pending = null;
  }
}
