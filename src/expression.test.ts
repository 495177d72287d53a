import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CosineDecay, deserialize, InverseTimeDecay, LearningRateSchedule, serialize } from "./index.js";
import { EXPRESSION_LIMITS, ExpressionError, location, parseExpression, printExpression } from "./expression.js";
import { EXAMPLES } from "../test/support/expressionExamples.js";

/** The 1-based column an expression error points at. */
function columnOf(text: string): number {
  try {
    parseExpression(text);
  } catch (e) {
    if (e instanceof ExpressionError) return e.index + 1;
    throw e;
  }
  throw new Error(`parsed without error: ${text}`);
}

describe("printExpression", () => {
  const warmup = "linearWarmup(CosineDecay(1e-3, 10000), { warmupSteps: 500 })";

  it("writes every option on one line by default (show), or TypeScript with defaults left out (the playground)", () => {
    const lr = parseExpression(warmup);
    expect(printExpression(lr)).toBe(
      'LinearWarmup({ schedule: CosineDecay({ initialLearningRate: 0.001, decaySteps: 10000, alpha: 0, name: "CosineDecay", warmupTarget: null, warmupSteps: 0 }), warmupSteps: 500, initialLearningRate: 0, name: "LinearWarmup" })',
    );
    expect(printExpression(lr, { new: true, omitDefaults: true })).toBe(
      "new LinearWarmup({ schedule: new CosineDecay({ initialLearningRate: 0.001, decaySteps: 10000 }), warmupSteps: 500 })",
    );
    const used = new Set<string>();
    printExpression(lr, { used });
    expect([...used]).toEqual(["LinearWarmup", "CosineDecay"]);
  });

  it("breaks a call, an array or an object that does not fit in `width` into one item a line", () => {
    expect(printExpression(parseExpression(warmup), { new: true, omitDefaults: true, width: 60 })).toBe(
      "new LinearWarmup({\n  schedule: new CosineDecay({\n    initialLearningRate: 0.001,\n    decaySteps: 10000,\n  }),\n  warmupSteps: 500,\n})",
    );
    expect(printExpression(parseExpression("Sequence([Constant(0.1), Constant(0.2)], [10])"), { omitDefaults: true, width: 30 })).toBe(
      "Sequence({\n  schedules: [\n    Constant({ value: 0.1 }),\n    Constant({ value: 0.2 }),\n  ],\n  boundaries: [10],\n})",
    );
    expect(printExpression({ a: [1, 2], "b-c": {} }, { width: 10 })).toBe('{\n  a: [1, 2],\n  "b-c": {},\n}');
  });
});

describe("parseExpression", () => {
  it("gives the values its TSDoc states", () => {
    expect(parseExpression("CosineDecay(1e-3, 10000, { warmupTarget: 1e-2, warmupSteps: 500 })")(500)).toBe(0.009999999776482582);
    expect(parseExpression("linearWarmup(Constant(0.1), { warmupSteps: 10 })")(5)).toBe(0.05000000074505806);
  });

  it("reads the issue's example as the same schedule the API builds", () => {
    const text = "CosineDecay(1e-3, 10000, { warmupTarget: 1e-2, warmupSteps: 500 })";
    const made = new CosineDecay({ initialLearningRate: 1e-3, decaySteps: 10000, warmupTarget: 1e-2, warmupSteps: 500 });
    expect(parseExpression(text).getConfig()).toEqual(made.getConfig());
  });

  it("accepts `new`, a trailing `;`, trailing commas, comments, quotes of either kind and numeric separators", () => {
    const a = parseExpression(`new InverseTimeDecay({
      initialLearningRate: 0.1, // the peak
      "decaySteps": 1_000, /* steps */ decayRate: .5, name: 'itd',
    });`);
    expect(a.getConfig()).toEqual(new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.5, name: "itd" }).getConfig());
    expect(parseExpression("InverseTimeDecay(0x10, 1e+1, 5E-1,)").getConfig()).toMatchObject({ initialLearningRate: 16, decaySteps: 10, decayRate: 0.5 });
    expect(parseExpression('InverseTimeDecay(1, 1, 1, false, "a\\"b\\u0041\\n")').name).toBe('a"bA\n');
  });

  it("nests composition, and a lower-case first letter names the class (linearWarmup for LinearWarmup)", () => {
    const lr = parseExpression("linearWarmup(Sequence([Constant(0.01), InverseTimeDecay(0.1, 1, 0.5)], [100]), { warmupSteps: 10 })");
    expect(lr.className).toBe("LinearWarmup");
    expect(lr(110)).toBe(new InverseTimeDecay(0.1, 1, 0.5)(0));
    expect(lr(5)).toBe(Math.fround(Math.fround(0.01) * 0.5));
  });

  it("every example builds a schedule, and printExpression writes it back, in each of its forms, so that it parses to the same config", () => {
    for (const text of EXAMPLES) {
      const lr = parseExpression(text);
      expect(lr).toBeInstanceOf(LearningRateSchedule);
      for (const options of [{}, { new: true, omitDefaults: true }, { new: true, omitDefaults: true, width: 20 }]) {
        const again = parseExpression(printExpression(lr, options));
        expect(serialize(again), `${text} ${JSON.stringify(options)}`).toEqual(serialize(lr));
      }
    }
  });

  it("parses any config the library writes, for random InverseTimeDecay options", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e3, noNaN: true }), fc.double({ min: 1e-6, max: 1e9, noNaN: true }), fc.boolean(), fc.string(), (rate, steps, staircase, name) => {
        const lr = new InverseTimeDecay({ initialLearningRate: rate, decaySteps: steps, decayRate: rate, staircase, name });
        return JSON.stringify(parseExpression(printExpression(lr)).getConfig()) === JSON.stringify(lr.getConfig());
      }),
    );
  });

  it("a key named __proto__ is an ordinary unknown option, not a prototype", () => {
    expect(() => parseExpression('InverseTimeDecay(0.1, 1, 0.5, { "__proto__": { polluted: 1 } })')).toThrow(/`__proto__` must be one of the options/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  describe("errors name what is wrong and its column", () => {
    const cases: [string, number, RegExp][] = [
      ["Cosine(1e-3, 100)", 1, /unknown schedule `Cosine`; known: .*CosineDecay/],
      ["Cosinedecay(1e-3, 100)", 1, /unknown schedule `Cosinedecay`; did you mean CosineDecay\? known: /],
      ["CosineDeacy(1e-3, 100)", 1, /unknown schedule `CosineDeacy`; did you mean CosineDecay\? known: /],
      ["Constant(InverseTimeDecy(0.1, 1, 0.5))", 10, /did you mean InverseTimeDecay\?/],
      ["CosineDecay(1e-3, -5)", 19, /CosineDecay: `decaySteps` must be a finite number > 0\. Received: decaySteps=-5/],
      ["CosineDecay(1e-3, 100, { warmupSteps: -5 })", 39, /`warmupSteps` must be a finite number >= 0/],
      ["CosineDecay(1e-3, 100, { decay: 3 })", 26, /`decay` must be one of the options/],
      ["CosineDecay(1e-3)", 1, /`decaySteps` must be a finite number > 0 \(it is required\)/],
      ["CosineDecay('a', 100)", 13, /initialLearningRate="a"/],
      ["PiecewiseConstantDecay([10, 5], [1, 0.5, 0.1])", 29, /`boundaries\[1\]`/],
      ["Sequence([Constant(0.01), 5], [100])", 27, /`schedules\[1\]` must be a LearningRateSchedule/],
      ["CosineDecay(1e-3, 100", 22, /expected ',' or '\)', found the end of the expression/],
      ["CosineDecay(1e-3 100)", 18, /expected ',' or '\)', found '1'/],
      ["CosineDecay(1e-3, 1.2.3)", 19, /malformed number '1\.2\.3'/],
      ["CosineDecay(1e-3, 1__0)", 19, /malformed number/],
      ["CosineDecay(1e-3, foo)", 19, /unknown name `foo`/],
      ["CosineDecay(1e-3, 100, { alpha: 0.1, alpha: 0.2 })", 38, /option `alpha` is given twice/],
      ["CosineDecay(1e-3, 100, { name: 'x })", 32, /unclosed string/],
      ["CosineDecay(1e-3, 100) extra", 24, /unexpected 'e' after the schedule/],
      ["3", 1, /expected a schedule/],
      ["[CosineDecay(1e-3, 100)]", 1, /expected a schedule/],
      ["CosineDecay(1e-3, -'x')", 19, /'-' must be followed by a number/],
      ["CosineDecay(1e-3, 100, { warmupSteps })", 38, /expected ':' after warmupSteps/],
      ["eval('1')", 1, /unknown schedule `eval`/],
      ["", 1, /expected a value, found the end of the expression/],
      ["CosineDecay(1e-3, /* 100)", 19, /unclosed comment/],
    ];
    for (const [text, column, message] of cases) {
      it(`${JSON.stringify(text)} fails at column ${column}`, () => {
        expect(() => parseExpression(text)).toThrow(message);
        expect(columnOf(text)).toBe(column);
      });
    }
  });

  it("an unknown name far from every class gets no suggestion", () => {
    expect(() => parseExpression("Cosine(1e-3, 100)")).toThrow(/`Cosine`; known:/);
    expect(() => parseExpression("Adam(1e-3)")).toThrow(/`Adam`; known:/);
  });

  describe("limits: hostile nesting and sizes are named errors at their column, in linear time, not stack overflows", () => {
    const { maxDepth, maxValues, maxArguments } = EXPRESSION_LIMITS;
    it(`nesting: arrays, objects and calls at most ${maxDepth} deep`, () => {
      const arrays = `PiecewiseConstantDecay(${"[".repeat(100_000)}`;
      expect(() => parseExpression(arrays)).toThrow(new RegExp(`nested more than ${maxDepth} deep`));
      expect(columnOf(arrays)).toBe(24 + maxDepth - 1);
      const calls = `${"linearWarmup(".repeat(10_000)}Constant(0.1)${", { warmupSteps: 1 })".repeat(10_000)}`;
      expect(() => parseExpression(calls)).toThrow(/nested more than 64 deep/);
      expect(columnOf(calls)).toBe(13 * maxDepth + 1);
      const objects = `Constant(${"{ a: ".repeat(10_000)}`;
      expect(() => parseExpression(objects)).toThrow(/nested more than 64 deep/);
      const deepest = `${"linearWarmup(".repeat(maxDepth - 1)}Constant(0.1)${", { warmupSteps: 1 })".repeat(maxDepth - 1)}`;
      expect(parseExpression(deepest)(0)).toBe(0);
    });

    it("any number of signs, read in one pass", () => {
      expect(parseExpression(`Constant(${"-".repeat(100_000)}0.5)`)(0)).toBe(0.5);
      expect(parseExpression(`Constant(+ ${"- ".repeat(100_000)}0.5)`)(0)).toBe(0.5);
      expect(() => parseExpression(`Constant(${"- ".repeat(100_001)}0.5)`)).toThrow(/=-0\.5/);
      expect(() => parseExpression(`Constant(${"-".repeat(100_000)}'x')`)).toThrow(/'-' must be followed by a number/);
    });

    it(`values: at most ${maxValues} in all; arguments: at most ${maxArguments} per call`, () => {
      const many = `PiecewiseConstantDecay([${"1,".repeat(1_000_000)}], [1])`;
      expect(() => parseExpression(many)).toThrow(new RegExp(`more than ${maxValues} values`));
      expect(columnOf(many)).toBe(25 + 2 * (maxValues - 2));
      const args = `Constant(${"1,".repeat(1_000_000)})`;
      expect(() => parseExpression(args)).toThrow(/more than 200000 values/);
      const seventeen = `Constant(${Array(maxArguments + 1).fill("0.1").join(", ")})`;
      expect(() => parseExpression(seventeen)).toThrow(`Constant is given ${maxArguments + 1} arguments: a call takes at most ${maxArguments}`);
      expect(columnOf(seventeen)).toBe(10 + 5 * maxArguments);
    });

    // A quadratic duplicate-key check takes minutes on 190,000 keys; linear work takes about a second.
    it("work stays linear: 190,000 option keys and a long array are read in seconds", () => {
      const keys = `InverseTimeDecay(0.1, 1, 0.5, { ${Array.from({ length: 190_000 }, (_, i) => `k${i}: 1`).join(", ")} })`;
      let t = performance.now();
      expect(() => parseExpression(keys)).toThrow(/`k0` must be one of the options/);
      expect(performance.now() - t).toBeLessThan(10_000);
      const boundaries = Array.from({ length: 99_000 }, (_, i) => i + 1);
      const long = `PiecewiseConstantDecay([${boundaries.join(", ")}], [${[...boundaries, 0].map(() => "0.1").join(", ")}])`;
      t = performance.now();
      expect(parseExpression(long)(5)).toBe(Math.fround(0.1));
      expect(performance.now() - t).toBeLessThan(10_000);
    });
  });

  it("an error in a text of several lines gives its line and column", () => {
    const text = "CosineDecay(\n  1e-3,\n  -5,\n)";
    expect(() => parseExpression(text)).toThrow(/\(line 3, column 3\)$/);
    expect(location("ab\ncd", 4)).toBe("line 2, column 2");
    expect(location("abcd", 2)).toBe("column 3");
  });

  it("builds what deserialize builds from the same schedule's Keras JSON", () => {
    for (const text of EXAMPLES) {
      const lr = parseExpression(text);
      expect(deserialize(JSON.stringify(serialize(lr)))(123)).toBe(lr(123));
    }
  });
});
