import { float64Ops } from "../float64.js";
import type { Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, resolveOptions } from "../options.js";
import { LearningRateSchedule } from "../schedule.js";
import { checkWarmupWithinTraining, halfCosine, learningRateOption, numCyclesOption, progressOf, stepsOption, times, warmupThen } from "./lambda.js";

const fields = declareOptions({
  /** Steps of the linear warmup from 0 (config key `num_warmup_steps`). An integer >= 0. */
  numWarmupSteps: stepsOption(),
  /** Steps of the whole training (config key `num_training_steps`). An integer >= 1. */
  numTrainingSteps: stepsOption(1),
  /** Waves of the cosine after the warmup; 0.5 falls from the peak to 0 once (config key `num_cycles`). @defaultValue 0.5 */
  numCycles: numCyclesOption(0.5),
  /** The optimizer's rate, the peak (config key `learning_rate`). Named only; required. */
  learningRate: learningRateOption,
});

/** The positional arguments, in transformers' order after `optimizer`. */
export type CosineScheduleWithWarmupOrder = [numWarmupSteps: "numWarmupSteps", numTrainingSteps: "numTrainingSteps", numCycles?: "numCycles"];
/** The options of {@link getCosineScheduleWithWarmup}. */
export type CosineScheduleWithWarmupOptions = OptionsOf<typeof fields>;
/** The validated options of {@link getCosineScheduleWithWarmup}. */
export type CosineScheduleWithWarmupConfig = ConfigOf<typeof fields>;

const NAME = "getCosineScheduleWithWarmup";

function cosine<T, B>(o: Ops<T, B>, step: T, c: CosineScheduleWithWarmupConfig): T {
  const { numWarmupSteps: w, numTrainingSteps: n } = c;
  const decay = () => o.maximum(o.constant(0), halfCosine(o, progressOf(o, step, w, n - w), c.numCycles));
  return times(o, c.learningRate, warmupThen(o, step, w, decay));
}

/** transformers' `get_cosine_schedule_with_warmup`; see the entry's {@link getCosineScheduleWithWarmup}. */
export class CosineScheduleWithWarmup extends LearningRateSchedule<CosineScheduleWithWarmupConfig> {
  static override readonly className = NAME;
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula =
    "lr = learningRate * (step < numWarmupSteps ? step / max(1, numWarmupSteps) : max(0, 0.5 * (1 + cos(pi * numCycles * 2 * (step - numWarmupSteps) / max(1, numTrainingSteps - numWarmupSteps)))))";
  static override readonly examples = { steps: 10000, expressions: [`${NAME}(500, 10000, { learningRate: 5e-5 })`] };

  constructor(options: CosineScheduleWithWarmupOptions);
  constructor(...args: OptionArguments<CosineScheduleWithWarmupOptions, CosineScheduleWithWarmupOrder>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<CosineScheduleWithWarmupConfig>(NAME, fields, args);
    checkWarmupWithinTraining(NAME, c.numWarmupSteps, c.numTrainingSteps);
    super(c, (step) => cosine(float64Ops, step, c));
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return cosine(o, step, this.config);
  }
}
