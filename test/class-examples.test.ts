/** Every registered class has examples of its own, so that the charts, the playground and the every-class tests cover it. */
import { describe, expect, it } from "vitest";
import { knownScheduleNames } from "../src/index.js";
import { builtInScheduleClasses } from "../src/catalogue.js";
import { scheduleExamples } from "./support/examples.js";

describe("class examples", () => {
  it("every registered schedule class has examples, each an instance of that class, over a chart range > 0", () => {
    const byName = new Map(builtInScheduleClasses().map((cls) => [cls.className, cls]));
    for (const registered of knownScheduleNames()) {
      const className = registered.slice(registered.indexOf(">") + 1);
      const cls = byName.get(className);
      expect(cls?.examples?.expressions.length, `examples of ${registered}`).toBeGreaterThan(0);
      expect(cls!.examples!.steps).toBeGreaterThan(0);
    }
    const built = scheduleExamples();
    for (const cls of byName.values()) expect(built.some((s) => s.constructor === cls), `an example built as ${cls.className}`).toBe(true);
  });
});
