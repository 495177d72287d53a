import type { ScheduleExamples } from "../schedule.js";
import { ScheduleOptionError } from "../errors.js";
// eslint-disable-next-line import-x/no-cycle -- the registry lists this class: see src/keras/schedules.ts
import { readNestedScheduleJson } from "../keras/schedules.js";
import { checkNesting } from "../nesting.js";
import type { Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { joinPieces } from "../schedules/joinPieces.js";
import { SequentialRun } from "./run.js";
import { adoptChildren, checkComposedClosedForm, lrOption, TorchSchedule } from "./TorchSchedule.js";

/** Options of {@link SequentialLR}. */
const fields = declareOptions({
  /** The schedulers of lr-schedules/torch, in the order they run, each given without `lr` (they take this one's). */
  schedulers: option.schedules(),
  /** The steps where each next scheduler starts: strictly increasing whole numbers >= 1, one fewer than `schedulers`. */
  milestones: option.numbers({ rule: { min: 1, integer: true }, steps: true }),
  /** The optimizer's learning rate (PyTorch's `base_lrs`), which every child uses; named only. */
  lr: lrOption,
});

type Order = [schedulers: "schedulers", milestones: "milestones"];

/** The options of a {@link SequentialLR}. */
export type SequentialLROptions = OptionsOf<typeof fields>;
/** The validated options of a {@link SequentialLR}, its children holding its `lr`. */
export type SequentialLRConfig = ConfigOf<typeof fields>;

function checkMilestones(c: SequentialLRConfig): void {
  const { schedulers, milestones } = c;
  if (schedulers.length === 0) throw new ScheduleOptionError("SequentialLR", "schedulers", schedulers, "a non-empty array of schedulers");
  if (milestones.length !== schedulers.length - 1) {
    throw new ScheduleOptionError("SequentialLR", "milestones", milestones, `an array of ${schedulers.length - 1} steps, one fewer than \`schedulers\` (${schedulers.length})`);
  }
  for (let i = 1; i < milestones.length; i++) {
    if (!(milestones[i]! > milestones[i - 1]!)) {
      throw new ScheduleOptionError("SequentialLR", `milestones[${i}]`, milestones[i], `greater than milestones[${i - 1}] = ${milestones[i - 1]}: the milestones must increase strictly`);
    }
  }
}

/**
 * PyTorch's `torch.optim.lr_scheduler.SequentialLR`: schedulers one after another, the next one starting at each
 * milestone from its own step 0, from `lr` (not from the rate the previous one reached).
 *
 * ```text
 * milestones[i-1] <= k < milestones[i]:  lr_k = schedulers[i] at its step k - milestones[i-1]
 * ```
 * The value at step k is the optimizer's rate after k calls of `scheduler.step()`, replaying what PyTorch does: the
 * children constructed in order on one optimizer, the rate reset to `lr`, the first child's constructor step taken
 * again; at a milestone the next child restarts at its closed form for step 0 (`_update_lr(0)`), then steps on with
 * its chainable arithmetic. Children are given without `lr` (a child with another `lr` is refused), and are rebuilt
 * with this one's. A child cannot itself be a SequentialLR or ChainedScheduler. The tensor path joins the children's
 * closed forms; with a child that changes what the others read (OneCycleLR, CyclicLR, CosineAnnealingWarmRestarts)
 * it refuses tensor steps.
 *
 * @example
 * import { CosineAnnealingLR, LinearLR, SequentialLR } from 'lr-schedules/torch';
 * // warmup = LinearLR(optimizer, start_factor=0.1, total_iters=5); cosine = CosineAnnealingLR(optimizer, T_max=95)
 * // SequentialLR(optimizer, schedulers=[warmup, cosine], milestones=[5]), optimizer lr 0.1
 * const lr = new SequentialLR([new LinearLR(0.1, 1, 5), new CosineAnnealingLR(95)], [5], { lr: 0.1 });
 * lr(0); //=> 0.010000000000000002
 * lr(5); //=> 0.1
 * lr(100); //=> 0
 * @throws {ScheduleOptionError} no scheduler, milestones not one fewer than the schedulers or not strictly
 *   increasing whole numbers >= 1, a child with its own `lr`, a child holding schedulers.
 * @throws {ScheduleTypeError} a child that is not a scheduler of lr-schedules/torch; evaluated without `lr`.
 * @see PyTorch `torch.optim.lr_scheduler.SequentialLR`; docs/pytorch.md.
 */
export class SequentialLR extends TorchSchedule<SequentialLRConfig> {
  static override readonly className = "SequentialLR";
  /** Registered as `lr-schedules>SequentialLR`. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  /** Its nested schedules, given to `fromConfig` as Keras JSON, are read as `deserialize` reads them. */
  static override readonly readNestedJson = readNestedScheduleJson;
  static override readonly formula = "lr_k = schedulers[i] at step k - milestones[i-1], for milestones[i-1] <= k < milestones[i]";
  static override readonly examples: ScheduleExamples = {
    steps: 100,
    expressions: ["SequentialLR([LinearLR(0.1, 1, 5), CosineAnnealingLR(95)], [5], { lr: 0.1 })"],
  };

  constructor(options: SequentialLROptions);
  constructor(...args: OptionArguments<SequentialLROptions, Order>);
  constructor(...args: unknown[]) {
    const given = resolveOptions<SequentialLRConfig>("SequentialLR", fields, args);
    checkMilestones(given);
    checkNesting("SequentialLR", "schedulers", given.schedulers);
    const { children, starts, needsLr } = adoptChildren("SequentialLR", "schedulers", given.schedulers, given.lr);
    const c: SequentialLRConfig = Object.freeze({ ...given, schedulers: Object.freeze(children) });
    super("SequentialLR", c, (group) => new SequentialRun(group, starts, c.milestones), { needsLr, composite: true });
  }

  /** Each child's own tensor path at its own step: as if each ran alone from `lr`, which is PyTorch's restart. */
  compute<T, B>(o: Ops<T, B>, step: T): T {
    const { schedulers, milestones } = this.config;
    checkComposedClosedForm("SequentialLR", schedulers, step);
    return joinPieces(o, o.floor(step), milestones, (i, s) => schedulers[i]!.compute(o, s));
  }
}
