import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { ScheduleOptionError, ScheduleTypeError } from "../index.js";
import { CallScalars } from "./callScalars.js";
import { MovingAverage, variablesOf } from "./movingAverage.js";

const fr = Math.fround;

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** A variable, its average slot and a MovingAverage of it; `update(iterations)` runs one update as the base does. */
function averaged(value: number, options: { emaMomentum: number; emaOverwriteFrequency: number | null }) {
  const w = tf.variable(tf.scalar(value));
  const average = tf.variable(tf.scalar(0));
  const ema = new MovingAverage([average], options);
  const scalars = new CallScalars();
  const update = (iterations: number) => {
    tf.tidy(() => ema.update([w], iterations, (x) => scalars.get(x)));
    scalars.release();
  };
  return { w, average, ema, update, dispose: () => tf.dispose([w, average]) };
}

describe("MovingAverage", () => {
  it("the first update copies the variable, the next ones average with the momentum, in float32", () => {
    const t = averaged(4, { emaMomentum: 0.9, emaOverwriteFrequency: null });
    t.update(0);
    expect(t.average.dataSync()[0]).toBe(4);
    t.w.assign(tf.scalar(2));
    t.update(1);
    expect(t.average.dataSync()[0]).toBe(fr(fr(fr(0.9) * 4) + fr(fr(1 - fr(0.9)) * 2)));
    t.dispose();
  });

  it("copies on the first update after a count was set (averages never filled), averages once markFilled says they hold values", () => {
    const fresh = averaged(4, { emaMomentum: 0.5, emaOverwriteFrequency: null });
    fresh.update(7);
    expect(fresh.average.dataSync()[0]).toBe(4);
    const restored = averaged(4, { emaMomentum: 0.5, emaOverwriteFrequency: null });
    restored.ema.markFilled();
    restored.update(7);
    expect(restored.average.dataSync()[0]).toBe(2);
    fresh.dispose();
    restored.dispose();
  });

  it("overwrites the variable with its average after every emaOverwriteFrequency-th update", () => {
    const t = averaged(4, { emaMomentum: 0.5, emaOverwriteFrequency: 2 });
    t.update(0);
    t.w.assign(tf.scalar(2));
    t.update(1); // the second update: average 3, written into w
    expect(t.w.dataSync()[0]).toBe(3);
    t.dispose();
  });

  it("writeInto writes each average into its variable, found by position; checkAlive refuses a disposed variable", () => {
    const t = averaged(4, { emaMomentum: 0.5, emaOverwriteFrequency: null });
    t.update(0);
    t.w.assign(tf.scalar(1));
    t.ema.writeInto([t.w], () => 0);
    expect(t.w.dataSync()[0]).toBe(4);
    expect(() => t.ema.checkAlive("SGD", [t.w])).not.toThrow();
    const gone = tf.variable(tf.scalar(0));
    gone.dispose();
    expect(() => t.ema.checkAlive("SGD", [gone])).toThrow(ScheduleOptionError);
    t.dispose();
  });

  it("leaves no tensor behind", () => {
    const t = averaged(4, { emaMomentum: 0.5, emaOverwriteFrequency: 1 });
    const before = tf.memory().numTensors;
    t.update(0);
    t.update(1);
    t.ema.writeInto([t.w], () => 0);
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  });
});

describe("variablesOf", () => {
  it("takes an array of variables as it is, or a model's trainable weights", () => {
    const w = tf.variable(tf.scalar(1));
    const list = [w];
    expect(variablesOf("SGD", list)).toBe(list);
    expect(variablesOf("SGD", { trainableWeights: [{ read: () => w }] })).toEqual([w]);
    w.dispose();
  });

  it("refuses anything else, naming the target", () => {
    expect(() => variablesOf("SGD", {} as never)).toThrow(ScheduleTypeError);
    expect(() => variablesOf("SGD", null as never)).toThrow(/target.*a tf.LayersModel or an array of tf.Variable/s);
  });
});
