/** Sampled rates as text: CSV and JSON exact to the bit, an aligned table short and readable. */
import { shortFloat, type PlotSeries } from "../plot/data.js";

/**
 * The largest output each format is asked for, refused before any work (`--help` states them). `rates` bounds the
 * rates sampled (steps times schedules): CSV and JSON hold at most 2,000,000 (about 40 MB, written in seconds), a
 * table (for reading) 200,000, and a chart or `show` samples at most 10,000,000 (about 150 MB and seconds per
 * 10,000,000). The terminal chart is at most `columns` by `rows`; SVG and PNG at most `pixels` wide and high (a PNG
 * of 4096 by 4096 takes seconds and about 650 MB; twice that, four times as much).
 */
export const OUTPUT_LIMITS = Object.freeze({
  rates: Object.freeze({ csv: 2_000_000, json: 2_000_000, table: 200_000, chart: 10_000_000 }),
  columns: 1000,
  rows: 1000,
  pixels: 4096,
});

// C0 and C1 controls and DEL, the line and paragraph separators, and the bidirectional marks, embeddings, overrides
// and isolates.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const unsafe = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text that came from input (a label, a name, a title, an error that quotes a value) made safe to print: every
 * control character is written as a `\uXXXX` escape, so that a schedule's name cannot retitle or clear the terminal,
 * move the cursor or reorder the line, and a string escaped this way still reads back in JSON and in an expression.
 * The CLI's own colours are added after, by the terminal chart.
 */
export function printable(text: string): string {
  return text.replace(unsafe, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** RFC 4180 quoting for a header cell. */
function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * `step,<label>,...` then one row per step. Each rate is written as the JavaScript number the library returns
 * (`String(lr(step))`), so that reading it back gives the same number to the bit.
 */
export function toCSV(series: readonly PlotSeries[]): string {
  const rows = [["step", ...series.map((s) => s.label)].map(csvCell).join(",")];
  const steps = series[0]!.steps;
  for (let i = 0; i < steps.length; i++) rows.push([steps[i]!, ...series.map((s) => s.values[i]!)].map(String).join(","));
  return `${rows.join("\n")}\n`;
}

/** `{ steps, schedules: [{ label, values }] }`, every number exact. */
export function toJSON(series: readonly PlotSeries[]): string {
  return `${JSON.stringify({
    steps: Array.from(series[0]!.steps),
    schedules: series.map((s) => ({ label: s.label, values: Array.from(s.values) })),
  })}\n`;
}

/** An aligned table: steps and rates right-aligned under their labels, rates in their shortest float32 form. */
export function toTable(series: readonly PlotSeries[]): string {
  const header = ["step", ...series.map((s) => s.label)];
  const steps = series[0]!.steps;
  const body: string[][] = [];
  for (let i = 0; i < steps.length; i++) body.push([String(steps[i]!), ...series.map((s) => shortFloat(s.values[i]!))]);
  const widths = header.map((h, c) => body.reduce((w, row) => Math.max(w, row[c]!.length), h.length));
  const line = (cells: string[]) => cells.map((cell, c) => cell.padStart(widths[c]!)).join("  ").trimEnd();
  return `${[line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n")}\n`;
}
