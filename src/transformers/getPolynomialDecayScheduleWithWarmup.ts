import { ScheduleOptionError } from "../errors.js";
import { float64Ops } from "../float64.js";
import type { Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { LearningRateSchedule } from "../schedule.js";
import { learningRateOption, stepsOption, times, warmupThen } from "./lambda.js";

const fields = declareOptions({
  /** Steps of the linear warmup from 0 (config key `num_warmup_steps`). An integer >= 0. */
  numWarmupSteps: stepsOption(),
  /** Steps of the whole training; the rate is `lrEnd` from there on (config key `num_training_steps`). An integer > `numWarmupSteps`. */
  numTrainingSteps: stepsOption(1),
  /** The rate at `numTrainingSteps` and after (config key `lr_end`). A finite number >= 0, below `learningRate`. @defaultValue 1e-7 */
  lrEnd: option.number({ rule: "nonNegative" }, 1e-7),
  /** The polynomial's power; 1 is linear (config key `power`). A finite number >= 0. @defaultValue 1 */
  power: option.number({ rule: "nonNegative" }, 1),
  /** The optimizer's rate, the peak (config key `learning_rate`). Named only; required; above `lrEnd`. */
  learningRate: learningRateOption,
});

/** The positional arguments, in transformers' order after `optimizer`. */
export type PolynomialDecayScheduleWithWarmupOrder = [numWarmupSteps: "numWarmupSteps", numTrainingSteps: "numTrainingSteps", lrEnd?: "lrEnd", power?: "power"];
/** The options of {@link getPolynomialDecayScheduleWithWarmup}. */
export type PolynomialDecayScheduleWithWarmupOptions = OptionsOf<typeof fields>;
/** The validated options of {@link getPolynomialDecayScheduleWithWarmup}. */
export type PolynomialDecayScheduleWithWarmupConfig = ConfigOf<typeof fields>;

const NAME = "getPolynomialDecayScheduleWithWarmup";

function polynomial<T, B>(o: Ops<T, B>, step: T, c: PolynomialDecayScheduleWithWarmupConfig): T {
  const { numWarmupSteps: w, numTrainingSteps: n, lrEnd, learningRate: lrInit } = c;
  // transformers' lambda returns the rate over lrInit, which LambdaLR multiplies back by the same rate.
  const decay = () => {
    const remaining = o.sub(o.constant(1), o.div(o.sub(step, o.constant(w)), o.constant(n - w)));
    const rate = o.add(o.mul(o.constant(lrInit - lrEnd), o.pow(remaining, o.constant(c.power))), o.constant(lrEnd));
    return o.cond(o.less(o.constant(n), step), () => o.constant(lrEnd / lrInit), () => o.div(rate, o.constant(lrInit)));
  };
  return times(o, lrInit, warmupThen(o, step, w, decay));
}

/** transformers' `get_polynomial_decay_schedule_with_warmup`; see the entry's {@link getPolynomialDecayScheduleWithWarmup}. */
export class PolynomialDecayScheduleWithWarmup extends LearningRateSchedule<PolynomialDecayScheduleWithWarmupConfig> {
  static override readonly className = NAME;
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula =
    "lr = learningRate * (step < numWarmupSteps ? step / max(1, numWarmupSteps) : step > numTrainingSteps ? lrEnd / learningRate : ((learningRate - lrEnd) * (1 - (step - numWarmupSteps) / (numTrainingSteps - numWarmupSteps)) ** power + lrEnd) / learningRate)";
  static override readonly examples = { steps: 10000, expressions: [`${NAME}(500, 10000, 1e-7, 2, { learningRate: 5e-5 })`] };

  constructor(options: PolynomialDecayScheduleWithWarmupOptions);
  constructor(...args: OptionArguments<PolynomialDecayScheduleWithWarmupOptions, PolynomialDecayScheduleWithWarmupOrder>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<PolynomialDecayScheduleWithWarmupConfig>(NAME, fields, args);
    // transformers refuses lr_end >= lr; at numTrainingSteps = numWarmupSteps it divides by zero (ZeroDivisionError).
    if (!(c.learningRate > c.lrEnd)) {
      throw new ScheduleOptionError(NAME, "lrEnd", c.lrEnd, `a finite number >= 0 below learningRate (learningRate=${c.learningRate})`);
    }
    if (!(c.numTrainingSteps > c.numWarmupSteps)) {
      throw new ScheduleOptionError(NAME, "numWarmupSteps", c.numWarmupSteps, `an integer in [0, numTrainingSteps) (numTrainingSteps=${c.numTrainingSteps})`);
    }
    super(c, (step) => polynomial(float64Ops, step, c));
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return polynomial(o, step, this.config);
  }
}
