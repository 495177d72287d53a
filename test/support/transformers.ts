/** The transformers fixtures (test/fixtures/transformers, see its README) and the 1e-12 relative comparison they are held to. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { LearningRateSchedule } from "../../src/index.js";

/** Reads one file of test/fixtures/transformers. */
export function transformersFixture<T>(file: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../fixtures/transformers/${file}`, import.meta.url)), "utf8")) as T;
}

/** What transformers raised, as the fixtures record it. */
export interface PythonError {
  type: string;
  message: string;
}

/** One schedule-function case: transformers' function, its arguments, the optimizer's rate, and the rates or the error. */
export interface ScheduleCase {
  fn: string;
  args: Record<string, unknown>;
  base_lr: number;
  steps?: number[];
  lr?: number[];
  error?: PythonError;
}

/** The worst relative distance of `lr` to `expected` over `steps` (absolute where `expected` is 0), the steps beyond 1e-12, and how many are equal. */
export function distance(lr: LearningRateSchedule, steps: readonly number[], expected: readonly number[]): { worst: number; off: string[]; equal: number } {
  let worst = 0;
  let equal = 0;
  const off: string[] = [];
  steps.forEach((s, i) => {
    const want = expected[i]!;
    const got = lr(s);
    const d = want === 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want);
    worst = Math.max(worst, d);
    if (got === want) equal++;
    if (!(d <= 1e-12)) off.push(`step ${s}: ${got} vs ${want}`);
  });
  return { worst, off, equal };
}
