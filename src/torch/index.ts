/**
 * `lr-schedules/torch`: PyTorch's schedulers (`torch.optim.lr_scheduler`, 2.13) as schedules under their own names:
 * the rate at step k is the rate PyTorch's optimizer holds after k calls of `scheduler.step()`, computed in float64 as
 * PyTorch computes it. Arguments in PyTorch's positional order after `optimizer`; the optimizer's rate is the option
 * `lr`. Each is a `LearningRateSchedule` (tensor steps with `lr-schedules/tfjs`, `sample`, Keras JSON as
 * `lr-schedules>StepLR`...), except `ReduceLROnPlateau`, which a metric drives.
 * @module lr-schedules/torch
 */
// The entry lr-schedules/torch: one export line per schedule (src/catalogue.ts finds them here).
export { LambdaLR } from "./LambdaLR.js";
export type { LambdaLROptions, LambdaLRConfig, LrLambda } from "./LambdaLR.js";
export { MultiplicativeLR } from "./MultiplicativeLR.js";
export type { MultiplicativeLROptions, MultiplicativeLRConfig } from "./MultiplicativeLR.js";
export { StepLR } from "./StepLR.js";
export type { StepLROptions, StepLRConfig } from "./StepLR.js";
export { MultiStepLR } from "./MultiStepLR.js";
export type { MultiStepLROptions, MultiStepLRConfig } from "./MultiStepLR.js";
export { ConstantLR } from "./ConstantLR.js";
export type { ConstantLROptions, ConstantLRConfig } from "./ConstantLR.js";
export { LinearLR } from "./LinearLR.js";
export type { LinearLROptions, LinearLRConfig } from "./LinearLR.js";
export { ExponentialLR } from "./ExponentialLR.js";
export type { ExponentialLROptions, ExponentialLRConfig } from "./ExponentialLR.js";
export { PolynomialLR } from "./PolynomialLR.js";
export type { PolynomialLROptions, PolynomialLRConfig } from "./PolynomialLR.js";
export { CosineAnnealingLR } from "./CosineAnnealingLR.js";
export type { CosineAnnealingLROptions, CosineAnnealingLRConfig } from "./CosineAnnealingLR.js";
export { CosineAnnealingWarmRestarts } from "./CosineAnnealingWarmRestarts.js";
export type { CosineAnnealingWarmRestartsOptions, CosineAnnealingWarmRestartsConfig } from "./CosineAnnealingWarmRestarts.js";
export { CyclicLR } from "./CyclicLR.js";
export type { CyclicLROptions, CyclicLRConfig, CyclicMode } from "./CyclicLR.js";
export { OneCycleLR } from "./OneCycleLR.js";
export type { OneCycleLROptions, OneCycleLRConfig, OneCycleAnnealStrategy } from "./OneCycleLR.js";
// eslint-disable-next-line import-x/no-cycle -- the classes that nest schedules read them by the registry: see src/keras/schedules.ts
export { SequentialLR } from "./SequentialLR.js";
export type { SequentialLROptions, SequentialLRConfig } from "./SequentialLR.js";
export { ChainedScheduler } from "./ChainedScheduler.js";
export type { ChainedSchedulerOptions, ChainedSchedulerConfig } from "./ChainedScheduler.js";
export { MAX_TORCH_STEP } from "./TorchSchedule.js";
export { ReduceLROnPlateau } from "./ReduceLROnPlateau.js";
export type { ReduceLROnPlateauOptions, ReduceLROnPlateauConfig } from "./ReduceLROnPlateau.js";
