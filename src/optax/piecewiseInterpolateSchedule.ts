import { numberOps, type Ops } from "../ops.js";
import {
  type ConfigOf,
  type Option,
  type OptionArguments,
  type OptionsOf,
  type StepMap,
  declareOptions,
  option,
  resolveOptions,
} from "../options.js";
import { LearningRateSchedule } from "../schedule.js";
import { joinPieces } from "../schedules/joinPieces.js";
import { stepEntries, withStepMapAt } from "./formulas.js";

/** How the rate moves between two boundaries: optax's `interpolate_type`. */
export type InterpolateType = "linear" | "cosine";

const fields = declareOptions({
  /** How the rate moves between boundaries (optax's `interpolate_type`): `'linear'` or `'cosine'`. Required. */
  interpolateType: { ...option.choice<InterpolateType>(["linear", "cosine"], "linear"), default: undefined } as Option<InterpolateType>,
  /** The rate at step 0 (`init_value`). A finite number >= 0. */
  initValue: option.number({ rule: "nonNegative" }),
  /**
   * Scale factors keyed by step (`boundaries_and_scales`, `{ 100: 10, 900: 0.01 }`): the rate reaches the running
   * product of the factors at each step. Whole steps >= 0, factors >= 0 (optax refuses negative ones).
   * @defaultValue {} (a constant `initValue`)
   */
  boundariesAndScales: option.stepMap({ rule: "nonNegative" }, {}),
  /** `'float32'` computes as optax (jax, x64 off); `'float64'` the same formula in doubles. @defaultValue 'float32' */
  dtype: option.dtype,
});

/** The positional arguments, in optax's order. */
export type PiecewiseInterpolateScheduleOrder = [interpolateType: "interpolateType", initValue: "initValue", boundariesAndScales?: "boundariesAndScales"];
/** The options of {@link piecewiseInterpolateSchedule}. */
export type PiecewiseInterpolateScheduleOptions = OptionsOf<typeof fields>;
/** The validated options of {@link piecewiseInterpolateSchedule}. */
export type PiecewiseInterpolateScheduleConfig = ConfigOf<typeof fields>;

/** The boundaries (steps), each piece's length, and the rate at each boundary, the rounded running product. */
export interface Knots {
  readonly type: InterpolateType;
  readonly boundaries: readonly number[];
  readonly lengths: readonly number[];
  readonly rates: readonly number[];
}

/**
 * optax's knots: the rate is `initValue` at step 0 and the running product of the scales at each boundary (jax's
 * `cumprod`, rounded at each product); a piece's length is at least 1 (a boundary at 0 makes the first piece empty).
 */
export function knots(o: Ops<number>, type: InterpolateType, initValue: number, scales: StepMap): Knots {
  const entries = stepEntries(scales);
  const boundaries = entries.map(([step]) => step);
  const rates = [o.constant(initValue)];
  for (const [, scale] of entries) rates.push(o.mul(rates[rates.length - 1]!, o.constant(scale)));
  const lengths = boundaries.map((b, i) => Math.max(b - (i === 0 ? 0 : boundaries[i - 1]!), 1));
  return { type, boundaries, lengths, rates };
}

/** The rate at `step`: between knots `i` and `i + 1`, interpolated by the fraction of piece `i` done; the last rate after. */
export function interpolate<T, B>(o: Ops<T, B>, step: T, k: Knots): T {
  const zero = o.mul(step, o.constant(0));
  return joinPieces(o, step, k.boundaries, (i, local) => {
    if (i === k.boundaries.length) return o.add(zero, o.constant(k.rates[i]!));
    const start = o.constant(k.rates[i]!);
    const end = o.constant(k.rates[i + 1]!);
    const pct = o.div(local, o.constant(k.lengths[i]!));
    if (k.type === "linear") return o.add(o.mul(o.sub(end, start), pct), start);
    const wave = o.add(o.cos(o.mul(o.constant(Math.PI), pct)), o.constant(1));
    return o.add(end, o.mul(o.div(o.sub(start, end), o.constant(2)), wave));
  });
}

/** optax's `piecewise_interpolate_schedule`, built by `piecewiseInterpolateSchedule` of 'lr-schedules/optax' (documented there). */
export class PiecewiseInterpolateSchedule extends LearningRateSchedule<PiecewiseInterpolateScheduleConfig> {
  static override readonly className = "piecewiseInterpolateSchedule";
  /** Registered as `lr-schedules>piecewiseInterpolateSchedule`. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula =
    "lr = interpolation (linear or cosine) from rate[i] to rate[i+1] over [b[i], b[i+1]),  rate[i] = initValue * scales[1..i]";
  static override readonly examples = {
    steps: 1000,
    expressions: ["piecewiseInterpolateSchedule('cosine', 1e-4, { 200: 100, 1000: 0.01 })"],
  };

  constructor(options: PiecewiseInterpolateScheduleOptions);
  constructor(...args: OptionArguments<PiecewiseInterpolateScheduleOptions, PiecewiseInterpolateScheduleOrder>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<PiecewiseInterpolateScheduleConfig>("piecewiseInterpolateSchedule", fields, withStepMapAt(args, 2));
    const o = numberOps(c.dtype);
    const k = knots(o, c.interpolateType, c.initValue, c.boundariesAndScales);
    super(c, (step) => interpolate(o, o.constant(step), k));
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    const c = this.config;
    return interpolate(o, step, knots(numberOps(c.dtype), c.interpolateType, c.initValue, c.boundariesAndScales));
  }
}
