import type { ScheduleExamples } from "../schedule.js";
import type { Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { type Group, Run } from "./run.js";
import { lrOption, powerOf, TorchSchedule } from "./TorchSchedule.js";

/** Options of {@link ExponentialLR}. */
const fields = declareOptions({
  /** The factor applied at every step. A finite number >= 0 (above 1 the rate grows, as in a range test). */
  gamma: option.number({ rule: "nonNegative" }),
  /** The optimizer's learning rate (PyTorch's `base_lrs`); named only. Left out in a SequentialLR or ChainedScheduler. */
  lr: lrOption,
});

type Order = [gamma: "gamma"];

/** The options of an {@link ExponentialLR}. */
export type ExponentialLROptions = OptionsOf<typeof fields>;
/** The validated options of an {@link ExponentialLR}. */
export type ExponentialLRConfig = ConfigOf<typeof fields>;

/** `ExponentialLR.get_lr`: the rate times `gamma`, but for the constructor's step. */
class ExponentialRun extends Run {
  constructor(group: Group, private readonly c: ExponentialLRConfig) {
    super(group);
  }
  protected getLr(): number {
    return this.initial ? this.group.lr : this.group.lr * this.c.gamma;
  }
  protected override closedForm(): number {
    return this.baseLr * this.c.gamma ** this.lastEpoch;
  }
  override settled(): boolean {
    return this.group.lr * this.c.gamma === this.group.lr;
  }
}

/** The closed form over any arithmetic: `lr * gamma ** step`. */
function exponentialLR<T, B>(o: Ops<T, B>, step: T, c: ExponentialLRConfig, lr: number): T {
  return o.mul(o.constant(lr), powerOf(o, c.gamma, o.floor(step)));
}

/**
 * PyTorch's `torch.optim.lr_scheduler.ExponentialLR`: the rate is multiplied by `gamma` at every step.
 *
 * ```text
 * lr_k = lr_{k-1} * gamma;   lr_0 = lr        (~ lr * gamma ** k)
 * ```
 * The value at step k is the optimizer's rate after the constructor and k calls of `scheduler.step()`: k products in
 * doubles, as PyTorch computes them, which can differ from `lr * gamma ** k` in the last bits.
 *
 * @example
 * import { ExponentialLR } from 'lr-schedules/torch';
 * const lr = new ExponentialLR(0.5, { lr: 0.1 });   // ExponentialLR(optimizer, gamma=0.5)
 * lr(0); //=> 0.1
 * lr(3); //=> 0.0125
 * @throws {ScheduleOptionError} `gamma` or `lr` negative.
 * @throws {ScheduleTypeError} evaluated without `lr`; an option of the wrong kind.
 * @throws {ScheduleValueError} at a step where a `gamma` above 1 has grown the rate past the largest double.
 * @see PyTorch `torch.optim.lr_scheduler.ExponentialLR`; docs/pytorch.md.
 */
export class ExponentialLR extends TorchSchedule<ExponentialLRConfig> {
  static override readonly className = "ExponentialLR";
  /** Registered as `lr-schedules>ExponentialLR`. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula = "lr_k = lr * gamma ** k, by repeated multiplication";
  static override readonly examples: ScheduleExamples = { steps: 100, expressions: ["ExponentialLR(0.95, { lr: 0.1 })"] };

  constructor(options: ExponentialLROptions);
  constructor(...args: OptionArguments<ExponentialLROptions, Order>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<ExponentialLRConfig>("ExponentialLR", fields, args);
    super("ExponentialLR", c, (group) => new ExponentialRun(group, c).construct());
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return exponentialLR(o, step, this.config, this.optimizerLr());
  }
}
