/**
 * What the page edits: a tree of schedule nodes (a class and the values of its options, or an expression), built
 * into schedules with the library's own constructors and parser, and written back as TypeScript.
 */
import { scheduleCatalogue } from "../../src/catalogue.js";
import { ExpressionError, parseExpression, printExpression, scheduleClasses } from "../../src/expression.js";
import { ScheduleOptionError, ScheduleTypeError } from "../../src/errors.js";
import { LearningRateSchedule, type ScheduleClass } from "../../src/schedule.js";
import { isComposite, kindOf, startValue } from "./fields.js";

/** One schedule being edited: a class with a value per option (form), or an expression in the API's syntax. */
export interface ScheduleNode {
  cls: ScheduleClass;
  /** A value per option; a nested option holds a node, or an array of nodes. */
  values: Record<string, unknown>;
  mode: "form" | "expression";
  text: string;
  /** Why the last build failed, and the option it names (`boundaries[1]` names `boundaries`). */
  error: { message: string; option: string | undefined } | undefined;
}

/** Every schedule class the page offers: the package's own list, as the CLI's parser reads it. */
export const classes: ReadonlyMap<string, ScheduleClass> = scheduleClasses();

/** The class a nested option starts with: CosineDecay when there is one, else the first class that nests nothing. */
function nestedStart(): ScheduleClass {
  const leaves = [...classes.values()].filter((c) => !isComposite(c));
  return classes.get("CosineDecay") ?? leaves[0] ?? [...classes.values()][0]!;
}

/** The entry a built-in class is imported from (`'lr-schedules/torch'`). */
function entryOf(cls: ScheduleClass): string | undefined {
  return scheduleCatalogue().find((e) => e.cls === cls)?.entry;
}

/** The options of a class's first example (its `static examples`), which a new block of the class starts from. */
function exampleConfig(cls: ScheduleClass): Record<string, unknown> {
  const first = cls.examples?.expressions[0];
  return first === undefined ? {} : parseExpression(first).getConfig();
}

/**
 * A new node of `cls` with start values: nested schedules start as {@link nestedStart}'s class (as many as the class's
 * first example has), other options at that example's values, else at values that suit their kind; options of the
 * same name keep their values from `from` (a class change).
 */
export function newNode(cls: ScheduleClass, from?: ScheduleNode): ScheduleNode {
  const values: Record<string, unknown> = {};
  const example = exampleConfig(cls);
  for (const [name, field] of Object.entries(cls.fields ?? {})) {
    const kind = kindOf(field);
    if (from && name !== "name" && Object.hasOwn(from.values, name) && kindOf(from.cls.fields![name]!).kind === kind.kind) {
      values[name] = from.values[name];
    } else if (kind.kind === "schedule") {
      values[name] = newNode(nestedStart());
    } else if (kind.kind === "schedules" && Array.isArray(example[name]) && entryOf(cls) !== entryOf(nestedStart())) {
      // A composition of another entry (lr-schedules/torch's SequentialLR) holds only its entry's schedulers: its
      // example's own.
      values[name] = nodeValue(cls, name, example[name]);
    } else if (kind.kind === "schedules") {
      // As many nested blocks as the example has, so that its other options (Sequence's boundaries) agree with them.
      const count = Array.isArray(example[name]) ? example[name].length : 3;
      values[name] = Array.from({ length: count }, () => newNode(nestedStart()));
    } else if (Object.hasOwn(example, name)) {
      values[name] = nodeValue(cls, name, example[name]);
    } else {
      values[name] = startValue(field, kind);
    }
  }
  return { cls, values, mode: cls.fields ? "form" : "expression", text: "", error: undefined };
}

/** A config value as a node holds it: nested schedules as nodes, arrays copied, anything else as it is. */
function nodeValue(cls: ScheduleClass, name: string, value: unknown): unknown {
  if (value instanceof LearningRateSchedule) return nodeFromSchedule(value);
  if (Array.isArray(value) && value.every((v) => v instanceof LearningRateSchedule) && cls.fields?.[name]?.nested) return value.map(nodeFromSchedule);
  return Array.isArray(value) ? [...value] : value;
}

/** The node that edits an existing schedule: its class and config, nested schedules as nodes. */
export function nodeFromSchedule(schedule: LearningRateSchedule): ScheduleNode {
  const cls = schedule.constructor as ScheduleClass;
  if (!cls.fields || !classes.has(cls.className)) {
    return { cls, values: {}, mode: "expression", text: expressionOf(schedule), error: undefined };
  }
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(schedule.getConfig())) values[name] = nodeValue(cls, name, value);
  for (const [name, field] of Object.entries(cls.fields)) if (!Object.hasOwn(values, name)) values[name] = field.default;
  return { cls, values, mode: "form", text: "", error: undefined };
}

/** Thrown by {@link build} once the failing node has its `error` set; its parents fail without a message of their own. */
export class NestedError extends Error {}

/**
 * The schedule a node describes, built by the class's constructor (form) or the CLI's parser (expression). Each
 * node's `error` is set or cleared; a failure anywhere throws.
 */
export function build(node: ScheduleNode): LearningRateSchedule {
  node.error = undefined;
  if (node.mode === "expression") {
    try {
      return parseExpression(node.text);
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
      node.error = { message: e.message, option: undefined };
      throw new NestedError(e.message);
    }
  }
  const options: Record<string, unknown> = {};
  let nestedFailed = false;
  const buildChild = (child: ScheduleNode): unknown => {
    try {
      return build(child);
    } catch (e) {
      if (!(e instanceof NestedError)) throw e;
      nestedFailed = true;
      return undefined;
    }
  };
  for (const [name, value] of Object.entries(node.values)) {
    const kind = kindOf(node.cls.fields![name]!).kind;
    options[name] = kind === "schedule" ? buildChild(value as ScheduleNode) : kind === "schedules" ? (value as ScheduleNode[]).map(buildChild) : value;
  }
  if (nestedFailed) throw new NestedError("a nested schedule has an error");
  try {
    return new node.cls(options);
  } catch (e) {
    const named = e instanceof ScheduleOptionError || e instanceof ScheduleTypeError;
    const message = e instanceof Error ? e.message : String(e);
    node.error = { message, option: named ? /^[^[.]+/.exec(e.option)?.[0] : undefined };
    throw new NestedError(message);
  }
}

/** Every node of a tree, the root first. */
export function* nodesOf(node: ScheduleNode): Generator<ScheduleNode> {
  yield node;
  if (node.mode !== "form") return;
  for (const value of Object.values(node.values)) {
    if (isNode(value)) yield* nodesOf(value);
    else if (Array.isArray(value)) for (const v of value) if (isNode(v)) yield* nodesOf(v);
  }
}

function isNode(x: unknown): x is ScheduleNode {
  return typeof x === "object" && x !== null && "cls" in x && "values" in x;
}

/** The schedule as TypeScript's `new` expression: options at their default left out, one line when it fits in `width`. */
export function expressionOf(schedule: LearningRateSchedule, width = 100, used?: Set<string>): string {
  return printExpression(schedule, { new: true, omitDefaults: true, width, used });
}

/** A TypeScript module that builds the schedule: the imports, entry by entry, then `const lr = ...`. */
export function typescriptOf(schedule: LearningRateSchedule): string {
  const used = new Set<string>();
  const expression = expressionOf(schedule, 100, used);
  const byEntry = new Map<string, string[]>();
  for (const { cls, entry, exportName } of scheduleCatalogue()) {
    if (used.has(cls.className)) byEntry.set(entry, [...(byEntry.get(entry) ?? []), exportName]);
  }
  const imports = [...byEntry].map(([entry, names]) => `import { ${names.sort().join(", ")} } from "${entry}";\n`);
  return `${imports.join("")}\nconst lr = ${expression};\n`;
}
