import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileNamePattern, NAME_PATTERN_LIMITS, NamePatternError } from "./namePattern.js";

/** Patterns of the accepted subset, built from the parts that layer-name patterns use, nested. */
const { expr: pattern } = fc.letrec<{ expr: string; term: string }>((tie) => ({
  term: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom("a", "b", "_", "/", ".", "\\w", "\\W", "\\d", "\\s", "[ab]", "[^a]", "[a-c_]", "[]", "[^]", "\\x5f", "\\u0061", "\\/", "\\.", "{", "}", "]", "a{,2}"),
    fc.constantFrom("^", "$", "\\b", "\\B"),
    fc.tuple(fc.constantFrom("(", "(?:", "(?<g>"), tie("expr")).map(([open, inner]) => `${open}${inner})`),
    fc
      .tuple(
        fc.oneof(fc.constantFrom("a", "b", ".", "[ab]", "\\w"), tie("expr").map((inner) => `(?:${inner})`)),
        fc.constantFrom("*", "+", "?", "{2}", "{0,}", "{1,3}", "{0,1}"),
        fc.constantFrom("", "?"),
      )
      .map(([atom, q, lazy]) => `${atom}${q}${lazy}`),
  ),
  expr: fc
    .array(fc.array(tie("term"), { maxLength: 4 }).map((terms) => terms.join("")), { minLength: 1, maxLength: 3 })
    .map((options) => options.join("|")),
}));
const text = fc.string({ unit: fc.constantFrom("a", "b", "_", "/", "1", "A", " ", "\n", "{", "}", "]"), maxLength: 12 });

/** JavaScript's own verdict, or undefined when JavaScript refuses the pattern (a named group twice, for example). */
function native(p: string, s: string): boolean | undefined {
  try {
    return new RegExp(p).test(s);
  } catch {
    return undefined;
  }
}

describe("compileNamePattern", () => {
  it("finds a match exactly where JavaScript's RegExp does, for every pattern it accepts", () => {
    fc.assert(
      fc.property(pattern, fc.array(text, { minLength: 1, maxLength: 8 }), (p, texts) => {
        if (native(p, "") === undefined) return;
        const search = compileNamePattern(p);
        for (const s of texts) expect(search(s), `/${p}/.test(${JSON.stringify(s)})`).toBe(native(p, s));
      }),
      { numRuns: 3000 },
    );
  });

  it("the patterns of Muon's tests, its README and its TSDoc mean what they meant", () => {
    const cases: [string, string, boolean][] = [
      ["^muonExampleHead/", "muonExampleHead/kernel", true],
      ["^output/", "output/kernel_1", true],
      ["head", "r3/Head/kernel", false],
      ["dense_Dense\\d+/kernel", "dense_Dense12/kernel", true],
      ["output\\x5fdense", "output_dense/kernel", true],
      ["a\\_b", "a_b", true],
      ["[_x]", "x", true],
      ["\\\\_", "\\_", true],
      ["\\\\\\x5f", "_", false],
      ["^nothing$", "nothing/kernel", false],
      ["excluded", "muon-test/excluded/bias", true],
    ];
    for (const [p, s, expected] of cases) {
      expect(native(p, s)).toBe(expected);
      expect(compileNamePattern(p)(s), `/${p}/ on ${s}`).toBe(expected);
    }
  });

  it("searches in time linear in the name: the patterns that make RegExp backtrack for minutes take milliseconds", () => {
    const name = `${"a".repeat(30)}!`;
    for (const p of ["(a+)+$", "(a|a)+$", "(a|aa)+$", "(a*)*b", "(.*a){20}$", ".*.*.*.*.*.*.*.*.*.*x", "(\\w+\\w*)+/"]) {
      const search = compileNamePattern(p);
      const start = performance.now();
      expect(search(name)).toBe(false);
      expect(search(name.repeat(30)), p).toBe(false);
      expect(performance.now() - start, p).toBeLessThan(200);
    }
  });

  it("refuses backreferences, lookarounds, octal and control escapes and inline modifiers, naming the part and where it is", () => {
    const refused: [string, RegExp][] = [
      ["(a)\\1", /^a backreference or octal escape `\\1` at index 3$/],
      ["(?<x>a)\\k<x>", /^a backreference `\\k` at index 7$/],
      ["\\k", /backreference `\\k`/],
      ["\\01", /octal escape `\\0` at index 0/],
      ["\\12", /backreference or octal escape `\\1`/],
      ["x(?=a)", /^a lookaround `\(\?=` at index 2$/],
      ["(?!a)", /^a lookaround `\(\?!` at index 1$/],
      ["(?<=a)b", /^a lookaround `\(\?<=` at index 1$/],
      ["(?<!a)b", /^a lookaround `\(\?<!` at index 1$/],
      ["\\cJ", /^a control escape `\\c` at index 0$/],
    ];
    for (const [p, message] of refused) {
      let caught: unknown;
      try {
        compileNamePattern(p);
      } catch (e) {
        caught = e;
      }
      expect(caught, p).toBeInstanceOf(NamePatternError);
      expect((caught as Error).message, p).toMatch(message);
    }
    // Inline modifiers are JavaScript syntax only from V8 12.4 (Node 23) on; refused either way.
    expect(() => compileNamePattern("(?i:a)")).toThrow(/inline modifier `\(\?i:`|Invalid regular expression/);
  });

  it("bounds a pattern's size: its length, and its states once {n,m} repetitions are written out", () => {
    expect(() => compileNamePattern("a".repeat(NAME_PATTERN_LIMITS.length))).not.toThrow();
    expect(() => compileNamePattern("a".repeat(NAME_PATTERN_LIMITS.length + 1))).toThrow(new NamePatternError("1001 characters, more than 1000"));
    expect(compileNamePattern("(?:ab){1000}")("ab".repeat(1000))).toBe(true);
    expect(() => compileNamePattern("(?:a{100}){101}")).toThrow(/^more than 10000 states once its repetitions are written out$/);
    expect(() => compileNamePattern("(unclosed")).toThrow(SyntaxError);
    expect(() => compileNamePattern("(".repeat(1e6))).toThrow(/^1000000 characters, more than 1000$/);
  });
});
