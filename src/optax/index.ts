// The entry lr-schedules/optax: one export line per schedule (src/catalogue.ts finds them here).
import { scheduleFunction } from "../scheduleFunction.js";
import { ConstantSchedule, type ConstantScheduleConfig, type ConstantScheduleOptions, type ConstantScheduleOrder } from "./constantSchedule.js";
import { CosineDecaySchedule, type CosineDecayScheduleConfig, type CosineDecayScheduleOptions, type CosineDecayScheduleOrder } from "./cosineDecaySchedule.js";
import { CosineOnecycleSchedule, type CosineOnecycleScheduleConfig, type CosineOnecycleScheduleOptions, type CosineOnecycleScheduleOrder } from "./cosineOnecycleSchedule.js";
import { OptaxExponentialDecay, type ExponentialDecayConfig, type ExponentialDecayOptions, type ExponentialDecayOrder } from "./exponentialDecay.js";
// eslint-disable-next-line import-x/no-cycle -- joinSchedules reads nested schedules through the registry: see src/keras/schedules.ts
import { JoinSchedules, type JoinSchedulesConfig, type JoinSchedulesOptions, type JoinSchedulesOrder } from "./joinSchedules.js";
import { LinearOnecycleSchedule, type LinearOnecycleScheduleConfig, type LinearOnecycleScheduleOptions, type LinearOnecycleScheduleOrder } from "./linearOnecycleSchedule.js";
import { LinearSchedule, type LinearScheduleConfig, type LinearScheduleOptions, type LinearScheduleOrder } from "./linearSchedule.js";
import { PiecewiseConstantSchedule, type PiecewiseConstantScheduleConfig, type PiecewiseConstantScheduleOptions, type PiecewiseConstantScheduleOrder } from "./piecewiseConstantSchedule.js";
import {
  PiecewiseInterpolateSchedule,
  type PiecewiseInterpolateScheduleConfig,
  type PiecewiseInterpolateScheduleOptions,
  type PiecewiseInterpolateScheduleOrder,
} from "./piecewiseInterpolateSchedule.js";
import { PolynomialSchedule, type PolynomialScheduleConfig, type PolynomialScheduleOptions, type PolynomialScheduleOrder } from "./polynomialSchedule.js";
import { SgdrSchedule, type SgdrScheduleConfig, type SgdrScheduleOptions, type SgdrScheduleOrder } from "./sgdrSchedule.js";
import { WarmupConstantSchedule, type WarmupConstantScheduleConfig, type WarmupConstantScheduleOptions, type WarmupConstantScheduleOrder } from "./warmupConstantSchedule.js";
import {
  WarmupCosineDecaySchedule,
  type WarmupCosineDecayScheduleConfig,
  type WarmupCosineDecayScheduleOptions,
  type WarmupCosineDecayScheduleOrder,
} from "./warmupCosineDecaySchedule.js";
import {
  WarmupExponentialDecaySchedule,
  type WarmupExponentialDecayScheduleConfig,
  type WarmupExponentialDecayScheduleOptions,
  type WarmupExponentialDecayScheduleOrder,
} from "./warmupExponentialDecaySchedule.js";

export type { InterpolateType } from "./piecewiseInterpolateSchedule.js";
export type { SgdrCycle } from "./sgdrSchedule.js";
export type {
  ConstantScheduleOptions, PolynomialScheduleOptions, LinearScheduleOptions, PiecewiseConstantScheduleOptions, ExponentialDecayOptions,
  CosineDecayScheduleOptions, PiecewiseInterpolateScheduleOptions, LinearOnecycleScheduleOptions, CosineOnecycleScheduleOptions,
  WarmupConstantScheduleOptions, WarmupCosineDecayScheduleOptions, WarmupExponentialDecayScheduleOptions, SgdrScheduleOptions, JoinSchedulesOptions,
};

/** DOC constantSchedule */
export const constantSchedule = scheduleFunction<ConstantScheduleOptions, ConstantScheduleOrder, ConstantScheduleConfig>(ConstantSchedule);

/** DOC polynomialSchedule */
export const polynomialSchedule = scheduleFunction<PolynomialScheduleOptions, PolynomialScheduleOrder, PolynomialScheduleConfig>(PolynomialSchedule);

/** DOC linearSchedule */
export const linearSchedule = scheduleFunction<LinearScheduleOptions, LinearScheduleOrder, LinearScheduleConfig>(LinearSchedule);

/** DOC piecewiseConstantSchedule */
export const piecewiseConstantSchedule = scheduleFunction<PiecewiseConstantScheduleOptions, PiecewiseConstantScheduleOrder, PiecewiseConstantScheduleConfig>(
  PiecewiseConstantSchedule,
);

/** DOC exponentialDecay */
export const exponentialDecay = scheduleFunction<ExponentialDecayOptions, ExponentialDecayOrder, ExponentialDecayConfig>(OptaxExponentialDecay);

/** DOC cosineDecaySchedule */
export const cosineDecaySchedule = scheduleFunction<CosineDecayScheduleOptions, CosineDecayScheduleOrder, CosineDecayScheduleConfig>(CosineDecaySchedule);

/** DOC piecewiseInterpolateSchedule */
export const piecewiseInterpolateSchedule = scheduleFunction<
  PiecewiseInterpolateScheduleOptions,
  PiecewiseInterpolateScheduleOrder,
  PiecewiseInterpolateScheduleConfig
>(PiecewiseInterpolateSchedule);

/** DOC linearOnecycleSchedule */
export const linearOnecycleSchedule = scheduleFunction<LinearOnecycleScheduleOptions, LinearOnecycleScheduleOrder, LinearOnecycleScheduleConfig>(LinearOnecycleSchedule);

/** DOC cosineOnecycleSchedule */
export const cosineOnecycleSchedule = scheduleFunction<CosineOnecycleScheduleOptions, CosineOnecycleScheduleOrder, CosineOnecycleScheduleConfig>(CosineOnecycleSchedule);

/** DOC warmupConstantSchedule */
export const warmupConstantSchedule = scheduleFunction<WarmupConstantScheduleOptions, WarmupConstantScheduleOrder, WarmupConstantScheduleConfig>(WarmupConstantSchedule);

/** DOC warmupCosineDecaySchedule */
export const warmupCosineDecaySchedule = scheduleFunction<WarmupCosineDecayScheduleOptions, WarmupCosineDecayScheduleOrder, WarmupCosineDecayScheduleConfig>(
  WarmupCosineDecaySchedule,
);

/** DOC warmupExponentialDecaySchedule */
export const warmupExponentialDecaySchedule = scheduleFunction<
  WarmupExponentialDecayScheduleOptions,
  WarmupExponentialDecayScheduleOrder,
  WarmupExponentialDecayScheduleConfig
>(WarmupExponentialDecaySchedule);

/** DOC sgdrSchedule */
export const sgdrSchedule = scheduleFunction<SgdrScheduleOptions, SgdrScheduleOrder, SgdrScheduleConfig>(SgdrSchedule);

/** DOC joinSchedules */
export const joinSchedules = scheduleFunction<JoinSchedulesOptions, JoinSchedulesOrder, JoinSchedulesConfig>(JoinSchedules);
