import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { float32Ops, InverseTimeDecay, LearningRateSchedule, ScheduleTypeError, type Ops } from "../index.js";
import { Adam, KerasOptimizer, SGD, type NamedTensor } from "./index.js";

const fr = Math.fround;

/** A schedule that records every step it is asked for, through the same path an optimizer uses. */
class Recording extends LearningRateSchedule {
  static override readonly className = "Recording";
  readonly steps: number[] = [];
  constructor() {
    super();
  }
  compute<T, B>(o: Ops<T, B>, step: T): T {
    if (o === (float32Ops as unknown)) this.steps.push(step as number);
    return o.div(o.constant(1), o.add(o.constant(1), step));
  }
  override getConfig() {
    return {};
  }
}

/** A tiny problem: minimize sum((w - target)^2) for a 2-element w and a scalar b. */
function problem() {
  const w = tf.variable(tf.tensor1d([0.5, -0.5]));
  const b = tf.variable(tf.scalar(0.25));
  const target = tf.tensor1d([1, 2]);
  const loss = () => tf.tidy(() => tf.add(tf.sum(tf.square(tf.sub(w, target))), tf.square(b)) as tf.Scalar);
  return { w, b, loss, dispose: () => tf.dispose([w, b, target]) };
}

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("KerasOptimizer (through SGD and Adam)", () => {
  it("is a tf.Optimizer that model.compile accepts, registered under a name that is not tf.js's own", () => {
    const optimizer = new SGD();
    expect(optimizer).toBeInstanceOf(tf.Optimizer);
    expect(optimizer).toBeInstanceOf(KerasOptimizer);
    expect(optimizer.getClassName()).toBe("lr-schedules>SGD");
    expect(new Adam().getClassName()).toBe("lr-schedules>Adam");
    const map = tf.serialization.SerializationMap.getMap().classNameMap;
    expect(map["lr-schedules>SGD"]?.[0]).toBe(SGD);
    expect(map["lr-schedules>Adam"]?.[0]).toBe(Adam);
    expect(map.SGD?.[0]).toBe(tf.SGDOptimizer);
    expect(map.Adam?.[0]).toBe(tf.AdamOptimizer);
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
    expect(() => model.compile({ optimizer, loss: "meanSquaredError" })).not.toThrow();
    model.dispose();
  });

  it("the schedule is called with iterations before each update counts: 0 for the first update", () => {
    const schedule = new Recording();
    const optimizer = new SGD({ learningRate: schedule });
    const p = problem();
    for (let i = 0; i < 3; i++) optimizer.minimize(p.loss);
    expect(schedule.steps).toEqual([0, 1, 2]);
    expect(optimizer.iterations).toBe(3);
    p.dispose();
    optimizer.dispose();
  });

  it("learningRate reads the float32 rate the next update will use", () => {
    const schedule = new InverseTimeDecay(0.1, 1, 0.5);
    const optimizer = new SGD({ learningRate: schedule });
    const p = problem();
    for (let i = 0; i < 4; i++) {
      expect(optimizer.learningRate).toBe(schedule(i));
      optimizer.minimize(p.loss);
    }
    expect(new SGD(0.1).learningRate).toBe(fr(0.1));
    p.dispose();
    optimizer.dispose();
  });

  it("learningRate can be set to a number (rounded to float32) or to a schedule, as in Keras", () => {
    const optimizer = new SGD(0.1);
    optimizer.learningRate = 0.3;
    expect(optimizer.learningRate).toBe(fr(0.3));
    expect(optimizer.getConfig().learningRate).toBe(fr(0.3));
    expect(() => (optimizer.learningRate = -1)).toThrow(/`learningRate` must be a finite number >= 0\. Received: learningRate=-1/);
    expect(() => (optimizer.learningRate = NaN)).toThrow(RangeError);
    expect(() => (optimizer.learningRate = "0.1" as never)).toThrow(TypeError);
    optimizer.learningRate = new InverseTimeDecay(0.2, 1, 1);
    expect(optimizer.learningRate).toBe(fr(0.2));
    expect(() => (optimizer.learningRate = 0.3)).toThrow(/cannot be set to a number/);
  });

  it("setting a number on an optimizer whose rate is a schedule throws Keras's TypeError", () => {
    const optimizer = new Adam({ learningRate: new InverseTimeDecay(0.1, 1, 0.5) });
    const set = () => (optimizer.learningRate = 0.01);
    expect(set).toThrow(TypeError);
    expect(set).toThrow(ScheduleTypeError);
    expect(set).toThrow(/^Adam: `learningRate` .*learning rate is a LearningRateSchedule, so it cannot be set to a number/);
    expect(optimizer.learningRate).toBe(fr(0.1));
  });

  it("a variable without a gradient is skipped; a call without any gradient throws; an empty call does nothing", () => {
    const p = problem();
    const optimizer = new SGD(0.5);
    optimizer.applyGradients([
      { name: p.w.name, tensor: tf.ones([2]) },
      { name: p.b.name, tensor: undefined as unknown as tf.Tensor },
    ]);
    expect(Array.from(p.w.dataSync())).toEqual([0, -1]);
    expect(p.b.dataSync()[0]).toBe(0.25);
    expect(() => optimizer.applyGradients([{ name: p.w.name, tensor: null as unknown as tf.Tensor }])).toThrow(/`gradients` must be a gradient for at least one variable/);
    const before = optimizer.iterations;
    optimizer.applyGradients([]);
    expect(optimizer.iterations).toBe(before);
    p.dispose();
    optimizer.dispose();
  });

  it("refuses a variable it was not built for, and a name tf.js does not know", () => {
    const p = problem();
    const optimizer = new SGD({ momentum: 0.9 });
    optimizer.applyGradients({ [p.w.name]: tf.ones([2]) });
    expect(() => optimizer.applyGradients({ [p.b.name]: tf.scalar(1) })).toThrow(/`variable` must be one of the variables of this optimizer's first update/);
    expect(() => optimizer.applyGradients({ "no-such-variable": tf.scalar(1) })).toThrow(/`variable` must be the name of a tf\.js variable\. Received: variable="no-such-variable"/);
    p.dispose();
    optimizer.dispose();
  });

  it("getWeights gives iter then the slots; setWeights restores them by position into a fresh optimizer", async () => {
    const p = problem();
    const a = new Adam({ learningRate: 0.1, amsgrad: true });
    for (let i = 0; i < 3; i++) a.minimize(p.loss, false, [p.w, p.b]);
    const saved = await a.getWeights();
    expect(saved.map((w) => w.name)).toEqual([
      "iter",
      `${p.w.name}/momentum`,
      `${p.w.name}/velocity`,
      `${p.b.name}/momentum`,
      `${p.b.name}/velocity`,
      `${p.w.name}/velocity_hat`,
      `${p.b.name}/velocity_hat`,
    ]);
    expect(saved[0]!.tensor.dtype).toBe("int32");
    expect(saved[0]!.tensor.dataSync()[0]).toBe(3);
    // As tf.js hands them over: copies that it disposes right after setWeights.
    const copies: NamedTensor[] = saved.map((w) => ({ name: w.name, tensor: tf.clone(w.tensor) }));
    const b = new Adam({ learningRate: 0.1, amsgrad: true });
    await b.setWeights(copies);
    tf.dispose(copies.map((c) => c.tensor));
    expect(b.iterations).toBe(3);
    expect((await b.getWeights()).map((w) => w.name)).toEqual(saved.map((w) => w.name));

    // Same start, same next update: the restored optimizer continues exactly where the first one was.
    const q = problem();
    q.w.assign(p.w);
    q.b.assign(p.b);
    a.minimize(p.loss, false, [p.w, p.b]);
    b.minimize(q.loss, false, [q.w, q.b]);
    expect(Array.from(q.w.dataSync())).toEqual(Array.from(p.w.dataSync()));
    expect(q.b.dataSync()[0]).toBe(p.b.dataSync()[0]);
    tf.dispose([p, q].flatMap((x) => [x.w, x.b]));
    a.dispose();
    b.dispose();
  });

  it("setWeights that do not fit the optimizer's slots throw when the slots are built, naming the counts or the shape", async () => {
    const p = problem();
    const withOne = [{ name: "iter", tensor: tf.scalar(2, "int32") }, { name: "x/momentum", tensor: tf.zeros([2]) }];
    const a = new SGD({ momentum: 0.9 });
    await a.setWeights(withOne);
    expect(() => a.minimize(p.loss, false, [p.w, p.b])).toThrow(/`weights` must be the 2 slot variables this optimizer creates for its 2 variables/);
    const b = new SGD({ momentum: 0.9 });
    await b.setWeights([{ name: "iter", tensor: tf.scalar(2, "int32") }, { name: "x/momentum", tensor: tf.zeros([3]) }]);
    expect(() => b.minimize(p.loss, false, [p.w])).toThrow(/`weights\[0\]` must be of shape \[2\] for .*\/momentum/);
    await expect(new SGD().setWeights([{ name: "x", tensor: tf.scalar(1) }])).rejects.toThrow(/`weights\[0\]` must be "iter"/);
    p.dispose();
  });

  it("setWeights after the first update assigns the slots at once", async () => {
    const p = problem();
    const optimizer = new SGD({ momentum: 0.5 });
    optimizer.minimize(p.loss, false, [p.w]);
    await optimizer.setWeights([{ name: "iter", tensor: tf.scalar(7, "int32") }, { name: "m", tensor: tf.tensor1d([1, 2]) }]);
    const weights = await optimizer.getWeights();
    expect(optimizer.iterations).toBe(7);
    expect(Array.from(weights[1]!.tensor.dataSync())).toEqual([1, 2]);
    p.dispose();
    optimizer.dispose();
  });

  it("dispose frees every slot, and the optimizer builds fresh ones on its next update", () => {
    const p = problem();
    const start = tf.memory().numTensors;
    const optimizer = new Adam({ amsgrad: true });
    optimizer.minimize(p.loss);
    expect(tf.memory().numTensors - start).toBe(6);
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(start);
    optimizer.minimize(p.loss);
    expect(tf.memory().numTensors - start).toBe(6);
    optimizer.dispose();
    p.dispose();
  });

  describe("no tensor leaks: tf.memory().numTensors is the same after 10 and after 10,000 updates", () => {
    const optimizers: [string, () => KerasOptimizer][] = [
      ["SGD", () => new SGD({ learningRate: new InverseTimeDecay(0.1, 1, 0.5) })],
      ["SGD momentum nesterov", () => new SGD({ learningRate: new InverseTimeDecay(0.1, 1, 0.5), momentum: 0.9, nesterov: true })],
      ["Adam amsgrad", () => new Adam({ learningRate: new InverseTimeDecay(0.01, 10, 0.5), amsgrad: true })],
    ];
    for (const [name, make] of optimizers) {
      it(name, async () => {
        const p = problem();
        const optimizer = make();
        for (let i = 0; i < 10; i++) optimizer.minimize(p.loss);
        const after10 = tf.memory().numTensors;
        for (let i = 10; i < 10_000; i++) optimizer.minimize(p.loss);
        expect(tf.memory().numTensors).toBe(after10);
        expect(optimizer.iterations).toBe(10_000);
        for (let i = 0; i < 5; i++) await optimizer.getWeights();
        expect(tf.memory().numTensors).toBe(after10 + 1);
        optimizer.dispose();
        p.dispose();
      });
    }
  });
});
