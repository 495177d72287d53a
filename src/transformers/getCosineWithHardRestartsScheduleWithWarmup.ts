import { float64Ops } from "../float64.js";
import type { Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, resolveOptions } from "../options.js";
import { LearningRateSchedule } from "../schedule.js";
import { checkWarmupWithinTraining, halfCosine, learningRateOption, numCyclesOption, progressOf, stepsOption, times, warmupThen } from "./lambda.js";

const fields = declareOptions({
  /** Steps of the linear warmup from 0 (config key `num_warmup_steps`). An integer >= 0. */
  numWarmupSteps: stepsOption(),
  /** Steps of the whole training; the rate is 0 from there on (config key `num_training_steps`). An integer >= 1. */
  numTrainingSteps: stepsOption(1),
  /** How many half cosines, each from the peak to 0, fill the steps after the warmup (config key `num_cycles`). @defaultValue 1 */
  numCycles: numCyclesOption(1),
  /** The optimizer's rate, the peak (config key `learning_rate`). Named only; required. */
  learningRate: learningRateOption,
});

/** The positional arguments, in transformers' order after `optimizer`. */
export type CosineWithHardRestartsScheduleWithWarmupOrder = [numWarmupSteps: "numWarmupSteps", numTrainingSteps: "numTrainingSteps", numCycles?: "numCycles"];
/** The options of {@link getCosineWithHardRestartsScheduleWithWarmup}. */
export type CosineWithHardRestartsScheduleWithWarmupOptions = OptionsOf<typeof fields>;
/** The validated options of {@link getCosineWithHardRestartsScheduleWithWarmup}. */
export type CosineWithHardRestartsScheduleWithWarmupConfig = ConfigOf<typeof fields>;

const NAME = "getCosineWithHardRestartsScheduleWithWarmup";

function hardRestarts<T, B>(o: Ops<T, B>, step: T, c: CosineWithHardRestartsScheduleWithWarmupConfig): T {
  const { numWarmupSteps: w, numTrainingSteps: n } = c;
  const decay = () => {
    const progress = progressOf(o, step, w, n - w);
    const cycles = o.mul(o.constant(c.numCycles), progress);
    // Python's `x % 1.0` for x >= 0: x - floor(x) is exact, so it equals the remainder to the bit.
    const phase = o.sub(cycles, o.floor(cycles));
    // One fall from the peak to 0 per cycle: 0.5 * (1 + cos(pi * phase)), pi * 0.5 * 2 being pi to the bit.
    const wave = o.maximum(o.constant(0), halfCosine(o, phase, 0.5));
    return o.cond(o.lessEqual(o.constant(1), progress), () => o.constant(0), () => wave);
  };
  return times(o, c.learningRate, warmupThen(o, step, w, decay));
}

/** transformers' `get_cosine_with_hard_restarts_schedule_with_warmup`; see the entry's {@link getCosineWithHardRestartsScheduleWithWarmup}. */
export class CosineWithHardRestartsScheduleWithWarmup extends LearningRateSchedule<CosineWithHardRestartsScheduleWithWarmupConfig> {
  static override readonly className = NAME;
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula =
    "p = (step - numWarmupSteps) / max(1, numTrainingSteps - numWarmupSteps); lr = learningRate * (step < numWarmupSteps ? step / max(1, numWarmupSteps) : p >= 1 ? 0 : 0.5 * (1 + cos(pi * ((numCycles * p) % 1))))";
  static override readonly examples = { steps: 10000, expressions: [`${NAME}(500, 10000, 3, { learningRate: 5e-5 })`] };

  constructor(options: CosineWithHardRestartsScheduleWithWarmupOptions);
  constructor(...args: OptionArguments<CosineWithHardRestartsScheduleWithWarmupOptions, CosineWithHardRestartsScheduleWithWarmupOrder>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<CosineWithHardRestartsScheduleWithWarmupConfig>(NAME, fields, args);
    checkWarmupWithinTraining(NAME, c.numWarmupSteps, c.numTrainingSteps);
    super(c, (step) => hardRestarts(float64Ops, step, c));
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return hardRestarts(o, step, this.config);
  }
}
