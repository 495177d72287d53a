/**
 * Every case of test/fixtures/optax/optax-golden.json (optax 0.2.8 run by itself: jax 0.10.2, CPU, x64 off; copied
 * from the session's reference data, see scripts/optax-golden.py for how more are made) against this entry.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { float32Bits, ScheduleOptionError, sample, type LearningRateSchedule } from "../index.js";
import { ulpDistance } from "../../test/support/golden.js";
import * as optax from "./index.js";

interface ScheduleCase {
  fn: string;
  args: Record<string, unknown>;
  steps: number[];
  float32_bits: number[];
  jit_float32_bits?: number[];
  output_kind: "python-value" | "float32-array";
  python_value?: number;
}
interface OptimizerCase {
  fn: "optimizer-observed";
  schedule: { fn: string } & Record<string, unknown>;
  update_index: number[];
  lr_used_float32_bits: number[];
}
type Case = ScheduleCase | OptimizerCase;

const read = (file: string) =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../../test/fixtures/optax/${file}`, import.meta.url)), "utf8")) as { source: string; cases: Case[] };
/** The session's reference cases, and those scripts/optax-golden.py made for what they leave out. */
const fixture = read("optax-golden.json");
const more = read("optax-more-golden.json");
const scheduleCases = [...fixture.cases, ...more.cases].filter((c): c is ScheduleCase => c.fn !== "optimizer-observed");
const optimizerCases = fixture.cases.filter((c): c is OptimizerCase => c.fn === "optimizer-observed");

/** `warmup_cosine_decay_schedule` -> `warmupCosineDecaySchedule`, `init_value` -> `initValue`. */
const camel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** optax's keyword arguments as this entry's options: keys in camelCase, nested schedules built. */
function optionsOf(args: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(args).map(([k, v]) => [camel(k), k === "schedules" ? (v as Record<string, unknown>[]).map(({ fn, ...rest }) => build(fn as string, rest)) : v]),
  );
}

function build(fn: string, args: Record<string, unknown>): LearningRateSchedule {
  const builder = (optax as unknown as Record<string, (options: object) => LearningRateSchedule>)[camel(fn)];
  if (!builder) throw new Error(`no ${camel(fn)} in lr-schedules/optax`);
  return builder(optionsOf(args));
}

/** Within 4 ulp of optax's float32, or within 1e-9 of it where the value is near zero (a cosine's end). */
const close = (ours: number, bits: number, value: number) => ulpDistance(float32Bits(ours), bits) <= 4 || Math.abs(ours - value) <= 1e-9;
const f32 = (bits: number) => new Float32Array(new Uint32Array([bits]).buffer)[0]!;

/** Builders whose degenerate arguments optax turns into a constant, which this entry refuses instead. */
const refused = (c: ScheduleCase) => c.output_kind === "python-value" && c.fn !== "constant_schedule";

describe(`optax golden values (${fixture.source}; ${more.source})`, () => {
  it("the fixtures hold every case they held when made (25 + 68 schedules, 1 optimizer run), covering the 14 builders", () => {
    expect(scheduleCases.length).toBe(25 + 68);
    expect(optimizerCases.length).toBe(1);
    expect(new Set(scheduleCases.map((c) => camel(c.fn))).size).toBe(14);
  });

  let worst = 0;
  let compared = 0;
  for (const c of scheduleCases.filter((c) => !refused(c))) {
    const clamped = typeof c.args.transition_begin === "number" && c.args.transition_begin < 0;
    const what = clamped ? ", refused, is transitionBegin 0 (optax's fallback)," : "";
    it(`${camel(c.fn)}(${JSON.stringify(c.args)})${what} is within 4 ulp of optax's eager float32 at every step >= 0`, () => {
      if (clamped) expect(() => build(c.fn, c.args)).toThrow(/`transitionBegin` must be a finite number >= 0/);
      const lr = build(c.fn, clamped ? { ...c.args, transition_begin: 0 } : c.args);
      const far: string[] = [];
      c.steps.forEach((s, i) => {
        if (s < 0) return; // a rate is asked of steps >= 0 only (the call refuses others)
        const bits = c.float32_bits[i]!;
        const ulps = ulpDistance(float32Bits(lr(s)), bits);
        if (!close(lr(s), bits, f32(bits))) far.push(`step ${s}: ${lr(s)} vs ${f32(bits)} (${ulps} ulp)`);
        worst = Math.max(worst, ulps);
        compared++;
      });
      expect(far).toEqual([]);
    });
  }

  for (const c of scheduleCases.filter(refused)) {
    it(`${camel(c.fn)}(${JSON.stringify(c.args)}), a constant ${c.python_value} in optax, is refused; constantSchedule gives its value`, () => {
      expect(() => build(c.fn, c.args)).toThrow(ScheduleOptionError);
      const lr = optax.constantSchedule(c.python_value!);
      c.steps.forEach((s, i) => s >= 0 && expect(float32Bits(lr(s))).toBe(c.float32_bits[i]));
    });
  }

  it("an optimizer's k-th update uses the rate at step k, counted from 0 (optax.sgd's observed rates)", () => {
    for (const c of optimizerCases) {
      const { fn, ...args } = c.schedule;
      const lr = build(fn, args);
      const rates = sample(lr, { start: 0, stop: c.update_index.length, step: 1 }).values;
      rates.forEach((r, k) => expect(close(r, c.lr_used_float32_bits[k]!, f32(c.lr_used_float32_bits[k]!)), `update ${k}`).toBe(true));
    }
  });

  // The bound is 4 ulp, but every value matches optax to the bit: any distance is a change worth seeing.
  it("matches every golden value to the bit (prints the worst distance)", () => {
    console.log(`optax golden: worst distance ${worst} ulp over ${compared} values`);
    expect(compared).toBeGreaterThan(4800);
    expect(worst).toBe(0);
  });
});
