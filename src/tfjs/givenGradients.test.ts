import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ScheduleOptionError, ScheduleTypeError } from "../index.js";
import { MissingGradientWarning, readGradients } from "./givenGradients.js";

let a: tf.Variable;
let b: tf.Variable;

beforeAll(async () => {
  await tf.setBackend("cpu");
  a = tf.variable(tf.zeros([2]), true, "given-gradients/a");
  b = tf.variable(tf.zeros([1]), true, "given-gradients/b");
});

afterAll(() => tf.dispose([a, b]));

describe("readGradients", () => {
  it("reads a map or a list of { name, tensor }: every variable listed, those with a gradient, and the names without", () => {
    const g = tf.zeros([2]);
    for (const given of [{ [a.name]: g, [b.name]: null as unknown as tf.Tensor }, [{ name: a.name, tensor: g }, { name: b.name, tensor: undefined as unknown as tf.Tensor }]]) {
      const read = readGradients("SGD", given)!;
      expect(read.variables).toEqual([a, b]);
      expect(read.updated).toEqual([a]);
      expect(read.gradients).toEqual([g]);
      expect(read.missing).toEqual([b.name]);
    }
    expect(readGradients("SGD", {})).toBeNull();
    g.dispose();
  });

  it("refuses no gradient at all, a variable twice, an unknown name, and gradients that are not a float32 tensor of the variable's shape", () => {
    const gone = tf.zeros([2]);
    gone.dispose();
    const int = tf.zeros([2], "int32");
    const wide = tf.zeros([3]);
    const cases: [Parameters<typeof readGradients>[1], typeof ScheduleOptionError | typeof ScheduleTypeError, RegExp][] = [
      [{ [a.name]: null as unknown as tf.Tensor }, ScheduleOptionError, /a gradient for at least one variable/],
      [[{ name: b.name, tensor: tf.zeros([1]) }, { name: b.name, tensor: tf.zeros([1]) }], ScheduleOptionError, /at most one gradient per variable/],
      [{ "no such variable": wide }, ScheduleOptionError, /the name of a tf.js variable/],
      [{ [a.name]: gone }, ScheduleOptionError, /a disposed tensor/],
      [{ [a.name]: int }, ScheduleTypeError, /a float32 tensor of shape \[2\].*a int32 tensor/s],
      [{ [a.name]: wide }, ScheduleOptionError, /a tensor of shape \[3\]/],
      [{ [a.name]: 1 as unknown as tf.Tensor }, ScheduleTypeError, /gradients\["given-gradients\/a"\]/],
    ];
    for (const [given, type, message] of cases) {
      expect(() => readGradients("SGD", given)).toThrow(type);
      expect(() => readGradients("SGD", given)).toThrow(message);
    }
    tf.dispose([int, wide]);
  });
});

describe("MissingGradientWarning", () => {
  it("warns once per distinct set of names, naming them; nothing for none", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const warning = new MissingGradientWarning();
    warning.warn("SGD", []);
    warning.warn("SGD", ["x"]);
    warning.warn("SGD", ["x"]);
    warning.warn("SGD", ["x", "y"]);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(String(warn.mock.calls[0]![0])).toMatch(/^SGD: no gradient for the variables \[x\]: they are left unchanged/);
    expect(String(warn.mock.calls[1]![0])).toMatch(/^SGD: no gradient for the variables \[x, y\]:/);
    warn.mockRestore();
  });
});
