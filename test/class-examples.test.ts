/**
 * Every registered class has examples of its own, so that the charts, the playground and the every-class tests cover
 * it; and the catalogue they are read from misses no entry's schedule.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { knownScheduleNames } from "../src/index.js";
import { builtInScheduleClasses, scheduleCatalogue } from "../src/catalogue.js";
import { functionOptionNames } from "../src/options.js";
import { scheduleClassOf } from "../src/scheduleFunction.js";
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

describe("the catalogue", () => {
  it("holds every schedule every entry of package.json's exports offers (but those that need a JavaScript function), under that entry", async () => {
    const { exports: exportsMap } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { exports: Record<string, unknown> };
    const catalogued = new Map(scheduleCatalogue().map((e) => [e.cls, e]));
    let offered = 0;
    for (const subpath of Object.keys(exportsMap).filter((p) => p !== "./package.json")) {
      const entry = subpath === "." ? "lr-schedules" : `lr-schedules/${subpath.slice(2)}`;
      const source = new URL(`../src/${subpath.slice(2)}${subpath === "." ? "" : "/"}index.ts`, import.meta.url).href;
      const exports = (await import(/* @vite-ignore */ source)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(exports)) {
        const cls = scheduleClassOf(value);
        if (!cls || functionOptionNames(cls.fields, "required").length > 0) continue;
        offered++;
        expect(catalogued.get(cls), `${entry}: ${name}`).toMatchObject({ entry, exportName: name });
      }
    }
    expect(offered).toBe(catalogued.size);
  });
});
