/**
 * `lr-schedules`: Keras's learning-rate schedules and the schedules Keras lacks, Keras JSON read and written, `sample`
 * and the range test's rules. No dependencies and no Node-only API.
 * @module lr-schedules
 */
export { LearningRateSchedule } from "./schedule.js";
export type { ScheduleClass, ScheduleExamples, Step } from "./schedule.js";
export type { ScheduleFunction } from "./scheduleFunction.js";
export * from "./schedules/index.js";
export { sample, SAMPLE_LIMITS } from "./sample.js";
export type { SampleOptions, Samples } from "./sample.js";
export { suggestLearningRate, SUGGESTION_RULES } from "./rangeTest.js";
export type { RangeTestResult, SuggestionRule } from "./rangeTest.js";
export { float32Ops, float32Bits } from "./float32.js";
export { float64Ops } from "./float64.js";
export type { Dtype, Ops } from "./ops.js";
export { ScheduleOptionError, ScheduleTypeError, ScheduleValueError, UnknownScheduleError } from "./errors.js";
export { serialize, deserialize, registerSchedule, knownScheduleNames } from "./keras/schedules.js";
export type { RegisterOptions, SerializeOptions } from "./keras/schedules.js";
export { parseKerasJson, JSON_LIMITS } from "./keras/limits.js";
export type { Keras2Object, Keras3Object, KerasFormat } from "./keras/envelope.js";
export { scheduleToKerasJson } from "./keras/text.js";
export type { KerasJsonOptions } from "./keras/text.js";
