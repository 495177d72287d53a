/**
 * What tf.js saves of an optimizer's config (`getConfig`, read back by `fromConfig` when `tf.loadLayersModel` rebuilds
 * it), and the escaping of the strings in it: its model loader camelCases every key and every string that holds a `_` in
 * a saved config (`decay_steps` becomes `decaySteps`, `output_dense` becomes `outputDense`), so a string that must come
 * back as it was is saved with each `_` written `\u005f`. That escape means `_` both in JSON text (`JSON.parse` reads
 * it) and in a regular expression (JavaScript's and Python's), so the one scheme serves a schedule's Keras JSON text
 * and Muon's `excludeLayers` patterns.
 */
import { ScheduleTypeError } from "../errors.js";
import { isPlainObject } from "../plainObject.js";
import type { LearningRateSchedule } from "../schedule.js";
import { parseKerasJson } from "./limits.js";
import { readSchedule, serialize } from "./schedules.js";

/**
 * `text` with each `_`, and each other escape of it in a regular expression (`\_`, `\x5f`), written `\u005f`: one
 * spelling, so that a pattern and the same pattern back from {@link unescapeUnderscores} are saved alike. Other
 * backslash escapes are kept whole. JSON text holds no escape of `_` but `\u005f`.
 */
export function escapeUnderscores(text: string): string {
  return text.replace(/\\(?:x5f|u005f)|\\[\s\S]|_/g, (m) => (m === "\\x5f" || m === "\\_" || m === "_" ? "\\u005f" : m));
}

/**
 * A regular expression back from {@link escapeUnderscores}: each escape of `_` (`\u005f`, or `\x5f` as patterns
 * saved before this scheme hold it) is `_` again, the same expression. JSON text needs no such step: `JSON.parse`
 * reads `\u005f` as `_`.
 */
export function unescapeUnderscores(pattern: string): string {
  return pattern.replace(/\\(?:u005f|x5f)|\\[\s\S]/g, (m) => (m === "\\u005f" || m === "\\x5f" ? "_" : m));
}

/**
 * A schedule as a string in a saved config: its Keras JSON as text, escaped. Text, because the loader would rewrite
 * a registered schedule's snake_case keys and a `registered_name` such as `'my_pkg>StepDrop'` in an object.
 */
export function scheduleToTfjsConfig(schedule: LearningRateSchedule): string {
  return escapeUnderscores(JSON.stringify(serialize(schedule)));
}

/**
 * The options of a config tf.js saved (`getConfig`'s output, camelCase keys): the learning rate back from
 * {@link scheduleToTfjsConfig}'s text; the `customObjects` the loader adds left out.
 */
export function optionsOfTfjsConfig(config: unknown, owner: string): Record<string, unknown> {
  if (!isPlainObject(config)) throw new ScheduleTypeError(owner, "config", config, "a plain object of options");
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key === "customObjects") continue;
    const v = key === "learningRate" && typeof value === "string" ? readSchedule(parseKerasJson(value, owner), "learningRate") : value;
    Object.defineProperty(options, key, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return options;
}
