/** The playground picks each option's input from the option's constraint, with no parsing of its error text. */
import { describe, expect, it } from "vitest";
import { kindOf, startValue } from "../playground/src/fields.js";
import { OneCycle } from "../src/index.js";
import * as scheduleClasses from "../src/schedules/index.js";

describe("playground inputs", () => {
  it("gives every option of every schedule class an input of its own kind, never the JSON fallback", () => {
    for (const cls of Object.values(scheduleClasses)) {
      for (const [name, field] of Object.entries(cls.fields)) expect(kindOf(field).kind, `${cls.className}.${name}`).not.toBe("json");
    }
  });

  it("slides OneCycle's totalSteps over steps, and keeps pctStart inside (0, 1)", () => {
    expect(kindOf(OneCycle.fields.totalSteps)).toEqual({ kind: "number", nullable: false, min: 2, max: Infinity, minOpen: false, maxOpen: false, steps: true });
    expect(kindOf(OneCycle.fields.pctStart)).toMatchObject({ kind: "number", min: 0, max: 1, minOpen: true, maxOpen: true, steps: false });
    expect(startValue(OneCycle.fields.totalSteps, kindOf(OneCycle.fields.totalSteps))).toBe(10000);
  });
});
