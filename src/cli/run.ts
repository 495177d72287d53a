/**
 * The `lr-schedules` command: argument parsing, the three commands, and the rule that a failure prints one line,
 * exits 2 for bad input, and leaves `-o` unwritten.
 */
import { writeFileSync } from "node:fs";
import { extname } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { ScheduleOptionError, ScheduleTypeError, ScheduleValueError, UnknownScheduleError } from "../errors.js";
import { uniqueLabels, type PlotSeries } from "../plot/data.js";
import { toPNG } from "../plot/png.js";
import { toSVG } from "../plot/svg.js";
import { toTerminal } from "../plot/terminal.js";
import { sample } from "../sample.js";
import { scheduleGroups } from "./scheduleGroups.js";
import { mainHelp, plotHelp, showHelp, valuesHelp } from "./help.js";
import { readInput, type Input } from "./inputs.js";
import { OUTPUT_LIMITS, printable, toCSV, toJSON, toTable } from "./output.js";
import { defaultRange, defaultStep, parseRange, sampleDefined, type Range } from "./range.js";
import { showText } from "./show.js";
import { UsageError } from "./usage.js";
import { VERSION } from "./version.js";

/** Where the command reads and writes: the process's streams, or a test's. */
export interface Io {
  stdout: { write(chunk: string | Uint8Array): unknown; isTTY?: boolean; columns?: number; rows?: number };
  stderr: { write(chunk: string): unknown };
  readStdin(): Promise<string>;
  env: Readonly<Record<string, string | undefined>>;
}

/** A failure that is not the input's fault (writing the output, loading the PNG renderer): exit status 1. */
class OutputError extends Error {}

type Command = "plot" | "values" | "show";
const formats: Record<Command, readonly string[]> = {
  plot: ["term", "svg", "png", "csv", "json", "table"],
  values: ["csv", "json", "table"],
  show: [],
};
/** The most steps a chart samples unless `--steps` gives a STEP: beyond, it samples every 2nd, 5th, 10th... step. */
const CHART_POINTS = 2_000_000;
const byExtension: Record<string, string> = { ".svg": "svg", ".png": "png", ".csv": "csv", ".json": "json", ".txt": "term" };

const common = {
  steps: { type: "string" },
  output: { type: "string", short: "o" },
  help: { type: "boolean", short: "h" },
} as const;
const options = {
  plot: {
    ...common,
    format: { type: "string", short: "f" },
    "steps-per-epoch": { type: "string" },
    log: { type: "boolean" },
    title: { type: "string" },
    width: { type: "string" },
    height: { type: "string" },
  },
  values: { ...common, format: { type: "string", short: "f" } },
  show: common,
} satisfies Record<Command, ParseArgsConfig["options"]>;

/**
 * Runs the command line `argv` (without `node` and the script) and returns the exit status. Output goes to
 * `io.stdout`, or to the `-o` file only once everything has succeeded.
 */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined) {
      io.stderr.write(mainHelp(scheduleGroups()));
      return 2;
    }
    if (command === "--help" || command === "-h" || command === "help") {
      const topic = rest[0];
      io.stdout.write(topic === "plot" ? plotHelp : topic === "values" ? valuesHelp : topic === "show" ? showHelp : mainHelp(scheduleGroups()));
      return 0;
    }
    if (command === "--version" || command === "-v") {
      io.stdout.write(`${VERSION}\n`);
      return 0;
    }
    if (command !== "plot" && command !== "values" && command !== "show") {
      throw new UsageError(`unknown command '${command}': use plot, values or show (lr-schedules --help lists them)`);
    }
    return await runCommand(command, rest, io);
  } catch (e) {
    const prefix = command === "plot" || command === "values" || command === "show" ? `lr-schedules ${command}` : "lr-schedules";
    const bad =
      e instanceof UsageError ||
      e instanceof ScheduleOptionError ||
      e instanceof ScheduleTypeError ||
      e instanceof ScheduleValueError ||
      e instanceof UnknownScheduleError;
    const message = e instanceof Error ? e.message : String(e);
    io.stderr.write(`${prefix}: ${bad || e instanceof OutputError ? "" : "internal error: "}${printable(message.replace(/\s*\n\s*/g, " "))}\n`);
    return bad ? 2 : 1;
  }
}

async function runCommand(command: Command, argv: readonly string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: options[command], allowPositionals: true, strict: true });
  } catch (e) {
    // Node's messages go on to explain '--' for positionals that start with '-': the first sentence says it.
    const first = (e as Error).message.split("\n")[0]!.split(/\.\s/)[0];
    throw new UsageError(`${first} (lr-schedules ${command} --help lists the options)`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) {
    io.stdout.write(command === "plot" ? plotHelp : command === "values" ? valuesHelp : showHelp);
    return 0;
  }
  if (parsed.positionals.length === 0) {
    throw new UsageError(`no schedule given: lr-schedules ${command} 'CosineDecay(1e-3, 10000)' (lr-schedules ${command} --help for more)`);
  }
  if (parsed.positionals.filter((p) => p === "-").length > 1) throw new UsageError("'-' (standard input) can be given once only");
  const output = values.output as string | undefined;
  if (output === "") throw new UsageError("-o needs a file name");

  const format = chooseFormat(command, values.format as string | undefined, output, io);
  const number = (name: string) => {
    const text = values[name] as string | undefined;
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!(Number.isFinite(n) && n > 0)) throw new UsageError(`--${name} '${text}' must be a number above 0`);
    return n;
  };
  const title = values.title === undefined ? undefined : printable(values.title as string);
  const stepsPerEpoch = number("steps-per-epoch");
  const width = number("width");
  const height = number("height");
  const image = format === "svg" || format === "png";
  const [maxWidth, maxHeight] = image ? [OUTPUT_LIMITS.pixels, OUTPUT_LIMITS.pixels] : [OUTPUT_LIMITS.columns, OUTPUT_LIMITS.rows];
  for (const [name, size, max] of [["width", width, maxWidth], ["height", height, maxHeight]] as const) {
    if (size !== undefined && size > max) {
      throw new UsageError(`--${name} ${size} is too large: ${format} charts are at most ${max} ${image ? "pixels" : name === "width" ? "columns" : "rows"} ${name === "width" ? "wide" : "high"}`);
    }
  }

  const count = parsed.positionals.length;
  const { rates } = OUTPUT_LIMITS;
  const text = format === "csv" || format === "json" || format === "table";
  const maxRates = text ? rates[format] : rates.chart;
  // Text holds every step it is given; a chart samples at most CHART_POINTS steps of each schedule unless told.
  const maxPoints = Math.max(1, Math.min(text ? Infinity : CHART_POINTS, Math.floor(maxRates / count)));
  const given = values.steps as string | undefined;
  const asked = given === undefined ? undefined : parseRange(given, command === "values" ? Infinity : maxPoints);
  const steps = asked ? Math.ceil((asked.stop - asked.start) / asked.step) : 0;
  if (steps * count > maxRates) {
    const suggested = `${asked!.start}:${asked!.stop}:${defaultStep(asked!.stop - asked!.start, maxPoints)}`;
    const what = text ? `${format} holds` : command === "show" ? "show samples" : "a chart samples";
    throw new UsageError(
      `--steps '${given}' gives ${steps} steps${count > 1 ? ` of ${count} schedules` : ""}: ${what} at most ${maxRates} rates; give a larger STEP, as in --steps ${suggested}`,
    );
  }

  const inputs: Input[] = [];
  for (const arg of parsed.positionals) inputs.push(await readInput(arg, io.readStdin));
  const range: Range = asked ?? defaultRange(inputs.map((i) => i.schedule), maxPoints);
  // A chart and show take each schedule as far as it has rates (OneCycleLR ends at totalSteps); csv, json and a table
  // keep one row per step, and fail on a step a schedule raises at.
  const sampled = inputs.map(({ schedule }) => (text ? { ...sample(schedule, range), stop: range.stop } : sampleDefined(schedule, range)));
  const series: PlotSeries[] = uniqueLabels(inputs.map(({ label }, i) => ({ label, steps: sampled[i]!.steps, values: sampled[i]!.values })));
  if (series[0]!.steps.length === 0) throw new UsageError(`--steps '${given}' holds no step: STOP must be past START`);

  let result: string | Uint8Array;
  if (command === "show") {
    // Names and strings of the config appear as they were given: made printable line by line.
    const note = (i: number) => {
      const notes = [given === undefined ? "the default range; choose one with --steps" : "", sampled[i]!.stop < range.stop ? `it has no rate from step ${sampled[i]!.stop} on` : ""];
      return notes.some(Boolean) ? ` (${notes.filter(Boolean).join("; ")})` : "";
    };
    const text = inputs.map((input, i) => showText(series[i]!.label, input.schedule, series[i]!, range, note(i))).join("\n");
    result = text.split("\n").map(printable).join("\n");
  } else if (format === "csv") {
    result = toCSV(series);
  } else if (format === "json") {
    result = toJSON(series);
  } else if (format === "table") {
    result = toTable(series);
  } else if (format === "svg" || format === "png") {
    const svg = toSVG(series, { log: values.log === true, title, stepsPerEpoch, width, height });
    if (format === "svg") result = svg;
    else {
      try {
        result = await toPNG(svg);
      } catch (e) {
        throw new OutputError((e as Error).message);
      }
    }
  } else {
    const tty = output === undefined && io.stdout.isTTY === true;
    const forced = io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== "" && io.env.FORCE_COLOR !== "0";
    const color = output === undefined && ((tty && !io.env.NO_COLOR) || forced);
    const columns = width ?? (tty && io.stdout.columns ? Math.min(io.stdout.columns, OUTPUT_LIMITS.columns) : 80);
    const rows = height ?? (tty && io.stdout.rows ? Math.min(24, Math.max(8, io.stdout.rows - 8 - series.length)) : 16);
    result = toTerminal(series, { log: values.log === true, title, stepsPerEpoch, width: columns, height: rows, color });
  }

  if (output === undefined) {
    // A write error (a full disk, a closed pipe) arrives as the stream's 'error' event: main.ts reports it.
    io.stdout.write(result);
    return 0;
  }
  try {
    writeFileSync(output, result);
  } catch (e) {
    throw new OutputError(`cannot write '${output}': ${(e as Error).message}`);
  }
  return 0;
}

function chooseFormat(command: Command, format: string | undefined, output: string | undefined, io: Io): string | undefined {
  const allowed = formats[command];
  if (format !== undefined) {
    if (!allowed.includes(format)) throw new UsageError(`--format '${format}' must be one of ${allowed.join(", ")}`);
    if (format === "png" && output === undefined && io.stdout.isTTY) {
      throw new UsageError("PNG is binary: write it to a file with -o FILE.png, or pipe it");
    }
    return format;
  }
  if (allowed.length === 0) return undefined;
  const extension = output === undefined ? "" : extname(output).toLowerCase();
  const fromFile = byExtension[extension];
  if (fromFile && allowed.includes(fromFile)) return fromFile;
  if (extension !== "") {
    // Guessing would write, say, a braille chart into chart.html: refuse, and say how to choose.
    throw new UsageError(`-o '${output}': ${command} cannot write a '${extension}' file; give --format (${allowed.join(", ")}) or a ${allowed.map((f) => Object.keys(byExtension).find((e) => byExtension[e] === f)).filter(Boolean).join(" / ")} file name`);
  }
  if (command === "values") return output === undefined && io.stdout.isTTY ? "table" : "csv";
  return "term";
}
