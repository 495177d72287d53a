import type { ScheduleExamples } from "../schedule.js";
import type { Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { bisectRight, type Group, Run } from "./run.js";
import { lrOption, TorchSchedule } from "./TorchSchedule.js";

/** Options of {@link MultiStepLR}. */
const fields = declareOptions({
  /** The steps at which the rate is multiplied by `gamma`; a step given n times multiplies by `gamma ** n`. Whole numbers >= 0, in any order. */
  milestones: option.numbers({ rule: { min: 0, integer: true }, steps: true }),
  /** The factor applied at each milestone. A finite number >= 0. @defaultValue 0.1 */
  gamma: option.number({ rule: "nonNegative" }, 0.1),
  /** The optimizer's learning rate (PyTorch's `base_lrs`); named only. Left out in a SequentialLR or ChainedScheduler. */
  lr: lrOption,
});

type Order = [milestones: "milestones", gamma?: "gamma"];

/** The options of a {@link MultiStepLR}. */
export type MultiStepLROptions = OptionsOf<typeof fields>;
/** The validated options of a {@link MultiStepLR}. */
export type MultiStepLRConfig = ConfigOf<typeof fields>;

/** `MultiStepLR.get_lr`: the rate times `gamma ** count` at a milestone given `count` times (PyTorch's `Counter`). */
class MultiStepRun extends Run {
  private readonly counts = new Map<number, number>();
  private readonly sorted: number[];
  constructor(group: Group, private readonly c: MultiStepLRConfig) {
    super(group);
    for (const m of c.milestones) this.counts.set(m, (this.counts.get(m) ?? 0) + 1);
    this.sorted = [...c.milestones].sort((a, b) => a - b);
  }
  protected getLr(): number {
    const count = this.counts.get(this.lastEpoch);
    return count === undefined ? this.group.lr : this.group.lr * this.c.gamma ** count;
  }
  protected override closedForm(): number {
    return this.baseLr * this.c.gamma ** bisectRight(this.sorted, this.lastEpoch);
  }
  override settled(): boolean {
    return this.lastEpoch >= (this.sorted[this.sorted.length - 1] ?? -1);
  }
}

/** The closed form over any arithmetic: `lr * gamma ** (number of milestones <= step)`. */
function multiStepLR<T, B>(o: Ops<T, B>, step: T, c: MultiStepLRConfig, lr: number): T {
  const k = o.floor(step);
  let passed = o.constant(0);
  for (const m of c.milestones) passed = o.add(passed, o.where(o.lessEqual(o.constant(m), k), o.constant(1), o.constant(0)));
  return o.mul(o.constant(lr), o.pow(o.constant(c.gamma), passed));
}

/**
 * PyTorch's `torch.optim.lr_scheduler.MultiStepLR`: the rate is multiplied by `gamma` at each milestone, from the
 * milestone step itself on.
 *
 * ```text
 * lr_k = lr_{k-1} * gamma ** (times k appears in milestones);   lr_0 = lr (times 0 appears)
 *      = lr * gamma ** (number of milestones <= k)
 * ```
 * The value at step k is the optimizer's rate after the constructor and k calls of `scheduler.step()`, in doubles as
 * PyTorch computes it. `lr` is the optimizer's learning rate, given by name.
 *
 * @example
 * import { MultiStepLR } from 'lr-schedules/torch';
 * const lr = new MultiStepLR([30, 80], 0.1, { lr: 0.05 });   // MultiStepLR(optimizer, milestones=[30, 80], gamma=0.1)
 * lr(29); //=> 0.05
 * lr(30); //=> 0.005000000000000001
 * lr(80); //=> 0.0005000000000000001
 * @throws {ScheduleOptionError} a milestone not a whole number >= 0, `gamma` or `lr` negative.
 * @throws {ScheduleTypeError} evaluated without `lr`; an option of the wrong kind.
 * @see PyTorch `torch.optim.lr_scheduler.MultiStepLR`; docs/pytorch.md.
 */
export class MultiStepLR extends TorchSchedule<MultiStepLRConfig> {
  static override readonly className = "MultiStepLR";
  /** Registered as `lr-schedules>MultiStepLR`. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula = "lr_k = lr * gamma ** (number of milestones <= k), by repeated multiplication";
  static override readonly examples: ScheduleExamples = { steps: 100, expressions: ["MultiStepLR([30, 80], 0.1, { lr: 0.05 })"] };

  constructor(options: MultiStepLROptions);
  constructor(...args: OptionArguments<MultiStepLROptions, Order>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<MultiStepLRConfig>("MultiStepLR", fields, args);
    super("MultiStepLR", c, (group) => new MultiStepRun(group, c).construct());
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return multiStepLR(o, step, this.config, this.optimizerLr());
  }
}
