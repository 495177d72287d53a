/**
 * The schedule inside any Keras document, for the CLI and the playground alike: no Node-only API here, so the page
 * bundles it as it is.
 */
import { describe } from "../errors.js";
import { parseKerasJson } from "../keras/limits.js";
import { readSchedule } from "../keras/schedules.js";
import { isPlainObject } from "../plainObject.js";
import type { LearningRateSchedule } from "../schedule.js";
import { UsageError } from "./usage.js";

/**
 * The schedule in any Keras document that holds one: a schedule (Keras 3 or Keras 2 shape), an optimizer whose
 * `learning_rate` is a schedule, a compile config (`optimizer`), an HDF5 `training_config` (`optimizer_config`), or
 * a whole saved model's config (`compile_config`, `training_config`), as an object or JSON text. Errors start with
 * `source` and give the key path where they occur.
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
