/** `show`: what a schedule is (class, config, formula) and what it does over a range (its key facts). */
import { LearningRateSchedule, type ScheduleClass } from "../schedule.js";
import { shortFloat, type PlotSeries } from "../plot/data.js";
import { scheduleToKerasJson } from "../keras/text.js";
import { printExpression } from "../expression.js";
import type { Range } from "./range.js";

/** The rate at a step. */
export interface Point {
  step: number;
  rate: number;
}

/** What `show` reports about a sampled schedule. */
export interface Facts {
  first: Point;
  last: Point;
  max: Point;
  min: Point;
  /** Where the rise from the first step peaks, when the schedule starts by rising. */
  warmupEnd?: Point;
  /** Each later rise: the first step with a higher rate, and where that rise peaks. */
  restarts: { step: number; peak: Point }[];
}

/**
 * Key facts read off the sampled values, the same way for every class: extremes, and the rises. A rise is a run of
 * increasing rates worth more than a thousandth of the range (smaller ones are float32 rounding); one that starts
 * at the first step is a warmup, any other a restart.
 */
export function facts(series: PlotSeries): Facts {
  const { steps, values } = series;
  const n = steps.length;
  const point = (i: number): Point => ({ step: steps[i]!, rate: values[i]! });
  let lo = 0;
  let hi = 0;
  for (let i = 1; i < n; i++) {
    if (values[i]! < values[lo]!) lo = i;
    if (values[i]! > values[hi]!) hi = i;
  }
  const threshold = (values[hi]! - values[lo]!) * 1e-3;
  const rises: [number, number][] = [];
  for (let i = 1; i < n; i++) {
    if (!(values[i]! > values[i - 1]!)) continue;
    const from = i - 1;
    while (i + 1 < n && values[i + 1]! > values[i]!) i++;
    if (values[i]! - values[from]! > threshold) rises.push([from, i]);
  }
  const warmup = rises[0]?.[0] === 0 ? rises.shift() : undefined;
  return {
    first: point(0),
    last: point(n - 1),
    max: point(hi),
    min: point(lo),
    ...(warmup ? { warmupEnd: point(warmup[1]) } : {}),
    restarts: rises.map(([from, to]) => ({ step: steps[from + 1]!, peak: point(to) })),
  };
}

const at = (p: Point) => `${shortFloat(p.rate)} at step ${p.step}`;

/** The text `show` prints for one schedule. */
export function showText(label: string, schedule: LearningRateSchedule, series: PlotSeries, range: Range, rangeNote: string): string {
  const cls = schedule.constructor as ScheduleClass;
  const lines: string[] = [`${label}`];
  const row = (key: string, value: string) => lines.push(`  ${key.padEnd(10)} ${value}`);
  row("class", cls.className === schedule.name ? cls.className : `${cls.className} (named ${JSON.stringify(schedule.name)})`);
  row("config", printExpression(schedule));
  let keras: string;
  try {
    keras = scheduleToKerasJson(schedule);
  } catch (e) {
    keras = `(none: ${(e as Error).message})`;
  }
  row("keras", keras);
  for (const [name, text] of formulasIn(schedule)) row("formula", `${name}: ${text}`);

  const f = facts(series);
  const every = range.step === 1 ? "" : ` every ${range.step} steps`;
  lines.push(`  over steps ${f.first.step} to ${f.last.step}${every}${rangeNote}:`);
  row("first", at(f.first));
  row("last", at(f.last));
  row("maximum", at(f.max));
  row("minimum", at(f.min));
  row("warmup", f.warmupEnd ? `ends at step ${f.warmupEnd.step}, at ${shortFloat(f.warmupEnd.rate)}` : "none");
  const shown = f.restarts.slice(0, 12).map((r) => (r.peak.step === r.step ? `${r.step}` : `${r.step} (rising to ${shortFloat(r.peak.rate)} by ${r.peak.step})`));
  if (f.restarts.length > shown.length) shown.push(`... ${f.restarts.length} in all`);
  row("restarts", shown.length ? `at step${f.restarts.length > 1 ? "s" : ""} ${shown.join(", ")}` : "none");
  return `${lines.join("\n")}\n`;
}

/** The formula of the schedule and of every schedule nested in it, once per class. */
function formulasIn(schedule: LearningRateSchedule): [string, string][] {
  const seen = new Map<string, string>();
  const visit = (value: unknown) => {
    if (value instanceof LearningRateSchedule) {
      const cls = value.constructor as ScheduleClass;
      const formula = (value.constructor as typeof LearningRateSchedule).formula;
      if (!seen.has(cls.className)) seen.set(cls.className, typeof formula === "string" ? formula : "(no formula on record)");
      // No try: showText's printExpression has already called getConfig on every schedule in the tree.
      Object.values(value.getConfig()).forEach(visit);
    } else if (Array.isArray(value)) {
      value.forEach(visit);
    }
  };
  visit(schedule);
  return [...seen];
}
