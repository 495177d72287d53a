import { ScheduleOptionError, ScheduleTypeError } from "../errors.js";
import { float64Ops } from "../float64.js";
import type { Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { LearningRateSchedule } from "../schedule.js";
import { halfCosine, learningRateOption, lift, numCyclesOption, stepsOption, times } from "./lambda.js";

const shapes = ["linear", "cosine", "1-sqrt"] as const;

const fields = declareOptions({
  /** Steps of the warmup from `minLrRatio * learningRate` (config key `num_warmup_steps`). An integer >= 0. */
  numWarmupSteps: stepsOption(),
  /** Steps of the decay to `minLrRatio * learningRate` (config key `num_decay_steps`). An integer >= 0. */
  numDecaySteps: stepsOption(),
  /**
   * Steps of the whole training, so that the stable phase is what the warmup and the decay leave (config key
   * `num_training_steps`). An integer >= 1, or null to give `numStableSteps`. @defaultValue null
   */
  numTrainingSteps: option.nullableNumber({ rule: { min: 1, integer: true }, steps: true }),
  /** Steps at `learningRate` between warmup and decay (config key `num_stable_steps`); wins over `numTrainingSteps`. @defaultValue null */
  numStableSteps: option.nullableNumber({ rule: { min: 0, integer: true }, steps: true }),
  /** The warmup's shape (config key `warmup_type`). @defaultValue 'linear' */
  warmupType: option.choice(shapes, "linear"),
  /** The decay's shape (config key `decay_type`). @defaultValue 'cosine' */
  decayType: option.choice(shapes, "cosine"),
  /** The rate at the start of the warmup and at the end of the decay, over `learningRate` (config key `min_lr_ratio`). @defaultValue 0 */
  minLrRatio: option.number({ rule: "unit" }, 0),
  /** Waves of a cosine decay; 0.5 falls once (config key `num_cycles`). @defaultValue 0.5 */
  numCycles: numCyclesOption(0.5),
  /** The optimizer's rate, the stable phase's (config key `learning_rate`). Named only; required. */
  learningRate: learningRateOption,
});

/** The positional arguments, in transformers' order after `optimizer` (without `last_epoch`). */
export type WsdScheduleOrder = [
  numWarmupSteps: "numWarmupSteps",
  numDecaySteps: "numDecaySteps",
  numTrainingSteps?: "numTrainingSteps",
  numStableSteps?: "numStableSteps",
  warmupType?: "warmupType",
  decayType?: "decayType",
  minLrRatio?: "minLrRatio",
  numCycles?: "numCycles",
];
/** The options of {@link getWsdSchedule}. */
export type WsdScheduleOptions = OptionsOf<typeof fields>;
/** The validated options of {@link getWsdSchedule}. */
export type WsdScheduleConfig = ConfigOf<typeof fields>;

const NAME = "getWsdSchedule";

/** The stable phase's length: `numStableSteps`, else what `numTrainingSteps` leaves after warmup and decay. */
function stableStepsOf(c: WsdScheduleConfig): number {
  if (c.numStableSteps !== null) return c.numStableSteps;
  if (c.numTrainingSteps === null) {
    throw new ScheduleTypeError(NAME, "numTrainingSteps", null, "an integer >= 1 when numStableSteps is null (one of the two is required)");
  }
  const stable = c.numTrainingSteps - c.numWarmupSteps - c.numDecaySteps;
  if (stable < 0) {
    throw new ScheduleOptionError(NAME, "numTrainingSteps", c.numTrainingSteps, `an integer >= numWarmupSteps + numDecaySteps (${c.numWarmupSteps + c.numDecaySteps})`);
  }
  return stable;
}

function wsd<T, B>(o: Ops<T, B>, step: T, c: WsdScheduleConfig, s: number): T {
  const { numWarmupSteps: w, numDecaySteps: d, minLrRatio: m } = c;
  const warmup = () => {
    const p = o.div(step, o.constant(Math.max(1, w)));
    const factor =
      c.warmupType === "linear" ? p
      : c.warmupType === "cosine" ? o.mul(o.constant(0.5), o.sub(o.constant(1), o.cos(o.mul(o.constant(Math.PI), p))))
      : o.sub(o.constant(1), o.pow(o.sub(o.constant(1), p), o.constant(0.5)));
    return o.maximum(o.constant(0), lift(o, factor, m));
  };
  const decay = () => {
    const p = o.div(o.sub(o.sub(step, o.constant(w)), o.constant(s)), o.constant(Math.max(1, d)));
    const factor =
      c.decayType === "linear" ? o.sub(o.constant(1), p)
      : c.decayType === "cosine" ? halfCosine(o, p, c.numCycles)
      : o.sub(o.constant(1), o.pow(p, o.constant(0.5)));
    return o.maximum(o.constant(0), lift(o, factor, m));
  };
  const lambda = o.cond(
    o.less(step, o.constant(w)),
    warmup,
    () => o.cond(o.less(step, o.constant(w + s)), () => o.constant(1), () => o.cond(o.less(step, o.constant(w + s + d)), decay, () => o.constant(m))),
  );
  return times(o, c.learningRate, lambda);
}

/** transformers' `get_wsd_schedule`; see the entry's {@link getWsdSchedule}. */
export class WsdSchedule extends LearningRateSchedule<WsdScheduleConfig> {
  static override readonly className = NAME;
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula =
    "lr = learningRate * (warmup (step < w): shape(step / max(1, w)) * (1 - minLrRatio) + minLrRatio; stable (step < w + s): 1; decay (step < w + s + d): shape(1 - (step - w - s) / max(1, d)) * (1 - minLrRatio) + minLrRatio; after: minLrRatio)";
  static override readonly examples = { steps: 10000, expressions: [`${NAME}(500, 2000, 10000, { learningRate: 5e-5 })`] };

  constructor(options: WsdScheduleOptions);
  constructor(...args: OptionArguments<WsdScheduleOptions, WsdScheduleOrder>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<WsdScheduleConfig>(NAME, fields, args);
    const s = stableStepsOf(c);
    super(c, (step) => wsd(float64Ops, step, c, s));
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return wsd(o, step, this.config, stableStepsOf(this.config));
  }
}
