/**
 * The expression language: schedules written as in the TypeScript API,
 * `CosineDecay(1e-3, 10000, { warmupSteps: 500 })`, read by a small recursive-descent parser (numbers, strings,
 * booleans, null, arrays, object literals and calls of schedule classes, nested as deep as composition goes; nothing
 * is evaluated as JavaScript) within limits, with "did you mean" for a misspelt class, and written back by one
 * printer. Internal: the CLI and the playground use it.
 */
import { describe, ScheduleOptionError, ScheduleTypeError } from "./errors.js";
import { LearningRateSchedule, type ScheduleClass } from "./schedule.js";
import { builtInScheduleClasses, scheduleCatalogue } from "./catalogue.js";
import { JSON_LIMITS } from "./keras/limits.js";
import { closestName } from "./suggest.js";

/**
 * Limits on an expression, so that hostile text fails with an {@link ExpressionError} at its column instead of
 * exhausting the stack: arrays, objects and calls nest at most `maxDepth` deep and hold at most `maxValues` values in
 * all (Keras JSON's {@link JSON_LIMITS}); a call takes at most `maxArguments` arguments (no schedule takes more than 8).
 */
export const EXPRESSION_LIMITS = Object.freeze({ maxDepth: JSON_LIMITS.maxDepth, maxValues: JSON_LIMITS.maxNodes, maxArguments: 16 });

/** A mistake in an expression, at a character index of its text. */
export class ExpressionError extends SyntaxError {
  override readonly name: string = "ExpressionError";
  constructor(
    readonly reason: string,
    readonly text: string,
    readonly index: number,
  ) {
    super(`${reason} (${location(text, index)})`);
  }
}

/** "column 7", or "line 2, column 7" in a text of several lines; both count from 1. */
export function location(text: string, index: number): string {
  const before = text.slice(0, index);
  const line = before.split("\n").length;
  const column = index - before.lastIndexOf("\n");
  return text.includes("\n") ? `line ${line}, column ${column}` : `column ${column}`;
}

type Node =
  | { kind: "value"; value: number | string | boolean | null | undefined; at: number }
  | { kind: "array"; items: Node[]; at: number }
  | { kind: "object"; entries: { key: string; keyAt: number; value: Node }[]; at: number }
  | { kind: "call"; name: string; at: number; args: Node[] };

const words: Record<string, number | boolean | null | undefined> = {
  true: true,
  false: false,
  null: null,
  undefined: undefined,
  NaN: NaN,
  Infinity: Infinity,
};

// Sticky: matched at an index of the whole text, without copying the rest of it for each token.
const identifierPattern = /[A-Za-z_$][\w$]*/y;
const numberPattern =
  /(?:0[xX][\da-fA-F](?:_?[\da-fA-F])*|0[bB][01](?:_?[01])*|0[oO][0-7](?:_?[0-7])*|(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?)/y;

class Parser {
  private i = 0;
  /** How many arrays, objects and calls enclose the value being read. */
  private depth = 0;
  private values = 0;
  constructor(private readonly text: string) {}

  /** Throws at `at`, or at the next token: the spot a reader should look at. */
  fail(reason: string, at?: number): never {
    if (at === undefined) this.skipSpace();
    throw new ExpressionError(reason, this.text, at ?? this.i);
  }

  private skipSpace(): void {
    for (;;) {
      while (this.i < this.text.length && /\s/.test(this.text[this.i]!)) this.i++;
      if (this.text.startsWith("//", this.i)) {
        while (this.i < this.text.length && this.text[this.i] !== "\n") this.i++;
      } else if (this.text.startsWith("/*", this.i)) {
        const end = this.text.indexOf("*/", this.i + 2);
        if (end < 0) this.fail("unclosed comment", this.i);
        this.i = end + 2;
      } else {
        return;
      }
    }
  }

  private peek(): string {
    this.skipSpace();
    return this.text[this.i] ?? "";
  }

  private expect(char: string, what: string): void {
    if (this.peek() !== char) this.fail(`expected ${what}, found ${this.found()}`);
    this.i++;
  }

  private found(): string {
    const c = this.peek();
    return c === "" ? "the end of the expression" : `'${c}'`;
  }

  private identifier(): { name: string; at: number } | undefined {
    this.skipSpace();
    identifierPattern.lastIndex = this.i;
    const m = identifierPattern.exec(this.text);
    if (!m) return undefined;
    const at = this.i;
    this.i += m[0].length;
    return { name: m[0], at };
  }

  /** The whole text: one schedule call, an optional `new` before it and an optional `;` after. */
  program(): Node {
    const node = this.value();
    if (node.kind !== "call") this.fail("expected a schedule, such as CosineDecay(1e-3, 10000)", node.at);
    if (this.peek() === ";") this.i++;
    if (this.peek() !== "") this.fail(`unexpected ${this.found()} after the schedule`);
    return node;
  }

  private value(): Node {
    let c = this.peek();
    const at = this.i;
    if (++this.values > EXPRESSION_LIMITS.maxValues) this.fail(`more than ${EXPRESSION_LIMITS.maxValues} values: an expression holds at most ${EXPRESSION_LIMITS.maxValues}`, at);
    if (c === "[" || c === "{") return this.nested(at, () => (c === "[" ? this.list(at) : this.object(at)));
    if (c === '"' || c === "'") return { kind: "value", value: this.string(), at };
    if (c === "-" || c === "+") {
      // Signs in a loop, not by recursion: '- - - 1' is read in one pass however many there are.
      let negative = false;
      for (; c === "-" || c === "+"; c = this.peek()) {
        if (c === "-") negative = !negative;
        this.i++;
      }
      const operand = this.value();
      if (operand.kind !== "value" || typeof operand.value !== "number") this.fail(`'${this.text[at]}' must be followed by a number`, at);
      return { kind: "value", value: negative ? -operand.value : operand.value, at };
    }
    if (/[\d.]/.test(c)) return { kind: "value", value: this.number(), at };
    const id = this.identifier();
    if (!id) this.fail(`expected a value, found ${this.found()}`);
    if (id.name === "new") {
      const callee = this.identifier();
      if (!callee) this.fail(`expected a schedule name after 'new', found ${this.found()}`);
      return this.nested(callee.at, () => this.call(callee.name, callee.at));
    }
    if (this.peek() === "(") return this.nested(id.at, () => this.call(id.name, id.at));
    if (Object.hasOwn(words, id.name)) return { kind: "value", value: words[id.name], at };
    return this.fail(`unknown name \`${id.name}\`: a value is a number, a string, true, false, null, an array, an object or a schedule call`, id.at);
  }

  /** Reads an array, object or call one level deeper, refusing more than the depth limit. */
  private nested(at: number, read: () => Node): Node {
    if (this.depth >= EXPRESSION_LIMITS.maxDepth) this.fail(`nested more than ${EXPRESSION_LIMITS.maxDepth} deep: arrays, objects and calls nest at most ${EXPRESSION_LIMITS.maxDepth} deep`, at);
    this.depth++;
    const node = read();
    this.depth--;
    return node;
  }

  private call(name: string, at: number): Node {
    this.expect("(", `'(' after ${name}`);
    const args = this.items(")");
    if (args.length > EXPRESSION_LIMITS.maxArguments) {
      this.fail(`${name} is given ${args.length} arguments: a call takes at most ${EXPRESSION_LIMITS.maxArguments}`, args[EXPRESSION_LIMITS.maxArguments]!.at);
    }
    return { kind: "call", name, at, args };
  }

  private list(at: number): Node {
    this.i++;
    return { kind: "array", items: this.items("]"), at };
  }

  /** Comma-separated values up to `close`, a trailing comma allowed. */
  private items(close: string): Node[] {
    const items: Node[] = [];
    while (this.peek() !== close) {
      if (this.peek() === "") this.fail(`expected '${close}', found the end of the expression`);
      items.push(this.value());
      if (this.peek() === ",") this.i++;
      else if (this.peek() !== close) this.fail(`expected ',' or '${close}', found ${this.found()}`);
    }
    this.i++;
    return items;
  }

  private object(at: number): Node {
    this.i++;
    const entries: { key: string; keyAt: number; value: Node }[] = [];
    const keys = new Set<string>();
    while (this.peek() !== "}") {
      const keyAt = this.i;
      const c = this.peek();
      // A number key is written as JavaScript writes it (`{ 100: 0.1 }` has the key '100'): optax's dicts keyed by step.
      const key = c === '"' || c === "'" ? this.string() : /\d/.test(c) ? String(this.number()) : this.identifier()?.name;
      if (key === undefined) this.fail(`expected an option name or '}', found ${this.found()}`);
      if (keys.has(key)) this.fail(`option \`${key}\` is given twice`, keyAt);
      keys.add(key);
      this.expect(":", `':' after ${key}`);
      entries.push({ key, keyAt, value: this.value() });
      if (this.peek() === ",") this.i++;
      else if (this.peek() !== "}") this.fail(`expected ',' or '}', found ${this.found()}`);
    }
    this.i++;
    return { kind: "object", entries, at };
  }

  private number(): number {
    const at = this.i;
    numberPattern.lastIndex = at;
    const m = numberPattern.exec(this.text);
    if (!m || /^[\w$.]/.test(this.text.slice(at + m[0].length, at + m[0].length + 1))) {
      const bad = /^[\w$.]+/.exec(this.text.slice(at, at + 80))?.[0] ?? this.text[at];
      this.fail(`malformed number '${bad}'`, at);
    }
    this.i += m[0].length;
    return Number(m[0].replace(/_/g, ""));
  }

  private string(): string {
    const quote = this.text[this.i]!;
    const at = this.i++;
    let out = "";
    for (;;) {
      const c = this.text[this.i++];
      if (c === undefined || c === "\n") this.fail("unclosed string", at);
      if (c === quote) return out;
      if (c !== "\\") {
        out += c;
        continue;
      }
      const e = this.text[this.i++];
      const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", v: "\v", "0": "\0" };
      if (e !== undefined && Object.hasOwn(simple, e)) out += simple[e];
      else if (e === "u" && /^[\da-fA-F]{4}/.test(this.text.slice(this.i))) {
        out += String.fromCharCode(parseInt(this.text.slice(this.i, this.i + 4), 16));
        this.i += 4;
      } else if (e !== undefined && "\\'\"".includes(e)) out += e;
      else this.fail(`unknown escape '\\${e ?? ""}'`, this.i - 2);
    }
  }
}

/** The schedule classes an expression may call, by class name, from the package's own list of schedules. */
export function scheduleClasses(): Map<string, ScheduleClass> {
  const classes = new Map<string, ScheduleClass>();
  for (const cls of builtInScheduleClasses()) classes.set(cls.className, cls);
  return classes;
}

/**
 * A class by the name an expression uses: the class name, or the same name starting in lower case
 * (`linearWarmup(...)` for `LinearWarmup`), as functions are spelled.
 */
export function classNamed(classes: Map<string, ScheduleClass>, name: string): ScheduleClass | undefined {
  return classes.get(name) ?? classes.get(name[0]!.toUpperCase() + name.slice(1));
}

/**
 * Builds the schedule an expression describes. Errors name what is wrong and the column where it is: a syntax
 * error where the parser stopped, a bad option at that option (or at its position among the arguments).
 *
 * For example `parseExpression("CosineDecay(1e-3, 10000, { warmupTarget: 1e-2, warmupSteps: 500 })")(500)` is
 * 0.009999999776482582, and `parseExpression("linearWarmup(Constant(0.1), { warmupSteps: 10 })")(5)` is
 * 0.05000000074505806 (both checked in expression.test.ts).
 * @throws {ExpressionError} a syntax error, an unknown name, or an argument the class refuses.
 */
export function parseExpression(text: string): LearningRateSchedule {
  const tree = new Parser(text).program();
  return build(tree, text, scheduleClasses()) as LearningRateSchedule;
}

function build(node: Node, text: string, classes: Map<string, ScheduleClass>): unknown {
  switch (node.kind) {
    case "value":
      return node.value;
    case "array":
      return node.items.map((item) => build(item, text, classes));
    case "object": {
      const out: Record<string, unknown> = {};
      // defineProperty, so that a key named __proto__ is an ordinary (and then refused) option.
      for (const { key, value } of node.entries) {
        Object.defineProperty(out, key, { value: build(value, text, classes), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case "call": {
      const cls = classNamed(classes, node.name);
      if (!cls) {
        const known = [...classes.keys()];
        const closest = closestName(node.name, known);
        throw new ExpressionError(`unknown schedule \`${node.name}\`;${closest ? ` did you mean ${closest}?` : ""} known: ${known.join(", ")}`, text, node.at);
      }
      const args = node.args.map((arg) => build(arg, text, classes));
      try {
        return new cls(...args);
      } catch (e) {
        if (!(e instanceof ScheduleOptionError || e instanceof ScheduleTypeError)) throw e;
        throw new ExpressionError(e.message, text, whereIs(e.option, node, cls));
      }
    }
  }
}

/**
 * Where the option an error names was written: its key in the options object, else its place among the positional
 * arguments (Keras's order, from the class's option table), else the call itself. `boundaries[2]` points into an
 * array literal.
 */
function whereIs(option: string, call: Extract<Node, { kind: "call" }>, cls: ScheduleClass): number {
  const [, head = option, index] = /^([^[.]+)(?:\[(\d+)\])?/.exec(option) ?? [];
  const last = call.args[call.args.length - 1];
  let node: Node | undefined;
  if (last?.kind === "object") {
    const entry = last.entries.find((e) => e.key === head);
    // An option the class does not have is wrong by its name; one it has, by its value.
    if (entry && !(cls.fields && !Object.hasOwn(cls.fields, head))) node = entry.value;
    else if (entry) return entry.keyAt;
  }
  if (!node && cls.fields) {
    const positional = Object.keys(cls.fields).filter((name) => !cls.fields![name]!.extension);
    const given = last?.kind === "object" ? call.args.length - 1 : call.args.length;
    const at = positional.indexOf(head);
    if (at >= 0 && at < given) node = call.args[at];
  }
  if (!node) return call.at;
  if (index !== undefined && node.kind === "array") return node.items[Number(index)]?.at ?? node.at;
  return node.at;
}

/** How {@link printExpression} writes a value. */
export interface PrintOptions {
  /** Write `new ` before each class, as TypeScript needs (the parser takes either). @defaultValue false */
  new?: boolean;
  /** Leave out options at their default value. @defaultValue false: every option is written */
  omitDefaults?: boolean;
  /**
   * Break a call, array or object over lines, one item a line indented by two spaces, when it does not fit in this
   * many characters. @defaultValue Infinity: one line
   */
  width?: number;
  /** Collects the name of every class written. */
  used?: Set<string>;
}

/**
 * A value (a schedule, or a config value) written in expression syntax, so that it reads back as the same value with
 * {@link parseExpression} and pastes into code: `show` prints every option on one line, the playground writes
 * TypeScript with defaults left out, wrapped. `indent` is the indentation of the line the value starts on.
 */
export function printExpression(value: unknown, options: PrintOptions = {}, indent = ""): string {
  const width = options.width ?? Infinity;
  const inner = indent + "  ";
  // `open` items `close` on one line when it fits (or is empty), else one item a line; the items were printed for the
  // inner indentation. `head` and `tail` are written around it (a call's name and parenthesis).
  const fit = (head: string, open: string, items: string[], close: string, tail = ""): string => {
    const pad = open === "{" ? " " : "";
    const oneLine = items.length ? `${head}${open}${pad}${items.join(", ")}${pad}${close}${tail}` : `${head}${open}${close}${tail}`;
    if (items.length === 0 || (!oneLine.includes("\n") && indent.length + oneLine.length <= width)) return oneLine;
    return `${head}${open}\n${items.map((item) => `${inner}${item},\n`).join("")}${indent}${close}${tail}`;
  };
  if (value instanceof LearningRateSchedule) {
    const cls = value.constructor as ScheduleClass;
    options.used?.add(value.className);
    const entries = Object.entries(value.getConfig()).filter(([name, v]) => {
      const field = options.omitDefaults ? cls.fields?.[name] : undefined;
      return !(field && field.default !== undefined && Object.is(field.default, v));
    });
    const parts = entries.map(([k, v]) => `${propertyName(k)}: ${printExpression(v, options, inner)}`);
    // A function such as optax's `exponentialDecay(...)` is called without `new`.
    const called = scheduleCatalogue().find((entry) => entry.cls === cls)?.construct === "call";
    return fit(`${options.new && !called ? "new " : ""}${value.className}(`, "{", parts, "}", ")");
  }
  if (Array.isArray(value)) return fit("", "[", value.map((v) => printExpression(v, options, inner)), "]");
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) return String(value);
  if (typeof value === "object") {
    const parts = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${propertyName(k)}: ${printExpression(v, options, inner)}`);
    return fit("", "{", parts, "}");
  }
  return describe(value);
}

/** A key as an object literal spells it: bare when it is an identifier, quoted otherwise. */
function propertyName(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
}
