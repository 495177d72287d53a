import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { ScheduleOptionError, ScheduleTypeError } from "../index.js";
import { readSavedWeights, SlotStore, type NamedTensor } from "./slots.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** Two variables and a store whose build adds a `momentum` slot for each, filled with 0.5. */
function twoVariables() {
  const a = tf.variable(tf.zeros([2]), true, "slots-test/a");
  const b = tf.variable(tf.zeros([3]), true, "slots-test/b");
  const store = new SlotStore("SGD");
  const create = (variables: readonly tf.Variable[]) => variables.forEach((v) => store.add(`${v.name}/momentum`, v.shape, 0.5));
  return { a, b, store, create, dispose: () => (store.dispose(), tf.dispose([a, b])) };
}

const saved = (name: string, values: number[]): NamedTensor => ({ name, tensor: tf.tensor1d(values) });

describe("SlotStore", () => {
  it("builds once for the variables of the first update: their positions, then the slots in creation order", () => {
    const t = twoVariables();
    expect(t.store.variables).toBeNull();
    expect(t.store.saved()).toEqual([]);
    expect(t.store.build([t.a, t.b], t.create)).toBe(false);
    expect(t.store.variables).toEqual([t.a, t.b]);
    expect([t.store.indexOf(t.a), t.store.indexOf(t.b)]).toEqual([0, 1]);
    expect(t.store.saved().map((w) => [w.name, Array.from(w.tensor.dataSync())])).toEqual([
      ["slots-test/a/momentum", [0.5, 0.5]],
      ["slots-test/b/momentum", [0.5, 0.5, 0.5]],
    ]);
    t.dispose();
  });

  it("refuses a variable it was not built for, and a disposed slot, before an update", () => {
    const t = twoVariables();
    t.store.build([t.a], t.create);
    expect(() => t.store.indexOf(t.b)).toThrow(/a variable this optimizer was built for/);
    expect(() => t.store.checkUpdatable([t.b])).toThrow(/one of the variables of this optimizer's first update/);
    t.store.saved()[0]!.tensor.dispose();
    expect(() => t.store.checkUpdatable([t.a])).toThrow(/alive: a slot variable was disposed/);
    t.dispose();
  });

  it("keeps values restored before the build, saves them as they are, and assigns them when it builds", () => {
    const t = twoVariables();
    const values = [saved("old/a/momentum", [1, 2]), saved("old/b/momentum", [3, 4, 5])];
    expect(t.store.restore(values, 7)).toBe(false);
    tf.dispose(values.map((w) => w.tensor)); // the store keeps copies
    expect(t.store.pendingCallsBefore).toBe(7);
    expect(t.store.saved().map((w) => w.name)).toEqual(["old/a/momentum", "old/b/momentum"]);
    expect(t.store.build([t.a, t.b], t.create)).toBe(true);
    expect(t.store.pendingCallsBefore).toBeNull();
    expect(t.store.saved().map((w) => Array.from(w.tensor.dataSync()))).toEqual([[1, 2], [3, 4, 5]]);
    t.dispose();
  });

  it("a build whose restored values do not fit (kind, shape or count) drops the slots and the values, and throws", () => {
    for (const values of [
      [saved("a/velocity", [1, 2]), saved("b/momentum", [3, 4, 5])],
      [saved("a/momentum", [1, 2, 0]), saved("b/momentum", [3, 4, 5])],
      [saved("a/momentum", [1, 2])],
    ]) {
      const t = twoVariables();
      const before = tf.memory().numTensors;
      t.store.restore(values, 0);
      expect(() => t.store.build([t.a, t.b], t.create)).toThrow(ScheduleOptionError);
      expect(t.store.variables).toBeNull();
      expect(t.store.pendingCallsBefore).toBeNull();
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose(values.map((w) => w.tensor));
      t.dispose();
    }
  });

  it("restores built slots at once, or, if the values do not fit, assigns none of them", () => {
    const t = twoVariables();
    t.store.build([t.a, t.b], t.create);
    expect(t.store.restore([saved("x/momentum", [1, 2]), saved("y/momentum", [3, 4, 5])], 0)).toBe(true);
    const bad = [saved("x/momentum", [9, 9]), saved("y/momentum", [9, 9])];
    expect(() => t.store.restore(bad, 0)).toThrow(/weights\[2\].*a "momentum" slot of shape \[3\]/s);
    expect(t.store.saved().map((w) => Array.from(w.tensor.dataSync()))).toEqual([[1, 2], [3, 4, 5]]);
    tf.dispose(bad.map((w) => w.tensor));
    t.dispose();
  });

  it("dispose frees every slot and any restored values; the next build starts afresh", () => {
    const t = twoVariables();
    const before = tf.memory().numTensors;
    t.store.build([t.a, t.b], t.create);
    t.store.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(t.store.variables).toBeNull();
    t.store.build([t.b], t.create);
    expect(t.store.indexOf(t.b)).toBe(0);
    t.dispose();
  });
});

describe("readSavedWeights", () => {
  it("reads iter, then the slots", async () => {
    const weights = [{ name: "iter", tensor: tf.scalar(5, "int32") }, saved("a/momentum", [1])];
    await expect(readSavedWeights("SGD", weights)).resolves.toEqual({ calls: 5, slots: [weights[1]] });
    tf.dispose(weights.map((w) => w.tensor));
  });

  it("refuses a non-array, a weight that is not { name, tensor }, a disposed or bool tensor, iter missing or not a count", async () => {
    const gone = tf.scalar(1);
    gone.dispose();
    const cases: [unknown, typeof ScheduleTypeError | typeof ScheduleOptionError, RegExp][] = [
      [{}, ScheduleTypeError, /weights.*an array of \{ name, tensor \}/s],
      [[{ name: "iter" }], ScheduleTypeError, /weights\[0\]/],
      [[{ name: "iter", tensor: gone }], ScheduleOptionError, /a disposed tensor/],
      [[{ name: "iter", tensor: tf.scalar(true, "bool") }], ScheduleTypeError, /a float32 or int32 tensor/],
      [[saved("a/momentum", [1])], ScheduleOptionError, /"iter", the number of updates, first/],
      [[{ name: "iter", tensor: tf.scalar(2.5) }], ScheduleOptionError, /iter.*an integer in \[0, 2147483647\]/s],
    ];
    for (const [weights, type, message] of cases) {
      const call = readSavedWeights("SGD", weights);
      await expect(call).rejects.toThrow(type);
      await expect(readSavedWeights("SGD", weights)).rejects.toThrow(message);
    }
  });
});
