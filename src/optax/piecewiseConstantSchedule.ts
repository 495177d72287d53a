import { numberOps, type Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { LearningRateSchedule } from "../schedule.js";
import { joinPieces } from "../schedules/joinPieces.js";
import { stepEntries, withStepMapAt } from "./formulas.js";

const fields = declareOptions({
  /** The rate before the first boundary (optax's `init_value`). A finite number >= 0. */
  initValue: option.number({ rule: "nonNegative" }),
  /**
   * Scale factors keyed by step (`boundaries_and_scales`, `{ 100: 0.1, 200: 0.1 }`): from each step on, the rate is
   * multiplied by its factor. Whole steps >= 0, factors >= 0 (optax refuses negative ones). @defaultValue {} (none)
   */
  boundariesAndScales: option.stepMap({ rule: "nonNegative" }, {}),
  /** `'float32'` computes as optax (jax, x64 off); `'float64'` the same products in doubles. @defaultValue 'float32' */
  dtype: option.dtype,
});

/** The positional arguments, in optax's order. */
export type PiecewiseConstantScheduleOrder = [initValue: "initValue", boundariesAndScales?: "boundariesAndScales"];
/** The options of {@link piecewiseConstantSchedule}. */
export type PiecewiseConstantScheduleOptions = OptionsOf<typeof fields>;
/** The validated options of {@link piecewiseConstantSchedule}. */
export type PiecewiseConstantScheduleConfig = ConfigOf<typeof fields>;

/** The boundaries and the rate of each piece: `initValue`, then the running product with each scale, rounded each time. */
function pieces(o: Ops<number>, c: PiecewiseConstantScheduleConfig): { boundaries: number[]; rates: number[] } {
  const entries = stepEntries(c.boundariesAndScales);
  const rates = [o.constant(c.initValue)];
  for (const [, scale] of entries) rates.push(o.mul(o.constant(scale), rates[rates.length - 1]!));
  return { boundaries: entries.map(([step]) => step), rates };
}

/** The rate of the piece that `step` is in; `rates` are already rounded. */
function piecewiseConstant<T, B>(o: Ops<T, B>, step: T, p: { boundaries: number[]; rates: number[] }): T {
  // Shaped like the step, so that a batch of tensor steps gets a batch of rates.
  const zero = o.mul(step, o.constant(0));
  return joinPieces(o, step, p.boundaries, (i) => o.add(zero, o.constant(p.rates[i]!)));
}

/** optax's `piecewise_constant_schedule`, built by `piecewiseConstantSchedule` of 'lr-schedules/optax' (documented there). */
export class PiecewiseConstantSchedule extends LearningRateSchedule<PiecewiseConstantScheduleConfig> {
  static override readonly className = "piecewiseConstantSchedule";
  /** Registered as `lr-schedules>piecewiseConstantSchedule`. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula = "lr = initValue * (product of the scales whose step <= step)";
  static override readonly examples = { steps: 1000, expressions: ["piecewiseConstantSchedule(0.01, { 300: 0.1, 700: 0.1 })"] };

  constructor(options: PiecewiseConstantScheduleOptions);
  constructor(...args: OptionArguments<PiecewiseConstantScheduleOptions, PiecewiseConstantScheduleOrder>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<PiecewiseConstantScheduleConfig>("piecewiseConstantSchedule", fields, withStepMapAt(args, 1));
    const o = numberOps(c.dtype);
    const p = pieces(o, c);
    super(c, (step) => piecewiseConstant(o, o.constant(step), p));
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return piecewiseConstant(o, step, pieces(numberOps(this.config.dtype), this.config));
  }
}
