import { ScheduleOptionError } from "../errors.js";
import { numberOps, type Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { LearningRateSchedule, type ScheduleExamples } from "../schedule.js";

/** How {@link OneCycle} moves between two rates: half a cosine, or a straight line. */
export type AnnealStrategy = "cos" | "linear";

/** Options of {@link OneCycle}; PyTorch `OneCycleLR`'s arguments and defaults, in camelCase. */
const fields = declareOptions({
  /** The peak rate (PyTorch `max_lr`; config key `peak_learning_rate`). A finite number >= 0. */
  peakLearningRate: option.number({ rule: "nonNegative" }),
  // A single step cannot hold both a climb and a descent.
  /** How many steps the cycle lasts (PyTorch `total_steps`). A whole number >= 2. */
  totalSteps: option.number({ rule: { min: 2, integer: true }, steps: true }),
  /** The fraction of the cycle spent climbing (PyTorch `pct_start`). In (0, 1). @defaultValue 0.3 */
  pctStart: option.number({ rule: { min: 0, max: 1, minOpen: true, maxOpen: true } }, 0.3),
  /** `'cos'` or `'linear'` (PyTorch `anneal_strategy`). @defaultValue 'cos' */
  annealStrategy: option.choice<AnnealStrategy>(["cos", "linear"], "cos"),
  /** The first rate is `peakLearningRate / divFactor` (PyTorch `div_factor`). A finite number > 0. @defaultValue 25 */
  divFactor: option.number({ rule: "positive" }, 25),
  /** The last rate is the first one divided by this (PyTorch `final_div_factor`). @defaultValue 1e4 */
  finalDivFactor: option.number({ rule: "positive" }, 1e4),
  /** Climb, come back down to the first rate, then anneal to the last (PyTorch `three_phase`). @defaultValue false */
  threePhase: option.boolean(false),
  /** The schedule's name. @defaultValue 'OneCycle' */
  name: option.name("OneCycle"),
  /** `'float32'` computes each step in float32 as Keras would; `'float64'` in doubles, as PyTorch. @defaultValue 'float32' */
  dtype: option.dtype,
});

/** The positional arguments: each option's name, `?` where it has a default. */
type Order = [
  peakLearningRate: "peakLearningRate",
  totalSteps: "totalSteps",
  pctStart?: "pctStart",
  annealStrategy?: "annealStrategy",
  divFactor?: "divFactor",
  finalDivFactor?: "finalDivFactor",
  threePhase?: "threePhase",
  name?: "name",
];

/** The options of a {@link OneCycle}: the declaration's, those with a default optional. */
export type OneCycleOptions = OptionsOf<typeof fields>;

/** The validated options of a {@link OneCycle}, every default filled in. */
export type OneCycleConfig = ConfigOf<typeof fields>;

/** One stretch of the cycle: from step `start` to step `end`, the rate goes from `from` to `to`. */
interface Phase {
  readonly start: number;
  readonly end: number;
  readonly from: number;
  readonly to: number;
}

/** The phases, computed in double precision as PyTorch computes them in Python floats. */
function phasesOf(c: OneCycleConfig): readonly Phase[] {
  const initial = c.peakLearningRate / c.divFactor;
  const final = initial / c.finalDivFactor;
  const peak = c.pctStart * c.totalSteps - 1;
  const last = c.totalSteps - 1;
  if (!c.threePhase) {
    return [
      { start: 0, end: peak, from: initial, to: c.peakLearningRate },
      { start: peak, end: last, from: c.peakLearningRate, to: final },
    ];
  }
  const back = 2 * c.pctStart * c.totalSteps - 2;
  return [
    { start: 0, end: peak, from: initial, to: c.peakLearningRate },
    { start: peak, end: back, from: c.peakLearningRate, to: initial },
    { start: back, end: last, from: initial, to: final },
  ];
}

function checkPhases(c: OneCycleConfig): readonly Phase[] {
  const phases = phasesOf(c);
  if (phases.some((p) => !(p.end > p.start))) {
    const upper = c.threePhase ? `${(c.totalSteps + 1) / (2 * c.totalSteps)}` : "1";
    const setting = `totalSteps=${c.totalSteps}${c.threePhase ? " with threePhase" : ""}`;
    const expected = `in (${1 / c.totalSteps}, ${upper}) for ${setting}, so that every phase lasts more than 0 steps`;
    throw new ScheduleOptionError("OneCycle", "pctStart", c.pctStart, expected);
  }
  return phases;
}

/** The one-cycle rate over any arithmetic; `phases` are {@link phasesOf} this config. */
function oneCycle<T, B>(o: Ops<T, B>, step: T, c: OneCycleConfig, phases: readonly Phase[]): T {
  const last = phases.length - 1;
  const s = o.minimum(step, o.constant(phases[last]!.end));
  const anneal = (p: Phase): T => {
    const from = o.constant(p.from);
    const to = o.constant(p.to);
    const start = o.constant(p.start);
    const pct = o.div(o.sub(s, start), o.sub(o.constant(p.end), start));
    if (c.annealStrategy === "linear") return o.add(o.mul(o.sub(to, from), pct), from);
    const cosOut = o.add(o.cos(o.mul(o.constant(Math.PI), pct)), o.constant(1));
    return o.add(to, o.mul(o.div(o.sub(from, to), o.constant(2)), cosOut));
  };
  const phase = (i: number): T => {
    const p = phases[i]!;
    return i === last ? anneal(p) : o.cond(o.lessEqual(s, o.constant(p.end)), () => anneal(p), () => phase(i + 1));
  };
  return phase(0);
}

/**
 * The 1cycle policy of Smith and Topin, as PyTorch's `OneCycleLR` computes it (its learning rate; momentum cycling is
 * an optimizer's business and is left out): the rate climbs from `peakLearningRate / divFactor` to `peakLearningRate`
 * over the first `pctStart` of the cycle, then anneals down to `peakLearningRate / divFactor / finalDivFactor`.
 *
 * ```text
 * initial = peakLearningRate / divFactor          final = initial / finalDivFactor
 * phases (start step, end step, from, to):
 *   two-phase:    [0, e1] initial→max,  [e1, T-1] max→final
 *   threePhase:   [0, e1] initial→max,  [e1, e2] max→initial,  [e2, T-1] initial→final
 *   where T = totalSteps, e1 = pctStart*T - 1, e2 = 2*pctStart*T - 2
 * s   = min(step, T - 1)
 * the first phase whose end step is >= s (the last phase otherwise):
 *   pct = (s - start) / (end - start)
 *   cos:     lr = to + (from - to) / 2 * (cos(pi * pct) + 1)
 *   linear:  lr = (to - from) * pct + from
 * ```
 * The phase ends and the rates are PyTorch's, computed once in double precision; each step's arithmetic is rounded to
 * float32 (pi too, as Keras does), or not, with `dtype: 'float64'`, which then matches PyTorch's own doubles. A step
 * equal to a phase's end belongs to that phase, as in PyTorch; the rate is continuous everywhere. PyTorch refuses
 * steps past `totalSteps`; here every step from `totalSteps - 1` on keeps the final rate.
 *
 * @example
 * import { OneCycle } from 'lr-schedules';
 * const lr = new OneCycle(0.1, 100);                      // or new OneCycle({ peakLearningRate: 0.1, totalSteps: 100 })
 * lr(29); //=> 0.10000000149011612 (the peak, at 0.3 * 100 - 1)
 * lr(99); //=> 4.0000000467443897e-7 (0.1 / 25 / 1e4 in float32, kept from here on)
 * lr(5000); //=> 4.0000000467443897e-7
 * const torch = new OneCycle({ peakLearningRate: 0.1, totalSteps: 100, dtype: 'float64' });
 * torch(0); //=> 0.0040000000000000036 (PyTorch's double for 0.1 / 25)
 * torch(64); //=> 0.0500002
 * new OneCycle(0.1, 100, { annealStrategy: 'linear', threePhase: true })(0); //=> 0.004000000189989805
 * @throws {ScheduleOptionError} `pctStart` outside (0, 1) or too small or large for `totalSteps` to give every phase a
 *   step; `totalSteps` not a whole number >= 2; a rate or factor negative or not finite.
 * @throws {ScheduleTypeError} an option of the wrong kind, or a required one missing.
 * @see PyTorch `torch.optim.lr_scheduler.OneCycleLR`; Smith & Topin, "Super-Convergence" (2017),
 *   https://arxiv.org/abs/1708.07120
 */
export class OneCycle extends LearningRateSchedule<OneCycleConfig> {
  static override readonly className = "OneCycle";
  /** Registered as `lr-schedules>OneCycle`, Keras's `registered_name` form for a class Keras lacks. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  /** What it computes, in one line, as `lr-schedules show` prints it. */
  static override readonly formula =
    "from peakLearningRate / divFactor up to peakLearningRate by step pctStart * totalSteps, then annealStrategy ('cos' or 'linear') down to that / finalDivFactor at totalSteps - 1  (threePhase: back to the start first)";
  /** What this class's chart in docs/seeing.md draws, as `lr-schedules` expressions. */
  static override readonly examples: ScheduleExamples = {
    steps: 10000,
    expressions: [
      "OneCycle(0.01, 10000)",
      'OneCycle(0.01, 10000, { annealStrategy: "linear", threePhase: true })',
    ],
  };

  constructor(options: OneCycleOptions);
  constructor(...args: OptionArguments<OneCycleOptions, Order>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<OneCycleConfig>("OneCycle", fields, args);
    const phases = checkPhases(c);
    const o = numberOps(c.dtype);
    super(c, (step) => oneCycle(o, o.constant(step), c, phases));
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return oneCycle(o, step, this.config, phasesOf(this.config));
  }
}
