import { ScheduleOptionError, ScheduleTypeError } from "../errors.js";
import { checkNumber, isPlainObject } from "../options.js";

/** Options of {@link toPNG}. */
export interface PNGOptions {
  /** Pixels per SVG unit: 2 gives a sharp image on high-density screens. @defaultValue 2 */
  scale?: number;
}

type Resvg = typeof import("@resvg/resvg-js");

/**
 * Renders an SVG from {@link toSVG} to PNG bytes with `@resvg/resvg-js` (an optional dependency, loaded only here,
 * in Node), using the system's fonts.
 *
 * @example
 * import { CosineDecay } from 'lr-schedules';
 * import { toPNG, toSVG } from 'lr-schedules/plot';
 * const png = await toPNG(toSVG(new CosineDecay(1e-3, 1000), { stop: 1200 }));  // then writeFileSync('cosine.png', png)
 * Array.from(png.subarray(1, 4), (c) => String.fromCharCode(c)).join(''); //=> 'PNG'
 *
 * @throws {Error} `@resvg/resvg-js` is not installed (the message says how to install it).
 * @throws {ScheduleTypeError} `svg` not a string, `options` not an object, or `scale` not a number.
 * @throws {ScheduleOptionError} an unknown option, or a `scale` that is not finite and above 0.
 */
export async function toPNG(svg: string, options: PNGOptions = {}): Promise<Uint8Array> {
  if (typeof svg !== "string") throw new ScheduleTypeError("toPNG", "svg", svg, "an SVG document as a string");
  if (!isPlainObject(options)) throw new ScheduleTypeError("toPNG", "options", options, "an options object");
  for (const key of Object.keys(options)) if (key !== "scale") throw new ScheduleOptionError("toPNG", key, (options as Record<string, unknown>)[key], "the option scale");
  const scale = checkNumber(options.scale ?? 2, "toPNG", "scale", "positive");
  const { Resvg } = await loadResvg();
  const image = new Resvg(svg, { fitTo: { mode: "zoom", value: scale }, font: { loadSystemFonts: true }, logLevel: "off" }).render();
  return new Uint8Array(image.asPng());
}

async function loadResvg(): Promise<Resvg> {
  // A name in a variable, so that browser bundlers do not try to resolve a native Node module.
  const name = "@resvg/resvg-js";
  try {
    const mod = (await import(/* @vite-ignore */ name)) as Resvg & { default?: Resvg };
    return mod.Resvg ? mod : mod.default!;
  } catch (e) {
    throw new Error(`PNG output needs the optional package @resvg/resvg-js, which could not be loaded (${(e as Error).message.split("\n")[0]}); install it with \`npm install @resvg/resvg-js\`, or write SVG instead`);
  }
}
