/** The schedule classes' own examples (`static examples`), built: the one list of instances every-class tests read. */
import { parseExpression } from "../../src/expression.js";
import type { LearningRateSchedule } from "../../src/index.js";
import { builtInScheduleClasses } from "../../src/catalogue.js";

/** Every built-in schedule class's examples, in export order, each built by the CLI's parser. */
export function scheduleExamples(): LearningRateSchedule[] {
  return builtInScheduleClasses().flatMap((cls) => (cls.examples?.expressions ?? []).map(parseExpression));
}
