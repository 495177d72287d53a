/**
 * What the commands read: a schedule given as an expression or as Keras JSON, inline, in a file, or `-` for standard
 * input. The Node-free parts (Keras documents, ranges) live in keras.ts and range.ts, which the playground shares.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { LearningRateSchedule } from "../schedule.js";
import { classNamed, ExpressionError, location, parseExpression, scheduleClasses } from "./expression.js";
import { fromKeras } from "./keras.js";
import { UsageError } from "./usage.js";

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
      const known = classNamed(scheduleClasses(), arg) !== undefined;
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

function compact(text: string, max = 72): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max - 3)}...` : one;
}
