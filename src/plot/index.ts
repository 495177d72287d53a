/**
 * `lr-schedules/plot`: see a schedule before training with it, and a range test's losses to choose its peak rate.
 * Charts as strings (an SVG document, a braille text chart) that work in Node and browsers alike, and PNG through
 * `@resvg/resvg-js` where it is installed.
 * @module lr-schedules/plot
 */
export { chartLayout, toSVG } from "./svg.js";
export type { ChartLayout, Scale } from "./svg.js";
export { toTerminal } from "./terminal.js";
export type { TerminalOptions } from "./terminal.js";
export { toPNG } from "./png.js";
export type { PNGOptions } from "./png.js";
export type { PlotItem, PlotOptions, PlotSeries } from "./data.js";
export { rangeTestToSVG, rangeTestToTerminal } from "./rangeTest.js";
export type { RangeTestCurve, RangeTestPlotOptions, RangeTestTerminalOptions } from "./rangeTest.js";
