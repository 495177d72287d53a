export { LearningRateSchedule } from "./schedule.js";
export type { ScheduleClass, ScheduleExamples, Step } from "./schedule.js";
export * from "./schedules/index.js";
export { sample, SAMPLE_LIMITS } from "./sample.js";
export type { SampleOptions, Samples } from "./sample.js";
export { suggestLearningRate, SUGGESTION_RULES } from "./rangeTest.js";
export type { SuggestionRule } from "./rangeTest.js";
export { float32Ops, float32Bits } from "./float32.js";
export { float64Ops } from "./float64.js";
export type { Dtype, Ops } from "./ops.js";
export { ScheduleOptionError, ScheduleTypeError, ScheduleValueError, UnknownScheduleError } from "./errors.js";
export {
  serialize,
  deserialize,
  registerSchedule,
  knownScheduleNames,
  parseKerasJson,
  JSON_LIMITS,
} from "./serialization.js";
export type { Keras2Object, Keras3Object, KerasFormat, RegisterOptions, SerializeOptions } from "./serialization.js";
export { scheduleToKerasJson } from "./kerasJsonText.js";
export type { KerasJsonOptions } from "./kerasJsonText.js";
