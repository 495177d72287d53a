import type { ScheduleExamples } from "../schedule.js";
import type { Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { type Group, Run } from "./run.js";
import { lrOption, TorchSchedule } from "./TorchSchedule.js";

/** Options of {@link StepLR}. */
const fields = declareOptions({
  /** Every how many steps the rate is multiplied by `gamma` (PyTorch's `step_size`). A whole number >= 1. */
  stepSize: option.number({ rule: { min: 1, integer: true }, steps: true }),
  /** The factor applied every `stepSize` steps. A finite number >= 0. @defaultValue 0.1 */
  gamma: option.number({ rule: "nonNegative" }, 0.1),
  /** The optimizer's learning rate (PyTorch's `base_lrs`); named only. Left out in a SequentialLR or ChainedScheduler. */
  lr: lrOption,
});

type Order = [stepSize: "stepSize", gamma?: "gamma"];

/** The options of a {@link StepLR}. */
export type StepLROptions = OptionsOf<typeof fields>;
/** The validated options of a {@link StepLR}. */
export type StepLRConfig = ConfigOf<typeof fields>;

/** `StepLR.get_lr`: the rate times `gamma` at each non-zero multiple of `step_size`. */
class StepRun extends Run {
  constructor(group: Group, private readonly c: StepLRConfig) {
    super(group);
  }
  protected getLr(): number {
    if (this.lastEpoch === 0 || this.lastEpoch % this.c.stepSize !== 0) return this.group.lr;
    return this.group.lr * this.c.gamma;
  }
  protected override closedForm(): number {
    return this.baseLr * this.c.gamma ** Math.floor(this.lastEpoch / this.c.stepSize);
  }
  override settled(): boolean {
    return this.group.lr * this.c.gamma === this.group.lr;
  }
}

/** The closed form over any arithmetic: `lr * gamma ** floor(step / stepSize)`. */
function stepLR<T, B>(o: Ops<T, B>, step: T, c: StepLRConfig, lr: number): T {
  return o.mul(o.constant(lr), o.pow(o.constant(c.gamma), o.floor(o.div(o.floor(step), o.constant(c.stepSize)))));
}

/**
 * PyTorch's `torch.optim.lr_scheduler.StepLR`: the rate is multiplied by `gamma` every `stepSize` steps.
 *
 * ```text
 * lr_k = lr_{k-1} * gamma   when k is a multiple of stepSize (k > 0), else lr_{k-1};   lr_0 = lr
 *      ~ lr * gamma ** floor(k / stepSize)
 * ```
 * The value at step k is the optimizer's rate after the constructor and k calls of `scheduler.step()`, computed as
 * PyTorch does, by repeated multiplication in doubles (which can differ from the closed form in the last bits).
 * `lr` is the optimizer's learning rate, given by name.
 *
 * @example
 * import { StepLR } from 'lr-schedules/torch';
 * const lr = new StepLR(30, 0.1, { lr: 0.1 });   // StepLR(optimizer, step_size=30, gamma=0.1), optimizer lr 0.1
 * lr(0); //=> 0.1
 * lr(29); //=> 0.1
 * lr(30); //=> 0.010000000000000002
 * lr(60); //=> 0.0010000000000000002
 * @throws {ScheduleOptionError} `stepSize` not a whole number >= 1, `gamma` or `lr` negative.
 * @throws {ScheduleTypeError} evaluated without `lr`; an option of the wrong kind.
 * @see PyTorch `torch.optim.lr_scheduler.StepLR`; docs/pytorch.md.
 */
export class StepLR extends TorchSchedule<StepLRConfig> {
  static override readonly className = "StepLR";
  /** Registered as `lr-schedules>StepLR`. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula = "lr_k = lr * gamma ** floor(k / stepSize), by repeated multiplication";
  static override readonly examples: ScheduleExamples = { steps: 100, expressions: ["StepLR(30, 0.1, { lr: 0.1 })"] };

  constructor(options: StepLROptions);
  constructor(...args: OptionArguments<StepLROptions, Order>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<StepLRConfig>("StepLR", fields, args);
    super("StepLR", c, (group) => new StepRun(group, c).construct());
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return stepLR(o, step, this.config, this.optimizerLr());
  }
}
