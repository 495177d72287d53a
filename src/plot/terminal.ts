import { ScheduleOptionError, ScheduleTypeError } from "../errors.js";
import { drawable, epochMarks, logAxisNotes, prepare, rateScale, reduce, stepScale, ticks, wrap, type PlotItem, type PlotOptions } from "./data.js";

/** Options of {@link toTerminal}: those of every chart, and colour. */
export interface TerminalOptions extends PlotOptions {
  /** ANSI colours, one per schedule; leave it off when the output is not a terminal or `NO_COLOR` is set. @defaultValue false */
  color?: boolean;
}

// Cyan, yellow, magenta, green, red, blue: readable on dark and light backgrounds.
const COLORS = [36, 33, 35, 32, 31, 34];
const DIM = 2;
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
  const color = options.color ?? false;
  if (typeof color !== "boolean") throw new ScheduleTypeError("toTerminal", "color", color, "a boolean");
  const width = Math.floor(p.width ?? 80);
  const rows = Math.max(4, Math.floor(p.height ?? 16));
  const paint = (code: number, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);

  const y = rateScale(p.series, p.log).range([rows * 4 - 1, 0]);
  const yTicks = new Map<number, string>();
  // A label takes a row of 4 dots.
  for (const t of ticks(y, "rate", { count: Math.max(2, Math.floor(rows / 3)), size: () => 4, gap: 0 }, p.log)) {
    const row = Math.floor(Math.round(y(t.value)) / 4);
    if (!yTicks.has(row)) yTicks.set(row, t.label);
  }
  const labelWidth = Math.max(...[...yTicks.values()].map((l) => l.length), 1);
  const columns = width - labelWidth - 3;
  if (columns < 10) throw new ScheduleOptionError("toTerminal", "width", width, `at least ${labelWidth + 13} columns, room for the rate labels and the chart`);
  const x = stepScale(p.series).range([0, columns * 2 - 1]);

  const bits = new Uint8Array(columns * rows);
  const owner = new Int16Array(columns * rows).fill(-1);
  const gridBits = new Uint8Array(columns * rows);
  const dot = (dx: number, dy: number, k: number) => {
    if (dx < 0 || dy < 0 || dx >= columns * 2 || dy >= rows * 4) return;
    const cell = (dy >> 2) * columns + (dx >> 1);
    const bit = DOTS[dx & 1]![dy & 3]!;
    if (k < 0) gridBits[cell]! |= bit;
    else {
      bits[cell]! |= bit;
      owner[cell] = k;
    }
  };

  const marks = p.stepsPerEpoch ? epochMarks(x, p.stepsPerEpoch, Math.floor(columns / 4)) : [];
  // A faint dot per row where an epoch ends; without colour they would pass for a dotted schedule, so the epoch
  // numbers above the chart mark them alone.
  if (color) for (const m of marks) for (let dy = 1; dy < rows * 4; dy += 4) dot(Math.round(x(m.step)), dy, -1);

  p.series.forEach((s, k) => {
    const visible = color ? PATTERNS[0]! : PATTERNS[k % PATTERNS.length]!;
    const column = (dx: number, y0: number, y1: number) => {
      const [a, b] = y0 < y1 ? [y0, y1] : [y1, y0];
      // Gaps in a dashed line fall on its flat parts only, so that no jump goes missing.
      if (!visible(dx) && Math.round(b) - Math.round(a) <= 1) return;
      for (let dy = Math.round(a); dy <= Math.round(b); dy++) dot(dx, dy, k);
    };
    let prev: [number, number] | undefined;
    for (const i of reduce(s, x, columns * 2, p.log)) {
      const v = s.values[i]!;
      if (!drawable(v, p.log)) {
        prev = undefined;
        continue;
      }
      const point: [number, number] = [x(s.steps[i]!), y(v)];
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
  if (p.title) lines.push(center(p.title, width));
  lines.push(`${pad.slice(0, Math.max(0, labelWidth - 4))}rate${p.log ? " (log scale)" : ""}`);
  if (marks.length) {
    const row = place(marks.map((m) => ({ at: labelWidth + 2 + (Math.round(x(m.step)) >> 1), label: String(m.epoch) })), width);
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
      const code = bits[cell] ? COLORS[owner[cell]! % COLORS.length]! : gridBits[cell] ? DIM : 0;
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
  // They stay on the line, from under the rate labels to where " step", the axis's name, begins.
  const xRoom = { count: Math.max(2, Math.floor(columns / 12)), size: (label: string) => label.length * 2, gap: 4, within: [-2 * (labelWidth + 2), 2 * (columns - 4)] as [number, number] };
  const xTicks = ticks(x, "step", xRoom).map((t) => ({ at: labelWidth + 2 + (Math.round(x(t.value)) >> 1), label: t.label }));
  const axis = [...`${pad} └${"─".repeat(columns)}`];
  for (const t of xTicks) if (t.at < axis.length) axis[t.at] = "┬";
  lines.push(axis.join(""));
  lines.push(`${place(xTicks, width - 5)} step`);

  const legend = p.series.map((s, k) => {
    const pattern = color ? PATTERNS[0]! : PATTERNS[k % PATTERNS.length]!;
    let sample = "";
    for (let c = 0; c < 12; c += 2) sample += String.fromCharCode(0x2800 + (pattern(c) ? DOTS[0]![1]! : 0) + (pattern(c + 1) ? DOTS[1]![1]! : 0));
    return { text: `${paint(COLORS[k % COLORS.length]!, sample)} ${s.label}`, length: 7 + s.label.length };
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
  logAxisNotes(p.series, p.log).forEach((note, k) => {
    if (note) lines.push(...wrap(`${p.series[k]!.label} ${note}`, width - 2).map((text) => ` ${text}`));
  });
  return `${lines.join("\n")}\n`;
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
