import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { adamByHand, bits, describeBadOptions, expectGoldenJsonRoundTrip, expectSaveResumeExact, expectWithin, inverseTimeByHand, kerasSingleStep, savedAfterOneUpdate } from "../../test/support/optimizerSuite.js";
import { InverseTimeDecay } from "../index.js";
import { Muon, optimizerFromKeras, optimizerToKeras, type MuonOptions } from "./index.js";

const fr = Math.fround;
const rateAt = inverseTimeByHand(0.02, 4, 0.5);

type Matrix = number[][];
const transpose = (x: Matrix): Matrix => x[0]!.map((_, j) => x.map((row) => row[j]!));
/** A product as tf.js's cpu backend computes small ones: products and sums in double, rounded once to float32. */
const matMul = (a: Matrix, b: Matrix): Matrix => a.map((row) => b[0]!.map((_, j) => fr(row.reduce((s, aik, k) => s + aik * b[k]![j]!, 0))));
const map2 = (x: Matrix, f: (v: number, i: number, j: number) => number): Matrix => x.map((row, i) => row.map((v, j) => f(v, i, j)));

interface Settings {
  a: number;
  b: number;
  c: number;
  momentum: number;
  nsSteps: number;
  nesterov: boolean;
  rmsRate: number | null;
  weightDecay: number | null;
}
const defaults: Settings = { a: 3.4445, b: -4.775, c: 2.0315, momentum: 0.95, nsSteps: 5, nesterov: true, rmsRate: 0.2, weightDecay: 0.004 };

/** Keras's zeropower_via_newtonschulz5 by hand in float32, with tf.js's cpu sums (exact, then rounded). */
function newtonSchulz(g: Matrix, s: Settings): Matrix {
  const transposed = g.length > g[0]!.length;
  let x = transposed ? transpose(g) : g;
  const norm = fr(Math.sqrt(fr(x.flat().reduce((acc, v) => acc + fr(v * v), 0))));
  const scale = fr(norm + fr(1e-7));
  x = map2(x, (v) => fr(v / scale));
  for (let k = 0; k < s.nsSteps; k++) {
    const xxT = matMul(x, transpose(x));
    const poly = map2(matMul(map2(xxT, (v) => fr(fr(s.c) * v)), xxT), (v, i, j) => fr(fr(fr(s.b) * xxT[i]![j]!) + v));
    const bx = matMul(poly, x);
    x = map2(x, (v, i, j) => fr(fr(fr(s.a) * v) + bx[i]![j]!));
  }
  return transposed ? transpose(x) : x;
}

/**
 * Keras 3's Muon step on a 2-D weight, by hand in float32 (muon.py): w -= w wd lr; m += g + m (momentum - 1);
 * G = nesterov ? g + momentum m : m; w -= (lr NS(G)) sqrt(max(rows, cols)) rmsRate. `momentum - 1` is a double
 * rounded once.
 */
function muonByHand(w0: Matrix, grads: Matrix[], s: Settings): Matrix[] {
  let w = map2(w0, fr);
  let m = map2(w0, () => 0);
  return grads.map((g, step) => {
    const lr = rateAt(step);
    if (s.weightDecay !== null) w = map2(w, (v) => fr(v - fr(fr(v * fr(s.weightDecay!)) * lr)));
    m = map2(m, (mv, i, j) => fr(mv + fr(fr(g[i]![j]!) + fr(mv * fr(s.momentum - 1)))));
    const direction = s.nesterov ? map2(m, (mv, i, j) => fr(fr(g[i]![j]!) + fr(fr(s.momentum) * mv))) : m;
    const o = newtonSchulz(direction, s);
    const root = fr(Math.sqrt(Math.max(w.length, w[0]!.length)));
    w = map2(w, (v, i, j) => {
      let update = fr(lr * o[i]![j]!);
      if (s.rmsRate !== null) update = fr(fr(update * root) * fr(s.rmsRate));
      return fr(v - update);
    });
    return w;
  });
}

/** A 3 x 2 kernel (more rows than columns: Newton–Schulz works on its transpose) and a bias, three steps each. */
const kernel0: Matrix = [[0.5, -1.25], [2, 0.1], [0.7, -0.3]];
const kernelGrads: Matrix[] = [
  [[0.3, -2.5], [1.1, 0.05], [0.2, -0.4]],
  [[-0.2, 0.01], [0.9, -0.6], [0.3, 0.1]],
  [[0.8, 0.02], [-0.3, 0.25], [-0.1, 0.6]],
];
const bias0 = [0.05, -0.2];
const biasGrads = [[0.3, -0.1], [-0.2, 0.4], [0.1, 0.1]];

/** Runs one kernel and one bias through `optimizer`; their values after each step. */
function run(optimizer: Muon, kernel = kernel0, grads = kernelGrads, names = ["muon-test/dense/kernel", "muon-test/dense/bias"]) {
  const k = tf.variable(tf.tensor2d(kernel), true, names[0]);
  const b = tf.variable(tf.tensor1d(bias0), true, names[1]);
  const out = grads.map((g, step) => {
    const gk = tf.tensor2d(g);
    const gb = tf.tensor1d(biasGrads[step]!);
    optimizer.applyGradients([
      { name: k.name, tensor: gk },
      { name: b.name, tensor: gb },
    ]);
    tf.dispose([gk, gb]);
    return { kernel: k.arraySync() as Matrix, bias: Array.from(b.dataSync()) };
  });
  optimizer.dispose();
  tf.dispose([k, b]);
  return out;
}

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("Muon", () => {
  const lr = () => new InverseTimeDecay(0.02, 4, 0.5);
  const options = (s: Settings): MuonOptions => ({
    learningRate: lr(),
    muonA: s.a,
    muonB: s.b,
    muonC: s.c,
    momentum: s.momentum,
    nsSteps: s.nsSteps,
    nesterov: s.nesterov,
    rmsRate: s.rmsRate,
    weightDecay: s.weightDecay,
  });

  const variants: [string, Settings][] = [
    ["the defaults", defaults],
    ["no Nesterov, no rmsRate, no weight decay, 2 iterations, other coefficients", { a: 2, b: -1.5, c: 0.5, momentum: 0.8, nsSteps: 2, nesterov: false, rmsRate: null, weightDecay: null }],
  ];
  for (const [name, s] of variants) {
    it(`3 steps with ${name}: the kernel takes Muon's rule worked by hand, bit for bit`, () => {
      const ours = run(new Muon(options(s)));
      const kernels = muonByHand(kernel0, kernelGrads, s);
      expect(ours.map((r) => bits(r.kernel))).toEqual(kernels.map(bits));
    });
  }

  it("a wide kernel (no transpose in Newton–Schulz) takes the same rule, bit for bit", () => {
    const wide = transpose(kernel0);
    const ours = run(new Muon(options(defaults)), wide, kernelGrads.map(transpose));
    expect(ours.map((r) => bits(r.kernel))).toEqual(muonByHand(wide, kernelGrads.map(transpose), defaults).map(bits));
  });

  it("the bias takes AdamW's rule with adamWeightDecay and adamLrRatio, bit for bit", () => {
    const ours = run(new Muon({ learningRate: lr(), adamWeightDecay: 0.1, adamLrRatio: 0.5, adamBeta1: 0.8, adamBeta2: 0.99, epsilon: 1e-5 }));
    expect(bits(ours.map((r) => r.bias))).toEqual(bits(adamByHand({ rateAt, w0: bias0, grads: biasGrads, weightDecay: 0.1, lrRatio: 0.5, beta1: 0.8, beta2: 0.99, epsilon: 1e-5 })));
    const noDecay = run(new Muon({ learningRate: lr(), adamWeightDecay: null }));
    expect(bits(noDecay.map((r) => r.bias))).toEqual(bits(adamByHand({ rateAt, w0: bias0, grads: biasGrads })));
  });

  it("Keras's Newton–Schulz test: [[0.2499, 0.9105], [0.2655, 0.8824]] gives about [[-0.4422, 0.6457], [0.7285, 0.2968]]", () => {
    expectWithin(newtonSchulz([[0.2499, 0.9105], [0.2655, 0.8824]], defaults).flat(), [-0.4422, 0.6457, 0.7285, 0.2968], 1e-3);
  });

  it("Keras's single Muon step: lr 0.5, w [[1, 2], [3, 4]], g [[1, 6], [7, 2]] gives [[0.988775, 1.887053], [2.873428, 3.97035]]", () => {
    expectWithin(kerasSingleStep(new Muon({ learningRate: 0.5, weightDecay: null }), [2, 2]), [0.988775, 1.887053, 2.873428, 3.97035], 1e-4);
  });

  describe("routing, as Keras's _should_use_adamw, on tf.js variable names", () => {
    const slotNames = async (variables: [string, number[]][], o: MuonOptions = {}) =>
      (await savedAfterOneUpdate(new Muon(o), Object.fromEntries(variables))).map((w) => w.name).slice(1);

    it("2-D weights get momentum only; every other rank gets momentum and velocity, per variable in order", async () => {
      expect(await slotNames([["r/k", [2, 3]], ["r/b", [3]], ["r/s", []], ["r/t", [2, 2, 2]]])).toEqual([
        "r/k/momentum",
        "r/b/momentum",
        "r/b/velocity",
        "r/s/momentum",
        "r/s/velocity",
        "r/t/momentum",
        "r/t/velocity",
      ]);
    });

    it("excludeEmbeddings sends names containing 'embedding' in any case to AdamW; off, they take Muon", async () => {
      expect(await slotNames([["r/Embedding_Embedding1/embeddings", [5, 2]]])).toEqual(["r/Embedding_Embedding1/embeddings/momentum", "r/Embedding_Embedding1/embeddings/velocity"]);
      expect(await slotNames([["r2/embedding/embeddings", [5, 2]]], { excludeEmbeddings: false })).toEqual(["r2/embedding/embeddings/momentum"]);
    });

    it("excludeLayers patterns are case-sensitive regular expressions searched anywhere in the name", async () => {
      const names = await slotNames([["r3/head/kernel", [2, 2]], ["r3/Head/kernel", [2, 2]], ["r3/body/kernel", [2, 2]]], { excludeLayers: ["head", "^nothing$"] });
      expect(names).toEqual(["r3/head/kernel/momentum", "r3/head/kernel/velocity", "r3/Head/kernel/momentum", "r3/body/kernel/momentum"]);
    });

    it("excludeLayers are searched in linear time: (a+)+$, which backtracks for minutes in RegExp, routes a 31-character name at once", async () => {
      // RegExp's backtracking doubles with each "a": about 80 s for this name.
      const name = `${"a".repeat(30)}!`;
      expect(name).toHaveLength(31);
      const start = performance.now();
      const names = await slotNames([[name, [2, 2]], ["r4/aaa", [2, 2]]], { excludeLayers: ["(a+)+$"] });
      const elapsed = performance.now() - start;
      expect(names).toEqual([`${name}/momentum`, "r4/aaa/momentum", "r4/aaa/velocity"]);
      expect(elapsed).toBeLessThan(1000);
    });

    it("a backreference, a lookaround or a pattern over 1000 characters in excludeLayers is refused with a named error, made directly, by fromConfig or from Keras JSON", () => {
      const refused = /^Muon: `excludeLayers\[1\]` must be a JavaScript regular expression without backreferences or lookarounds, at most 1000 characters \(this one has a lookaround `\(\?=` at index 1\)\. Received: excludeLayers\[1\]="\(\?=a\)b"$/;
      const make = [
        () => new Muon({ excludeLayers: ["ok", "(?=a)b"] }),
        () => Muon.fromConfig(Muon, { ...new Muon().getConfig(), excludeLayers: ["ok", "(?=a)b"] }),
        () => optimizerFromKeras({ class_name: "Muon", config: { exclude_layers: ["ok", "(?=a)b"] } }),
        () => optimizerFromKeras(JSON.stringify({ class_name: "Muon", config: { exclude_layers: ["ok", "(?=a)b"] } })),
      ];
      for (const f of make) {
        expect(f).toThrow(expect.objectContaining({ name: "ScheduleOptionError" }));
        expect(f).toThrow(refused);
      }
      expect(() => new Muon({ excludeLayers: ["a".repeat(1001)] })).toThrow(/\(this one has 1001 characters, more than 1000\)\. Received: excludeLayers\[0\]="a{77}\.\.\."$/);
    });

    it("an AdamW-routed 2-D weight takes AdamW's rule, bit for bit", () => {
      const flat = kernel0.flat();
      const ours = run(new Muon({ learningRate: lr(), excludeLayers: ["excluded"] }), kernel0, kernelGrads, ["muon-test/excluded/kernel", "muon-test/excluded/bias"]);
      expect(bits(ours.map((r) => r.kernel.flat()))).toEqual(bits(adamByHand({ rateAt, w0: flat, grads: kernelGrads.map((g) => g.flat()), weightDecay: 0.004 })));
    });
  });

  it("2 epochs + save + load + 3 epochs equals 5 epochs straight, bit for bit", () =>
    expectSaveResumeExact(() => new Muon({ learningRate: new InverseTimeDecay(0.02, 4, 0.5), adamLrRatio: 0.5 }), "muon-defaults"));

  it("save and resume keep excludeLayers patterns with '_', which tf.js's loader would camelCase (all kernels to AdamW here)", () =>
    expectSaveResumeExact(
      () => new Muon({ learningRate: new InverseTimeDecay(0.02, 4, 0.5), excludeLayers: ["dense_Dense\\d+/kernel"] }),
      "muon-defaults",
      // Made, and loaded back: Keras JSON holds the pattern as given.
      (o) => expect(optimizerToKeras(o).config.exclude_layers).toEqual(["dense_Dense\\d+/kernel"]),
    ));

  it("getConfig, what tf.js saves, writes each '_' of excludeLayers as \\u005f: the same regular expression, and no '_' for tf.js's loader to rewrite", () => {
    const patterns = ["output_dense", "a\\_b", "[_x]", "\\\\_"];
    const stored = new Muon({ excludeLayers: patterns }).getConfig().excludeLayers as string[];
    expect(stored).toEqual(["output\\u005fdense", "a\\u005fb", "[\\u005fx]", "\\\\\\u005f"]);
    for (const [k, text] of ["output_dense", "a_b", "_", "\\_"].entries()) {
      expect(new RegExp(stored[k]!).test(text)).toBe(new RegExp(patterns[k]!).test(text));
      expect(new RegExp(stored[k]!).test(text)).toBe(true);
    }
    expect(new RegExp(stored[3]!).test("_")).toBe(false);
  });

  it("Keras JSON holds excludeLayers as given, and fromConfig(getConfig()) gives them back ('\\_' as '_', the same expression)", () => {
    const patterns = ["output_dense", "[_x]", "\\\\_", "a\\x5fb", "^head/"];
    const o = new Muon({ excludeLayers: patterns });
    expect(optimizerToKeras(o).config.exclude_layers).toEqual(patterns);
    expect(optimizerFromKeras(optimizerToKeras(o)).getConfig()).toEqual(o.getConfig());
    const back = Muon.fromConfig(Muon, JSON.parse(JSON.stringify(o.getConfig()))) as Muon;
    expect(optimizerToKeras(back).config.exclude_layers).toEqual(["output_dense", "[_x]", "\\\\_", "a_b", "^head/"]);
    expect(back.getConfig()).toEqual(o.getConfig());
    expect(optimizerToKeras(Muon.fromConfig(Muon, new Muon({ excludeLayers: ["a\\_b"] }).getConfig()) as Muon).config.exclude_layers).toEqual(["a_b"]);
  });

  it("weight decay skips the variables excluded with excludeFromWeightDecay, on both paths", () => {
    const k = tf.variable(tf.ones([2, 2]), true, "muon-test/wd/kernel");
    const b = tf.variable(tf.ones([2]), true, "muon-test/wd/bias");
    const optimizer = new Muon({ learningRate: 0.5, weightDecay: 0.1, adamWeightDecay: 0.2 });
    optimizer.excludeFromWeightDecay({ varNames: ["bias"] });
    optimizer.applyGradients([
      { name: k.name, tensor: tf.zeros([2, 2]) },
      { name: b.name, tensor: tf.zeros([2]) },
    ]);
    // Zero gradients: Muon's step is 0 (Newton-Schulz of a zero matrix), AdamW's too; only the decay moves weights.
    expect(Array.from(k.dataSync())).toEqual([0.949999988079071, 0.949999988079071, 0.949999988079071, 0.949999988079071]);
    expect(Array.from(b.dataSync())).toEqual([1, 1]);
    optimizer.dispose();
    tf.dispose([k, b]);
  });

  it("with the base options (EMA, gradient accumulation) too: averages and accumulators come before its slots, and resume", () =>
    expectSaveResumeExact(() => new Muon({ learningRate: new InverseTimeDecay(0.02, 4, 0.5), useEma: true, gradientAccumulationSteps: 2 }), "muon-defaults"));

  it("fills Keras's defaults, and takes leading positional arguments then an options object", () => {
    const keras = {
      learningRate: fr(0.001),
      adamBeta1: 0.9,
      adamBeta2: 0.999,
      adamWeightDecay: 0.004,
      epsilon: 1e-7,
      weightDecay: 0.004,
      excludeLayers: [],
      excludeEmbeddings: true,
      muonA: 3.4445,
      muonB: -4.775,
      muonC: 2.0315,
      adamLrRatio: 1,
      momentum: 0.95,
      nsSteps: 5,
      nesterov: true,
      rmsRate: 0.2,
      name: "muon",
    };
    expect(new Muon().getConfig()).toEqual(keras);
    expect(new Muon(0.01, 0.8, 0.99, null, 1e-6, { nsSteps: 3 }).getConfig()).toEqual({ ...keras, learningRate: fr(0.01), adamBeta1: 0.8, adamBeta2: 0.99, adamWeightDecay: null, epsilon: 1e-6, nsSteps: 3 });
    const config = new Muon({ ...options(variants[1]![1]), excludeLayers: ["out"] }).getConfig();
    expect(Muon.fromConfig(Muon, config).getConfig()).toEqual(config);
  });

  it("optimizerFromKeras(optimizerToKeras(o)) rebuilds it, and Keras's JSON of the golden case goes through unchanged", () => {
    expectGoldenJsonRoundTrip("muon-defaults", Muon);
    const other = new Muon({ ...options(variants[1]![1]), excludeLayers: ["out"], excludeEmbeddings: false });
    const back = optimizerToKeras(other);
    expect(back.config).toMatchObject({ weight_decay: null, rms_rate: null, exclude_layers: ["out"], exclude_embeddings: false, ns_steps: 2 });
    expect(optimizerFromKeras(back).getConfig()).toEqual(other.getConfig());
  });

  describeBadOptions(
    Muon,
    [
      ["learningRate", -1, RangeError, /^Muon: `learningRate` must be a finite number >= 0\. Received: learningRate=-1$/],
      ["adamBeta1", 1.5, RangeError, /^Muon: `adamBeta1` must be a finite number in \[0, 1\) \(a bias correction divides by 1 - beta\^t, which is 0 at 1\)\. Received: adamBeta1=1\.5$/],
      ["adamBeta1", 1, RangeError, /^Muon: `adamBeta1` must be a finite number in \[0, 1\) .*Received: adamBeta1=1$/],
      ["adamBeta1", 0.99999999, RangeError, /`adamBeta1` must be .* also in float32 \(it rounds to 1\)\. Received: adamBeta1=0\.99999999$/],
      ["adamBeta2", NaN, RangeError, /`adamBeta2` must be a finite number in \[0, 1\]\. Received: adamBeta2=NaN/],
      ["adamWeightDecay", -0.1, RangeError, /`adamWeightDecay` must be a finite number >= 0, or null\. Received: adamWeightDecay=-0\.1/],
      ["epsilon", 0, RangeError, /`epsilon` must be a finite number > 0\. Received: epsilon=0/],
      ["weightDecay", Infinity, RangeError, /`weightDecay` must be a finite number >= 0, or null\. Received: weightDecay=Infinity/],
      ["excludeLayers", "head", TypeError, /`excludeLayers` must be an array of regular expressions \(strings\)\. Received: excludeLayers="head"/],
      ["excludeLayers", [3], TypeError, /`excludeLayers\[0\]` must be a string \(a regular expression\)\. Received: excludeLayers\[0\]=3/],
      ["excludeLayers", ["ok", "(unclosed"], RangeError, /`excludeLayers\[1\]` must be a valid JavaScript regular expression\. Received: excludeLayers\[1\]="\(unclosed"/],
      ["excludeLayers", ["(a)\\1"], RangeError, /`excludeLayers\[0\]` must be a JavaScript regular expression without backreferences or lookarounds, at most 1000 characters \(this one has a backreference or octal escape `\\1` at index 3\)\. Received: excludeLayers\[0\]="\(a\)\\\\1"/],
      ["excludeLayers", ["(?<!x)y"], RangeError, /\(this one has a lookaround `\(\?<!` at index 1\)/],
      ["excludeEmbeddings", 1, TypeError, /`excludeEmbeddings` must be a boolean\. Received: excludeEmbeddings=1/],
      ["muonA", NaN, RangeError, /`muonA` must be a finite number\. Received: muonA=NaN/],
      ["muonB", "x", TypeError, /`muonB` must be a finite number\. Received: muonB="x"/],
      ["muonC", -Infinity, RangeError, /muonC=-Infinity/],
      ["adamLrRatio", -1, RangeError, /`adamLrRatio` must be a finite number >= 0\. Received: adamLrRatio=-1/],
      ["momentum", 1.2, RangeError, /`momentum` must be a finite number in \[0, 1\]\. Received: momentum=1\.2/],
      ["nsSteps", 2.5, RangeError, /`nsSteps` must be an integer >= 0\. Received: nsSteps=2\.5/],
      ["nsSteps", -1, RangeError, /nsSteps=-1/],
      ["nesterov", "true", TypeError, /`nesterov` must be a boolean\. Received: nesterov="true"/],
      ["rmsRate", -0.2, RangeError, /`rmsRate` must be a finite number >= 0, or null\. Received: rmsRate=-0\.2/],
      ["ns_steps", 5, RangeError, /`ns_steps` must be one of the options learningRate, adamBeta1/],
    ],
    () => {
      it("optimizerFromKeras names the Keras key of a bad value", () => {
        expect(() => optimizerFromKeras({ class_name: "Muon", config: { ns_steps: 2.5 } })).toThrow(/`config\.ns_steps` must be an integer >= 0\. Received: config\.ns_steps=2\.5/);
      });
    },
  );
});
