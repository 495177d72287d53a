/**
 * What both charts share: schedules turned into sampled series, the axes' scales and tick labels (from d3-scale),
 * a downsampling that keeps every pixel's extremes so that jumps and restarts survive, and steps and rates as a person
 * reads them (also in the CLI's table and `show`, and the playground's readout).
 */
import { scaleLinear, scaleLog, type ScaleContinuousNumeric } from "d3-scale";
import { ScheduleOptionError, ScheduleTypeError } from "../errors.js";
import { checkNumber, isPlainObject } from "../options.js";
import { sample } from "../sample.js";
import { LearningRateSchedule } from "../schedule.js";

/** Already sampled rates: `values[i]` at `steps[i]`, the steps increasing. */
export interface PlotSeries {
  /** The legend's label. */
  label: string;
  /** The x values, in increasing order. */
  steps: ArrayLike<number>;
  /** The y value at each step. */
  values: ArrayLike<number>;
}

/** What a chart draws: a schedule (sampled over the options' range), a schedule with its legend label, or a series. */
export type PlotItem =
  | LearningRateSchedule
  | {
      /** The legend's label; the schedule's expression by default. */
      label?: string;
      /** The schedule to draw. */
      schedule: LearningRateSchedule;
    }
  | PlotSeries;

/** Options of `toSVG` and `toTerminal`. */
export interface PlotOptions {
  /** The first step, for schedules (series bring their own steps). @defaultValue 0 */
  start?: number;
  /** The end of the range, left out; required when a schedule is given. */
  stop?: number;
  /** The distance between sampled steps. @defaultValue 1 */
  step?: number;
  /** A log-scale rate axis; rates <= 0 are left out, and the legend says from which step. @defaultValue false */
  log?: boolean;
  /** A line above the chart. */
  title?: string;
  /** Marks where each epoch ends (epoch `e` at step `e * stepsPerEpoch`), every this many steps. */
  stepsPerEpoch?: number;
  /** Pixels for SVG (default 720), columns for the terminal (default 80). */
  width?: number;
  /** Pixels for SVG (default 400, plus the legend), rows of the plot area for the terminal (default 16). */
  height?: number;
}

const optionNames = ["start", "stop", "step", "log", "title", "stepsPerEpoch", "width", "height"];

/** Validated options and the series they select. */
export interface Prepared {
  series: PlotSeries[];
  log: boolean;
  title: string | undefined;
  stepsPerEpoch: number | undefined;
  width: number | undefined;
  height: number | undefined;
}

/** Checks a chart's arguments and samples its schedules; `extra` names options only one chart has. */
export function prepare(owner: string, items: PlotItem | readonly PlotItem[], options: object, extra: readonly string[] = []): Prepared {
  const o = checkOptionNames(owner, options, [...optionNames, ...extra]) as PlotOptions & Record<string, unknown>;
  const list = Array.isArray(items) ? (items as readonly PlotItem[]) : [items as PlotItem];
  if (list.length === 0) throw new ScheduleOptionError(owner, "schedules", items, "at least one schedule or series");
  const positive = (key: string) => (o[key] === undefined ? undefined : checkNumber(o[key], owner, key, "positive"));
  if (o.log !== undefined && typeof o.log !== "boolean") throw new ScheduleTypeError(owner, "log", o.log, "a boolean");
  if (o.title !== undefined && typeof o.title !== "string") throw new ScheduleTypeError(owner, "title", o.title, "a string");
  const width = positive("width");
  const height = positive("height");
  const stepsPerEpoch = positive("stepsPerEpoch");

  const series = list.map((item, i): PlotSeries => {
    const schedule = item instanceof LearningRateSchedule ? item : isPlainObject(item) && item.schedule instanceof LearningRateSchedule ? item.schedule : undefined;
    if (schedule) {
      if (o.stop === undefined) throw new ScheduleTypeError(owner, "stop", undefined, "a finite number (required to sample a schedule)");
      const { steps, values } = sample(schedule, { start: o.start ?? 0, stop: o.stop, step: o.step ?? 1 });
      const label = item instanceof LearningRateSchedule ? schedule.name : (item as { label?: unknown }).label ?? schedule.name;
      if (typeof label !== "string") throw new ScheduleTypeError(owner, `schedules[${i}].label`, label, "a string");
      return { label, steps, values };
    }
    const s = item as Partial<PlotSeries>;
    if (!isPlainObject(item) || typeof s.label !== "string" || !isArrayLike(s.steps) || !isArrayLike(s.values) || s.steps.length !== s.values.length) {
      throw new ScheduleTypeError(owner, `schedules[${i}]`, item, "a schedule, { label, schedule }, or { label, steps, values } of equal lengths");
    }
    return s as PlotSeries;
  });
  if (series.every((s) => s.steps.length === 0)) {
    throw new ScheduleOptionError(owner, "stop", o.stop, "after start: the range holds no step to plot");
  }
  return { series: uniqueLabels(series), log: o.log === true, title: o.title, stepsPerEpoch, width, height };
}

/** `options` as a record, once it is a plain object whose every key is one of `names`. */
export function checkOptionNames(owner: string, options: unknown, names: readonly string[]): Record<string, unknown> {
  if (!isPlainObject(options)) throw new ScheduleTypeError(owner, "options", options, "an options object");
  for (const key of Object.keys(options)) {
    if (!names.includes(key)) throw new ScheduleOptionError(owner, key, options[key], `one of the options ${names.join(", ")}`);
  }
  return options;
}

function isArrayLike(x: unknown): x is ArrayLike<number> {
  return Array.isArray(x) || ArrayBuffer.isView(x);
}

/** Two schedules with one name get "name", "name #2", so that the legend tells them apart. */
export function uniqueLabels<S extends { label: string }>(series: S[]): S[] {
  const seen = new Map<string, number>();
  return series.map((s) => {
    const n = (seen.get(s.label) ?? 0) + 1;
    seen.set(s.label, n);
    return n === 1 ? s : { ...s, label: `${s.label} #${n}` };
  });
}

/** Whether a rate can be drawn: finite, and positive on a log axis. */
export function drawable(value: number, log: boolean): boolean {
  return Number.isFinite(value) && (!log || value > 0);
}

/** The step axis: linear over every series' steps, with "nice" ends when they are whole numbers. */
export function stepScale(series: readonly PlotSeries[]): ScaleContinuousNumeric<number, number> {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    if (s.steps.length === 0) continue;
    lo = Math.min(lo, s.steps[0]!);
    hi = Math.max(hi, s.steps[s.steps.length - 1]!);
  }
  return scaleLinear().domain(hi > lo ? [lo, hi] : [lo, lo + 1]);
}

/** The rate axis: linear from the lowest to the highest rate (or log from the lowest positive one), made nice. */
export function rateScale(series: readonly PlotSeries[], log: boolean): ScaleContinuousNumeric<number, number> {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    for (let i = 0; i < s.values.length; i++) {
      const v = s.values[i]!;
      if (!drawable(v, log)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  // A float32 rate sits just off its decimal (0.1 is 0.10000000149): round to float32's 7 digits so that the axis
  // ends at 0.1 rather than at the next nice number above it.
  if (hi >= lo) [lo, hi] = [Number(lo.toPrecision(7)), Number(hi.toPrecision(7))];
  if (log) {
    if (!(hi > 0)) throw new ScheduleOptionError("plot", "log", true, "used with rates above 0: every rate is 0 or less");
    const [a, b] = lo === hi ? [lo / 2, hi * 2] : [lo, hi];
    return scaleLog().domain([a, b]).nice();
  }
  if (!(hi >= lo)) return scaleLinear().domain([0, 1]);
  // A flat rate gets room around it; otherwise the extent, so that a decay from 1e-3 to 9e-4 shows its shape.
  const [a, b] = lo === hi ? (lo === 0 ? [0, 1] : [Math.min(0, lo * 2), Math.max(0, hi * 2)]) : [lo, hi];
  return scaleLinear().domain([a, b]).nice();
}

/**
 * How an axis's tick labels read: `"step"` counts (thousands separators, then `20M`, `2.5B`), `"value"` measured
 * numbers such as rates and losses (plain decimals, e-notation below 0.01 and from 1e6).
 */
export type AxisKind = "step" | "value";

/** A tick: where it goes on its axis, and its label. */
export interface Tick {
  value: number;
  label: string;
}

/**
 * How much room an axis gives its labels, in the units of the scale's range (pixels, or a terminal's dot columns
 * or rows): at most `count` ticks, each label taking `size(label)` along the axis, and `gap` clear between two.
 */
export interface TickRoom {
  count: number;
  size: (label: string) => number;
  gap: number;
  /** Where labels must stay, when the axis pushes one that would cross an end back inside, as a terminal does. */
  within?: [number, number];
}

/**
 * Tick values and their labels, as many as fit: the most ticks, up to `room.count`, whose labels do not overlap
 * along the axis (down to a single tick where even two would). Values below 0.01 or from 1e6 read best as `2e-4`,
 * steps with thousands separators below a million, then as `20M`, `2.5B` and above 1e15 as `3e38`; otherwise
 * plain decimals. A log axis over many decades keeps its powers of ten only.
 */
export function ticks(scale: ScaleContinuousNumeric<number, number>, kind: AxisKind, room: TickRoom, log = false): Tick[] {
  for (let count = room.count; count > 1; count--) {
    const candidate = tickCandidates(scale, count, kind, log);
    if (!overlaps(scale, candidate, room)) return candidate;
  }
  return tickCandidates(scale, 1, kind, log).slice(0, 1);
}

function overlaps(scale: ScaleContinuousNumeric<number, number>, list: readonly Tick[], room: TickRoom): boolean {
  const [lo, hi] = room.within ?? [-Infinity, Infinity];
  const placed = list
    .map((t) => {
      const size = room.size(t.label);
      const start = Math.max(lo, Math.min(hi - size, scale(t.value) - size / 2));
      return { start, end: start + size };
    })
    .sort((a, b) => a.start - b.start);
  return placed.some((t, i) => i > 0 && t.start - placed[i - 1]!.end < room.gap);
}

function tickCandidates(scale: ScaleContinuousNumeric<number, number>, count: number, kind: AxisKind, log: boolean): Tick[] {
  const [d0, d1] = scale.domain() as [number, number];
  const top = Math.max(Math.abs(d0), Math.abs(d1));
  if (log) {
    let values = scale.ticks(count);
    if (values.length > count) values = values.filter((v) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9);
    while (values.length > count && values.length > 2) values = values.filter((_, i) => i % 2 === 0);
    const format = scale.tickFormat(Infinity, "~e");
    return values.map((value) => ({ value, label: plainExponent(format(value)) }));
  }
  const specifier = kind === "value" ? (top < 0.01 || top >= 1e6 ? "~e" : "~f") : top < 1e6 ? ",~f" : top < 1e15 ? "~s" : "~e";
  const format = scale.tickFormat(count, specifier);
  // SI's G is a billion steps, which a reader of step counts calls B.
  return scale.ticks(count).map((value) => ({ value, label: value === 0 ? "0" : plainExponent(format(value)).replace(/G$/, "B") }));
}

/** `1e+8` as `1e8`. */
function plainExponent(label: string): string {
  return label.replace("e+", "e");
}

/**
 * The indices worth drawing at `buckets` columns: in each column the first, lowest, highest and last point, in
 * step order (the M4 reduction), and its first undrawable point so that a gap stays a gap. The drawn line is then
 * the same as with every point, at a few points per column.
 */
export function reduce(series: PlotSeries, x: (step: number) => number, buckets: number, log: boolean): number[] {
  const { steps, values } = series;
  const n = steps.length;
  if (n <= buckets * 4) return Array.from({ length: n }, (_, i) => i);
  const out: number[] = [];
  let bucket = NaN;
  let picked: number[] = [];
  const flush = () => {
    for (const i of picked.filter((i) => i >= 0).sort((a, b) => a - b)) if (out[out.length - 1] !== i) out.push(i);
  };
  // picked = [first, last, lowest, highest, first undrawable]
  for (let i = 0; i < n; i++) {
    const b = Math.floor(x(steps[i]!));
    if (b !== bucket) {
      flush();
      bucket = b;
      picked = [i, i, -1, -1, -1];
    }
    picked[1] = i;
    const v = values[i]!;
    if (!drawable(v, log)) {
      if (picked[4]! < 0) picked[4] = i;
    } else {
      if (picked[2]! < 0 || v < values[picked[2]!]!) picked[2] = i;
      if (picked[3]! < 0 || v > values[picked[3]!]!) picked[3] = i;
    }
  }
  flush();
  return out;
}

/** Epoch boundaries inside the step range (epoch `e` ends at step `e * stepsPerEpoch`), every 1, 2, 5, 10, ... epochs so that at most `max` show. */
export function epochMarks(scale: ScaleContinuousNumeric<number, number>, stepsPerEpoch: number, max: number): { epoch: number; step: number }[] {
  const [d0, d1] = scale.domain() as [number, number];
  const first = Math.max(1, Math.ceil(d0 / stepsPerEpoch));
  const last = Math.floor(d1 / stepsPerEpoch);
  if (last < first) return [];
  let every = 1;
  for (let k = 0; (last - first + 1) / every > max; k++) every *= [2, 2.5, 2][k % 3]!;
  const marks: { epoch: number; step: number }[] = [];
  for (let e = Math.ceil(first / every) * every; e <= last; e += every) marks.push({ epoch: e, step: e * stepsPerEpoch });
  return marks;
}

/**
 * For each series, what a log axis leaves out of it without a word otherwise: where it first reaches a rate of 0
 * or less, which a log axis cannot draw. Nothing for series that stay above 0, or on a linear axis.
 */
export function logAxisNotes(series: readonly PlotSeries[], log: boolean): (string | undefined)[] {
  return series.map(({ steps, values }) => {
    if (!log) return undefined;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v <= 0) return `${v === 0 ? "reaches 0" : "falls below 0"} at step ${formatStep(steps[i]!)}; a log axis cannot draw rates ≤ 0`;
    }
    return undefined;
  });
}

/** How {@link shortFloat} prints a number. */
export interface ShortFloatOptions {
  /** At most this many significant digits; a value that needs more is rounded to them. @defaultValue 17, as many as a double takes */
  readonly digits?: number;
  /**
   * Where a magnitude is written out in full (`0.0123`); outside `[low, high)` it is written in e-notation (`1.23e-3`).
   * @defaultValue JavaScript's `String`: in full within [1e-6, 1e21)
   */
  readonly plainWithin?: readonly [low: number, high: number];
}

/**
 * A number as a person reads it: the fewest digits, up to `digits`, that read back as the same float32 (`0.1` for the
 * float32 nearest 0.1), or the double itself when the value is not a float32 (a `dtype: 'float64'` schedule), rounded
 * to `digits` when it needs more. What the CLI and the playground print (CSV and JSON keep every digit); with
 * `{ digits: 3, plainWithin: [0.01, 1e6] }`, the range test's rates.
 */
export function shortFloat(value: number, { digits = 17, plainWithin }: ShortFloatOptions = {}): string {
  if (!Number.isFinite(value) || value === 0) return String(value);
  let shortest: number | undefined;
  if (Math.fround(value) === value) {
    for (let d = 1; d <= Math.min(digits, 9) && shortest === undefined; d++) {
      const read = Number(value.toPrecision(d));
      if (Math.fround(read) === value) shortest = read;
    }
  }
  const shown = shortest ?? (digits >= 17 ? value : Number(value.toPrecision(digits)));
  const size = Math.abs(value);
  const plain = plainWithin === undefined || (size >= plainWithin[0] && size < plainWithin[1]);
  return plain ? String(shown) : shown.toExponential().replace("e+", "e");
}

/** A step as a person reads it: thousands separators for whole numbers a double holds exactly. */
function formatStep(step: number): string {
  return Number.isSafeInteger(step) ? step.toLocaleString("en-US") : String(step);
}

/** Text broken into lines of at most `width` characters: at spaces where it can, inside a word longer than a line. */
export function wrap(text: string, width: number): string[] {
  const max = Math.max(1, Math.floor(width));
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length <= max) {
      line += ` ${word}`;
      continue;
    }
    if (line) lines.push(line);
    line = word;
    while (line.length > max) {
      lines.push(line.slice(0, max));
      line = line.slice(max);
    }
  }
  lines.push(line);
  return lines;
}
