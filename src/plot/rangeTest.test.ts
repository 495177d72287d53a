import { describe, expect, it } from "vitest";
import { rangeTestRates, rangeTestSuggestions, SmoothedLoss } from "../rangeTest.js";
import { ScheduleOptionError, ScheduleTypeError } from "../errors.js";
import { rangeTestToSVG, rangeTestToTerminal, toPNG } from "./index.js";
import { xmlElements } from "../../test/support/xml.js";

/** A range test as findLearningRate records it: the loss falls, bottoms out near 0.1, then diverges (a NaN last). */
function rangeTest() {
  const learningRates = rangeTestRates(1e-6, 10, 80, "exponential");
  let seed = 7;
  const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.2;
  const losses = learningRates.map((r, i) => (i === 79 ? NaN : 2.3 - 1.8 / (1 + Math.exp(-(Math.log10(r) + 3) * 2)) + (r > 0.3 ? (r - 0.3) * 40 : 0) + noise()));
  const smoother = new SmoothedLoss(0.9);
  const smoothedLosses = losses.map((l) => smoother.add(l));
  return { learningRates, losses, smoothedLosses, suggestions: rangeTestSuggestions(learningRates, smoothedLosses, 80)! };
}
const result = rangeTest();

/** The `d` of each path, in order: each batch's loss first, the smoothed loss on top. */
const paths = (svg: string) => [...svg.matchAll(/<path ([^>]*)d="([^"]*)"/g)].map((m) => ({ attributes: m[1]!, d: m[2]! }));

describe("rangeTestToSVG", () => {
  const svg = rangeTestToSVG(result, { title: "Range test <1>", rules: ["valley", "steepest", "minimum"] });

  it("rangeTestToSVG(result) is a well-formed SVG: a faint line of batch losses under the smoothed loss, log rate axis, loss axis", () => {
    const elements = xmlElements(svg);
    expect(elements[0]).toBe("svg");
    const [each, smoothed] = paths(svg);
    expect(paths(svg)).toHaveLength(2);
    expect(each!.attributes).toMatch(/stroke-width="1" stroke-opacity="0.35"/);
    expect(smoothed!.attributes).toMatch(/stroke-width="2.25"/);
    expect(svg).toContain(">learning rate (log scale)</text>");
    expect(svg).toContain(">loss</text>");
    expect(svg).toContain("Range test &#60;1&#62;");
    for (const label of ["1e-6", "1e-4", "1e-2"]) expect(svg).toContain(`>${label}</text>`);
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
  });

  it("marks each chosen rule's suggestion with a dashed line at its rate, a dot on the smoothed loss and a label", () => {
    const markers = /<g class="markers"[^>]*>([\s\S]*?)<\/g>/.exec(svg)![1]!;
    expect(markers.match(/<line /g)).toHaveLength(3);
    expect(markers.match(/<circle /g)).toHaveLength(3);
    const labels = [...markers.matchAll(/>([^<]+)<\/text>/g)].map((m) => m[1]);
    expect(labels.map((l) => l!.split(" ")[0])).toEqual(["valley", "steepest", "minimum"]);
    // The line stands where the x axis puts the rate: between the ticks of the decades around it.
    const tick = (label: string) => Number(new RegExp(`<text x="([\\d.]+)"[^>]*>${label}</text>`).exec(svg)![1]);
    const at = Number(/<line x1="([\d.]+)"/.exec(markers)![1]);
    const [from, to] = [tick("1e-6"), tick("1e-4")];
    const expected = from + ((to - from) * (Math.log10(result.suggestions.valley) + 6)) / 2;
    expect(at).toBeCloseTo(expected, 0);
    // The default: the valley alone, fastai's suggestion.
    expect(rangeTestToSVG(result).match(/<circle /g)).toHaveLength(1);
    expect(rangeTestToSVG(result)).toContain(">valley suggestion: ");
  });

  it("keeps the loss axis on the smoothed losses: a diverging batch loss leaves the chart, clipped; a NaN is a gap", () => {
    const yLabels = [...svg.matchAll(/<text x="64" y="([\d.]+)" dy="0.32em" text-anchor="end" stroke="none">([^<]*)<\/text>/g)].map((m) => Number(m[2]));
    const top = Math.max(...yLabels);
    expect(top).toBeLessThan(Math.max(...result.losses.filter(Number.isFinite)));
    expect(top).toBeGreaterThanOrEqual(Math.max(...result.smoothedLosses.filter(Number.isFinite)) * 0.999);
    // The lines are clipped to the plot area (top 40, the title's margin), and go no further than a plot's height past it.
    const clip = /<clipPath id="([^"]+)"><rect x="72" y="40" width="624" height="312"\/><\/clipPath>/.exec(svg)!;
    expect(svg).toContain(`<g class="series" fill="none" stroke-width="1.75" stroke-linejoin="round" stroke-linecap="round" clip-path="url(#${clip[1]})">`);
    const ys = paths(svg).flatMap(({ d }) => [...d.matchAll(/,(-?[\d.]+)/g)].map((m) => Number(m[1])));
    expect(Math.min(...ys)).toBeGreaterThanOrEqual(40 - 312);
    expect(Math.min(...ys)).toBeLessThan(40);
    // The NaN at the end leaves the batch losses' line one point short.
    const drawn = paths(svg)[0]!.d.split(/[ML]/).filter(Boolean).length;
    expect(drawn).toBeLessThanOrEqual(result.losses.length - 1);
    // With every loss on the axis, no clip is declared (nor is one in a schedule's chart).
    expect(rangeTestToSVG({ ...result, losses: result.smoothedLosses })).not.toContain("clipPath");
  });

  it("renders to a PNG through toPNG", async () => {
    const png = await toPNG(svg, { scale: 1 });
    expect(Array.from(png.slice(1, 4), (c) => String.fromCharCode(c)).join("")).toBe("PNG");
    expect(png.length).toBeGreaterThan(5000);
  });

  describe("bad arguments throw errors that name them", () => {
    const cases: [string, () => unknown, RegExp, new (...args: never[]) => Error][] = [
      ["not a result", () => rangeTestToSVG(null as never), /rangeTestToSVG: `result` must be a range test's result/, ScheduleTypeError],
      ["losses not an array", () => rangeTestToSVG({ ...result, losses: "x" as never }), /`result.losses` must be an array of numbers/, ScheduleTypeError],
      ["one point", () => rangeTestToSVG({ ...result, learningRates: [1e-3], losses: [1], smoothedLosses: [1] }), /`learningRates.length` must be at least 2/, ScheduleOptionError],
      ["a rate of 0", () => rangeTestToSVG({ ...result, learningRates: [0, ...result.learningRates.slice(1)] }), /`learningRates\[0\]` must be a finite number > 0/, ScheduleOptionError],
      ["fewer losses", () => rangeTestToSVG({ ...result, smoothedLosses: [1, 2] }), /`smoothedLosses.length` must be the length of learningRates \(80\)/, ScheduleOptionError],
      ["an unknown rule", () => rangeTestToSVG(result, { rules: ["lowest" as never] }), /`rules\[0\]` must be one of 'minimum', 'steepest', 'valley'/, ScheduleTypeError],
      ["a missing suggestion", () => rangeTestToSVG({ ...result, suggestions: {} as never }), /`result.suggestions.valley` must be a finite number > 0/, ScheduleTypeError],
      ["an unknown option", () => rangeTestToSVG(result, { log: true } as never), /`log` must be one of the options title, rules, width, height/, ScheduleOptionError],
      ["a terminal too narrow", () => rangeTestToTerminal(result, { width: 12 }), /rangeTestToTerminal: `width` must be at least \d+ columns, room for the loss labels and the chart/, ScheduleOptionError],
      ["a terminal colour of the wrong kind", () => rangeTestToTerminal(result, { color: 1 } as never), /rangeTestToTerminal: `color` must be a boolean/, ScheduleTypeError],
    ];
    for (const [what, call, message, kind] of cases) {
      it(`${what} throws ${kind.name}`, () => {
        expect(call).toThrow(kind);
        expect(call).toThrow(message);
      });
    }
  });
});

describe("rangeTestToTerminal", () => {
  const text = rangeTestToTerminal(result, { width: 72, height: 12, rules: ["valley", "minimum"] });
  const lines = text.trimEnd().split("\n");

  it("fits the width, names both axes, labels each suggestion above the plot and draws in braille", () => {
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(72);
    expect(lines[0]).toBe("loss");
    expect(lines[1]!.trim()).toMatch(/^valley \d/);
    expect(lines[2]!.trim()).toMatch(/^minimum \d/);
    expect(text).toMatch(/1e-6 .*learning rate \(log scale\)$/m);
    expect(text).toMatch(/[\u2801-\u28ff]/);
    expect(text).not.toContain("\x1b[");
  });

  it("has a legend: the smoothed loss solid, each batch's loss as points, the suggestions", () => {
    expect(text).toContain(" ⠒⠒⠒⠒⠒⠒ loss (smoothed)   ⠂⠀⠂⠀⠂⠀ loss (each batch)");
    expect(text).toMatch(/⠀⠀⠅⠀⠀⠀ valley suggestion: /);
  });

  it("{ color: true } draws the smoothed loss in cyan, each batch's loss dim, the valley in red", () => {
    const colored = rangeTestToTerminal(result, { color: true });
    expect(colored).toContain("\x1b[36m");
    expect(colored).toContain("\x1b[2m");
    expect(colored).toContain("\x1b[31m");
  });
});
