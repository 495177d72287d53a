/** Sampled rates as text: CSV and JSON exact to the bit, an aligned table short and readable. */
import type { PlotSeries } from "../plot/data.js";

/**
 * The fewest digits that read back as the same float32 (`0.1` for the float32 nearest 0.1), or the exact double
 * when the value is not a float32 (a `dtype: 'float64'` schedule). What a person reads; CSV and JSON keep every digit.
 */
export function shortFloat(value: number): string {
  if (!Number.isFinite(value) || Math.fround(value) !== value || value === 0) return String(value);
  for (let digits = 1; digits <= 9; digits++) {
    const text = value.toPrecision(digits);
    if (Math.fround(Number(text)) === value) return String(Number(text));
  }
  return String(value);
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
