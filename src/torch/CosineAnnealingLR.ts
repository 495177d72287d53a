import type { ScheduleExamples } from "../schedule.js";
import type { Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { type Group, Run } from "./run.js";
import { lrOption, TorchSchedule } from "./TorchSchedule.js";

/** Options of {@link CosineAnnealingLR}. */
const fields = declareOptions({
  /** Half the period: the rate reaches `etaMin` at `tMax` and `lr` again at `2 * tMax` (PyTorch's `T_max`). A whole number >= 1. */
  tMax: option.number({ rule: { min: 1, integer: true }, steps: true, keras: "T_max" }),
  /** The lowest rate. A finite number >= 0. @defaultValue 0 */
  etaMin: option.number({ rule: "nonNegative" }, 0.0),
  /** The optimizer's learning rate (PyTorch's `base_lrs`); named only. Left out in a SequentialLR or ChainedScheduler. */
  lr: lrOption,
});

type Order = [tMax: "tMax", etaMin?: "etaMin"];

/** The options of a {@link CosineAnnealingLR}. */
export type CosineAnnealingLROptions = OptionsOf<typeof fields>;
/** The validated options of a {@link CosineAnnealingLR}. */
export type CosineAnnealingLRConfig = ConfigOf<typeof fields>;

/** Python's `%` for a divisor > 0: the remainder has the divisor's sign. */
const pythonMod = (a: number, n: number): number => ((a % n) + n) % n;

/**
 * `CosineAnnealingLR.get_lr`: the ratio of this step's cosine to the last one's, but a step up by the cosine's first
 * difference just after each trough (where the ratio would divide by 0). The branch for a scheduler resumed at a
 * later `last_epoch` (`_step_count == 1`) is never taken here: every run starts at 0.
 */
class CosineAnnealingRun extends Run {
  constructor(group: Group, private readonly c: CosineAnnealingLRConfig) {
    super(group);
  }
  protected getLr(): number {
    const { tMax, etaMin } = this.c;
    const k = this.lastEpoch;
    if (this.initial) return this.group.lr;
    if (pythonMod(k - 1 - tMax, 2 * tMax) === 0) return this.group.lr + ((this.baseLr - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2;
    return ((1 + Math.cos((Math.PI * k) / tMax)) / (1 + Math.cos((Math.PI * (k - 1)) / tMax))) * (this.group.lr - etaMin) + etaMin;
  }
  protected override closedForm(): number {
    const { tMax, etaMin } = this.c;
    return etaMin + ((this.baseLr - etaMin) * (1 + Math.cos((Math.PI * this.lastEpoch) / tMax))) / 2;
  }
}

/**
 * The closed form over any arithmetic, `etaMin + (lr - etaMin) * (1 + cos(pi * step / tMax)) / 2`, with the step
 * first brought into [0, 2 * tMax) so that float32's cosine stays accurate far out.
 */
function cosineAnnealingLR<T, B>(o: Ops<T, B>, step: T, c: CosineAnnealingLRConfig, lr: number): T {
  const period = o.constant(2 * c.tMax);
  const k = o.floor(step);
  const phase = o.sub(k, o.mul(o.floor(o.div(k, period)), period));
  return annealed(o, lr, c.etaMin, o.cos(o.div(o.mul(o.constant(Math.PI), phase), o.constant(c.tMax))));
}

/** SGDR's rate for a cosine over any arithmetic: `etaMin + (lr - etaMin) * (1 + cosine) / 2`. */
export function annealed<T, B>(o: Ops<T, B>, lr: number, etaMin: number, cosine: T): T {
  const floor = o.constant(etaMin);
  return o.add(floor, o.div(o.mul(o.sub(o.constant(lr), floor), o.add(o.constant(1), cosine)), o.constant(2)));
}

/**
 * PyTorch's `torch.optim.lr_scheduler.CosineAnnealingLR`: a cosine from `lr` down to `etaMin` over `tMax` steps, and,
 * unlike Keras's `CosineDecay`, back up again: the curve has period `2 * tMax` and never stops at `etaMin`.
 *
 * ```text
 * lr_k = etaMin + (lr_{k-1} - etaMin) * (1 + cos(pi * k / tMax)) / (1 + cos(pi * (k - 1) / tMax))
 *      ~ etaMin + (lr - etaMin) * (1 + cos(pi * k / tMax)) / 2
 * ```
 * The value at step k is the optimizer's rate after the constructor and k calls of `scheduler.step()`: PyTorch's
 * recursive form in doubles, which drifts from the closed form by some ulps (tens of ulps near the troughs).
 *
 * @example
 * import { CosineAnnealingLR } from 'lr-schedules/torch';
 * const lr = new CosineAnnealingLR(10, { lr: 0.1 });   // CosineAnnealingLR(optimizer, T_max=10)
 * lr(0); //=> 0.1
 * lr(5); //=> 0.05000000000000001
 * lr(10); //=> 0
 * lr(20); //=> 0.10000000000000044 (back up: the period is 2 * tMax; the recursion drifts by some ulps)
 * @throws {ScheduleOptionError} `tMax` not a whole number >= 1 (PyTorch takes 0 or a negative one and fails later), `etaMin` or `lr` negative.
 * @throws {ScheduleTypeError} evaluated without `lr`; an option of the wrong kind.
 * @see PyTorch `torch.optim.lr_scheduler.CosineAnnealingLR`; docs/pytorch.md.
 */
export class CosineAnnealingLR extends TorchSchedule<CosineAnnealingLRConfig> {
  static override readonly className = "CosineAnnealingLR";
  /** Registered as `lr-schedules>CosineAnnealingLR`. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula = "lr_k = etaMin + (lr - etaMin) * (1 + cos(pi * k / tMax)) / 2, as ratios (period 2 * tMax)";
  static override readonly examples: ScheduleExamples = { steps: 200, expressions: ["CosineAnnealingLR(100, { lr: 0.1 })", "CosineAnnealingLR(50, 0.01, { lr: 0.1 })"] };

  constructor(options: CosineAnnealingLROptions);
  constructor(...args: OptionArguments<CosineAnnealingLROptions, Order>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<CosineAnnealingLRConfig>("CosineAnnealingLR", fields, args);
    super("CosineAnnealingLR", c, (group) => new CosineAnnealingRun(group, c).construct());
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return cosineAnnealingLR(o, step, this.config, this.optimizerLr());
  }
}
