import type { ScheduleExamples } from "../schedule.js";
import type { Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { type Group, Run } from "./run.js";
import { lrOption, TorchSchedule } from "./TorchSchedule.js";

/** Options of {@link ConstantLR}. */
const fields = declareOptions({
  /** The factor the rate is multiplied by until `totalIters`. A finite number in (0, 1] (PyTorch divides by it). @defaultValue 1 / 3 */
  factor: option.number({ rule: { min: 0, max: 1, minOpen: true } }, 1 / 3),
  /** How many steps the factor lasts (PyTorch's `total_iters`). A whole number >= 1. @defaultValue 5 */
  totalIters: option.number({ rule: { min: 1, integer: true }, steps: true }, 5),
  /** The optimizer's learning rate (PyTorch's `base_lrs`); named only. Left out in a SequentialLR or ChainedScheduler. */
  lr: lrOption,
});

type Order = [factor?: "factor", totalIters?: "totalIters"];

/** The options of a {@link ConstantLR}. */
export type ConstantLROptions = OptionsOf<typeof fields>;
/** The validated options of a {@link ConstantLR}. */
export type ConstantLRConfig = ConfigOf<typeof fields>;

/** `ConstantLR.get_lr`: times `factor` at 0, times `1 / factor` at `total_iters`. */
class ConstantRun extends Run {
  constructor(group: Group, private readonly c: ConstantLRConfig) {
    super(group);
  }
  protected getLr(): number {
    if (this.lastEpoch === 0) return this.group.lr * this.c.factor;
    if (this.lastEpoch !== this.c.totalIters) return this.group.lr;
    return this.group.lr * (1.0 / this.c.factor);
  }
  protected override closedForm(): number {
    return this.baseLr * (this.c.factor + (this.lastEpoch >= this.c.totalIters ? 1 : 0) * (1 - this.c.factor));
  }
  override settled(): boolean {
    return this.lastEpoch >= this.c.totalIters;
  }
}

/** The closed form over any arithmetic: `lr * factor` before `totalIters`, `lr` from there. */
function constantLR<T, B>(o: Ops<T, B>, step: T, c: ConstantLRConfig, lr: number): T {
  const before = o.less(o.floor(step), o.constant(c.totalIters));
  return o.mul(o.constant(lr), o.where(before, o.constant(c.factor), o.constant(1)));
}

/**
 * PyTorch's `torch.optim.lr_scheduler.ConstantLR`: the rate times `factor` for the first `totalIters` steps, then the
 * rate itself.
 *
 * ```text
 * lr_0 = lr * factor;   lr_totalIters = lr_{totalIters-1} * (1 / factor);   else lr_k = lr_{k-1}
 * ```
 * The value at step k is the optimizer's rate after the constructor and k calls of `scheduler.step()`, in doubles as
 * PyTorch computes it (so the rate restored at `totalIters` may differ from `lr` in the last bit).
 *
 * @example
 * import { ConstantLR } from 'lr-schedules/torch';
 * const lr = new ConstantLR(0.5, 4, { lr: 0.05 });   // ConstantLR(optimizer, factor=0.5, total_iters=4)
 * lr(0); //=> 0.025
 * lr(3); //=> 0.025
 * lr(4); //=> 0.05
 * @throws {ScheduleOptionError} `factor` not in (0, 1], `totalIters` not a whole number >= 1, `lr` negative.
 * @throws {ScheduleTypeError} evaluated without `lr`; an option of the wrong kind.
 * @see PyTorch `torch.optim.lr_scheduler.ConstantLR`; docs/pytorch.md.
 */
export class ConstantLR extends TorchSchedule<ConstantLRConfig> {
  static override readonly className = "ConstantLR";
  /** Registered as `lr-schedules>ConstantLR`. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula = "lr_k = lr * factor for k < totalIters, then lr";
  static override readonly examples: ScheduleExamples = { steps: 20, expressions: ["ConstantLR(0.5, 4, { lr: 0.05 })"] };

  constructor(options?: ConstantLROptions);
  constructor(...args: OptionArguments<ConstantLROptions, Order>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<ConstantLRConfig>("ConstantLR", fields, args);
    super("ConstantLR", c, (group) => new ConstantRun(group, c).construct());
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return constantLR(o, step, this.config, this.optimizerLr());
  }
}
