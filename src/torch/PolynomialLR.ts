import type { ScheduleExamples } from "../schedule.js";
import type { Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { type Group, Run } from "./run.js";
import { lrOption, TorchSchedule } from "./TorchSchedule.js";

/** Options of {@link PolynomialLR}. */
const fields = declareOptions({
  /** How many steps the decay lasts (PyTorch's `total_iters`). A whole number >= 1. @defaultValue 5 */
  totalIters: option.number({ rule: { min: 1, integer: true }, steps: true }, 5),
  /** The power of the polynomial. A finite number >= 0. @defaultValue 1 */
  power: option.number({ rule: "nonNegative" }, 1.0),
  /** The optimizer's learning rate (PyTorch's `base_lrs`); named only. Left out in a SequentialLR or ChainedScheduler. */
  lr: lrOption,
});

type Order = [totalIters?: "totalIters", power?: "power"];

/** The options of a {@link PolynomialLR}. */
export type PolynomialLROptions = OptionsOf<typeof fields>;
/** The validated options of a {@link PolynomialLR}. */
export type PolynomialLRConfig = ConfigOf<typeof fields>;

/** `PolynomialLR.get_lr`: each step multiplies by the ratio of this step's polynomial to the last one's. */
class PolynomialRun extends Run {
  constructor(group: Group, private readonly c: PolynomialLRConfig) {
    super(group);
  }
  protected getLr(): number {
    const n = this.c.totalIters;
    if (this.initial || this.lastEpoch > n) return this.group.lr;
    const factor = ((1.0 - this.lastEpoch / n) / (1.0 - (this.lastEpoch - 1) / n)) ** this.c.power;
    return this.group.lr * factor;
  }
  protected override closedForm(): number {
    return this.baseLr * (1.0 - Math.min(this.c.totalIters, this.lastEpoch) / this.c.totalIters) ** this.c.power;
  }
  override settled(): boolean {
    return this.lastEpoch >= this.c.totalIters;
  }
}

/** The closed form over any arithmetic: `lr * (1 - min(step, totalIters) / totalIters) ** power`. */
function polynomialLR<T, B>(o: Ops<T, B>, step: T, c: PolynomialLRConfig, lr: number): T {
  const n = o.constant(c.totalIters);
  const left = o.sub(o.constant(1), o.div(o.minimum(n, o.floor(step)), n));
  return o.mul(o.constant(lr), o.pow(left, o.constant(c.power)));
}

/**
 * PyTorch's `torch.optim.lr_scheduler.PolynomialLR`: the rate decays as a polynomial to 0 over `totalIters` steps,
 * then stays at 0.
 *
 * ```text
 * lr_k = lr_{k-1} * ((1 - k / n) / (1 - (k - 1) / n)) ** power   for 1 <= k <= n;   lr_0 = lr
 *      ~ lr * (1 - min(k, n) / n) ** power
 * ```
 * The value at step k is the optimizer's rate after the constructor and k calls of `scheduler.step()`, in doubles as
 * PyTorch computes it.
 *
 * @example
 * import { PolynomialLR } from 'lr-schedules/torch';
 * const lr = new PolynomialLR(4, 2, { lr: 0.1 });   // PolynomialLR(optimizer, total_iters=4, power=2)
 * lr(0); //=> 0.1
 * lr(2); //=> 0.024999999999999998
 * lr(4); //=> 0
 * @throws {ScheduleOptionError} `totalIters` not a whole number >= 1, `power` or `lr` negative.
 * @throws {ScheduleTypeError} evaluated without `lr`; an option of the wrong kind.
 * @see PyTorch `torch.optim.lr_scheduler.PolynomialLR`; docs/pytorch.md.
 */
export class PolynomialLR extends TorchSchedule<PolynomialLRConfig> {
  static override readonly className = "PolynomialLR";
  /** Registered as `lr-schedules>PolynomialLR`. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula = "lr_k = lr * (1 - min(k, totalIters) / totalIters) ** power, as ratios";
  static override readonly examples: ScheduleExamples = { steps: 120, expressions: ["PolynomialLR(100, 2, { lr: 0.1 })"] };

  constructor(options?: PolynomialLROptions);
  constructor(...args: OptionArguments<PolynomialLROptions, Order>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<PolynomialLRConfig>("PolynomialLR", fields, args);
    super("PolynomialLR", c, (group) => new PolynomialRun(group, c).construct());
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return polynomialLR(o, step, this.config, this.optimizerLr());
  }
}
