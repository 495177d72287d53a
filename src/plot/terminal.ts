import { ScheduleOptionError, ScheduleTypeError } from "../errors.js";
import { drawable, epochMarks, prepare, reduce, ticks, wrap, type PlotItem, type PlotOptions } from "./data.js";
import { axisName, scheduleChart, type Chart, type Line } from "./svg.js";

/** Options of {@link toTerminal}: those of every chart, and colour. */
export interface TerminalOptions extends PlotOptions {
  /** ANSI colours, one per schedule; leave it off when the output is not a terminal or `NO_COLOR` is set. @defaultValue false */
  color?: boolean;
}

// Cyan, yellow, magenta, green, red, blue: readable on dark and light backgrounds.
const COLORS = [36, 33, 35, 32, 31, 34];
const DIM = 2;
// Red, magenta, yellow: a range test's suggestions.
const MARKER_COLORS = [31, 35, 33];
// Braille dot bits by [column in cell][row in cell].
const DOTS = [
  [0x01, 0x02, 0x04, 0x40],
  [0x08, 0x10, 0x20, 0x80],
];
// Without colour, schedules are told apart by their line: solid, dashed, dotted (by dot column).
const PATTERNS: ((column: number) => boolean)[] = [() => true, (c) => c % 8 < 4, (c) => c % 4 === 0];

/**
 * A chart of one or more schedules as text, drawn in Unicode braille (2×4 dots per character) for resolution: the
 * rate axis with labelled ticks on the left, the step axis below, epoch marks, and a legend. Without colour, the
 * second and third schedules are drawn dashed and dotted so that they can still be told apart.
 *
 * @example
 * import { CosineDecay } from 'lr-schedules';
 * import { toTerminal } from 'lr-schedules/plot';
 * console.log(toTerminal(new CosineDecay(1e-3, 1000), { stop: 1200, width: 60, height: 10 }));
 * @throws {ScheduleTypeError} a schedule without `stop`, an option of the wrong kind.
 * @throws {ScheduleOptionError} an unknown option, a range without steps, a width too small for the labels.
 */
export function toTerminal(schedules: PlotItem | readonly PlotItem[], options: TerminalOptions = {}): string {
  const p = prepare("toTerminal", schedules, options, ["color"]);
  return renderTerminal("toTerminal", scheduleChart(p), colorOption("toTerminal", options.color));
}

/** The `color` option, checked. */
export function colorOption(owner: string, color: unknown): boolean {
  if (color !== undefined && typeof color !== "boolean") throw new ScheduleTypeError(owner, "color", color, "a boolean");
  return color ?? false;
}

/**
 * A chart as braille text (see {@link toTerminal}): `width` in columns, `height` in rows of the plot. A line drawn
 * faint in SVG (opacity below 1) is dim here, or its points alone without colour; the others take the colours (or,
 * without colour, the solid, dashed and dotted patterns) in turn. A marker is a dotted vertical line, its label in a row of
 * its own above the plot.
 */
export function renderTerminal(owner: string, chart: Chart, color: boolean): string {
  const width = Math.floor(chart.width ?? 80);
  const rows = Math.max(4, Math.floor(chart.height ?? 16));
  const paint = (code: number, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);

  const y = chart.y.scale.copy().range([rows * 4 - 1, 0]);
  const yTicks = new Map<number, string>();
  // A label takes a row of 4 dots.
  for (const t of ticks(y, chart.y.kind, { count: Math.max(2, Math.floor(rows / 3)), size: () => 4, gap: 0 }, chart.y.log)) {
    const row = Math.floor(Math.round(y(t.value)) / 4);
    if (!yTicks.has(row)) yTicks.set(row, t.label);
  }
  const labelWidth = Math.max(...[...yTicks.values()].map((l) => l.length), 1);
  const columns = width - labelWidth - 3;
  if (columns < 10) throw new ScheduleOptionError(owner, "width", width, `at least ${labelWidth + 13} columns, room for the ${chart.y.short ?? chart.y.name} labels and the chart`);
  const x = chart.x.scale.copy().range([0, columns * 2 - 1]);

  const bits = new Uint8Array(columns * rows);
  const codes = new Uint8Array(columns * rows);
  const gridBits = new Uint8Array(columns * rows);
  const dot = (dx: number, dy: number, code: number, grid = false) => {
    if (dx < 0 || dy < 0 || dx >= columns * 2 || dy >= rows * 4) return;
    const cell = (dy >> 2) * columns + (dx >> 1);
    const bit = DOTS[dx & 1]![dy & 3]!;
    if (grid) gridBits[cell]! |= bit;
    else {
      bits[cell]! |= bit;
      codes[cell] = code;
    }
  };

  const marks = chart.stepsPerEpoch ? epochMarks(x, chart.stepsPerEpoch, Math.floor(columns / 4)) : [];
  // A faint dot per row where an epoch ends; without colour they would pass for a dotted schedule, so the epoch
  // numbers above the chart mark them alone.
  if (color) for (const m of marks) for (let dy = 1; dy < rows * 4; dy += 4) dot(Math.round(x(m.step)), dy, DIM, true);
  const markerCodes = chart.markers.map((_, k) => MARKER_COLORS[k % MARKER_COLORS.length]!);
  chart.markers.forEach((m, k) => {
    for (let dy = 0; dy < rows * 4; dy += 2) dot(Math.round(x(m.x)), dy, markerCodes[k]!);
  });

  const styles = lineStyles(chart.lines, color);
  chart.lines.forEach((l, k) => {
    const { pattern: visible, code, scatter } = styles[k]!;
    const s = l.series;
    const column = (dx: number, y0: number, y1: number) => {
      const [a, b] = y0 < y1 ? [y0, y1] : [y1, y0];
      // Gaps in a dashed line fall on its flat parts only, so that no jump goes missing.
      if (!visible(dx) && Math.round(b) - Math.round(a) <= 1) return;
      // Beyond the plot (a diverging loss) nothing is drawn: only the dots inside it are visited.
      for (let dy = Math.max(-1, Math.round(a)); dy <= Math.min(rows * 4, Math.round(b)); dy++) dot(dx, dy, code);
    };
    let prev: [number, number] | undefined;
    for (const i of reduce(s, x, columns * 2, chart.y.log)) {
      const v = s.values[i]!;
      if (!drawable(v, chart.y.log)) {
        prev = undefined;
        continue;
      }
      const point: [number, number] = [x(s.steps[i]!), y(v)];
      if (scatter) {
        dot(Math.round(point[0]), Math.round(point[1]), code);
        continue;
      }
      const [x0, y0] = prev ?? point;
      const [x1, y1] = point;
      const c0 = Math.round(x0);
      const c1 = Math.round(x1);
      if (c0 === c1) column(c0, y0, y1);
      // Each dot column gets the part of the segment that crosses it, so that steep parts stay connected.
      else for (let c = c0; c <= c1; c++) {
        const at = (xx: number) => y0 + ((y1 - y0) * (Math.min(Math.max(xx, x0), x1) - x0)) / (x1 - x0);
        column(c, at(c - 0.5), at(c + 0.5));
      }
      prev = point;
    }
  });

  const lines: string[] = [];
  const pad = " ".repeat(labelWidth);
  const yName = axisName({ ...chart.y, name: chart.y.short ?? chart.y.name });
  if (chart.title) lines.push(center(chart.title, width));
  lines.push(`${pad.slice(0, Math.max(0, labelWidth - 4))}${yName}`);
  const at = (value: number) => labelWidth + 2 + (Math.round(x(value)) >> 1);
  chart.markers.forEach((m, k) => lines.push(paint(markerCodes[k]!, place([{ at: at(m.x), label: m.label }], width).trimEnd())));
  if (marks.length) {
    const row = place(marks.map((m) => ({ at: at(m.step), label: String(m.epoch) })), width);
    lines.push(paint(DIM, `${"epoch".padStart(labelWidth)}${row.slice(labelWidth)}`.trimEnd()));
  }
  for (let r = 0; r < rows; r++) {
    const label = yTicks.get(r);
    let text = `${(label ?? "").padStart(labelWidth)} ${label === undefined ? "│" : "┤"}`;
    let run = "";
    let runCode = 0;
    const flush = () => {
      text += runCode ? paint(runCode, run) : run;
      run = "";
    };
    for (let c = 0; c < columns; c++) {
      const cell = r * columns + c;
      const b = bits[cell]! | gridBits[cell]!;
      const code = bits[cell] ? codes[cell]! : gridBits[cell] ? DIM : 0;
      if (code !== runCode) {
        flush();
        runCode = code;
      }
      run += b ? String.fromCharCode(0x2800 + b) : " ";
    }
    flush();
    lines.push(text.trimEnd());
  }
  // A character is two dot columns wide; labels keep a blank between them, and another for rounding to characters.
  // They stay on the line, from under the rate labels to where the axis's name begins; a name too long to leave
  // room for ticks beside it gets a line of its own.
  const xName = axisName({ ...chart.x, name: chart.x.short ?? chart.x.name });
  const inline = columns - xName.length >= 12;
  const nameRoom = inline ? xName.length : 0;
  const xRoom = { count: Math.max(2, Math.floor(columns / 12)), size: (label: string) => label.length * 2, gap: 4, within: [-2 * (labelWidth + 2), 2 * (columns - nameRoom)] as [number, number] };
  const xTicks = ticks(x, chart.x.kind, xRoom, chart.x.log).map((t) => ({ at: at(t.value), label: t.label }));
  const axis = [...`${pad} └${"─".repeat(columns)}`];
  for (const t of xTicks) if (t.at < axis.length) axis[t.at] = "┬";
  lines.push(axis.join(""));
  if (inline) lines.push(`${place(xTicks, width - xName.length - 1)} ${xName}`);
  else lines.push(place(xTicks, width).trimEnd(), xName.padStart(width - 1));

  const legend = chart.legend.map((entry) => {
    const k = chart.lines.indexOf(entry.line as Line);
    let sample = "";
    if (k >= 0) {
      const { pattern } = styles[k]!;
      for (let c = 0; c < 12; c += 2) sample += String.fromCharCode(0x2800 + (pattern(c) ? DOTS[0]![1]! : 0) + (pattern(c + 1) ? DOTS[1]![1]! : 0));
    } else sample = "⠀⠀⠅⠀⠀⠀"; // a marker: a stretch of its dotted vertical line
    const style = k >= 0 ? styles[k]! : { code: markerCodes[chart.markers.findIndex((m) => m.color === entry.line.color)] ?? DIM };
    return { text: `${paint(style.code, sample)} ${entry.text}`, length: 7 + entry.text.length };
  });
  let row = { text: " ", length: 1 };
  for (const entry of legend) {
    if (row.length > 1 && row.length + 3 + entry.length > width) {
      lines.push(row.text);
      row = { text: " ", length: 1 };
    }
    row = row.length > 1 ? { text: `${row.text}   ${entry.text}`, length: row.length + 3 + entry.length } : { text: `${row.text}${entry.text}`, length: 1 + entry.length };
  }
  lines.push(row.text);
  for (const entry of chart.legend) if (entry.note) lines.push(...wrap(`${entry.text} ${entry.note}`, width - 2).map((text) => ` ${text}`));
  return `${lines.join("\n")}\n`;
}

/**
 * How each line is drawn: a faint line (opacity below 1) dim, or without colour as its points alone (a line through
 * noisy points would outweigh the one it sits behind); the others take the colours, or without colour the patterns,
 * in turn.
 */
function lineStyles(lines: readonly Line[], color: boolean): { pattern: (column: number) => boolean; code: number; scatter: boolean }[] {
  let n = 0;
  return lines.map((l) => {
    if (l.opacity !== undefined && l.opacity < 1) return { pattern: color ? PATTERNS[0]! : PATTERNS[2]!, code: DIM, scatter: !color };
    const k = n++;
    return { pattern: color ? PATTERNS[0]! : PATTERNS[k % PATTERNS.length]!, code: COLORS[k % COLORS.length]!, scatter: false };
  });
}

/**
 * Labels on one line, each centred on its column (pushed back inside the line where it would cross an end), in the
 * order given; a label that would touch one already placed is left out.
 */
function place(labels: { at: number; label: string }[], width: number): string {
  const line = Array<string>(width).fill(" ");
  const taken = Array<boolean>(width + 1).fill(false);
  for (const { at, label } of labels) {
    const start = Math.min(width - label.length, Math.max(0, at - Math.floor((label.length - 1) / 2)));
    if (start < 0 || taken.slice(Math.max(0, start - 1), start + label.length + 1).some(Boolean)) continue;
    for (let i = 0; i < label.length; i++) {
      line[start + i] = label[i]!;
      taken[start + i] = true;
    }
  }
  return line.join("");
}

function center(text: string, width: number): string {
  return " ".repeat(Math.max(0, Math.floor((width - text.length) / 2))) + text;
}
