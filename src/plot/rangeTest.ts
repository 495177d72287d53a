/**
 * A learning-rate range test's chart (what `findLearningRate` recorded): loss against rate on a log axis, each
 * batch's loss faint, the smoothed loss as the main line, and the suggested rates marked. Drawn by the same
 * renderers, with the same scales, ticks, palette and legend, as the schedule charts.
 */
import { ScheduleOptionError, ScheduleTypeError } from "../errors.js";
import { checkNumber, isPlainObject } from "../options.js";
import { SUGGESTION_RULES, type RangeTestResult, type SuggestionRule } from "../rangeTest.js";
import { checkOptionNames, rateScale, shortFloat } from "./data.js";
import { PALETTE, renderSVG, type Chart, type Line, type Marker } from "./svg.js";
import { colorOption, renderTerminal } from "./terminal.js";

/** Options of {@link rangeTestToSVG} and {@link rangeTestToTerminal}. */
export interface RangeTestPlotOptions {
  /** A line above the chart. */
  title?: string;
  /** The suggestions to mark, by rule. @defaultValue ['valley'] (fastai's default, `result.suggestion`) */
  rules?: readonly SuggestionRule[];
  /** Pixels for SVG (default 720), columns for the terminal (default 80). */
  width?: number;
  /** Pixels for SVG (default 400, plus the legend), rows of the plot area for the terminal (default 16). */
  height?: number;
}

/** Options of {@link rangeTestToTerminal}: those of the SVG chart, and colour. */
export interface RangeTestTerminalOptions extends RangeTestPlotOptions {
  /** ANSI colours; leave it off when the output is not a terminal or `NO_COLOR` is set. @defaultValue false */
  color?: boolean;
}

/** What the charts read of a range test's result. */
export type RangeTestCurve = Pick<RangeTestResult, "learningRates" | "losses" | "smoothedLosses" | "suggestions">;

const optionNames = ["title", "rules", "width", "height"];

/** Each rule's colour: the default rule's is the palette's red, the colour the eye goes to first. */
const RULE_COLORS: Readonly<Record<SuggestionRule, string>> = { valley: PALETTE[2]!, steepest: PALETTE[1]!, minimum: PALETTE[4]! };

/**
 * A range test's result (from `findLearningRate`) as a standalone SVG document: the loss against the learning rate
 * on a log axis, each batch's loss as a thin light line and the smoothed loss (the one the rules read) as the main
 * line, and each suggestion as a labelled vertical line with a dot where it meets the smoothed loss. The loss axis
 * spans the smoothed losses (and the lowest batch loss), so that a diverging batch loss leaves the chart at the top,
 * clipped, instead of flattening the curve; non-finite losses are gaps. PNG: pass the SVG to `toPNG`.
 *
 * @example
 * import { rangeTestToSVG } from 'lr-schedules/plot';
 * const learningRates = [1e-4, 1e-3, 1e-2, 1e-1, 1];
 * const result = { learningRates, losses: [2.3, 2.2, 1.1, 0.9, 9], smoothedLosses: [2.3, 2.25, 1.8, 1.5, 3.2],
 *   suggestions: { valley: 1e-3, steepest: 1e-3, minimum: 1e-2 } };
 * const svg = rangeTestToSVG(result, { title: 'Range test', rules: ['valley', 'minimum'] });
 * svg.startsWith('<svg'); //=> true
 * (svg.match(/<circle/g) ?? []).length; //=> 2
 * svg.includes('>valley 1e-3</text>'); //=> true
 * @throws {ScheduleTypeError} a result without the arrays and suggestions of a range test, an option of the wrong kind.
 * @throws {ScheduleOptionError} an unknown option, fewer than 2 points, arrays of different lengths, a rate or a
 *   suggestion not finite and > 0.
 */
export function rangeTestToSVG(result: RangeTestCurve, options: RangeTestPlotOptions = {}): string {
  return renderSVG(rangeTestChart("rangeTestToSVG", result, options, optionNames));
}

/**
 * A range test's result as a braille text chart, as {@link rangeTestToSVG} draws it: the smoothed loss solid (cyan
 * in colour), each batch's loss as its points (a dim line in colour), each suggestion a dotted vertical line labelled
 * above the plot.
 *
 * @example
 * import { rangeTestToTerminal } from 'lr-schedules/plot';
 * const learningRates = [1e-4, 1e-3, 1e-2, 1e-1, 1];
 * const result = { learningRates, losses: [2.3, 2.2, 1.1, 0.9, 9], smoothedLosses: [2.3, 2.25, 1.8, 1.5, 3.2],
 *   suggestions: { valley: 1e-3, steepest: 1e-3, minimum: 1e-2 } };
 * const text = rangeTestToTerminal(result, { width: 60, height: 10 });
 * text.includes('valley 1e-3'); //=> true
 * text.includes('learning rate (log scale)'); //=> true
 * @throws {ScheduleTypeError} as {@link rangeTestToSVG}, and `color` not a boolean.
 * @throws {ScheduleOptionError} as {@link rangeTestToSVG}, and a width too small for the labels.
 */
export function rangeTestToTerminal(result: RangeTestCurve, options: RangeTestTerminalOptions = {}): string {
  const owner = "rangeTestToTerminal";
  const chart = rangeTestChart(owner, result, options, [...optionNames, "color"]);
  return renderTerminal(owner, chart, colorOption(owner, options.color));
}

/** The chart both draw: checks the result and the options. */
function rangeTestChart(owner: string, result: RangeTestCurve, options: object, names: readonly string[]): Chart {
  const o = checkOptionNames(owner, options, names) as RangeTestPlotOptions;
  if (!isPlainObject(result)) throw new ScheduleTypeError(owner, "result", result, "a range test's result ({ learningRates, losses, smoothedLosses, suggestions })");
  const rates = numbers(owner, "learningRates", result.learningRates);
  const losses = numbers(owner, "losses", result.losses);
  const smoothed = numbers(owner, "smoothedLosses", result.smoothedLosses);
  if (rates.length < 2) throw new ScheduleOptionError(owner, "learningRates.length", rates.length, "at least 2 (a curve needs two points)");
  rates.forEach((rate, i) => checkNumber(rate, owner, `learningRates[${i}]`, "positive"));
  for (const [name, list] of [["losses", losses], ["smoothedLosses", smoothed]] as const) {
    if (list.length !== rates.length) throw new ScheduleOptionError(owner, `${name}.length`, list.length, `the length of learningRates (${rates.length})`);
  }
  if (o.title !== undefined && typeof o.title !== "string") throw new ScheduleTypeError(owner, "title", o.title, "a string");
  const size = (key: "width" | "height") => (o[key] === undefined ? undefined : checkNumber(o[key], owner, key, "positive"));
  const rules: unknown = o.rules ?? ["valley"];
  if (!Array.isArray(rules)) throw new ScheduleTypeError(owner, "rules", rules, `an array of rules (${SUGGESTION_RULES.join(", ")})`);
  const suggestions = result.suggestions as Partial<Record<string, unknown>> | undefined;
  if (!isPlainObject(suggestions)) throw new ScheduleTypeError(owner, "result.suggestions", suggestions, "an object of suggested rates by rule");
  const markers = (rules as unknown[]).map((given, i): Marker => {
    const rule = given as SuggestionRule;
    if (!SUGGESTION_RULES.includes(rule)) throw new ScheduleTypeError(owner, `rules[${i}]`, rule, `one of ${SUGGESTION_RULES.map((r) => `'${r}'`).join(", ")}`);
    const rate = checkNumber(suggestions[rule], owner, `result.suggestions.${rule}`, "positive");
    return { x: rate, y: lossAt(rates, smoothed, rate), label: `${rule} ${formatRate(rate)}`, color: RULE_COLORS[rule] };
  });

  const lowest = Math.min(...losses.filter(Number.isFinite));
  const x = rateScale([{ label: "", steps: [], values: [...rates, ...markers.map((m) => m.x)] }], true);
  const y = rateScale([{ label: "", steps: [], values: Number.isFinite(lowest) ? [...smoothed, lowest] : smoothed }], false);
  const each: Line = { series: { label: "loss (each batch)", steps: rates, values: losses }, color: PALETTE[0]!, width: 1, opacity: 0.35 };
  const main: Line = { series: { label: "loss (smoothed)", steps: rates, values: smoothed }, color: PALETTE[0]!, width: 2.25 };
  return {
    title: o.title,
    width: size("width"),
    height: size("height"),
    x: { scale: x, kind: "value", log: true, name: "learning rate" },
    y: { scale: y, kind: "value", log: false, name: "loss" },
    lines: [each, main],
    markers,
    stepsPerEpoch: undefined,
    legend: [
      { text: main.series.label, line: main },
      { text: each.series.label, line: each },
      ...markers.map((m) => ({ text: `${m.label.replace(" ", " suggestion: ")}`, line: { color: m.color, width: 2 } })),
    ],
  };
}

function numbers(owner: string, name: string, value: unknown): readonly number[] {
  const ok = (Array.isArray(value) && value.every((v) => typeof v === "number")) || value instanceof Float32Array || value instanceof Float64Array;
  if (!ok) throw new ScheduleTypeError(owner, `result.${name}`, value, "an array of numbers");
  return value as readonly number[];
}

/** The smoothed loss at a rate, interpolated in log rate between the points around it; none outside them. */
function lossAt(rates: readonly number[], losses: readonly number[], rate: number): number | undefined {
  for (let i = 0; i < rates.length; i++) {
    if (rates[i] === rate) return Number.isFinite(losses[i]) ? losses[i] : undefined;
    if (i > 0 && rates[i - 1]! < rate && rate < rates[i]!) {
      const t = Math.log(rate / rates[i - 1]!) / Math.log(rates[i]! / rates[i - 1]!);
      const v = losses[i - 1]! + t * (losses[i]! - losses[i - 1]!);
      return Number.isFinite(v) ? v : undefined;
    }
  }
  return undefined;
}

/** A rate in three significant digits, in e-notation below 0.01: what a reader copies into a schedule. */
export function formatRate(rate: number): string {
  return shortFloat(rate, { digits: 3, plainWithin: [0.01, 1e6] });
}
