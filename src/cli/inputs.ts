/**
 * What the commands read: a schedule given as an expression or as Keras JSON, inline, in a file, or `-` for standard
 * input. The Node-free parts (Keras documents, ranges) live in keras.ts and range.ts, which the playground shares.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { basename } from "node:path";
import { ScheduleTypeError } from "../errors.js";
import type { LearningRateSchedule } from "../schedule.js";
import { JSON_LIMITS, parseKerasJson } from "../keras/limits.js";
import { closestName } from "../suggest.js";
import { classNamed, ExpressionError, location, parseExpression, scheduleClasses } from "../expression.js";
import { fromKeras } from "./kerasDocument.js";
import { printable } from "./output.js";
import { UsageError } from "./usage.js";

/** A schedule read from the command line, with the label its legend and column header use. */
export interface Input {
  schedule: LearningRateSchedule;
  label: string;
}

/** The most characters read from any input: the library's own limit on Keras JSON text, expressions included. */
export const MAX_INPUT = JSON_LIMITS.maxTextLength;

function tooLarge(source: string): UsageError {
  return new UsageError(`${source} is larger than ${MAX_INPUT} characters (${MAX_INPUT / 2 ** 20} MiB), the most a schedule is read from`);
}

/**
 * UTF-8 chunks decoded into text, refused with a {@link UsageError} by the chunk that takes it past
 * {@link MAX_INPUT} characters: a reader stops there instead of reading on without end.
 */
export class BoundedText {
  private readonly decoder = new TextDecoder();
  private readonly parts: string[] = [];
  private length = 0;
  constructor(private readonly source: string) {}

  add(chunk: Uint8Array): void {
    this.push(this.decoder.decode(chunk, { stream: true }));
  }

  /** The whole text. */
  end(): string {
    this.push(this.decoder.decode());
    return this.parts.join("");
  }

  private push(text: string): void {
    this.length += text.length;
    if (this.length > MAX_INPUT) throw tooLarge(this.source);
    this.parts.push(text);
  }
}

/**
 * A regular file's text, read up to the limit. Anything else is refused before a byte is read: a FIFO would wait for
 * a writer forever and a device such as /dev/zero never ends, so they go through standard input (`-`), which a
 * pipe feeds and the shell opens. Opened without blocking, then checked on the open file, so that a FIFO put in
 * the file's place cannot make the open wait.
 */
function readRegularFile(path: string, source: string): string {
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new UsageError(`${source} is a directory, not a schedule file`);
    if (!stat.isFile()) {
      throw new UsageError(`${source} is not a regular file (a FIFO, device or socket): pipe it to standard input instead, as in cat ${source} | lr-schedules plot -`);
    }
    const text = new BoundedText(source);
    const buffer = Buffer.alloc(1 << 16);
    for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0; ) text.add(buffer.subarray(0, n));
    return text.end();
  } finally {
    closeSync(fd);
  }
}

const looksLikeCall = /^\s*(?:new\s+)?[A-Za-z_$][\w$]*\s*\(/;
const looksLikeJson = /^\s*[{[]/;

/**
 * Reads one schedule argument: `-` (standard input), an expression (`CosineDecay(1e-3, 10000)`), inline JSON
 * (`{"class_name": ...}`), or a file holding either.
 */
export async function readInput(arg: string, readStdin: () => Promise<string>): Promise<Input> {
  const { schedule, label } = await readUnlabelled(arg, readStdin);
  return { schedule, label: printable(label) };
}

async function readUnlabelled(arg: string, readStdin: () => Promise<string>): Promise<Input> {
  if (arg.length > MAX_INPUT) throw tooLarge("the argument");
  if (arg === "-") return fromText(await readStdin(), "standard input", "stdin");
  if (looksLikeCall.test(arg)) return { schedule: fromExpression(arg, `'${compact(arg, 40)}'`), label: compact(arg) };
  if (looksLikeJson.test(arg)) return fromText(arg, "inline JSON", undefined);
  let text: string;
  try {
    text = readRegularFile(arg, `'${arg}'`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && /^[A-Za-z_$][\w$]*$/.test(arg)) {
      const classes = scheduleClasses();
      if (classNamed(classes, arg) !== undefined) throw new UsageError(`'${arg}' needs its arguments, as in ${arg}(...)`);
      const closest = closestName(arg, [...classes.keys()]);
      throw new UsageError(`'${arg}' is neither a file nor a schedule expression such as ${closest ? `${closest}(...): did you mean ${closest}?` : "CosineDecay(1e-3, 10000)"}`);
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
    // The library's checks and limits, reported as the source's: "'big.json': `json` must be at most ...".
    value = parseKerasJson(text, source);
  } catch (e) {
    if (!(e instanceof ScheduleTypeError && e.option === "json")) throw new UsageError((e as Error).message);
    // Not JSON: say where, by line and column when the parser gives a character offset.
    const reason = e.expected.replace(/^valid JSON \((.*)\)$/s, "$1");
    const message = reason.replace(/ at position (\d+)(?: \(line \d+ column \d+\))?/, (_, at: string) => ` at ${location(text, Number(at))}`);
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
