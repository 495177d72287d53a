import type { ScheduleExamples } from "../schedule.js";
import type { Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { type Group, Run } from "./run.js";
import { lrOption, TorchSchedule } from "./TorchSchedule.js";

/** Options of {@link LinearLR}. */
const fields = declareOptions({
  /** The factor at step 0. A finite number in (0, 1]. @defaultValue 1 / 3 */
  startFactor: option.number({ rule: { min: 0, max: 1, minOpen: true } }, 1 / 3),
  /** The factor from `totalIters` on. A finite number in [0, 1]. @defaultValue 1 */
  endFactor: option.number({ rule: "unit" }, 1.0),
  /** How many steps the change lasts (PyTorch's `total_iters`). A whole number >= 1. @defaultValue 5 */
  totalIters: option.number({ rule: { min: 1, integer: true }, steps: true }, 5),
  /** The optimizer's learning rate (PyTorch's `base_lrs`); named only. Left out in a SequentialLR or ChainedScheduler. */
  lr: lrOption,
});

type Order = [startFactor?: "startFactor", endFactor?: "endFactor", totalIters?: "totalIters"];

/** The options of a {@link LinearLR}. */
export type LinearLROptions = OptionsOf<typeof fields>;
/** The validated options of a {@link LinearLR}. */
export type LinearLRConfig = ConfigOf<typeof fields>;

/** `LinearLR.get_lr`: each step multiplies by the ratio of this step's factor to the last one's. */
class LinearRun extends Run {
  constructor(group: Group, private readonly c: LinearLRConfig) {
    super(group);
  }
  protected getLr(): number {
    const { startFactor: s, endFactor: e, totalIters: n } = this.c;
    if (this.lastEpoch === 0) return this.group.lr * s;
    if (this.initial || this.lastEpoch > n) return this.group.lr;
    return this.group.lr * (1.0 + (e - s) / (n * s + (this.lastEpoch - 1) * (e - s)));
  }
  protected override closedForm(): number {
    const { startFactor: s, endFactor: e, totalIters: n } = this.c;
    return this.baseLr * (s + ((e - s) * Math.min(n, this.lastEpoch)) / n);
  }
  override settled(): boolean {
    return this.lastEpoch >= this.c.totalIters;
  }
}

/** The closed form over any arithmetic: `lr * (startFactor + (endFactor - startFactor) * min(step, totalIters) / totalIters)`. */
function linearLR<T, B>(o: Ops<T, B>, step: T, c: LinearLRConfig, lr: number): T {
  const n = o.constant(c.totalIters);
  const s = o.constant(c.startFactor);
  const progress = o.div(o.mul(o.sub(o.constant(c.endFactor), s), o.minimum(n, o.floor(step))), n);
  return o.mul(o.constant(lr), o.add(s, progress));
}

/**
 * PyTorch's `torch.optim.lr_scheduler.LinearLR`: the factor goes linearly from `startFactor` to `endFactor` over
 * `totalIters` steps, then stays; PyTorch's warmup.
 *
 * ```text
 * lr_0 = lr * startFactor
 * lr_k = lr_{k-1} * (1 + (e - s) / (n * s + (k - 1) * (e - s)))    for 1 <= k <= n  (s, e, n: startFactor, endFactor, totalIters)
 *      ~ lr * (s + (e - s) * min(k, n) / n)
 * ```
 * The value at step k is the optimizer's rate after the constructor and k calls of `scheduler.step()`: PyTorch's
 * ratio of factors, in doubles, which can differ from the closed form in the last bits.
 *
 * @example
 * import { LinearLR } from 'lr-schedules/torch';
 * const lr = new LinearLR(0.25, 1, 4, { lr: 0.1 });   // LinearLR(optimizer, start_factor=0.25, total_iters=4)
 * lr(0); //=> 0.025
 * lr(2); //=> 0.06250000000000001
 * lr(4); //=> 0.10000000000000002 (PyTorch's ratios, not exactly lr)
 * @throws {ScheduleOptionError} `startFactor` not in (0, 1], `endFactor` not in [0, 1], `totalIters` not a whole number >= 1.
 * @throws {ScheduleTypeError} evaluated without `lr`; an option of the wrong kind.
 * @see PyTorch `torch.optim.lr_scheduler.LinearLR`; docs/pytorch.md.
 */
export class LinearLR extends TorchSchedule<LinearLRConfig> {
  static override readonly className = "LinearLR";
  /** Registered as `lr-schedules>LinearLR`. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula = "lr_k = lr * (startFactor + (endFactor - startFactor) * min(k, totalIters) / totalIters), as ratios";
  static override readonly examples: ScheduleExamples = { steps: 20, expressions: ["LinearLR(0.25, 1, 4, { lr: 0.1 })"] };

  constructor(options?: LinearLROptions);
  constructor(...args: OptionArguments<LinearLROptions, Order>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<LinearLRConfig>("LinearLR", fields, args);
    super("LinearLR", c, (group) => new LinearRun(group, c).construct());
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return linearLR(o, step, this.config, this.optimizerLr());
  }
}
