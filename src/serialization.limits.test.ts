import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { JSON_LIMITS, parseKerasJson, ScheduleOptionError } from "./index.js";

/** The values `JSON.parse` builds for `value` (keys not counted): the reference the limits count against. */
function valueCount(value: unknown): number {
  if (Array.isArray(value)) return 1 + value.reduce((n: number, v) => n + valueCount(v), 0);
  if (typeof value === "object" && value !== null) return 1 + Object.values(value).reduce((n: number, v) => n + valueCount(v), 0);
  return 1;
}
const refusal = (input: unknown) => {
  try {
    parseKerasJson(input);
    return undefined;
  } catch (e) {
    return e;
  }
};

describe("parseKerasJson's limits are checked before the work", () => {
  afterEach(() => vi.restoreAllMocks());

  it("refuses text with too many values before JSON.parse builds any", () => {
    const parse = vi.spyOn(JSON, "parse");
    const text = "[" + "0,".repeat(JSON_LIMITS.maxNodes) + "0]";
    expect(() => parseKerasJson(text)).toThrow(/at most 200000 values/);
    const deep = "[".repeat(JSON_LIMITS.maxDepth + 1) + "]".repeat(JSON_LIMITS.maxDepth + 1);
    expect(() => parseKerasJson(deep)).toThrow(/nested at most 64 deep/);
    expect(parse).not.toHaveBeenCalled();
  });

  it("refuses an object whose array is too long without reading or listing its elements", () => {
    let touched = 0;
    const big = new Proxy(new Array(JSON_LIMITS.maxNodes).fill(0), {
      get: (t, k, r) => (typeof k === "string" && /^\d+$/.test(k) && touched++, Reflect.get(t, k, r)),
      ownKeys: (t) => (touched++, Reflect.ownKeys(t)),
    });
    expect(() => parseKerasJson({ class_name: "PiecewiseConstantDecay", config: { boundaries: big } })).toThrow(/at most 200000 values/);
    expect(touched).toBe(0);
  });

  it("counts text and objects alike, exactly at the limit and one past it, whatever the strings hold", () => {
    fc.assert(
      // Without the keys refused for another reason (a counterexample once was { prototype: false }).
      fc.property(fc.jsonValue({ maxDepth: 4 }).filter((v) => !/"(?:__proto__|constructor|prototype)":/.test(JSON.stringify(v))), fc.constantFrom("", " ", "\n\t"), (value, space) => {
        const pad = JSON_LIMITS.maxNodes - 1 - valueCount(value);
        const atLimit = [value, ...new Array<number>(pad).fill(0)];
        const past = [...atLimit, 0];
        for (const [input, ok] of [[atLimit, true], [past, false]] as const) {
          const text = JSON.stringify(input, null, space);
          expect(refusal(input) === undefined).toBe(ok);
          expect(refusal(text) === undefined).toBe(ok);
        }
      }),
      { numRuns: 15 },
    );
  });

  it("allows 64 levels of nesting and refuses 65, naming the path in text and in objects alike", () => {
    const nest = (depth: number): unknown => {
      let v: unknown = 1;
      for (let i = 0; i < depth; i++) v = i % 2 ? [0, v] : { "a\"[,{": v };
      return v;
    };
    expect(refusal(nest(JSON_LIMITS.maxDepth))).toBeUndefined();
    expect(refusal(JSON.stringify(nest(JSON_LIMITS.maxDepth)))).toBeUndefined();
    const path = 'json' + '.a"[,{[1]'.repeat(32);
    for (const input of [nest(JSON_LIMITS.maxDepth + 1), JSON.stringify(nest(JSON_LIMITS.maxDepth + 1))]) {
      const e = refusal(input) as ScheduleOptionError;
      expect(e).toBeInstanceOf(ScheduleOptionError);
      expect(e.option).toBe(path);
      expect(e.message).toMatch(/nested at most 64 deep/);
    }
  });

  it("names the path of a forbidden key, and refuses it in text too", () => {
    const input = { class_name: "X", config: { values: [0, { constructor: 1 }] } };
    for (const value of [input, JSON.stringify(input)]) {
      expect(() => parseKerasJson(value)).toThrow(/`json\.config\.values\[1\]\.constructor` must be absent/);
    }
  });
});
