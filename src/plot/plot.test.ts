import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseExpression } from "../expression.js";
import { EXAMPLES } from "../../test/support/expressionExamples.js";
import { Constant, CosineDecay, CosineDecayRestarts, InverseTimeDecay, PiecewiseConstantDecay, ScheduleOptionError } from "../index.js";
import { reduce } from "./data.js";
import { chartLayout, toPNG, toSVG, toTerminal } from "./index.js";
import { xmlElements } from "../../test/support/xml.js";

const cosine = new CosineDecay({ initialLearningRate: 1e-3, decaySteps: 10000, warmupTarget: 1e-2, warmupSteps: 500 });
const decay = new InverseTimeDecay(1e-2, 1000, 0.5);
const restarts = new CosineDecayRestarts(1e-2, 1000);

describe("toSVG", () => {
  it("toSVG(schedules) is a well-formed standalone SVG with one path per schedule, a legend entry each, axes and a title", () => {
    const svg = toSVG([cosine, decay, restarts], { stop: 12000, title: "Three <candidates> & more" });
    const elements = xmlElements(svg);
    expect(elements[0]).toBe("svg");
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="720" height="\d+" viewBox="0 0 720 \d+"/);
    expect(elements.filter((e) => e === "path")).toHaveLength(3);
    expect(svg).toContain("Three &#60;candidates&#62; &#38; more");
    for (const label of ["CosineDecay", "InverseTimeDecay", "SGDRDecay"]) expect(svg).toContain(`>${label}</text>`);
    expect(svg).toContain(">step</text>");
    expect(svg).toContain(">learning rate</text>");
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
  });

  it("draws every example schedule, each as one path of finite coordinates", () => {
    for (const text of EXAMPLES) {
      const svg = toSVG(parseExpression(text), { stop: 2000 });
      expect(xmlElements(svg).filter((e) => e === "path"), text).toHaveLength(1);
      const d = /<path [^>]*d="([^"]*)"/.exec(svg)![1]!;
      expect(d, text).toMatch(/^M[\d.,LM-]+$/);
    }
  });

  it("keeps each pixel column's extremes, so that a restart's jump reaches the top of the chart", () => {
    const svg = toSVG(restarts, { stop: 1_000_000, height: 400 });
    const d = /<path [^>]*d="([^"]*)"/.exec(svg)![1]!;
    const ys = [...d.matchAll(/,(-?[\d.]+)/g)].map((m) => Number(m[1]));
    // Every restart returns to 0.01, the top tick, at y = 16 (the top margin).
    expect(ys.filter((y) => y === 16).length).toBeGreaterThanOrEqual(8);
    expect(d.length).toBeLessThan(60_000);
  });

  it("{ log: true } labels powers of ten and breaks the line where the rate is 0", () => {
    const svg = toSVG(new PiecewiseConstantDecay([100, 200], [0.1, 0, 0.001]), { stop: 300, log: true });
    xmlElements(svg);
    expect(svg).toContain("learning rate (log scale)");
    expect(svg).toMatch(/>1e-3<\/text>/);
    const d = /<path [^>]*d="([^"]*)"/.exec(svg)![1]!;
    expect(d.match(/M/g)).toHaveLength(2);
  });

  it("{ stepsPerEpoch } draws a dashed line and a number at each epoch, thinned when there are many", () => {
    const epochs = (svg: string) => /<g class="epochs"[^>]*>([\s\S]*?)<\/g>/.exec(svg)![1]!;
    const few = epochs(toSVG(cosine, { stop: 12000, stepsPerEpoch: 1000 }));
    expect(few.match(/<line /g)).toHaveLength(11);
    expect([...few.matchAll(/>(\d+)<\/text>/g)].map((m) => Number(m[1]))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(few).toContain(">epoch</text>");
    const many = epochs(toSVG(cosine, { stop: 12000, stepsPerEpoch: 10 }));
    const numbers = [...many.matchAll(/>(\d+)<\/text>/g)].map((m) => Number(m[1]));
    expect(numbers.length).toBeLessThanOrEqual(24);
    expect(numbers.length).toBeGreaterThan(4);
    expect(numbers.every((n) => n % numbers[0]! === 0)).toBe(true);
  });

  it("draws { label, steps, values } series as given, and tells same-named schedules apart", () => {
    const svg = toSVG([{ label: "mine", steps: [0, 1, 2], values: [3, 2, 1] }, new Constant(1), new Constant(2)], { stop: 3 });
    expect(svg).toContain(">mine</text>");
    expect(svg).toContain(">Constant</text>");
    expect(svg).toContain(">Constant #2</text>");
  });

  it("renders to a PNG with resvg", async () => {
    const png = await toPNG(toSVG([cosine, decay], { stop: 12000, title: "PNG" }), { scale: 1 });
    expect(Array.from(png.slice(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.length).toBeGreaterThan(5000);
  });

  it("chartLayout(schedules, options) gives the size, plot area and scales toSVG draws with, for every option", () => {
    const variants = [
      { stop: 12000 },
      { stop: 12000, title: "Two", stepsPerEpoch: 1000 },
      { start: 100, stop: 5000, step: 7, log: true, width: 500, height: 300 },
    ];
    for (const options of variants) {
      const layout = chartLayout([cosine, decay], options);
      const svg = toSVG([cosine, decay], options);
      expect(svg).toContain(`width="${layout.width}" height="${layout.height}"`);
      // The axes are the first two lines of the axis group: the step axis along the bottom, the rate axis up the left.
      const axes = /<g class="axis"[^>]*>\n<line x1="(.+?)" x2="(.+?)" y1="(.+?)" y2=".+?"\/>\n<line x1=".+?" x2=".+?" y1="(.+?)"/.exec(svg)!;
      const [left, right, bottom, top] = axes.slice(1).map(Number);
      expect(layout.frame).toEqual({ left, right, top, bottom });
      expect(layout.x(options.start ?? 0)).toBe(layout.frame.left);
      expect(layout.y.range()).toEqual([layout.frame.bottom, layout.frame.top]);
    }
    expect(() => chartLayout(cosine)).toThrow(/chartLayout: `stop` must be a finite number/);
  });

  describe("bad arguments throw errors that name them", () => {
    const cases: [string, () => unknown, RegExp, ErrorConstructor][] = [
      ["a schedule without stop", () => toSVG(cosine), /toSVG: `stop` must be a finite number \(required to sample a schedule\)/, TypeError],
      ["an unknown option", () => toSVG(cosine, { stop: 10, colour: true } as never), /toSVG: `colour` must be one of the options/, RangeError],
      ["no schedules", () => toSVG([], { stop: 10 }), /`schedules` must be at least one schedule or series/, RangeError],
      ["a function", () => toSVG([(() => 1) as never], { stop: 10 }), /`schedules\[0\]` must be a schedule, \{ label, schedule \}/, TypeError],
      ["series of unequal lengths", () => toSVG({ label: "x", steps: [1, 2], values: [1] }), /`schedules\[0\]`/, TypeError],
      ["an empty range", () => toSVG(cosine, { start: 5, stop: 5 }), /`stop` must be after start/, RangeError],
      ["a negative width", () => toSVG(cosine, { stop: 5, width: -1 }), /`width` must be a finite number > 0/, RangeError],
      ["log with no positive rate", () => toSVG(new Constant(0), { stop: 5, log: true }), /`log` must be used with rates above 0/, RangeError],
      ["a PNG scale of 0", () => toPNG("<svg/>", { scale: 0 }), /toPNG: `scale` must be a finite number > 0/, RangeError],
    ];
    for (const [what, call, message, kind] of cases) {
      it(`${what} throws ${kind.name}`, async () => {
        const run = async () => call();
        await expect(run()).rejects.toThrow(kind);
        await expect(run()).rejects.toThrow(message);
      });
    }
  });
});

describe("toTerminal", () => {
  const plain = toTerminal([cosine, decay], { stop: 12000, width: 80, height: 12, title: "Two" });
  const lines = plain.trimEnd().split("\n");

  it("fits the width, labels both axes with readable numbers, and draws in braille", () => {
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
    expect(lines[0]!.trim()).toBe("Two");
    expect(plain).toMatch(/^ 0\.01 ┤/m);
    expect(plain).toMatch(/^ {4}0 ┤/m);
    expect(plain).toMatch(/0 +2,000 +4,000 +6,000 +8,000 +10,000 +step$/m);
    expect(plain).toMatch(/[\u2801-\u28ff]/);
    expect(plain).toContain("└┬");
    expect(plain).not.toContain("\x1b[");
  });

  it("has a legend: solid and dashed lines without colour, the labels", () => {
    expect(lines[lines.length - 1]).toBe(" ⠒⠒⠒⠒⠒⠒ CosineDecay   ⠒⠒⠀⠀⠒⠒ InverseTimeDecay");
  });

  it("plots rows * 4 dots of height and columns * 2 of width: a rising line reaches both corners", () => {
    const ramp = toTerminal({ label: "ramp", steps: [0, 100], values: [0, 1] }, { width: 40, height: 8 });
    const rows = ramp.split("\n").filter((l) => /[┤│]/.test(l));
    expect(rows).toHaveLength(8);
    expect(rows[0]!.endsWith("⠁") || rows[0]!.endsWith("⠈") || /[\u2800-\u28ff]$/.test(rows[0]!)).toBe(true);
    expect(rows[7]).toMatch(/┤[\u2800-\u28ff]/);
  });

  it("{ color: true } colours each schedule and dims epoch marks", () => {
    const colored = toTerminal([cosine, decay], { stop: 12000, color: true, stepsPerEpoch: 1000 });
    expect(colored).toContain("\x1b[36m");
    expect(colored).toContain("\x1b[33m");
    expect(colored).toContain("\x1b[2m");
    // eslint-disable-next-line no-control-regex -- ANSI colour codes start with ESC
    expect(colored.replace(/\x1b\[\d+m/g, "")).not.toContain("\x1b");
  });

  it("{ log: true } puts powers of ten on the rate axis", () => {
    const log = toTerminal(restarts, { stop: 4000, log: true });
    expect(log).toContain("rate (log scale)");
    expect(log).toMatch(/^ ?1e-\d+ ┤/m);
  });

  it("refuses a width with no room for the chart", () => {
    expect(() => toTerminal(cosine, { stop: 100, width: 12 })).toThrow(ScheduleOptionError);
    expect(() => toTerminal(cosine, { stop: 100, width: 12 })).toThrow(/`width` must be at least \d+ columns/);
    expect(() => toTerminal(cosine, { stop: 100, color: "yes" } as never)).toThrow(/`color` must be a boolean/);
  });
});

describe("reduce", () => {
  it("keeps the lowest and highest point of every column, and the first and last point", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 50, maxLength: 400 }), fc.integer({ min: 1, max: 10 }), (values, buckets) => {
        const steps = values.map((_, i) => i);
        const x = (s: number) => (s / values.length) * buckets;
        const kept = reduce({ label: "", steps, values }, x, buckets, false);
        for (let b = 0; b < buckets; b++) {
          const inColumn = steps.filter((s) => Math.floor(x(s)) === b);
          if (inColumn.length === 0) continue;
          const keptValues = kept.filter((i) => Math.floor(x(i)) === b).map((i) => values[i]!);
          const all = inColumn.map((i) => values[i]!);
          if (Math.min(...keptValues) !== Math.min(...all) || Math.max(...keptValues) !== Math.max(...all)) return false;
        }
        return kept[0] === 0 && kept[kept.length - 1] === values.length - 1 && kept.every((v, i) => i === 0 || v > kept[i - 1]!);
      }),
    );
  });
});

describe("axis labels never overlap", () => {
  // Steps from 0 to float32's largest, in ranges of every size that a double tells apart into ticks (d3 finds none
  // between subnormal numbers), at widths down to the smallest chart.
  const ranges = fc
    .tuple(fc.double({ min: 0, max: 3.4e38, noNaN: true }), fc.double({ min: 0, max: 3.4e38, noNaN: true }), fc.boolean())
    .map(([a, b, whole]) => (whole ? [Math.floor(Math.min(a, b)), Math.ceil(Math.max(a, b))] : [Math.min(a, b), Math.max(a, b)]) as [number, number])
    .filter(([lo, hi]) => hi - lo >= Math.max(1e-9, hi * 1e-9));
  const examples: [number, number][] = [[0, 1e8], [0, 3.4e38], [0, 1.5e7], [1e8, 1e8 + 100], [0, 2.5e9], [0, 1e15], [0, 12000], [3, 7], [0, 1e-6]];
  const series = ([lo, hi]: [number, number]) => ({ label: "s", steps: [lo, (lo + hi) / 2, hi], values: [1, 0.5, 0.25] });

  /** The step labels of an SVG chart: where each is centred, and its text. */
  function stepLabels(svg: string): { at: number; label: string }[] {
    return [...svg.matchAll(/<text x="([\d.]+)" y="[\d.]+" text-anchor="middle" stroke="none">([^<]*)<\/text>/g)].map((m) => ({ at: Number(m[1]), label: m[2]! }));
  }

  it("toSVG: step labels, measured at 0.6em (6.6px at 11px) a character, keep apart at any range and width", () => {
    const check = (range: [number, number], width: number) => {
      const labels = stepLabels(toSVG(series(range), { width }));
      expect(labels.length, `${range} at ${width}px`).toBeGreaterThanOrEqual(1);
      for (let i = 1; i < labels.length; i++) {
        const [a, b] = [labels[i - 1]!, labels[i]!];
        expect(b.at - a.at, `${a.label} and ${b.label} over ${range} at ${width}px`).toBeGreaterThanOrEqual(((a.label.length + b.label.length) / 2) * 6.6 + 2);
      }
      return labels;
    };
    for (const range of examples) for (const width of [240, 390, 720, 1600]) check(range, width);
    fc.assert(fc.property(ranges, fc.integer({ min: 240, max: 1600 }), (range, width) => void check(range, width)));
    expect(check([0, 1e8], 720).map((l) => l.label)).toEqual(["0", "20M", "40M", "60M", "80M", "100M"]);
    expect(check([0, 3.4e38], 720).map((l) => l.label)).toContain("1e38");
  });

  it("toTerminal: every step tick has its label, apart from the next, at any range and width", () => {
    const check = (range: [number, number], width: number) => {
      const lines = toTerminal(series(range), { width, height: 6 }).split("\n");
      const axis = lines.findIndex((l) => l.includes("└"));
      const marks = [...lines[axis]!].filter((c) => c === "┬").length;
      const labels = lines[axis + 1]!.trim().split(/ +/).filter((l) => l !== "step");
      expect(labels.length, `${range} at ${width} columns:\n${lines.slice(axis, axis + 2).join("\n")}`).toBe(marks);
    };
    for (const range of examples) for (const width of [24, 40, 80, 200]) check(range, width);
    fc.assert(fc.property(ranges, fc.integer({ min: 24, max: 200 }), (range, width) => void check(range, width)));
  });
});

describe("a log axis says what it leaves out", () => {
  const reachesZero = new CosineDecay(1e-3, 10000);

  it("toSVG: the legend notes where a schedule reaches 0, wrapped to the chart's width; nothing on a linear axis", () => {
    const notes = (svg: string) => [...svg.matchAll(/<text class="note"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]).join(" ");
    expect(notes(toSVG([reachesZero, decay], { stop: 13000, log: true }))).toBe("reaches 0 at step 10,000; a log axis cannot draw rates ≤ 0");
    expect(notes(toSVG([reachesZero, decay], { stop: 13000 }))).toBe("");
    expect(notes(toSVG(decay, { stop: 13000, log: true }))).toBe("");
    expect(notes(toSVG({ label: "negative", steps: [0, 5], values: [1, -1] }, { log: true }))).toMatch(/^falls below 0 at step 5;/);

    const narrow = toSVG([reachesZero, decay], { stop: 13000, log: true, width: 300 });
    const rows = [...narrow.matchAll(/<text class="note" x="([\d.]+)"[^>]*>([^<]*)<\/text>/g)];
    expect(rows.length).toBeGreaterThan(1);
    for (const [, x, text] of rows) expect(Number(x) + text!.length * 6.6).toBeLessThanOrEqual(300);
    // The legend grows by the note's rows, and the layout with it.
    expect(chartLayout([reachesZero, decay], { stop: 13000, log: true, width: 300 }).height).toBe(Number(/height="(\d+)"/.exec(narrow)![1]));
  });

  it("toSVG: a long label wraps inside the chart", () => {
    const label = "AVeryLongScheduleNameThatGoesOnAndOnWithoutAnySpacesAtAll_warmup_cosine_v2";
    const svg = toSVG({ label, schedule: decay }, { stop: 100, width: 320 });
    const rows = [...svg.matchAll(/<g class="legend"[^>]*>[\s\S]*?<\/g>/g)][0]![0].match(/<text [^>]*>([^<]*)<\/text>/g)!;
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.map((r) => r.replace(/<[^>]+>/g, "")).join("")).toBe(label);
  });

  it("toTerminal: a line under the legend says it too", () => {
    const chart = toTerminal([reachesZero, decay], { stop: 13000, log: true, width: 60 });
    expect(chart.replace(/\n /g, " ")).toContain("CosineDecay reaches 0 at step 10,000; a log axis cannot draw rates ≤ 0");
    for (const line of chart.split("\n")) expect([...line].length).toBeLessThanOrEqual(60);
    expect(toTerminal([reachesZero, decay], { stop: 13000, width: 60 })).not.toContain("log axis");
  });
});
