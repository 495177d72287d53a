/**
 * The built-in schedules in groups, as the CLI's help lists them and the playground's class picker offers them. No
 * Node-only API here: the playground imports it.
 */
import { scheduleCatalogue } from "../catalogue.js";
import type { ScheduleClass } from "../schedule.js";

/** One group of schedules: its title, and its classes by name. */
export interface ScheduleGroup {
  readonly title: string;
  readonly classes: readonly ScheduleClass[];
}

/** Whether a class holds other schedules (a composition). */
export function isComposite(cls: ScheduleClass): boolean {
  return Object.values(cls.fields ?? {}).some((f) => f.nested !== undefined);
}

/**
 * The built-in schedules by where they come from: Keras's and the core's own (`'Keras schedules'`,
 * `'lr-schedules schedules'`), its compositions (schedules of schedules), then each other entry's, titled by the entry
 * (`'lr-schedules/optax'`). Names are sorted: an entry's export order is not the same in Node (a module namespace
 * lists its exports sorted) and in a bundle.
 */
export function scheduleGroups(): ScheduleGroup[] {
  const groups = new Map<string, ScheduleClass[]>();
  for (const { cls, entry } of scheduleCatalogue()) {
    const title = entry !== "lr-schedules" ? entry : isComposite(cls) ? "Compositions" : `${(cls as { package?: string }).package ?? "Keras"} schedules`;
    groups.set(title, [...(groups.get(title) ?? []), cls]);
  }
  const core = ["Keras schedules", "lr-schedules schedules", "Compositions"];
  // The other entries after the core's groups, in the catalogue's order of entries.
  const rank = (title: string) => (core.includes(title) ? core.indexOf(title) : core.length);
  const byName = (a: ScheduleClass, b: ScheduleClass) => (a.className < b.className ? -1 : a.className > b.className ? 1 : 0);
  return [...groups].map(([title, classes]) => ({ title, classes: classes.sort(byName) })).sort((a, b) => rank(a.title) - rank(b.title));
}
