/**
 * Every transformers case of the fixtures: the reference cases (transformers' lambdas in Python floats, checked against
 * transformers 5.17.0) and the cases made by running transformers 5.18.0 (scripts/transformers-fixtures.py). Each
 * schedule is built from transformers' own argument names (its Keras config keys) and must give `lr[k]` within
 * 1e-12 relative at every step; the worst distance is printed.
 */
import { describe, expect, it } from "vitest";
import { distance, transformersFixture, type ScheduleCase } from "../../test/support/transformers.js";
import { scheduleClassOf } from "../scheduleFunction.js";
import * as transformers from "./index.js";

/** `get_cosine_schedule_with_warmup` -> the entry's `getCosineScheduleWithWarmup`. */
function functionNamed(pythonName: string): unknown {
  const name = pythonName.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof typeof transformers;
  expect(transformers[name], pythonName).toBeDefined();
  return transformers[name];
}

const reference = transformersFixture<{ cases: ScheduleCase[] }>("reference-golden.json").cases;
const ran = transformersFixture<{ schedules: ScheduleCase[] }>("transformers-5.18.json").schedules;

describe.each([
  ["reference-golden.json (transformers 5.17.0's lambdas)", reference, 18],
  ["transformers-5.18.json (transformers 5.18.0 run)", ran.filter((c) => !c.error), 89],
])("%s", (_, cases, count) => {
  it(`every case, built from transformers' own argument names, is within 1e-12 relative at every step`, () => {
    expect(cases.length).toBe(count);
    let worst = 0;
    let values = 0;
    let equal = 0;
    const off: string[] = [];
    for (const c of cases) {
      const cls = scheduleClassOf(functionNamed(c.fn))!;
      const lr = cls.fromConfig({ ...c.args, learning_rate: c.base_lr });
      const d = distance(lr, c.steps!, c.lr!);
      worst = Math.max(worst, d.worst);
      off.push(...d.off.map((o) => `${c.fn}(${JSON.stringify(c.args)}) ${o}`));
      values += c.steps!.length;
      equal += d.equal;
    }
    console.log(`${cases.length} cases, ${values} values: ${equal} equal to the bit, worst relative distance ${worst}`);
    expect(off).toEqual([]);
  });
});

describe("what transformers refuses when the schedule is made is refused here, with a named error", () => {
  for (const c of ran.filter((c) => c.error)) {
    it(`${c.fn}(${JSON.stringify(c.args)}): transformers raises ${c.error!.type} (${c.error!.message})`, () => {
      const cls = scheduleClassOf(functionNamed(c.fn))!;
      const make = () => cls.fromConfig({ ...c.args, learning_rate: c.base_lr });
      expect(make).toThrow(new RegExp(`^${cls.className}: `));
      expect(make).toThrow(c.error!.type === "TypeError" ? TypeError : Error);
    });
  }
});
