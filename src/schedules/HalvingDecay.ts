import { numberOps, type Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { LearningRateSchedule } from "../schedule.js";

/** Options of {@link HalvingDecay}. */
const fields = declareOptions({
  /** The rate at step 0. A finite number >= 0. */
  initialLearningRate: option.number({ rule: "nonNegative" }),
  /** Steps per halving. A finite number > 0. */
  halfLife: option.number({ rule: "positive", steps: true }),
  /** The schedule's name. @defaultValue 'HalvingDecay' */
  name: option.name("HalvingDecay"),
  /** `'float32'` or `'float64'`. @defaultValue 'float32' */
  dtype: option.dtype,
});

type Order = [initialLearningRate: "initialLearningRate", halfLife: "halfLife", name?: "name"];

/** The options of a {@link HalvingDecay}. */
export type HalvingDecayOptions = OptionsOf<typeof fields>;
/** The validated options of a {@link HalvingDecay}. */
export type HalvingDecayConfig = ConfigOf<typeof fields>;

function halvingDecay<T, B>(o: Ops<T, B>, step: T, c: HalvingDecayConfig): T {
  return o.mul(o.constant(c.initialLearningRate), o.pow(o.constant(0.5), o.div(step, o.constant(c.halfLife))));
}

/**
 * Halves the rate every `halfLife` steps (scratch class for counting files).
 *
 * @example
 * import { HalvingDecay } from 'lr-schedules';
 * new HalvingDecay(1, 10)(10); //=> 0.5
 */
export class HalvingDecay extends LearningRateSchedule<HalvingDecayConfig> {
  static override readonly className = "HalvingDecay";
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula = "lr = initialLearningRate * 0.5 ^ (step / halfLife)";
  static override readonly examples = { steps: 100, expressions: ["HalvingDecay(1e-3, 10)"] };

  constructor(options: HalvingDecayOptions);
  constructor(...args: OptionArguments<HalvingDecayOptions, Order>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<HalvingDecayConfig>("HalvingDecay", fields, args);
    const o = numberOps(c.dtype);
    super(c, (step) => halvingDecay(o, o.constant(step), c));
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return halvingDecay(o, step, this.config);
  }
}
