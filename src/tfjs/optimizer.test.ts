import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { float32Ops, InverseTimeDecay, LearningRateSchedule, ScheduleOptionError, ScheduleTypeError, type Ops } from "../index.js";
import { Adadelta, Adafactor, Adagrad, Adam, Adamax, AdamW, FinalizeVariableValues, Ftrl, KerasOptimizer, Lamb, Lion, Nadam, RMSprop, ScheduleFreeAdamW, SGD, type NamedTensor } from "./index.js";

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

describe("a user's subclass", () => {
  it("is named by its JavaScript name unless it sets kerasName, so registering it cannot take a built-in's place", () => {
    class MyAdam extends Adam {}
    expect(MyAdam.className).toBe("MyAdam");
    expect(Adam.className).toBe("lr-schedules>Adam");
    tf.serialization.registerClass(MyAdam);
    const map = tf.serialization.SerializationMap.getMap().classNameMap;
    expect(map["lr-schedules>Adam"]![0]).toBe(Adam);
    expect(map["MyAdam"]![0]).toBe(MyAdam);
    class Named extends Adam {
      static override readonly kerasName = "NamedAdam";
    }
    expect(Named.className).toBe("lr-schedules>NamedAdam");
  });
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
    expect(() => b.minimize(p.loss, false, [p.w])).toThrow(/`weights\[1\]` must be a "momentum" slot of shape \[2\], for .*\/momentum/);
    await expect(new SGD().setWeights([{ name: "x", tensor: tf.scalar(1) }])).rejects.toThrow(/`weights\[0\]` must be "iter"/);
    p.dispose();
  });

  it("setWeights after the first update assigns the slots at once", async () => {
    const p = problem();
    const optimizer = new SGD({ momentum: 0.5 });
    optimizer.minimize(p.loss, false, [p.w]);
    await optimizer.setWeights([{ name: "iter", tensor: tf.scalar(7, "int32") }, { name: "saved/w/momentum", tensor: tf.tensor1d([1, 2]) }]);
    const weights = await optimizer.getWeights();
    expect(optimizer.iterations).toBe(7);
    expect(Array.from(weights[1]!.tensor.dataSync())).toEqual([1, 2]);
    p.dispose();
    optimizer.dispose();
  });

  it("between updates an optimizer holds only its slots; dispose frees them, and the next update builds fresh ones", () => {
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
});

/** Applies one gradient per variable, given as arrays, and disposes the gradient tensors. */
function apply(optimizer: KerasOptimizer, pairs: [tf.Variable, number[]][]): void {
  const gradients = pairs.map(([v, g]) => ({ name: v.name, tensor: tf.tensor(g, v.shape) }));
  optimizer.applyGradients(gradients);
  tf.dispose(gradients.map((g) => g.tensor));
}

const values = (v: tf.Tensor) => Array.from(v.dataSync());

describe("the base options, as Keras's BaseOptimizer applies them", () => {
  describe("gradientAccumulationSteps", () => {
    it("Keras's test (SGD lr 1, 3 steps, gradient 1): the update every third call, with the mean; iterations count updates", async () => {
      const w = tf.variable(tf.tensor1d([1, 2]));
      const optimizer = new SGD({ learningRate: 1, gradientAccumulationSteps: 3 });
      const seen: [number, number[], number[]][] = [];
      for (let call = 0; call < 4; call++) {
        apply(optimizer, [[w, [1, 1]]]);
        const accumulator = (await optimizer.getWeights())[1]!.tensor;
        seen.push([optimizer.iterations, values(w), values(accumulator)]);
      }
      expect(seen).toEqual([
        [0, [1, 2], [1, 1]],
        [0, [1, 2], [2, 2]],
        [1, [0, 1], [0, 0]],
        [1, [0, 1], [1, 1]],
      ]);
      w.dispose();
      optimizer.dispose();
    });

    it("the schedule sees every call, Adam's bias correction counts updates: 4 calls with N = 2 equal 2 updates with the means", () => {
      const gs = [[0.3, -2.5], [-0.2, 0.01], [0.8, 0.02], [0.5, -0.7]];
      const schedule = new InverseTimeDecay(0.1, 1, 0.5);
      const w = tf.variable(tf.tensor1d([0.5, -1.25]));
      const accumulating = new Adam({ learningRate: schedule, gradientAccumulationSteps: 2 });
      for (const g of gs) apply(accumulating, [[w, g]]);
      expect(accumulating.iterations).toBe(2);

      // The same two updates by hand: the means in float32, the rates schedule(1) and schedule(3).
      const v = tf.variable(tf.tensor1d([0.5, -1.25]));
      const plain = new Adam({ learningRate: schedule(1) });
      apply(plain, [[v, [0, 1].map((i) => fr(fr(gs[1]![i]! + gs[0]![i]!) / 2))]]);
      plain.learningRate = schedule(3);
      apply(plain, [[v, [0, 1].map((i) => fr(fr(gs[3]![i]! + gs[2]![i]!) / 2))]]);
      expect(values(w)).toEqual(values(v));
      tf.dispose([w, v]);
      accumulating.dispose();
      plain.dispose();
    });

    it("save and restore keep the partial sums: iter is the call count, the accumulators come back", async () => {
      const w = tf.variable(tf.tensor1d([1, 2]));
      const optimizer = new SGD({ learningRate: 1, gradientAccumulationSteps: 3 });
      apply(optimizer, [[w, [1, 1]]]);
      apply(optimizer, [[w, [2, 2]]]);
      const saved = (await optimizer.getWeights()).map((x) => ({ name: x.name, tensor: tf.clone(x.tensor) }));
      expect(saved.map((x) => x.name)).toEqual(["iter", `${w.name}/gradient_accumulator`]);
      expect(saved[0]!.tensor.dataSync()[0]).toBe(2);
      const restored = new SGD({ learningRate: 1, gradientAccumulationSteps: 3 });
      await restored.setWeights(saved);
      tf.dispose(saved.map((x) => x.tensor));
      expect(restored.iterations).toBe(0);
      apply(restored, [[w, [3, 3]]]);
      expect(restored.iterations).toBe(1);
      expect(values(w)).toEqual([-1, 0]);
      w.dispose();
      optimizer.dispose();
      restored.dispose();
    });
  });

  describe("clipping", () => {
    it("Keras's tests: clipnorm 1 clips [100, 100] to [sqrt(2)/2, sqrt(2)/2]; clipvalue 1 to [1, 1]", () => {
      for (const [options, expected] of [
        [{ clipnorm: 1 }, [-fr(fr(100) / fr(Math.sqrt(20000))), -fr(fr(100) / fr(Math.sqrt(20000)))]],
        [{ clipvalue: 1 }, [-1, -1]],
      ] as const) {
        const w = tf.variable(tf.zeros([2]));
        const optimizer = new SGD({ learningRate: 1, ...options });
        apply(optimizer, [[w, [100, 100]]]);
        expect(values(w)).toEqual(expected);
        w.dispose();
        optimizer.dispose();
      }
    });

    it("clipnorm clips each gradient by its own norm and leaves a smaller one as it is", () => {
      const a = tf.variable(tf.zeros([2]));
      const b = tf.variable(tf.zeros([2]));
      const optimizer = new SGD({ learningRate: 1, clipnorm: 1 });
      apply(optimizer, [[a, [3, 4]], [b, [0.3, 0.4]]]);
      // (g * c) / max(norm, c), in float32.
      expect(values(a)).toEqual([-fr(3 / 5), -fr(4 / 5)]);
      expect(values(b)).toEqual([-fr(0.3), -fr(0.4)]);
      tf.dispose([a, b]);
      optimizer.dispose();
    });

    it("globalClipnorm scales every gradient by clip / global norm (3-4-5: norm 5), as Keras's clip_by_global_norm", () => {
      const a = tf.variable(tf.zeros([1]));
      const b = tf.variable(tf.zeros([1]));
      const optimizer = new SGD({ learningRate: 1, globalClipnorm: 2 });
      apply(optimizer, [[a, [3]], [b, [4]]]);
      const scale = fr(fr(2) * Math.min(fr(1 / 5), fr(1 / 2)));
      expect(values(a)).toEqual([-fr(3 * scale)]);
      expect(values(b)).toEqual([-fr(4 * scale)]);
      apply(optimizer, [[a, [0.3]], [b, [0.4]]]); // norm 0.5 < 2: scale 2 * (1/2 rounded), about 1
      expect(values(a)[0]).toBeCloseTo(-fr(3 * scale) - 0.3, 6);
      tf.dispose([a, b]);
      optimizer.dispose();
    });

    it("a NaN gradient makes globalClipnorm's scale NaN, as Keras's does (no silent skip)", () => {
      const a = tf.variable(tf.zeros([1]));
      const b = tf.variable(tf.zeros([1]));
      const optimizer = new SGD({ learningRate: 1, globalClipnorm: 2 });
      apply(optimizer, [[a, [NaN]], [b, [4]]]);
      expect(Number.isNaN(values(b)[0])).toBe(true);
      tf.dispose([a, b]);
      optimizer.dispose();
    });
  });

  describe("weightDecay", () => {
    it("decays before the update with the same rate: w - w * wd * lr, then the optimizer's step, in float32", () => {
      const w = tf.variable(tf.tensor1d([2, -3]));
      const optimizer = new SGD({ learningRate: new InverseTimeDecay(0.1, 1, 0.5), weightDecay: 0.3 });
      apply(optimizer, [[w, [1, 1]]]);
      apply(optimizer, [[w, [1, 1]]]);
      let expected = [2, -3].map(fr);
      for (const lr of [fr(0.1), fr(fr(0.1) / fr(1.5))]) {
        expected = expected.map((x) => fr(fr(x - fr(fr(x * fr(0.3)) * lr)) - fr(1 * lr)));
      }
      expect(values(w)).toEqual(expected);
      w.dispose();
      optimizer.dispose();
    });

    it("excludeFromWeightDecay takes variables, layer weights (LayerVariable) and name substrings; each call replaces the last", () => {
      const layer = tf.layers.dense({ units: 1, inputShape: [1], kernelInitializer: "ones", biasInitializer: "ones" });
      const model = tf.sequential({ layers: [layer] });
      const [kernel, bias] = layer.trainableWeights.map((w) => w.read() as tf.Variable) as [tf.Variable, tf.Variable];
      const run = (exclude: (o: KerasOptimizer) => void) => {
        kernel.assign(tf.ones([1, 1]));
        bias.assign(tf.ones([1]));
        const optimizer = new SGD({ learningRate: 1, weightDecay: 0.5 });
        exclude(optimizer);
        apply(optimizer, [[kernel, [0]], [bias, [0]]]);
        optimizer.dispose();
        return [values(kernel)[0], values(bias)[0]];
      };
      expect(run(() => {})).toEqual([0.5, 0.5]);
      expect(run((o) => o.excludeFromWeightDecay({ varNames: ["bias"] }))).toEqual([0.5, 1]);
      expect(run((o) => o.excludeFromWeightDecay({ varList: [layer.trainableWeights[0]!] }))).toEqual([1, 0.5]);
      expect(run((o) => o.excludeFromWeightDecay({ varList: [bias], varNames: ["kernel"] }))).toEqual([1, 1]);
      expect(run((o) => {
        o.excludeFromWeightDecay({ varNames: ["bias"] });
        o.excludeFromWeightDecay({ varNames: ["kernel"] });
      })).toEqual([1, 0.5]);
      expect(() => new SGD().excludeFromWeightDecay({ varList: [tf.ones([1]) as never] })).toThrow(/`varList\[0\]` must be a tf\.Variable or a layer weight/);
      expect(() => new SGD().excludeFromWeightDecay({ varNames: [3 as never] })).toThrow(/`varNames\[0\]` must be a string/);
      model.dispose();
    });
  });

  describe("useEma", () => {
    it("Keras's test (SGD lr 1, gradient 1, momentum 0.9, overwrite every 3): the first update copies, the third overwrites", () => {
      const w = tf.variable(tf.tensor2d([[3, 4], [5, 6]]));
      const optimizer = new SGD({ learningRate: 1, useEma: true, emaMomentum: 0.9, emaOverwriteFrequency: 3 });
      const average = async () => values((await optimizer.getWeights())[1]!.tensor);
      const step = () => apply(optimizer, [[w, [1, 1, 1, 1]]]);
      return (async () => {
        step();
        expect(values(w)).toEqual([2, 3, 4, 5]);
        expect(await average()).toEqual([2, 3, 4, 5]);
        step();
        expect(values(w)).toEqual([1, 2, 3, 4]);
        const m = fr(0.9);
        const second = [2, 3, 4, 5].map((a, i) => fr(fr(m * a) + fr(fr(1 - m) * [1, 2, 3, 4][i]!)));
        expect(await average()).toEqual(second);
        step();
        const third = second.map((a, i) => fr(fr(m * a) + fr(fr(1 - m) * [0, 1, 2, 3][i]!)));
        expect(values(w)).toEqual(third);
        expect(third[0]).toBeCloseTo(1.71, 6);
        w.dispose();
        optimizer.dispose();
      })();
    });

    it("finalizeVariableValues writes the averages into the variables, by variable or through a model; nothing without useEma", () => {
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1], kernelInitializer: "ones" })] });
      const [kernel, bias] = model.trainableWeights.map((w) => w.read() as tf.Variable) as [tf.Variable, tf.Variable];
      const optimizer = new SGD({ learningRate: 1, useEma: true, emaMomentum: 0.5 });
      apply(optimizer, [[kernel, [1]], [bias, [1]]]); // kernel 0, average 0
      apply(optimizer, [[kernel, [1]], [bias, [1]]]); // kernel -1, average -0.5
      optimizer.finalizeVariableValues(model);
      expect(values(kernel)).toEqual([-0.5]);
      expect(values(bias)).toEqual([-1.5]);
      kernel.assign(tf.tensor2d([[7]]));
      optimizer.finalizeVariableValues([bias, kernel]);
      expect(values(kernel)).toEqual([-0.5]);
      expect(() => optimizer.finalizeVariableValues([kernel])).toThrow(/`target` must be the 2 variables this optimizer updates/);
      const other = tf.variable(tf.zeros([1]));
      expect(() => optimizer.finalizeVariableValues([kernel, other])).toThrow(/`variable` must be a variable this optimizer was built for/);
      expect(() => optimizer.finalizeVariableValues({} as never)).toThrow(/`target` must be a tf\.LayersModel or an array of tf\.Variable/);

      const plain = new SGD({ learningRate: 1 });
      apply(plain, [[kernel, [1]], [bias, [1]]]);
      plain.finalizeVariableValues(model);
      expect(values(kernel)).toEqual([-1.5]);
      new SGD({ useEma: true }).finalizeVariableValues(model); // never trained: nothing to write
      expect(values(kernel)).toEqual([-1.5]);
      for (const o of [optimizer, plain]) o.dispose();
      other.dispose();
      model.dispose();
    });

    it("FinalizeVariableValues does it at the end of fit (only when fit runs epochs), and refuses tf.js's own optimizers", async () => {
      const xs = tf.tensor2d([[1], [2], [3], [4]]);
      const ys = tf.tensor2d([[2], [4], [6], [8]]);
      const make = () => {
        const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1], kernelInitializer: "zeros" })] });
        m.compile({ optimizer: new SGD({ learningRate: 0.01, useEma: true, emaMomentum: 0.5 }), loss: "meanSquaredError" });
        return m;
      };
      const a = make();
      await a.fit(xs, ys, { epochs: 3, batchSize: 2, shuffle: false, verbose: 0 });
      const b = make();
      await b.fit(xs, ys, { epochs: 3, batchSize: 2, shuffle: false, verbose: 0, callbacks: [new FinalizeVariableValues()] });
      (a.optimizer as KerasOptimizer).finalizeVariableValues(a);
      expect(a.getWeights().map(values)).toEqual(b.getWeights().map(values));
      const before = b.getWeights().map(values);
      await b.fit(xs, ys, { epochs: 0, verbose: 0, callbacks: [new FinalizeVariableValues()] });
      expect(b.getWeights().map(values)).toEqual(before);

      const theirs = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
      theirs.compile({ optimizer: tf.train.sgd(0.01), loss: "meanSquaredError" });
      await expect(theirs.fit(xs, ys, { epochs: 1, verbose: 0, callbacks: [new FinalizeVariableValues()] })).rejects.toThrow(
        /^FinalizeVariableValues: `model\.optimizer` must be a Keras-faithful optimizer of lr-schedules\/tfjs/,
      );
      for (const m of [a, b, theirs]) m.dispose();
      tf.dispose([xs, ys]);
    });
  });

  it("slots are saved in Keras's order: the averages, then the accumulators, then the optimizer's own", async () => {
    const a = tf.variable(tf.zeros([2]), true, "base-order/a");
    const b = tf.variable(tf.zeros([1]), true, "base-order/b");
    const optimizer = new SGD({ momentum: 0.5, useEma: true, gradientAccumulationSteps: 2 });
    apply(optimizer, [[a, [1, 1]], [b, [1]]]);
    expect((await optimizer.getWeights()).map((w) => w.name)).toEqual([
      "iter", "base-order/a/average", "base-order/b/average", "base-order/a/gradient_accumulator", "base-order/b/gradient_accumulator",
      "base-order/a/momentum", "base-order/b/momentum",
    ]);
    optimizer.dispose();
    tf.dispose([a, b]);
  });

  it("getConfig holds the base options that are set, and fromConfig takes them back", () => {
    const options = { learningRate: 0.1, weightDecay: 0.01, globalClipnorm: 1, useEma: true, emaMomentum: 0.9, emaOverwriteFrequency: 10, gradientAccumulationSteps: 4 };
    const config = new SGD(options).getConfig();
    expect(config).toEqual({ ...options, learningRate: fr(0.1), momentum: 0, nesterov: false, name: "sgd" });
    expect(SGD.fromConfig(SGD, config).getConfig()).toEqual(config);
  });

  describe("bad base options throw errors that name the option and the value", () => {
    const cases: [string, Record<string, unknown>, ErrorConstructor, RegExp][] = [
      ["two clipping options", { clipnorm: 1, clipvalue: 0.5 }, RangeError, /^SGD: `clipvalue` must be null when `clipnorm` is set: Keras takes only one of clipnorm, clipvalue and globalClipnorm\. Received: clipvalue=0\.5$/],
      ["three clipping options", { clipnorm: 1, clipvalue: 0.5, globalClipnorm: 2 }, RangeError, /`clipvalue` must be null when `clipnorm` is set/],
      ["clipvalue and globalClipnorm", { globalClipnorm: 2, clipvalue: 0.5 }, RangeError, /`globalClipnorm` must be null when `clipvalue` is set/],
      ["clipnorm 0", { clipnorm: 0 }, RangeError, /^SGD: `clipnorm` must be a finite number > 0, or null\. Received: clipnorm=0$/],
      ["clipvalue NaN", { clipvalue: NaN }, RangeError, /clipvalue=NaN/],
      ["globalClipnorm negative", { globalClipnorm: -1 }, RangeError, /globalClipnorm=-1/],
      ["clipnorm a string", { clipnorm: "1" }, TypeError, /`clipnorm` must be a finite number > 0, or null/],
      ["weightDecay negative", { weightDecay: -0.1 }, RangeError, /^SGD: `weightDecay` must be a finite number >= 0, or null\. Received: weightDecay=-0\.1$/],
      ["gradientAccumulationSteps 1", { gradientAccumulationSteps: 1 }, RangeError, /^SGD: `gradientAccumulationSteps` must be an integer >= 2, or null\. Received: gradientAccumulationSteps=1$/],
      ["gradientAccumulationSteps 2.5", { gradientAccumulationSteps: 2.5 }, RangeError, /gradientAccumulationSteps=2\.5/],
      ["gradientAccumulationSteps a string", { gradientAccumulationSteps: "2" }, TypeError, /`gradientAccumulationSteps` must be an integer >= 2, or null/],
      ["emaMomentum above 1", { useEma: true, emaMomentum: 1.5 }, RangeError, /^SGD: `emaMomentum` must be a finite number in \[0, 1\]\. Received: emaMomentum=1\.5$/],
      ["emaMomentum negative, even without useEma", { emaMomentum: -0.1 }, RangeError, /emaMomentum=-0\.1/],
      ["emaOverwriteFrequency 0", { useEma: true, emaOverwriteFrequency: 0 }, RangeError, /`emaOverwriteFrequency` must be an integer >= 1, or null\. Received: emaOverwriteFrequency=0/],
      ["useEma not a boolean", { useEma: "yes" }, TypeError, /`useEma` must be a boolean/],
    ];
    for (const [what, options, kind, message] of cases) {
      it(what, () => {
        const make = () => new SGD(options);
        expect(make).toThrow(kind);
        expect(make).toThrow(message);
      });
    }
  });
});

describe("constructor forms type-check as they run: positional, an options object, or leading positional then options", () => {
  it("every optimizer takes leading positional arguments then an options object for the rest", () => {
    const schedule = new InverseTimeDecay(0.1, 1, 0.5);
    const made: KerasOptimizer[] = [
      new SGD(0.1, { nesterov: true, momentum: 0.9 }),
      new SGD(schedule, 0.9, { nesterov: true, clipnorm: 1 }),
      new SGD(0.1, 0.9, true, "sgd"),
      new SGD({ learningRate: 0.1 }),
      new SGD(),
      new Adam(0.01, 0.8, { amsgrad: true, useEma: true }),
      new AdamW(0.01, 0.1, { amsgrad: true }),
      new RMSprop(0.01, { centered: true }),
      new Adadelta(1, { rho: 0.9 }),
      new Adagrad(0.1, { initialAccumulatorValue: 0.2 }),
      new Adamax(0.01, { beta1: 0.8 }),
      new Nadam(0.01, { epsilon: 1e-6 }),
      new Ftrl(0.01, -0.5, { beta: 0.1 }),
      new Lamb(0.01, { weightDecay: 0.01 }),
      new Lion(1e-4, { beta2: 0.9 }),
      new Adafactor(0.01, { relativeStep: false }),
      new ScheduleFreeAdamW(0.01, { warmupSteps: 10 }),
    ];
    expect((made[0] as SGD).getConfig()).toEqual(new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true }).getConfig());
    expect((made[5] as Adam).getConfig()).toEqual(new Adam({ learningRate: 0.01, beta1: 0.8, amsgrad: true, useEma: true }).getConfig());
    for (const o of made) o.dispose();
  });

  it("wrong forms do not type-check, and throw at run time", () => {
    // @ts-expect-error an option given by position and again by name
    expect(() => new SGD(0.1, { learningRate: 0.2 })).toThrow(/`learningRate` must be given once/);
    // @ts-expect-error a base option is taken by name only, never by position
    expect(() => new SGD(0.1, 0.9, true, "sgd", 1)).toThrow(/at most 4 positional arguments/);
    // @ts-expect-error momentum is a number
    expect(() => new SGD(0.1, "0.9")).toThrow(ScheduleTypeError);
    // @ts-expect-error an unknown option
    expect(() => new SGD(0.1, { momentun: 0.9 })).toThrow(/`momentun` must be one of the options/);
  });
});

describe("training state changes whole or not at all (issue 16)", () => {
  const values = (v: tf.Tensor) => Array.from(v.dataSync());

  it("Adam's weights restored into an RMSprop with momentum are refused: at the first update (fresh), at once (built)", async () => {
    const w = tf.variable(tf.tensor([1, 2]), true, "state-w");
    const g = () => ({ [w.name]: tf.tensor([0.5, -0.25]) });
    const adam = new Adam({ learningRate: 0.1 });
    for (let i = 0; i < 5; i++) adam.applyGradients(g());
    const saved = await adam.getWeights();
    const at = values(w);
    const rms = new RMSprop({ learningRate: 0.1, momentum: 0.9 });
    await rms.setWeights(saved); // the slots do not exist yet: checked when the first update builds them
    expect(() => rms.applyGradients(g())).toThrow(/^RMSprop: `weights\[1\]` must be a "velocity" slot of shape \[2\], for state-w\/velocity .*Received: weights\[1\]="state-w\/momentum of shape \[2\]"/);
    expect(values(w)).toEqual(at);
    expect(rms.iterations).toBe(0); // the restore is undone
    rms.applyGradients(g()); // and it trains from fresh slots
    expect(values(w).every(Number.isFinite)).toBe(true);
    await expect(rms.setWeights(saved)).rejects.toThrow(ScheduleOptionError);
    expect(rms.iterations).toBe(1);
    for (const o of [adam, rms]) o.dispose();
    w.dispose();
  });

  for (const [from, to] of [
    [() => new SGD({ momentum: 0.9 }), () => new Adagrad()],
    [() => new SGD(), () => new Lion()],
    [() => new Adam(), () => new Adamax()],
    [() => new Adam(), () => new Adam({ amsgrad: true })],
    [() => new RMSprop({ momentum: 0.9 }), () => new RMSprop({ centered: true })],
  ] as const) {
    it(`${from().getConfig().name}'s weights into ${to().getConfig().name} with other slots are refused`, async () => {
      const p = problem();
      const source = from();
      source.minimize(p.loss, false, [p.w, p.b]);
      const target = to();
      target.minimize(p.loss, false, [p.w, p.b]);
      const before = await Promise.all((await target.getWeights()).map(async (x) => [x.name, await x.tensor.data()]));
      await expect(target.setWeights(await source.getWeights())).rejects.toThrow(ScheduleOptionError);
      expect(await Promise.all((await target.getWeights()).map(async (x) => [x.name, await x.tensor.data()]))).toEqual(before);
      for (const o of [source, target]) o.dispose();
      p.dispose();
    });
  }

  it("a bad iter (NaN, -5, 2.7) is refused before anything changes; a truncated list leaves iterations as they were", async () => {
    const p = problem();
    const optimizer = new Adam();
    optimizer.minimize(p.loss, false, [p.w, p.b]);
    const saved = await optimizer.getWeights();
    const slots = saved.slice(1).map((x) => ({ name: x.name, tensor: tf.clone(x.tensor) }));
    for (const iter of [tf.scalar(NaN), tf.scalar(-5, "int32"), tf.scalar(2.7)]) {
      await expect(optimizer.setWeights([{ name: "iter", tensor: iter }, ...slots])).rejects.toThrow(/^Adam: `weights\[0\] \(iter\)` must be an integer in \[0, 2147483647\]/);
      await expect(new Adam().setWeights([{ name: "iter", tensor: iter }])).rejects.toThrow(ScheduleOptionError);
      iter.dispose();
    }
    const ten = tf.scalar(10, "int32");
    await expect(optimizer.setWeights([{ name: "iter", tensor: ten }, ...slots.slice(0, -1)])).rejects.toThrow(/`weights` must be the 4 slot variables/);
    expect(optimizer.iterations).toBe(1);
    tf.dispose([ten, ...slots.map((s) => s.tensor)]);
    optimizer.dispose();
    p.dispose();
  });

  it("AdamW with a wrong-shaped gradient for one variable decays none of them, however often it is retried", () => {
    const a = tf.variable(tf.tensor([1, 1]), true, "state-a");
    const b = tf.variable(tf.tensor([1, 1, 1]), true, "state-b");
    const o = new AdamW({ learningRate: 0.1, weightDecay: 0.5 });
    const bad = { [a.name]: tf.zeros([2]), [b.name]: tf.zeros([2]) };
    for (let i = 0; i < 3; i++) {
      expect(() => o.applyGradients(bad)).toThrow(/^AdamW: `gradients\["state-b"\]` must be a float32 tensor of shape \[3\], its variable's\. Received: gradients\["state-b"\]="a tensor of shape \[2\]"$/);
    }
    expect(values(a)).toEqual([1, 1]);
    expect(o.iterations).toBe(0);
    o.dispose();
    tf.dispose([a, b, ...Object.values(bad)]);
  });

  it("with useEma, a disposed variable among those it was built for is refused before any variable or slot changes", async () => {
    const a = tf.variable(tf.tensor([1, 2]));
    const b = tf.variable(tf.tensor([3]));
    const o = new SGD({ learningRate: 0.5, useEma: true });
    const g = tf.tensor([1, 1]);
    o.applyGradients({ [a.name]: g, [b.name]: tf.tensor([1]) });
    b.dispose();
    const before = (await o.getWeights()).map((x) => (x.tensor.isDisposed ? null : values(x.tensor)));
    expect(() => o.applyGradients({ [a.name]: g })).toThrow(/^SGD: `variable` must be alive: the EMA update reads every variable/);
    expect(values(a)).toEqual([0.5, 1.5]);
    expect((await o.getWeights()).map((x) => (x.tensor.isDisposed ? null : values(x.tensor)))).toEqual(before);
    expect(o.iterations).toBe(1);
    o.dispose();
    tf.dispose([a, g]);
  });

  it("a scalar, a [1], a bool or a number gradient for a [3] variable is refused, not broadcast or cast", () => {
    const w = tf.variable(tf.tensor([1, 2, 3]));
    const o = new SGD(0.1);
    const cases: [unknown, RegExp][] = [
      [tf.scalar(1), /Received: gradients\[".*"\]="a tensor of shape \[\]"/],
      [tf.tensor([1]), /"a tensor of shape \[1\]"/],
      [tf.tensor([true, false, true]), /ScheduleTypeError|"a bool tensor"/],
      [2, /Received: gradients\[".*"\]=2$/],
    ];
    for (const [gradient, message] of cases) {
      expect(() => o.applyGradients({ [w.name]: gradient as tf.Tensor })).toThrow(message);
      if (gradient instanceof tf.Tensor) gradient.dispose();
    }
    expect(values(w)).toEqual([1, 2, 3]);
    expect(o.iterations).toBe(0);
    o.dispose();
    w.dispose();
  });
});

describe("variables without a gradient are warned about, as Keras does (issue 11)", () => {
  it("applyGradients warns once per distinct set of variables without a gradient, naming them", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const a = tf.variable(tf.tensor([1]), true, "nograd-a");
      const b = tf.variable(tf.tensor([1]), true, "nograd-b");
      const c = tf.variable(tf.tensor([1]), true, "nograd-c");
      const g = tf.tensor([1]);
      const o = new SGD(0.1);
      for (let i = 0; i < 3; i++) o.applyGradients([{ name: a.name, tensor: g }, { name: b.name, tensor: null as unknown as tf.Tensor }, { name: c.name, tensor: null as unknown as tf.Tensor }]);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![0]).toMatch(/^SGD: no gradient for the variables \[nograd-b, nograd-c\]: they are left unchanged/);
      o.applyGradients({ [a.name]: g, [b.name]: g, [c.name]: undefined as unknown as tf.Tensor });
      o.applyGradients({ [a.name]: g, [b.name]: g }); // a variable left out altogether is not "without a gradient"
      expect(warn).toHaveBeenCalledTimes(2);
      expect(warn.mock.calls[1]![0]).toMatch(/\[nograd-c\]/);
      expect(Array.from(c.dataSync())).toEqual([1]);
      o.dispose();
      tf.dispose([a, b, c, g]);
    } finally {
      warn.mockRestore();
    }
  });

  it("model.fit, where the loss does not reach one layer, warns once naming that layer's weights, and trains the rest", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const input = tf.input({ shape: [2] });
      const used = tf.layers.dense({ units: 1, name: "nogradUsed" }).apply(input) as tf.SymbolicTensor;
      const unused = tf.layers.dense({ units: 1, name: "nogradUnused" }).apply(input) as tf.SymbolicTensor;
      const model = tf.model({ inputs: input, outputs: [used, unused] });
      // The second output's loss ignores the prediction: no gradient reaches its layer.
      const ignoresPrediction = (yTrue: tf.Tensor) => tf.mul(tf.mean(yTrue), 0) as tf.Scalar;
      model.compile({ optimizer: new Adam(0.1), loss: [(yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.meanSquaredError(yTrue, yPred), ignoresPrediction] });
      const unusedBefore = model.getLayer("nogradUnused").getWeights().map((t) => Array.from(t.dataSync()));
      const usedBefore = model.getLayer("nogradUsed").getWeights().map((t) => Array.from(t.dataSync()));
      const x = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);
      const y = tf.tensor2d([[1], [0], [1], [0]]);
      await model.fit(x, [y, y], { epochs: 3, batchSize: 2, verbose: 0 });
      const ours = warn.mock.calls.filter(([m]) => String(m).startsWith("Adam: no gradient"));
      expect(ours).toHaveLength(1);
      expect(ours[0]![0]).toMatch(/\[nogradUnused\/kernel, nogradUnused\/bias\]/);
      expect(model.getLayer("nogradUnused").getWeights().map((t) => Array.from(t.dataSync()))).toEqual(unusedBefore);
      expect(model.getLayer("nogradUsed").getWeights().map((t) => Array.from(t.dataSync()))).not.toEqual(usedBefore);
      (model.optimizer as KerasOptimizer).dispose();
      model.dispose();
      tf.dispose([x, y]);
    } finally {
      warn.mockRestore();
    }
  });
});

describe("optimizer.iterations can be set (issue 11)", () => {
  it("a fresh Adam set to 2 takes the same step as one that made 2 updates that changed nothing (zero gradients)", () => {
    const w1 = tf.variable(tf.tensor([0.5, -1]));
    const w2 = tf.variable(tf.tensor([0.5, -1]));
    const zero = tf.zeros([2]);
    const g = tf.tensor([0.3, -0.2]);
    const ran = new Adam({ learningRate: new InverseTimeDecay(0.1, 1, 0.5) });
    ran.applyGradients({ [w1.name]: zero });
    ran.applyGradients({ [w1.name]: zero });
    const set = new Adam({ learningRate: new InverseTimeDecay(0.1, 1, 0.5) });
    set.iterations = 2;
    ran.applyGradients({ [w1.name]: g });
    set.applyGradients({ [w2.name]: g });
    expect(Array.from(w2.dataSync())).toEqual(Array.from(w1.dataSync()));
    expect(set.iterations).toBe(3);
    for (const o of [ran, set]) o.dispose();
    tf.dispose([w1, w2, zero, g]);
  });

  it("with useEma, the first update after setting the count copies the variables, as a first update does", () => {
    const w = tf.variable(tf.tensor([4]));
    const o = new SGD({ learningRate: 1, useEma: true, emaMomentum: 0.5 });
    o.iterations = 10;
    o.applyGradients({ [w.name]: tf.tensor([1]) });
    o.finalizeVariableValues([w]);
    expect(Array.from(w.dataSync())).toEqual([3]); // the average is w itself, not 0.5 * 0 + 0.5 * 3
    o.dispose();
    w.dispose();
  });

  it("a bad count names the option and keeps the count", () => {
    const o = new SGD({ gradientAccumulationSteps: 4 });
    o.iterations = 3;
    expect(() => (o.iterations = -1)).toThrow(/^SGD: `iterations` must be an integer in \[0, 536870911\]\. Received: iterations=-1$/);
    expect(() => (o.iterations = "3" as never)).toThrow(ScheduleTypeError);
    expect(o.iterations).toBe(3);
    o.dispose();
  });
});
