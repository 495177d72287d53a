import type { ScheduleExamples } from "../schedule.js";
import { ScheduleOptionError } from "../errors.js";
// eslint-disable-next-line import-x/no-cycle -- the registry lists this class: see src/keras/schedules.ts
import { readNestedScheduleJson } from "../keras/schedules.js";
import { checkNesting } from "../nesting.js";
import type { Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { ChainedRun } from "./run.js";
import { adoptChildren, checkComposedClosedForm, lrOption, overwritesRate, TorchSchedule } from "./TorchSchedule.js";

/** Options of {@link ChainedScheduler}. */
const fields = declareOptions({
  /** The schedulers of lr-schedules/torch, each stepped at every step in this order, each given without `lr`. */
  schedulers: option.schedules(),
  /** The optimizer's learning rate (PyTorch's `base_lrs`), which every child uses; named only. */
  lr: lrOption,
});

type Order = [schedulers: "schedulers"];

/** The options of a {@link ChainedScheduler}. */
export type ChainedSchedulerOptions = OptionsOf<typeof fields>;
/** The validated options of a {@link ChainedScheduler}, its children holding its `lr`. */
export type ChainedSchedulerConfig = ConfigOf<typeof fields>;

/**
 * PyTorch's `torch.optim.lr_scheduler.ChainedScheduler`: every scheduler steps at every step, one after the other, on
 * the same rate, so that their multiplicative changes compose (a warmup factor times a decay).
 *
 * ```text
 * lr_k = schedulers[n-1].step(... schedulers[0].step(lr_{k-1}))   lr_0: what the constructors left, in order
 * ```
 * The value at step k is the optimizer's rate after k calls of `scheduler.step()`, replaying PyTorch: the children
 * constructed in order on one optimizer (so a ConstantLR's factor applies from step 0), then stepped in order. A child
 * that sets the rate from the step alone (LambdaLR, CyclicLR, OneCycleLR, CosineAnnealingWarmRestarts) overwrites what
 * the children before it did. Children are given without `lr` and rebuilt with this one's. The tensor path multiplies
 * the children's closed-form factors (exact for the multiplicative ones; CosineAnnealingLR with `etaMin` > 0 is not
 * multiplicative, and differs there); with a child that sets the rate from the step alone it refuses tensor steps.
 *
 * @example
 * import { ChainedScheduler, ConstantLR, ExponentialLR } from 'lr-schedules/torch';
 * // ChainedScheduler([ConstantLR(optimizer, factor=0.1, total_iters=2), ExponentialLR(optimizer, gamma=0.9)]), lr 1
 * const lr = new ChainedScheduler([new ConstantLR(0.1, 2), new ExponentialLR(0.9)], { lr: 1 });
 * lr(0); //=> 0.1
 * lr(1); //=> 0.09000000000000001
 * lr(2); //=> 0.8100000000000002
 * @throws {ScheduleOptionError} no scheduler, a child with its own `lr`, a child holding schedulers.
 * @throws {ScheduleTypeError} a child that is not a scheduler of lr-schedules/torch; evaluated without `lr`.
 * @see PyTorch `torch.optim.lr_scheduler.ChainedScheduler`; docs/pytorch.md.
 */
export class ChainedScheduler extends TorchSchedule<ChainedSchedulerConfig> {
  static override readonly className = "ChainedScheduler";
  /** Registered as `lr-schedules>ChainedScheduler`. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  /** Its nested schedules, given to `fromConfig` as Keras JSON, are read as `deserialize` reads them. */
  static override readonly readNestedJson = readNestedScheduleJson;
  static override readonly formula = "lr_k = every scheduler stepped in order on the same rate (their factors multiply)";
  static override readonly examples: ScheduleExamples = {
    steps: 100,
    expressions: ["ChainedScheduler([LinearLR(0.1, 1, 10), ExponentialLR(0.97)], { lr: 0.1 })"],
  };

  constructor(options: ChainedSchedulerOptions);
  constructor(...args: OptionArguments<ChainedSchedulerOptions, Order>);
  constructor(...args: unknown[]) {
    const given = resolveOptions<ChainedSchedulerConfig>("ChainedScheduler", fields, args);
    if (given.schedulers.length === 0) throw new ScheduleOptionError("ChainedScheduler", "schedulers", given.schedulers, "a non-empty array of schedulers");
    checkNesting("ChainedScheduler", "schedulers", given.schedulers);
    const { children, starts, needsLr } = adoptChildren("ChainedScheduler", "schedulers", given.schedulers, given.lr);
    const c: ChainedSchedulerConfig = Object.freeze({ ...given, schedulers: Object.freeze(children) });
    super("ChainedScheduler", c, (group) => new ChainedRun(group, starts), { needsLr, composite: true });
  }

  /** The children's closed forms composed: one that sets the rate replaces it, the others multiply it by their factor. */
  compute<T, B>(o: Ops<T, B>, step: T): T {
    checkComposedClosedForm("ChainedScheduler", this.config.schedulers, step);
    const lr = this.optimizerLr();
    let rate = o.constant(lr);
    for (const child of this.config.schedulers) {
      const value = child.compute(o, step);
      rate = overwritesRate(child) ? value : lr === 0 ? rate : o.mul(rate, o.div(value, o.constant(lr)));
    }
    return rate;
  }
}
