/**
 * The nesting limit of schedules built through the API: the depth `deserialize` accepts in JSON, so that whatever can
 * be built can be called, sampled and serialized without exhausting the call stack. Only the classes that nest
 * schedules import this.
 */
import { ScheduleOptionError } from "./errors.js";
import { nestingDepthOf, type LearningRateSchedule } from "./schedule.js";
import { JSON_LIMITS } from "./keras/limits.js";

/**
 * Throws unless a schedule holding `children` (in its option `option`) nests at most `JSON_LIMITS.maxDepth`
 * schedules deep, itself included.
 */
export function checkNesting(owner: string, option: string, children: readonly LearningRateSchedule[]): void {
  const depth = nestingDepthOf(children);
  if (depth > JSON_LIMITS.maxDepth) {
    throw new ScheduleOptionError(owner, option, `[schedules nested ${depth} deep]`, `nested at most ${JSON_LIMITS.maxDepth} deep (JSON_LIMITS.maxDepth, as deserialize reads)`);
  }
}
