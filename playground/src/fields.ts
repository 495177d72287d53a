/**
 * What kind of input each option gets, read from the schedule classes' option tables (each option's constraint and
 * default), so that a new schedule class appears on the page with no page code.
 */
import type { Field } from "../../src/options.js";

/** A number option's bounds, from its constraint. */
export interface NumberKind {
  kind: "number";
  nullable: boolean;
  min: number;
  max: number;
  minOpen: boolean;
  maxOpen: boolean;
  /** A count of steps (whole or not): slid linearly over the chart's range. */
  steps: boolean;
}

export type Kind =
  /** Numbers keyed by step (optax's `boundariesAndScales`), written `100: 0.1, 200: 0.01`. */
  | { kind: "stepMap" }
  /** Option objects (optax's `sgdrSchedule` `cosineKwargs`), written as a JSON array of objects. */
  | { kind: "optionList" }
  | NumberKind
  | { kind: "schedule" }
  | { kind: "schedules" }
  | { kind: "boolean" }
  | { kind: "choice"; choices: string[] }
  | { kind: "numbers" }
  | { kind: "string" }
  | { kind: "function" }
  | { kind: "json" };

/** The input an option gets, from its constraint. An option with a check of its own gets a JSON box, which any value fits. */
export function kindOf(field: Field): Kind {
  const c = field.constraint;
  if (!c) return { kind: "json" };
  switch (c.kind) {
    case "number":
      return {
        kind: "number",
        nullable: c.nullable === true,
        min: c.min ?? -Infinity,
        max: c.max ?? Infinity,
        minOpen: c.minOpen === true,
        maxOpen: c.maxOpen === true,
        steps: c.steps === true,
      };
    case "choice":
      return { kind: "choice", choices: [...c.choices] };
    case "function":
      // Only an optional one reaches the page (the catalogue leaves out classes that need a function): it stays null.
      return { kind: "function" };
    default:
      return { kind: c.kind };
  }
}

/**
 * The first value of an option in a new schedule whose class's examples do not give one: its default, else a start
 * value that suits its kind.
 */
export function startValue(field: Field, kind: Kind): unknown {
  if (field.default !== undefined) return field.default;
  switch (kind.kind) {
    case "number":
      if (kind.steps) return 1000;
      if (Number.isFinite(kind.max)) return (Math.max(kind.min, 0) + kind.max) / 2;
      return Math.max(kind.min, 0) + 1;
    case "boolean":
      return false;
    case "choice":
      return kind.choices[0];
    case "numbers":
    case "optionList":
      return [];
    case "stepMap":
      return {};
    case "string":
      return "";
    default:
      return null;
  }
}

/** Whether a class holds other schedules (a composition block). */
export { isComposite } from "../../src/cli/scheduleGroups.js";

/** A step map as the playground writes it in its text box: `100: 0.1, 200: 0.01`. */
export function stepMapText(value: unknown): string {
  return typeof value === "object" && value !== null ? Object.entries(value).map(([step, v]) => `${step}: ${String(v)}`).join(", ") : "";
}

/**
 * A step map from its text (`100: 0.1, 200: 0.01`), or the text itself where a pair does not read as `step: number`,
 * so that the schedule refuses it with its own message.
 */
export function parseStepMap(text: string): Record<string, number> | string {
  const out: Record<string, number> = {};
  for (const pair of text.split(/[,;\n]/).map((p) => p.trim()).filter(Boolean)) {
    const m = /^(\S+)\s*:\s*(\S+)$/.exec(pair);
    if (!m || Object.hasOwn(out, m[1]!)) return text;
    Object.defineProperty(out, m[1]!, { value: Number(m[2]), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
