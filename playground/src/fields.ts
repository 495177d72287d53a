/**
 * What kind of input each option gets, read from the schedule classes' option tables (the Keras key, the
 * expected-value text, the default, `nested`), so that a new schedule class appears on the page with no page code.
 */
import type { Field } from "../../src/options.js";
import type { ScheduleClass } from "../../src/schedule.js";

/** A number option's bounds, read from its expected-value text ("a finite number in (0, 1)", ">= 1", ...). */
export interface NumberKind {
  kind: "number";
  nullable: boolean;
  min: number;
  max: number;
  minOpen: boolean;
  maxOpen: boolean;
  /** A count of steps (its Keras key ends in `steps`): whole numbers, slid linearly over the chart's range. */
  steps: boolean;
}

export type Kind =
  | NumberKind
  | { kind: "schedule" }
  | { kind: "schedules" }
  | { kind: "boolean" }
  | { kind: "choice"; choices: string[] }
  | { kind: "numbers" }
  | { kind: "string" }
  | { kind: "json" };

const num = String.raw`-?\d+(?:\.\d+)?(?:e[+-]?\d+)?`;
const interval = new RegExp(String.raw`in ([[(])\s*(${num}),\s*(${num})\s*([\])])`);
const lowerBound = new RegExp(String.raw`(>=?)\s*(${num})`);
const choiceList = /^one of ((?:"[^"]*"(?:, )?)+)$/;

/** The input an option gets. Text the page does not recognise falls back to a JSON box, which any value fits. */
export function kindOf(field: Field): Kind {
  if (field.nested === "schedule") return { kind: "schedule" };
  if (field.nested === "schedules") return { kind: "schedules" };
  const expected = field.expected;
  if (expected === "a boolean") return { kind: "boolean" };
  if (expected === "a string") return { kind: "string" };
  const choices = choiceList.exec(expected);
  if (choices) return { kind: "choice", choices: JSON.parse(`[${choices[1]}]`) as string[] };
  if (expected.startsWith("an array of finite numbers")) return { kind: "numbers" };
  if (expected.startsWith("a finite number")) {
    const k: NumberKind = { kind: "number", nullable: /or null$/.test(expected), min: -Infinity, max: Infinity, minOpen: false, maxOpen: false, steps: /steps$/.test(field.keras) };
    const range = interval.exec(expected);
    const lower = lowerBound.exec(expected);
    if (range) Object.assign(k, { min: Number(range[2]), max: Number(range[3]), minOpen: range[1] === "(", maxOpen: range[4] === ")" });
    else if (lower) Object.assign(k, { min: Number(lower[2]), minOpen: lower[1] === ">" });
    return k;
  }
  return { kind: "json" };
}

// What a new schedule's required options start at, by Keras key: shared vocabulary, not per class. `boundaries`
// and `values` agree with each other and with the three schedules a `schedules` option starts with.
const starts: Record<string, unknown> = {
  initial_learning_rate: 0.01,
  peak_learning_rate: 0.01,
  max_learning_rate: 0.01,
  value: 0.01,
  decay_rate: 0.5,
  decay_steps: 3000,
  first_decay_steps: 2000,
  warmup_steps: 1000,
  stable_steps: 6000,
  total_steps: 10000,
  boundaries: [3000, 6000],
  values: [0.01, 0.005, 0.001],
};

/** The first value of an option in a new schedule: its default, else a start value that suits its kind. */
export function startValue(field: Field, kind: Kind): unknown {
  if (field.default !== undefined) return field.default;
  if (Object.hasOwn(starts, field.keras)) {
    const v = starts[field.keras];
    return Array.isArray(v) ? [...v] : v;
  }
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
      return [];
    case "string":
      return "";
    default:
      return null;
  }
}

/** Whether a class holds other schedules (a composition block). */
export function isComposite(cls: ScheduleClass): boolean {
  return Object.values(cls.fields ?? {}).some((f) => f.nested !== undefined);
}
