import type { ScheduleExamples } from "../schedule.js";
import { ScheduleOptionError, ScheduleTypeError } from "../errors.js";
import type { Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { type Group, MemorylessRun } from "./run.js";
import { lrOption, TorchSchedule } from "./TorchSchedule.js";

/** How OneCycleLR anneals within a phase. */
export type OneCycleAnnealStrategy = "cos" | "linear";

const count = { rule: { min: 1, integer: true }, steps: true } as const;

/** Options of {@link OneCycleLR}. */
const fields = declareOptions({
  /** The peak rate. A finite number >= 0. */
  maxLr: option.number({ rule: "nonNegative" }),
  /** The number of steps of the cycle; or give `epochs` and `stepsPerEpoch`. A whole number >= 1, or null. @defaultValue null */
  totalSteps: option.nullableNumber(count),
  /** With `stepsPerEpoch`, gives `totalSteps = epochs * stepsPerEpoch`. A whole number >= 1, or null. @defaultValue null */
  epochs: option.nullableNumber(count),
  /** See `epochs`. A whole number >= 1, or null. @defaultValue null */
  stepsPerEpoch: option.nullableNumber(count),
  /** The part of the cycle spent going up. A finite number in (0, 1). @defaultValue 0.3 */
  pctStart: option.number({ rule: { min: 0, max: 1, minOpen: true, maxOpen: true } }, 0.3),
  /** `'cos'` or `'linear'` annealing within each phase. @defaultValue 'cos' */
  annealStrategy: option.choice<OneCycleAnnealStrategy>(["cos", "linear"], "cos"),
  /** The starting rate is `maxLr / divFactor`; named only. A finite number > 0. @defaultValue 25 */
  divFactor: option.named(option.number({ rule: "positive" }, 25.0)),
  /** The final rate is the starting rate over `finalDivFactor`; named only. A finite number > 0. @defaultValue 1e4 */
  finalDivFactor: option.named(option.number({ rule: "positive" }, 1e4)),
  /** Three phases (up, back down to the start, then down to the final rate) instead of two; named only. @defaultValue false */
  threePhase: option.named(option.boolean(false)),
  /** The optimizer's rate, which OneCycleLR replaces; named only, and needed only in a SequentialLR or ChainedScheduler. */
  lr: lrOption,
});

type Order = [maxLr: "maxLr", totalSteps?: "totalSteps", epochs?: "epochs", stepsPerEpoch?: "stepsPerEpoch", pctStart?: "pctStart", annealStrategy?: "annealStrategy"];

/** The options of a {@link OneCycleLR}. */
export type OneCycleLROptions = OptionsOf<typeof fields>;
/** The validated options of a {@link OneCycleLR}. */
export type OneCycleLRConfig = ConfigOf<typeof fields>;

/** One phase: its last step, and the group's keys of the rates it goes from and to. */
type Phase = readonly [endStep: number, from: "initialLr" | "maxLr", to: "maxLr" | "initialLr" | "minLr"];

/** The phases as PyTorch's constructor writes them. */
function phasesOf(c: OneCycleLRConfig, total: number): Phase[] {
  return c.threePhase
    ? [[c.pctStart * total - 1, "initialLr", "maxLr"], [2 * c.pctStart * total - 2, "maxLr", "initialLr"], [total - 1, "initialLr", "minLr"]]
    : [[c.pctStart * total - 1, "initialLr", "maxLr"], [total - 1, "maxLr", "minLr"]];
}

/** `totalSteps`, or `epochs * stepsPerEpoch`; the phases must each last more than 0 steps (PyTorch divides by their length). */
function totalStepsOf(c: OneCycleLRConfig): number {
  const total = c.totalSteps ?? (c.epochs !== null && c.stepsPerEpoch !== null ? c.epochs * c.stepsPerEpoch : null);
  if (total === null) {
    throw new ScheduleTypeError("OneCycleLR", "totalSteps", null, "a whole number >= 1, or epochs and stepsPerEpoch (PyTorch's rule)");
  }
  let start = 0;
  for (const [end] of phasesOf(c, total)) {
    if (!(end > start)) {
      const expected = `such that each phase lasts more than 0 steps (a phase would end at step ${end}, from ${start}); PyTorch would divide by 0`;
      throw new ScheduleOptionError("OneCycleLR", "pctStart", c.pctStart, `${expected}, with totalSteps ${total}${c.threePhase ? " and threePhase (pctStart < 0.5)" : ""}`);
    }
    start = end;
  }
  return total;
}

/** `_annealing_cos` and `_annealing_linear`: from `start` to `end` as `pct` goes from 0 to 1. */
function anneal(strategy: OneCycleAnnealStrategy, start: number, end: number, pct: number): number {
  return strategy === "cos" ? end + ((start - end) / 2.0) * (Math.cos(Math.PI * pct) + 1) : (end - start) * pct + start;
}

/** `OneCycleLR.get_lr`: the phase of `last_epoch`, from the group's `initial_lr`, `max_lr` and `min_lr`. */
class OneCycleRun extends MemorylessRun {
  private readonly phases: Phase[];
  constructor(group: Group, private readonly c: OneCycleLRConfig, private readonly total: number) {
    super(group);
    this.phases = phasesOf(c, total);
  }
  override construct(): this {
    // PyTorch writes these into the group (overwriting `initial_lr`), and reads them back at every step.
    this.group.initialLr = this.c.maxLr / this.c.divFactor;
    this.group.maxLr = this.c.maxLr;
    this.group.minLr = this.group.initialLr / this.c.finalDivFactor;
    return super.construct();
  }
  protected getLr(): number {
    const k = this.lastEpoch;
    if (k > this.total) {
      throw new ScheduleOptionError("OneCycleLR", "step", k, `at most totalSteps (${this.total}): PyTorch's OneCycleLR raises past it`);
    }
    let start = 0;
    for (let i = 0; ; i++) {
      const [end, from, to] = this.phases[i]!;
      if (k <= end || i === this.phases.length - 1) {
        const rate = anneal(this.c.annealStrategy, this.group[from]!, this.group[to]!, (k - start) / (end - start));
        // Step totalSteps is the last phase extrapolated one step; with 'linear' that is mostly below 0, a rate no
        // optimizer can use: the schedule ends before it then, as it ends past totalSteps (charts stop there too).
        if (k === this.total && rate < 0) {
          throw new ScheduleOptionError("OneCycleLR", "step", k, `at most ${k - 1}: PyTorch's rate at totalSteps (${k}) is ${rate}, below 0`);
        }
        return rate;
      }
      start = end;
    }
  }
}

/**
 * The same formula over any arithmetic. Past `totalSteps` it holds the rate of that step (0 where that is below 0): the
 * number path throws there, as PyTorch raises, which a tensor cannot without reading the step back.
 */
function oneCycleLR<T, B>(o: Ops<T, B>, step: T, c: OneCycleLRConfig, total: number): T {
  const initial = c.maxLr / c.divFactor;
  const rates = { initialLr: initial, maxLr: c.maxLr, minLr: initial / c.finalDivFactor };
  const phases = phasesOf(c, total);
  const k = o.minimum(o.floor(step), o.constant(total));
  const phase = (i: number, start: number): T => {
    const [end, from, to] = phases[i]!;
    const pct = o.div(o.sub(k, o.constant(start)), o.constant(end - start));
    const [a, b] = [o.constant(rates[from]), o.constant(rates[to])];
    const value =
      c.annealStrategy === "cos"
        ? o.add(b, o.mul(o.div(o.sub(a, b), o.constant(2)), o.add(o.cos(o.mul(o.constant(Math.PI), pct)), o.constant(1))))
        : o.add(o.mul(o.sub(b, a), pct), a);
    return i === phases.length - 1 ? value : o.cond(o.lessEqual(k, o.constant(end)), () => value, () => phase(i + 1, end));
  };
  return o.maximum(phase(0, 0), o.constant(0));
}

/**
 * PyTorch's `torch.optim.lr_scheduler.OneCycleLR` (the 1cycle policy): up from `maxLr / divFactor` to `maxLr` over
 * `pctStart` of the cycle, then down to `maxLr / divFactor / finalDivFactor`; with `threePhase`, back down to the
 * start first, then to the final rate. PyTorch's OneCycleLR counts batches.
 *
 * ```text
 * phase ends: pctStart * total - 1, (2 * pctStart * total - 2,) total - 1
 * lr_k = anneal(from, to, (k - phaseStart) / (phaseEnd - phaseStart))      cos: to + (from - to) / 2 * (1 + cos(pi * pct))
 * ```
 * A function of the step, in doubles, as PyTorch computes it. Step `totalSteps` is allowed where PyTorch's rate there
 * (the last phase extrapolated one step) is >= 0, as with `'cos'`; with `'linear'` it is mostly below 0, and the
 * schedule ends one step earlier. A later step throws, as PyTorch raises there. The tensor path, which cannot throw
 * without reading the step back, holds the rate of step `totalSteps` from there on (0 where that is below 0). The optimizer's rate is not
 * used: PyTorch replaces it. Momentum cycling is not modelled.
 *
 * @example
 * import { OneCycleLR } from 'lr-schedules/torch';
 * const lr = new OneCycleLR(0.1, 100);   // OneCycleLR(optimizer, max_lr=0.1, total_steps=100)
 * lr(0); //=> 0.0040000000000000036 (0.1 / 25, through PyTorch's cosine)
 * lr(29); //=> 0.1
 * lr(99); //=> 4e-7
 * new OneCycleLR(0.1, { epochs: 10, stepsPerEpoch: 10, annealStrategy: 'linear' })(29); //=> 0.1
 * @throws {ScheduleOptionError} a rate negative, a count not a whole number >= 1, `pctStart` not in (0, 1) or leaving
 *   a phase of no steps; at a step past `totalSteps`.
 * @throws {ScheduleTypeError} neither `totalSteps` nor `epochs` and `stepsPerEpoch`; an option of the wrong kind.
 * @see PyTorch `torch.optim.lr_scheduler.OneCycleLR`; Smith and Topin, "Super-Convergence" (2017), https://arxiv.org/abs/1708.07120
 */
export class OneCycleLR extends TorchSchedule<OneCycleLRConfig> {
  static override readonly className = "OneCycleLR";
  /** Registered as `lr-schedules>OneCycleLR`. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula = "lr_k = anneal(maxLr / divFactor -> maxLr -> maxLr / divFactor / finalDivFactor) over totalSteps";
  static override readonly examples: ScheduleExamples = {
    steps: 25000,
    expressions: ["OneCycleLR(0.01, 25000)", "OneCycleLR(0.01, 25000, { annealStrategy: 'linear', threePhase: true })"],
  };

  constructor(options: OneCycleLROptions);
  constructor(...args: OptionArguments<OneCycleLROptions, Order>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<OneCycleLRConfig>("OneCycleLR", fields, args);
    const total = totalStepsOf(c);
    super("OneCycleLR", c, (group) => new OneCycleRun(group, c, total).construct(), { needsLr: false, overwrites: true });
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return oneCycleLR(o, step, this.config, totalStepsOf(this.config));
  }
}
