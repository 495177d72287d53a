/** The playground picks each option's input from its constraint, and starts a new block from its class's examples. */
import { describe, expect, it } from "vitest";
import { kindOf } from "../playground/src/fields.js";
import { newNode } from "../playground/src/model.js";
import { OneCycle, Sequence } from "../src/index.js";
import { builtInScheduleClasses } from "../src/catalogue.js";

describe("playground inputs", () => {
  it("gives every option of every schedule class an input of its own kind, never the JSON fallback", () => {
    for (const cls of builtInScheduleClasses()) {
      for (const [name, field] of Object.entries(cls.fields ?? {})) expect(kindOf(field).kind, `${cls.className}.${name}`).not.toBe("json");
    }
  });

  it("slides OneCycle's totalSteps over steps, and keeps pctStart inside (0, 1)", () => {
    expect(kindOf(OneCycle.fields.totalSteps)).toEqual({ kind: "number", nullable: false, min: 2, max: Infinity, minOpen: false, maxOpen: false, steps: true });
    expect(kindOf(OneCycle.fields.pctStart)).toMatchObject({ kind: "number", min: 0, max: 1, minOpen: true, maxOpen: true, steps: false });
  });

  it("starts a new block of a class from the class's first example, its nested blocks from CosineDecay's", () => {
    expect(newNode(OneCycle).values).toMatchObject({ peakLearningRate: 0.01, totalSteps: 10000, pctStart: 0.3 });
    const sequence = newNode(Sequence).values;
    expect(sequence.boundaries).toEqual([2000]);
    expect((sequence.schedules as { cls: { className: string } }[]).map((n) => n.cls.className)).toEqual(["CosineDecay", "CosineDecay"]);
  });
});
