import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScheduleTypeError } from "../index.js";
import { noExclusions, readExclusions } from "./weightDecayExclusions.js";

let kernel: tf.Variable;
let bias: tf.Variable;

beforeAll(async () => {
  await tf.setBackend("cpu");
  kernel = tf.variable(tf.zeros([2]), true, "exclusions/dense/kernel");
  bias = tf.variable(tf.zeros([2]), true, "exclusions/dense/bias");
});

afterAll(() => tf.dispose([kernel, bias]));

describe("readExclusions", () => {
  it("excludes the variables listed (a layer weight stands for its variable) and those whose name contains a substring", () => {
    expect([kernel, bias].map(noExclusions)).toEqual([false, false]);
    expect([kernel, bias].map(readExclusions("AdamW", {}))).toEqual([false, false]);
    expect([kernel, bias].map(readExclusions("AdamW", { varList: [kernel] }))).toEqual([true, false]);
    expect([kernel, bias].map(readExclusions("AdamW", { varList: [{ read: () => bias }] }))).toEqual([false, true]);
    expect([kernel, bias].map(readExclusions("AdamW", { varNames: ["bias"] }))).toEqual([false, true]);
    expect([kernel, bias].map(readExclusions("AdamW", { varNames: ["dense"] }))).toEqual([true, true]);
  });

  it("keeps its own copy of the names", () => {
    const names = ["bias"];
    const excluded = readExclusions("AdamW", { varNames: names });
    names.push("kernel");
    expect(excluded(kernel)).toBe(false);
  });

  it("refuses an entry of varList that is not a variable, and of varNames that is not a string, naming it", () => {
    expect(() => readExclusions("AdamW", { varList: [kernel, tf.zeros([1]) as never] })).toThrow(ScheduleTypeError);
    expect(() => readExclusions("AdamW", { varList: [3 as never] })).toThrow(/varList\[0\].*a tf.Variable or a layer weight/s);
    expect(() => readExclusions("AdamW", { varNames: ["bias", 3 as never] })).toThrow(/varNames\[1\].*a string/s);
  });
});
