/**
 * `lr-schedules/tfjs`: Keras's optimizers with Keras's update rules for tf.js, tensor steps for every schedule, save
 * and resume, `.keras` checkpoints, Keras's callbacks and the learning-rate range test. Needs `@tensorflow/tfjs`.
 * @module lr-schedules/tfjs
 */
import { setTensorStepHandler } from "../schedule.js";
import { registerOptimizers } from "./keras.js";
import { tensorStep } from "./tensorSteps.js";

export { tensorOps } from "./tensorOps.js";
// Exported also so that the built types keep tensorSteps.ts, whose augmentation adds `(step: tf.Tensor): tf.Scalar`.
export { tensorStep } from "./tensorSteps.js";
export { KerasOptimizer } from "./optimizer.js";
export type { KerasOptimizerClass, OptimizerConfig, OptimizerOptions } from "./optimizer.js";
export type { WeightDecayExclusions } from "./weightDecayExclusions.js";
export type { NamedTensor } from "./slots.js";
export type { VariablesOrModel } from "./movingAverage.js";
export { FinalizeVariableValues } from "./finalize.js";
export * from "./optimizerClasses.js";
export { OptimizerMap } from "./MultiOptimizer.js";
export type { SGDConfig, SGDOptions } from "./SGD.js";
export type { AdamConfig, AdamOptions } from "./Adam.js";
export { optimizerFromKeras, optimizerToKeras, optimizerToKerasJson } from "./keras.js";
export { withSchedule } from "./withSchedule.js";
export { LearningRateLogger, LearningRateScheduler, ReduceLROnPlateau } from "./callbacks.js";
export type { EpochSchedule, LearningRateLoggerOptions, LearningRateSchedulerOptions, ReduceLROnPlateauOptions } from "./callbacks.js";
export { ProgbarLogger } from "./progress.js";
export type { ProgbarLoggerOptions, ProgressStream } from "./progress.js";
export { findLearningRate } from "./findLearningRate.js";
export type { FindLearningRateOptions, RangeTestResult } from "./findLearningRate.js";
export { compileFromTrainingConfig, restoreKerasCheckpoint, saveKerasCheckpoint } from "./kerasCheckpoint.js";
export type { RestoreKerasCheckpointOptions, SaveKerasCheckpointOptions } from "./kerasCheckpoint.js";

// The side effects this entry exists for: schedules accept tensor steps, and tf.js can load our optimizers.
setTensorStepHandler((schedule, step) => tensorStep(schedule, step as Parameters<typeof tensorStep>[1]));
registerOptimizers();
