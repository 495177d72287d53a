/**
 * Every PyTorch case of test/fixtures/torch/torch-golden.json (PyTorch 2.13's optimizer rate after the constructor and
 * k calls of `scheduler.step()`, see its README): the number path within 1e-12 relative of `observed[k]`, a named
 * error where PyTorch raises (`null`), and ReduceLROnPlateau fed the same metrics.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { float64Ops, ScheduleOptionError, type LearningRateSchedule } from "../index.js";
import * as torch from "./index.js";
import { torchCase, type TorchCase } from "../../test/support/torchGolden.js";

const read = (file: string) => (JSON.parse(readFileSync(fileURLToPath(new URL(`../../test/fixtures/torch/${file}`, import.meta.url)), "utf8")) as { cases: TorchCase[] }).cases;
// The shared reference's cases, then those scripts/torch-golden-more.py made with PyTorch 2.13.
const cases = [...read("torch-golden.json"), ...read("torch-golden-more.json")];
const schedulers = cases.filter((c) => c.framework === "pytorch" && c.class !== "ReduceLROnPlateau");
const plateaus = cases.filter((c) => c.class === "ReduceLROnPlateau" || c.fn === "get_reduce_on_plateau_schedule");

/** Relative distance, with the case's lr as the scale where the value is 0. */
const relative = (got: number, want: number, scale: number) => Math.abs(got - want) / Math.max(Math.abs(want), scale * 1e-300, Number.MIN_VALUE);

describe("PyTorch golden cases", () => {
  it("the fixtures hold every case: 24 + 20 schedulers of 14 classes, 2 + 2 plateaus", () => {
    expect(schedulers.length).toBe(44);
    expect(new Set(schedulers.map((c) => c.class)).size).toBe(14);
    expect(plateaus.length).toBe(4);
  });

  it("every scheduler case: lr(k) within 1e-12 relative of observed[k], a named error where PyTorch raises or goes negative", () => {
    let worst = 0;
    let compared = 0;
    const far: string[] = [];
    for (const c of schedulers) {
      const lr: LearningRateSchedule = torchCase(c);
      // Increasing steps (one step each), then decreasing (a restart each): both must give the same values.
      for (const order of [c.steps, [...c.steps].reverse()]) {
        for (const k of order) {
          const want = c.observed[c.steps.indexOf(k)]!;
          if (want === null) {
            expect(() => lr(k), `${c.class} at ${k}`).toThrow(ScheduleOptionError);
            expect(() => lr(k)).toThrow(/OneCycleLR: `step` must be at most totalSteps/);
            continue;
          }
          if (want < 0) {
            // OneCycleLR's linear phase extrapolated one step past its end: PyTorch sets a negative rate, this refuses it.
            expect(() => lr(k), `${c.class} at ${k}`).toThrow(/OneCycleLR: `step` must be at most \d+: PyTorch's rate at totalSteps \(\d+\) is -/);
            continue;
          }
          const error = relative(lr(k), want, c.base_lr);
          worst = Math.max(worst, error);
          compared++;
          if (!(error <= 1e-12)) far.push(`${c.class} ${JSON.stringify(c.args)} at ${k}: ${lr(k)} vs ${want}`);
        }
      }
    }
    console.log(`PyTorch golden: worst relative error ${worst} over ${compared} values`);
    expect(far).toEqual([]);
  });

  it("the tensor path's closed form, run in doubles, is PyTorch's closed form (step(epoch)) within 1e-12 of the rate", () => {
    let compared = 0;
    for (const c of schedulers.filter((x) => x.closed_form && !JSON.stringify(x.args).includes("lambda"))) {
      const lr = torchCase(c);
      c.steps.forEach((k, i) => {
        const want = c.closed_form![i]!;
        expect(Math.abs(lr.compute(float64Ops, k) - want), `${c.class} ${JSON.stringify(c.args)} at ${k}`).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(want), c.base_lr));
        compared++;
      });
    }
    expect(compared).toBe(18 * 41);
  });

  it("ReduceLROnPlateau: the rate after each metric, as PyTorch's", () => {
    for (const c of plateaus) {
      const plateau = new torch.ReduceLROnPlateau({ ...camelArgs(c.args), lr: c.base_lr } as torch.ReduceLROnPlateauOptions);
      const got = [plateau.lr, ...c.metrics!.map((m) => plateau.step(m))];
      expect(got).toEqual(c.observed);
    }
  });
});

function camelArgs(args: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [k.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase()), v]));
}
