/**
 * What the commands read: a schedule given as an expression, as Keras JSON (inline, in a file, or `-` for standard
 * input, in any shape Keras writes a schedule in), and a range of steps.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { scaleLinear } from "d3-scale";
import { describe } from "../errors.js";
import { isPlainObject } from "../options.js";
import { LearningRateSchedule, type ScheduleClass } from "../schedule.js";
import { parseKerasJson, readSchedule } from "../serialization.js";
import { ExpressionError, location, parseExpression, scheduleClasses } from "./expression.js";

/** A mistake in how the command was called: reported in one line, exit status 2. */
export class UsageError extends Error {
  override readonly name: string = "UsageError";
}

/** A schedule read from the command line, with the label its legend and column header use. */
export interface Input {
  schedule: LearningRateSchedule;
  label: string;
}

const looksLikeCall = /^\s*(?:new\s+)?[A-Za-z_$][\w$]*\s*\(/;
const looksLikeJson = /^\s*[{[]/;

/**
 * Reads one schedule argument: `-` (standard input), an expression (`CosineDecay(1e-3, 10000)`), inline JSON
 * (`{"class_name": ...}`), or a file holding either.
 */
export async function readInput(arg: string, readStdin: () => Promise<string>): Promise<Input> {
  if (arg === "-") return fromText(await readStdin(), "standard input", "stdin");
  if (looksLikeCall.test(arg)) return { schedule: fromExpression(arg, `'${compact(arg, 40)}'`), label: compact(arg) };
  if (looksLikeJson.test(arg)) return fromText(arg, "inline JSON", undefined);
  let text: string;
  try {
    text = readFileSync(arg, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && /^[A-Za-z_$][\w$]*$/.test(arg)) {
      const known = scheduleClasses().has(arg) || scheduleClasses().has(arg[0]!.toUpperCase() + arg.slice(1));
      throw new UsageError(known ? `'${arg}' needs its arguments, as in ${arg}(...)` : `'${arg}' is neither a file nor a schedule expression such as CosineDecay(1e-3, 10000)`);
    }
    throw new UsageError(code === "ENOENT" ? `no such file '${arg}' (a schedule is an expression such as CosineDecay(1e-3, 10000), Keras JSON, a JSON file, or - for standard input)` : `cannot read '${arg}': ${(e as Error).message}`);
  }
  return fromText(text, `'${arg}'`, basename(arg));
}

function fromText(text: string, source: string, name: string | undefined): Input {
  if (!looksLikeJson.test(text)) {
    if (text.trim() === "") throw new UsageError(`${source} is empty: expected Keras JSON or a schedule expression`);
    const schedule = fromExpression(text.trim(), source);
    return { schedule, label: name ?? compact(text) };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // V8 gives a character offset; a line and column find the spot in a file.
    const message = (e as Error).message.replace(/ at position (\d+)(?: \(line \d+ column \d+\))?/, (_, at: string) => ` at ${location(text, Number(at))}`);
    throw new UsageError(`${source} is not valid JSON: ${message}`);
  }
  const schedule = fromKeras(value, source);
  return { schedule, label: name ? `${name}: ${schedule.name}` : schedule.name };
}

function fromExpression(text: string, source: string): LearningRateSchedule {
  try {
    return parseExpression(text);
  } catch (e) {
    if (e instanceof ExpressionError) throw new UsageError(`${source} ${location(e.text, e.index)}: ${e.reason}`);
    throw e;
  }
}

/**
 * The schedule in any Keras document that holds one: a schedule (Keras 3 or Keras 2 shape), an optimizer whose
 * `learning_rate` is a schedule, a compile config (`optimizer`), an HDF5 `training_config` (`optimizer_config`), or
 * a whole saved model's config (`compile_config`, `training_config`). Errors give the key path where they occur.
 */
export function fromKeras(json: unknown, source: string): LearningRateSchedule {
  try {
    const value = parseKerasJson(json, "lr-schedules");
    let node = value;
    let path = "";
    const at = (key: string) => (path ? `${path}.${key}` : key);
    for (;;) {
      if (!isPlainObject(node)) break;
      const here: Record<string, unknown> = node;
      const next = ["compile_config", "training_config", "optimizer", "optimizer_config"].find((k) => Object.hasOwn(here, k));
      if (next) {
        if (typeof here[next] === "string") {
          throw new UsageError(`${source}: \`${at(next)}\` is ${describe(here[next])}, an optimizer by name with its default fixed rate, not a schedule: nothing to plot`);
        }
        node = here[next];
        path = at(next);
        continue;
      }
      const config = here.config;
      if (isPlainObject(config)) {
        const key = ["learning_rate", "lr"].find((k) => Object.hasOwn(config, k));
        if (key) {
          const rate = config[key];
          if (!isPlainObject(rate)) {
            throw new UsageError(`${source}: \`${at(`config.${key}`)}\` is ${describe(rate)}, a fixed rate, not a schedule: nothing to plot`);
          }
          node = rate;
          path = at(`config.${key}`);
        }
      }
      break;
    }
    return readSchedule(node, path);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if (e instanceof Error) throw new UsageError(`${source}: ${e.message}`);
    throw e;
  }
}

function compact(text: string, max = 72): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max - 3)}...` : one;
}

/** A range of steps, `start` included and `stop` left out. */
export interface Range {
  start: number;
  stop: number;
  step: number;
}

/**
 * Reads `--steps START:STOP[:STEP]` (or just `STOP`). A missing STEP is 1, or for a chart over more than two million
 * steps the round number that keeps about a million points.
 */
export function parseRange(text: string, chart: boolean): Range {
  const parts = text.split(":");
  if (parts.length > 3 || parts.some((p) => p.trim() === "")) {
    throw new UsageError(`--steps '${text}' must be START:STOP or START:STOP:STEP, such as 0:10000 or 0:10000:10`);
  }
  const numbers = parts.map((p, i) => {
    const n = Number(p.replace(/_/g, ""));
    const names = parts.length === 1 ? ["STOP"] : ["START", "STOP", "STEP"];
    if (!Number.isFinite(n)) throw new UsageError(`--steps '${text}': ${names[i]} '${p}' is not a finite number`);
    return n;
  });
  const [start, stop] = numbers.length === 1 ? [0, numbers[0]!] : [numbers[0]!, numbers[1]!];
  if (start < 0) throw new UsageError(`--steps '${text}': START (${start}) must be 0 or more`);
  if (stop < start) throw new UsageError(`--steps '${text}': STOP (${stop}) is before START (${start})`);
  if (numbers.length === 3 && !(numbers[2]! > 0)) throw new UsageError(`--steps '${text}': STEP (${numbers[2]}) must be more than 0`);
  return { start, stop, step: numbers[2] ?? defaultStep(stop - start, chart) };
}

function defaultStep(span: number, chart: boolean): number {
  if (!chart || span <= 2e6) return 1;
  let step = 10 ** Math.floor(Math.log10(span / 1e6));
  for (const m of [1, 2, 5, 10]) if (span / (step * m) <= 2e6) return step * m;
  return (step *= 10);
}

/**
 * A range that shows the whole of every schedule, from their step options: the sum of each schedule's `...Steps`
 * options and its largest boundary, nested schedules included, plus a quarter, rounded to a nice number.
 */
export function defaultRange(schedules: readonly LearningRateSchedule[], chart: boolean): Range {
  const horizon = Math.max(...schedules.map(stepsOf));
  const stop = Math.max(100, scaleLinear().domain([0, Math.ceil(horizon * 1.25)]).nice().domain()[1]!);
  return { start: 0, stop, step: defaultStep(stop, chart) };
}

function stepsOf(schedule: LearningRateSchedule): number {
  const fields = (schedule.constructor as ScheduleClass).fields;
  if (!fields) return 0;
  const config = schedule.getConfig();
  let own = 0;
  let boundary = 0;
  let nested = 0;
  for (const [name, value] of Object.entries(config)) {
    if (typeof value === "number" && /Steps$/.test(name)) own += value;
    if (name === "boundaries" && Array.isArray(value)) boundary = Math.max(boundary, ...value.filter((v): v is number => typeof v === "number"));
    if (value instanceof LearningRateSchedule) nested = Math.max(nested, stepsOf(value));
    if (Array.isArray(value)) for (const v of value) if (v instanceof LearningRateSchedule) nested = Math.max(nested, stepsOf(v));
  }
  return own + boundary + nested;
}
