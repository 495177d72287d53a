/**
 * Each optimizer's options come from one declaration (`declareOptimizerOptions`): the option table, its Keras keys and
 * its constraints as data, from which the error texts are generated.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { ScheduleOptionError } from "../errors.js";
import { option } from "../options.js";
import type { LearningRateSchedule } from "../schedule.js";
import { Lion } from "./Lion.js";
import type { SGDConfig, SGDOptions } from "./SGD.js";
import * as optimizers from "./optimizerClasses.js";

describe("optimizer option declarations", () => {
  it("every bounded number option of every optimizer has its bounds as data, and its error text is theirs", () => {
    for (const cls of Object.values(optimizers)) {
      for (const [name, field] of Object.entries(cls.fields)) {
        if (field.constraint?.kind !== "number") continue;
        const bounded = ["min", "max"].some((end) => end in field.constraint!);
        const unbounded = field.expected === "a finite number" || field.expected === "a finite number, or null";
        expect(bounded, `${cls.kerasName}.${name}: ${field.expected}`).toBe(!unbounded);
      }
    }
  });

  it("a rule's reason is added to its bounds' text", () => {
    const beta = option.number({ rule: { min: 0, max: 1, maxOpen: true, because: "it divides by 1 - beta" } }, 0.5);
    expect(beta.constraint).toEqual({ kind: "number", min: 0, max: 1, maxOpen: true });
    expect(beta.expected).toBe("a finite number in [0, 1) (it divides by 1 - beta)");
    expect(() => beta.check(1, "Owner", "beta")).toThrow(ScheduleOptionError);
    expect(() => new Lion({ beta1: 0 })).toThrow("`beta1` must be a finite number in (0, 1] (at 0, Lion degenerates to signSGD)");
    expect(Lion.fields.beta1.constraint).toEqual({ kind: "number", min: 0, minOpen: true, max: 1 });
  });

  it("the options and config types follow from the declaration, base options included", () => {
    expectTypeOf<SGDOptions>().toEqualTypeOf<{
      learningRate?: number | LearningRateSchedule;
      momentum?: number;
      nesterov?: boolean;
      weightDecay?: number | null;
      clipnorm?: number | null;
      clipvalue?: number | null;
      globalClipnorm?: number | null;
      useEma?: boolean;
      emaMomentum?: number;
      emaOverwriteFrequency?: number | null;
      gradientAccumulationSteps?: number | null;
      name?: string;
    }>();
    expectTypeOf<SGDConfig["weightDecay"]>().toEqualTypeOf<number | null>();
  });
});
