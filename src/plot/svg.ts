import { line } from "d3-shape";
import type { ScaleContinuousNumeric } from "d3-scale";
import { drawable, epochMarks, logAxisNotes, prepare, rateScale, reduce, stepScale, ticks, wrap, type AxisKind, type PlotItem, type PlotOptions, type PlotSeries, type Prepared } from "./data.js";

/** Tableau 10, a palette chosen to be told apart, also by most colour-blind readers. */
export const PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

// Unquoted names: resvg (PNG) skips the rest of a list after a quoted name it lacks.
const FONT = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, Noto Sans, Liberation Sans, DejaVu Sans, sans-serif";
const LEGEND_ROW = 18;
// The width of a character of the axis labels (11px) and the legend (12px), wide enough for digits and most
// letters: what the labels are measured with so that they never overlap, and where the legend wraps.
const TICK_CHAR = 7;
const LEGEND_CHAR = 7.6;

/**
 * A chart of one or more schedules as a standalone SVG document: title, both axes with ticks and readable labels,
 * gridlines, a legend, epoch marks and an optional log-scale rate axis (the legend says where a schedule reaches a
 * rate of 0 or less, which that axis leaves out). One `<path>` per schedule (axes and grid are
 * `<line>`s), so the file is easy to restyle or test. Pure string building: it runs in Node and browsers alike.
 *
 * Schedules are sampled with `sample` over `start`, `stop` and `step`; a series `{ label, steps, values }` is drawn
 * as given. Long ranges are reduced to each pixel column's first, lowest, highest and last point, which draws the
 * same line.
 *
 * @example
 * import { CosineDecay, InverseTimeDecay } from 'lr-schedules';
 * import { toSVG } from 'lr-schedules/plot';
 * const cosine = new CosineDecay({ initialLearningRate: 1e-3, decaySteps: 10000, warmupTarget: 1e-2, warmupSteps: 500 });
 * const svg = toSVG([cosine, new InverseTimeDecay(1e-2, 1000, 0.5)], { stop: 12000, title: 'Two candidates', stepsPerEpoch: 1000 });
 * svg.startsWith('<svg'); //=> true
 * (svg.match(/<path/g) ?? []).length; //=> 2
 * @throws {ScheduleTypeError} a schedule without `stop`, an item that is neither a schedule nor a series, an option of the wrong kind.
 * @throws {ScheduleOptionError} an unknown option, a range without steps, `log` with no rate above 0.
 */
export function toSVG(schedules: PlotItem | readonly PlotItem[], options: PlotOptions = {}): string {
  return renderSVG(scheduleChart(prepare("toSVG", schedules, options)));
}

/** What a chart draws, whatever it plots: schedules' rates against steps, or a range test's losses against rates. */
export interface Chart {
  title: string | undefined;
  /** Pixels (default 720). */
  width: number | undefined;
  /** Pixels of the plot, the legend left out (default 400). */
  height: number | undefined;
  x: Axis;
  y: Axis;
  /** Drawn in order, the last on top; a line's `steps` are its x values. */
  lines: Line[];
  markers: Marker[];
  /** Epoch marks along a step axis. */
  stepsPerEpoch: number | undefined;
  legend: LegendEntry[];
}

/** An axis: a scale over the data (the chart sets its range), how its tick labels read, and its name. */
export interface Axis {
  scale: ScaleContinuousNumeric<number, number>;
  kind: AxisKind;
  log: boolean;
  name: string;
  /** The name where room is short (the terminal). @defaultValue name */
  short?: string;
}

/** A line and its look; undrawable points are gaps, and the parts beyond the y axis's domain are clipped. */
export interface Line {
  series: PlotSeries;
  color: string;
  /** Stroke width in pixels. @defaultValue 1.75 */
  width?: number;
  opacity?: number;
}

/** A labelled vertical line at `x` across the plot, with a dot at `(x, y)` when `y` is given. */
export interface Marker {
  x: number;
  y: number | undefined;
  label: string;
  color: string;
}

/** A legend entry: a line's swatch and text, and a note on how it is drawn, below it. */
export interface LegendEntry {
  text: string;
  /** One of the chart's lines, or a marker's look. */
  line: Line | Pick<Line, "color" | "width" | "opacity">;
  note?: string;
}

const LINE_WIDTH = 1.75;

/** The chart of schedules (or series) {@link toSVG} and the terminal draw: rates against steps. */
export function scheduleChart(p: Prepared): Chart {
  const notes = logAxisNotes(p.series, p.log);
  const lines = p.series.map((series, k) => ({ series, color: PALETTE[k % PALETTE.length]! }));
  return {
    title: p.title,
    width: p.width,
    height: p.height,
    x: { scale: stepScale(p.series), kind: "step", log: false, name: "step" },
    y: { scale: rateScale(p.series, p.log), kind: "value", log: p.log, name: "learning rate", short: "rate" },
    lines,
    markers: [],
    stepsPerEpoch: p.stepsPerEpoch,
    legend: lines.map((l, k) => ({ text: l.series.label, line: l, note: notes[k] })),
  };
}

/** A chart as a standalone SVG document: see {@link toSVG}. */
export function renderSVG(chart: Chart): string {
  const { width, height, frame, x, y, legend } = layout(chart);
  const { left, right, top, bottom } = frame;
  const xTicks = ticks(x, chart.x.kind, { count: Math.max(2, Math.round((right - left) / 90)), size: (label) => label.length * TICK_CHAR, gap: 10 }, chart.x.log);
  const yTicks = ticks(y, chart.y.kind, { count: Math.max(2, Math.round((bottom - top) / 50)), size: () => 14, gap: 4 }, chart.y.log);
  const legendTop = height - legendHeight(legend.length);

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  );
  if (chart.title) out.push(`<text class="title" x="${width / 2}" y="24" text-anchor="middle" font-size="15" font-weight="600" fill="#222">${escape(chart.title)}</text>`);

  out.push(`<g class="grid" stroke="#e6e6e6" stroke-width="1">`);
  for (const t of yTicks) out.push(`<line x1="${left}" x2="${right}" y1="${r(y(t.value))}" y2="${r(y(t.value))}"/>`);
  for (const t of xTicks) out.push(`<line x1="${r(x(t.value))}" x2="${r(x(t.value))}" y1="${top}" y2="${bottom}"/>`);
  out.push(`</g>`);

  if (chart.stepsPerEpoch) {
    const marks = epochMarks(x, chart.stepsPerEpoch, Math.max(1, Math.floor((right - left) / 28)));
    out.push(`<g class="epochs" stroke="#9a9a9a" stroke-dasharray="3,3" fill="#666" font-size="10" text-anchor="middle">`);
    out.push(`<text x="${left - 8}" y="${top - 6}" text-anchor="end" stroke="none">epoch</text>`);
    for (const m of marks) {
      const at = r(x(m.step));
      out.push(`<line x1="${at}" x2="${at}" y1="${top}" y2="${bottom}"/>`, `<text x="${at}" y="${top - 6}" stroke="none">${m.epoch}</text>`);
    }
    out.push(`</g>`);
  }

  out.push(`<g class="axis" stroke="#444" fill="#333" font-size="11">`);
  out.push(`<line x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}"/>`, `<line x1="${left}" x2="${left}" y1="${top}" y2="${bottom}"/>`);
  for (const t of xTicks) {
    const at = r(x(t.value));
    out.push(`<line x1="${at}" x2="${at}" y1="${bottom}" y2="${bottom + 5}"/>`, `<text x="${at}" y="${bottom + 18}" text-anchor="middle" stroke="none">${escape(t.label)}</text>`);
  }
  for (const t of yTicks) {
    const at = r(y(t.value));
    out.push(`<line x1="${left - 5}" x2="${left}" y1="${at}" y2="${at}"/>`, `<text x="${left - 8}" y="${at}" dy="0.32em" text-anchor="end" stroke="none">${escape(t.label)}</text>`);
  }
  out.push(`<text x="${(left + right) / 2}" y="${bottom + 38}" text-anchor="middle" stroke="none" font-size="12">${escape(axisName(chart.x))}</text>`);
  out.push(`<text transform="translate(16 ${(top + bottom) / 2}) rotate(-90)" text-anchor="middle" stroke="none" font-size="12">${escape(axisName(chart.y))}</text>`);
  out.push(`</g>`);

  // A point beyond the y axis's domain (a range test's diverging loss) is drawn towards it, held within a plot's
  // height of the frame, and the lines are clipped to the frame. Clipping is declared only then, so that schedule
  // charts stay as they were; the id names the frame, so that two charts in one page with one id clip alike.
  const plotHeight = bottom - top;
  const py = (v: number) => Math.min(bottom + plotHeight, Math.max(top - plotHeight, y(v)));
  const beyond = chart.lines.some(({ series: s }) => Array.from({ length: s.values.length }, (_, i) => s.values[i]!).some((v) => drawable(v, chart.y.log) && (y(v) < top - 0.5 || y(v) > bottom + 0.5)));
  const clip = `plot-area-${left}-${top}-${right}-${bottom}`;
  if (beyond) out.push(`<defs><clipPath id="${clip}"><rect x="${left}" y="${top}" width="${right - left}" height="${plotHeight}"/></clipPath></defs>`);
  out.push(`<g class="series" fill="none" stroke-width="${LINE_WIDTH}" stroke-linejoin="round" stroke-linecap="round"${beyond ? ` clip-path="url(#${clip})"` : ""}>`);
  for (const l of chart.lines) {
    const s = l.series;
    const points = reduce(s, (v) => x(v) - left, Math.ceil(right - left), chart.y.log).map((i): [number, number] | null =>
      drawable(s.values[i]!, chart.y.log) ? [x(s.steps[i]!), py(s.values[i]!)] : null,
    );
    const d = line<[number, number] | null>()
      .defined((point) => point !== null)
      .x((point) => point![0])
      .y((point) => point![1])
      .digits(2)(simplify(points, 0.1));
    out.push(`<path stroke="${l.color}"${lineStyle(l)} d="${d ?? ""}"><title>${escape(s.label)}</title></path>`);
  }
  out.push(`</g>`);

  if (chart.markers.length) {
    out.push(`<g class="markers" font-size="11">`);
    const dots: string[] = [];
    chart.markers.forEach((m, k) => {
      const at = r(x(m.x));
      // Labels stack down from the top, one row each, on the side of the line with room for them, on a white halo
      // where they cross another marker's line; the dots go on top of everything, so that no label hides one.
      const labelY = top + 14 + k * 15;
      const before = at + 6 + m.label.length * TICK_CHAR > right;
      out.push(`<line x1="${at}" x2="${at}" y1="${top}" y2="${bottom}" stroke="${m.color}" stroke-width="1.25" stroke-dasharray="5,3"/>`);
      out.push(`<text x="${before ? at - 6 : at + 6}" y="${labelY}" text-anchor="${before ? "end" : "start"}" fill="${m.color}" font-weight="600" stroke="#fff" stroke-width="3" paint-order="stroke">${escape(m.label)}</text>`);
      if (m.y !== undefined && py(m.y) >= top && py(m.y) <= bottom) dots.push(`<circle cx="${at}" cy="${r(y(m.y))}" r="4.5" fill="${m.color}" stroke="#fff" stroke-width="1.5"/>`);
    });
    out.push(...dots, `</g>`);
  }

  out.push(`<g class="legend" font-size="12" fill="#222">`);
  legend.forEach((row, i) => {
    const rowY = legendTop + 4 + i * LEGEND_ROW + LEGEND_ROW / 2;
    if (row.swatch) out.push(`<line x1="${left}" x2="${left + 22}" y1="${rowY}" y2="${rowY}" stroke="${row.swatch.color}" stroke-width="${Math.max(2, row.swatch.width ?? 3)}"${row.swatch.opacity === undefined ? "" : ` stroke-opacity="${row.swatch.opacity}"`}/>`);
    out.push(row.note
      ? `<text class="note" x="${left + 30}" y="${rowY}" dy="0.32em" font-size="11" fill="#666">${escape(row.text)}</text>`
      : `<text x="${left + 30}" y="${rowY}" dy="0.32em">${escape(row.text)}</text>`);
  });
  out.push(`</g>`, `</svg>`, ``);
  return out.join("\n");
}

/** An axis's name as its label reads, with its scale when that is not linear. */
export function axisName(axis: Axis): string {
  return `${axis.name}${axis.log ? " (log scale)" : ""}`;
}

/** A line's width and opacity as attributes, where they differ from the series group's. */
function lineStyle(l: Line): string {
  return `${l.width === undefined || l.width === LINE_WIDTH ? "" : ` stroke-width="${l.width}"`}${l.opacity === undefined ? "" : ` stroke-opacity="${l.opacity}"`}`;
}

/** A position on the chart for a step or a rate, and back: the part of a d3 scale that a chart's reader needs. */
export interface Scale {
  /** The pixel of a value (a step, or a rate). */
  (value: number): number;
  /** The value at a pixel. */
  invert(position: number): number;
  /** The values at the scale's two ends. */
  domain(): number[];
  /** The pixels of the scale's two ends. */
  range(): number[];
}

/** Where {@link toSVG} draws: the document's size, the plot area inside the axes, and the scales onto it. */
export interface ChartLayout {
  /** The SVG's width in pixels. */
  width: number;
  /** The SVG's height in pixels, the legend below the plot included. */
  height: number;
  /** The plot area, inside the axes, in the SVG's pixels; y grows downwards, so `top` < `bottom`. */
  frame: {
    /** The x pixel of the first step. */
    left: number;
    /** The x pixel of the last step. */
    right: number;
    /** The y pixel of the highest rate. */
    top: number;
    /** The y pixel of the lowest rate. */
    bottom: number;
  };
  /** Step to x pixel; `x.invert` turns a pointer's x back into a step. */
  x: Scale;
  /** Rate to y pixel, on a log scale with `log`. */
  y: Scale;
}

/**
 * The layout {@link toSVG} draws with the same schedules and options: for a page that puts its own marks over the
 * chart (a crosshair, a readout) without reading the SVG back.
 *
 * @example
 * import { InverseTimeDecay } from 'lr-schedules';
 * import { chartLayout } from 'lr-schedules/plot';
 * const layout = chartLayout(new InverseTimeDecay(0.1, 1, 0.5), { stop: 100 });
 * layout.frame; //=> { left: 72, right: 696, top: 16, bottom: 352 }
 * layout.x(0) === layout.frame.left; //=> true
 * layout.x.invert(layout.frame.right); //=> 99 (the last step drawn)
 * layout.y(0.1) === layout.frame.top; //=> true
 * @throws {ScheduleTypeError} as {@link toSVG}.
 * @throws {ScheduleOptionError} as {@link toSVG}.
 */
export function chartLayout(schedules: PlotItem | readonly PlotItem[], options: PlotOptions = {}): ChartLayout {
  const { width, height, frame, x, y } = layout(scheduleChart(prepare("chartLayout", schedules, options)));
  return { width, height, frame, x, y };
}

/** A line of the legend: an entry's text (its first line with the entry's swatch), or a note on how a line is drawn. */
interface LegendRow {
  text: string;
  swatch: LegendEntry["line"] | undefined;
  note: boolean;
}

/** The legend's lines, wrapped to the chart's width: each entry, then its note. */
function legendRows(entries: readonly LegendEntry[], width: number, left: number): LegendRow[] {
  const chars = (width - left - 30 - 8) / LEGEND_CHAR;
  return entries.flatMap((e) => [
    ...wrap(e.text, chars).map((text, i) => ({ text, swatch: i === 0 ? e.line : undefined, note: false })),
    ...(e.note ? wrap(e.note, chars).map((text) => ({ text, swatch: undefined, note: true })) : []),
  ]);
}

function legendHeight(rows: number): number {
  return rows * LEGEND_ROW + 8;
}

/** The one layout {@link renderSVG} and {@link chartLayout} use, with d3's scales for the ticks. */
function layout(chart: Chart): ChartLayout & { x: ScaleContinuousNumeric<number, number>; y: ScaleContinuousNumeric<number, number>; legend: LegendRow[] } {
  const width = Math.max(240, Math.round(chart.width ?? 720));
  const plotHeight = Math.max(120, Math.round(chart.height ?? 400));
  const margin = { top: (chart.title ? 40 : 16) + (chart.stepsPerEpoch ? 18 : 0), right: 24, bottom: 48, left: 72 };
  const frame = { left: margin.left, right: width - margin.right, top: margin.top, bottom: plotHeight - margin.bottom };
  const legend = legendRows(chart.legend, width, frame.left);
  return {
    width,
    height: plotHeight + legendHeight(legend.length),
    frame,
    legend,
    x: chart.x.scale.copy().range([frame.left, frame.right]),
    y: chart.y.scale.copy().range([frame.bottom, frame.top]),
  };
}

/**
 * Drops the points of each unbroken run that lie within `tolerance` pixels of the line kept through them
 * (Douglas-Peucker), so that a straight or gently curved stretch costs two points, not one per pixel column.
 */
function simplify(points: ([number, number] | null)[], tolerance: number): ([number, number] | null)[] {
  const keep = points.map(() => true);
  for (let first = 0; first < points.length; ) {
    if (points[first] === null) {
      first++;
      continue;
    }
    let last = first;
    while (last + 1 < points.length && points[last + 1] !== null) last++;
    const stack: [number, number][] = [[first, last]];
    while (stack.length) {
      const [a, b] = stack.pop()!;
      const [ax, ay] = points[a]!;
      const [bx, by] = points[b]!;
      const length = Math.hypot(bx - ax, by - ay);
      let farthest = -1;
      let distance = tolerance;
      for (let i = a + 1; i < b; i++) {
        const [px, py] = points[i]!;
        const d = length === 0 ? Math.hypot(px - ax, py - ay) : Math.abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length;
        if (d > distance) [farthest, distance] = [i, d];
      }
      if (farthest < 0) for (let i = a + 1; i < b; i++) keep[i] = false;
      else stack.push([a, farthest], [farthest, b]);
    }
    first = last + 1;
  }
  return points.filter((_, i) => keep[i]);
}

/** Rounds a coordinate to 2 decimals: crisp enough, and keeps the file small and stable. */
function r(v: number): number {
  return Math.round(v * 100) / 100;
}

/** Escapes text for SVG content and attribute values; control characters, which XML forbids, are dropped. */
export function escape(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
