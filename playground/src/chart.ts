/**
 * The chart: the library's own `toSVG`, drawn into the page, and the hover readout on top of it. The readout maps
 * the pointer back to a step with the layout `toSVG` draws with (`chartLayout`): its plot area and its scales.
 */
import { drawable, uniqueLabels, type PlotSeries } from "../../src/plot/data.js";
import { chartLayout, PALETTE, toSVG, type ChartLayout } from "../../src/plot/svg.js";
import { sampleDefined } from "../../src/cli/range.js";
import type { LearningRateSchedule } from "../../src/schedule.js";

/** The sampled steps: `start, start + step, ...` below `stop`. */
export interface StepRange {
  start: number;
  stop: number;
  step: number;
}

/** One line of the chart; a schedule that does not build yet keeps its place (and its colour) with no points. */
export interface Curve {
  label: string;
  schedule: LearningRateSchedule | undefined;
}

export interface ChartOptions {
  log: boolean;
  stepsPerEpoch: number | undefined;
  width: number;
  height: number;
}

/** The most steps sampled per schedule, so that a slider redraws at once over any range. */
export const MAX_POINTS = 200_000;

/** The colour of the `k`th curve, as `toSVG` draws it. */
export function colorOf(k: number): string {
  return PALETTE[k % PALETTE.length]!;
}

/** What the pointer reads at one step: each curve's rate there, and where it is drawn. */
export interface Reading {
  step: number;
  x: number;
  points: { label: string; color: string; rate: number; y: number | undefined }[];
}

/** A chart drawn into the page, able to read its curves at a pointer position. */
export class Chart {
  readonly svg: SVGSVGElement;
  private readonly x: ChartLayout["x"];
  private readonly y: ChartLayout["y"];
  private readonly frame: ChartLayout["frame"];
  private readonly hover: SVGGElement;

  constructor(
    readonly container: HTMLElement,
    private readonly series: PlotSeries[],
    private readonly range: StepRange,
    private readonly options: ChartOptions,
  ) {
    const drawn = { log: options.log, stepsPerEpoch: options.stepsPerEpoch, width: options.width, height: options.height };
    ({ frame: this.frame, x: this.x, y: this.y } = chartLayout(series, drawn));
    container.innerHTML = toSVG(series, drawn);
    this.svg = container.querySelector("svg")!;
    this.hover = this.svg.appendChild(document.createElementNS(SVG, "g"));
    this.hover.setAttribute("class", "hover");
    this.hover.setAttribute("pointer-events", "none");
  }

  /** The reading at a point on screen: the sampled step nearest the pointer, or nothing outside the plot area. */
  readAt(clientX: number, clientY: number): Reading | undefined {
    const matrix = this.svg.getScreenCTM();
    if (!matrix) return undefined;
    const p = new DOMPoint(clientX, clientY).matrixTransform(matrix.inverse());
    const { left, right, top, bottom } = this.frame;
    if (p.x < left - 4 || p.x > right + 4 || p.y < top - 4 || p.y > bottom + 4) return undefined;
    const longest = this.series.reduce((n, s) => Math.max(n, s.steps.length), 0);
    if (longest === 0) return undefined;
    const { start, step } = this.range;
    const index = Math.min(longest - 1, Math.max(0, Math.round((this.x.invert(p.x) - start) / step)));
    const at = start + index * step;
    return {
      step: at,
      x: this.x(at),
      points: this.series.flatMap((s, k) => {
        if (index >= s.values.length) return [];
        const rate = s.values[index]!;
        return [{ label: s.label, color: colorOf(k), rate, y: drawable(rate, this.options.log) ? this.y(rate) : undefined }];
      }),
    };
  }

  /** Draws the crosshair and a dot on each curve at a reading; none clears them. */
  mark(reading: Reading | undefined): void {
    this.hover.replaceChildren();
    if (!reading) return;
    const line = element("line", { x1: reading.x, x2: reading.x, y1: this.frame.top, y2: this.frame.bottom, stroke: "#555", "stroke-dasharray": "4,3" });
    this.hover.append(line);
    for (const point of reading.points) {
      if (point.y === undefined) continue;
      this.hover.append(element("circle", { cx: reading.x, cy: point.y, r: 4.5, fill: "#fff", stroke: point.color, "stroke-width": 2.5 }));
    }
  }
}

/**
 * Samples the curves over a range, as the series a chart draws. Labels are the schedules' names, numbered as
 * `toSVG` numbers them in its legend ("CosineDecay #2"), so that the readout names the curves as the legend does.
 * A curve that fails to sample (a torch scheduler without its `lr`) keeps its place with no points; `errors` gets why.
 */
export function seriesOf(curves: readonly Curve[], range: StepRange, errors: string[] = []): PlotSeries[] {
  return uniqueLabels(
    curves.map(({ label, schedule }) => {
      if (!schedule) return { label, steps: [], values: [] };
      try {
        // A curve that ends inside the range (OneCycleLR past totalSteps) is drawn as far as it goes.
        const { steps, values } = sampleDefined(schedule, range);
        return { label, steps, values };
      } catch (e) {
        errors.push((e as Error).message);
        return { label, steps: [], values: [] };
      }
    }),
  );
}

const SVG = "http://www.w3.org/2000/svg";

function element(name: string, attributes: Record<string, string | number>): SVGElement {
  const el = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) el.setAttribute(key, String(value));
  return el;
}
