/**
 * Every built-in schedule, from the one list each entry's exports make: the registry of Keras JSON, the expression
 * language (CLI, playground) and the every-class tests read it, so that a schedule exported from its entry is known
 * everywhere with nothing else to edit.
 */
import { functionOptionNames } from "./options.js";
import type { ScheduleClass } from "./schedule.js";
import { scheduleClassOf } from "./scheduleFunction.js";
// The registry reads nested schedules through this list, and the classes that nest schedules read the registry: the
// import cycle is by design (see src/keras/schedules.ts); nothing here runs before every module is evaluated.
/* eslint-disable import-x/no-cycle */
import * as optax from "./optax/index.js";
import * as own from "./schedules/index.js";
import * as torch from "./torch/index.js";
import * as transformers from "./transformers/index.js";
/* eslint-enable import-x/no-cycle */

/** One built-in schedule: its class, the entry and name it is imported by, and whether it is called with `new`. */
export interface CatalogueEntry {
  readonly cls: ScheduleClass;
  /** The module specifier users import it from: `'lr-schedules'`, `'lr-schedules/optax'`... */
  readonly entry: string;
  /** Its name among that entry's exports: the class name, or the function's (`exponentialDecay`). */
  readonly exportName: string;
  /** `'new'` for a class, `'call'` for a function such as optax's `exponentialDecay(...)`. */
  readonly construct: "new" | "call";
}

const ENTRIES: readonly (readonly [entry: string, exports: Record<string, unknown>])[] = [
  ["lr-schedules", own],
  ["lr-schedules/optax", optax],
  ["lr-schedules/torch", torch],
  ["lr-schedules/transformers", transformers],
];

let catalogue: readonly CatalogueEntry[] | undefined;

/**
 * Every built-in schedule, entry by entry in export order. Built on first use: the modules import each other. A class
 * that needs a JavaScript function (PyTorch's `LambdaLR`) is left out: no Keras JSON, CLI expression or playground
 * form can hold a function. (One whose function option may be null, as CyclicLR's `scaleFn`, is in.)
 */
export function scheduleCatalogue(): readonly CatalogueEntry[] {
  catalogue ??= Object.freeze(
    ENTRIES.flatMap(([entry, exports]) =>
      Object.entries(exports).flatMap(([exportName, value]) => {
        const cls = scheduleClassOf(value);
        return cls && functionOptionNames(cls.fields, "required").length === 0 ? [Object.freeze({ cls, entry, exportName, construct: cls === value ? ("new" as const) : ("call" as const) })] : [];
      }),
    ),
  );
  return catalogue;
}

/** Every built-in schedule class. */
export function builtInScheduleClasses(): ScheduleClass[] {
  return scheduleCatalogue().map(({ cls }) => cls);
}
