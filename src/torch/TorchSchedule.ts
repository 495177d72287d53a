/**
 * What every class of lr-schedules/torch shares: the `lr` option (the optimizer's rate, PyTorch's `base_lrs`), the
 * number path that runs PyTorch's scheduler call after call (./run.ts) with a memo of the last step reached, and the
 * adoption of children by SequentialLR and ChainedScheduler.
 */
import { ScheduleOptionError, ScheduleTypeError } from "../errors.js";
import { option } from "../options.js";
import type { Ops } from "../ops.js";
import { LearningRateSchedule } from "../schedule.js";
import type { Group, Run, Start } from "./run.js";

/**
 * The largest step the number path follows: PyTorch counts `scheduler.step()` calls, which this package replays one by
 * one where the rate depends on the previous one; 2^24 is also where float32 (the tensor path's steps) stops holding
 * every whole number.
 *
 * @example
 * import { ExponentialLR, MAX_TORCH_STEP } from 'lr-schedules/torch';
 * MAX_TORCH_STEP; //=> 16777216
 * new ExponentialLR(0.5, { lr: 1 })(MAX_TORCH_STEP); //=> 0
 */
export const MAX_TORCH_STEP = 2 ** 24;

/**
 * The optimizer's learning rate, PyTorch's `base_lrs` (`optimizer = SGD(params, lr=0.1)`): named only, never
 * positional, since PyTorch's schedulers take it from the optimizer. `null` (the default) for a child of a
 * SequentialLR or ChainedScheduler, which takes its parent's.
 */
export const lrOption = option.named(option.nullableNumber({ rule: "nonNegative" }));

/** What a parent needs of a child: how to start it on the group, whether it reads the optimizer's rate, whether it nests. */
interface Scheduler {
  readonly start: Start;
  readonly needsLr: boolean;
  readonly composite: boolean;
  /** Whether its rate ignores the rate before (LambdaLR, CyclicLR, OneCycleLR, CosineAnnealingWarmRestarts). */
  readonly overwrites: boolean;
}
const schedulers = new WeakMap<object, Scheduler>();

/** The error of a schedule evaluated without the optimizer's rate. */
function missingLr(owner: string): ScheduleTypeError {
  return new ScheduleTypeError(
    owner,
    "lr",
    null,
    `the optimizer's learning rate (PyTorch's base_lrs), given by name: new ${owner}(..., { lr: 0.1 }); a child of a SequentialLR or ChainedScheduler takes its parent's`,
  );
}

/** A step as PyTorch counts it: the whole number of `step()` calls (a fraction is floored), at most {@link MAX_TORCH_STEP}. */
function callsAt(owner: string, step: number): number {
  if (step > MAX_TORCH_STEP) {
    throw new ScheduleOptionError(owner, "step", step, `at most ${MAX_TORCH_STEP} (2^24): the number of scheduler.step() calls, which are replayed one by one`);
  }
  return Math.floor(step);
}

/**
 * The number path: the rate after `floor(step)` calls of `step()`, replayed from the constructor. The run reached last
 * is kept, so that increasing steps (a training loop, `sample`) cost one step each; an earlier step starts again from 0.
 */
function replay(owner: string, lr: number | null, scheduler: Scheduler): (step: number) => number {
  let group: Group = { lr: 0, initialLr: undefined };
  let run: Run | undefined;
  let at = 0;
  return (step) => {
    if (lr === null && scheduler.needsLr) throw missingLr(owner);
    const calls = callsAt(owner, step);
    if (run === undefined || at > calls) {
      run = undefined;
      group = { lr: lr ?? 0, initialLr: undefined };
      run = scheduler.start(group);
      at = 0;
    }
    try {
      run.advance(calls - at);
      at = calls;
    } catch (error) {
      run = undefined;
      throw error;
    }
    // PyTorch's ratios can leave a rounding residue just below 0 where the rate reaches 0 (LinearLR to endFactor 0, a
    // cosine's trough): that is 0. A rate below 0 by more (OneCycleLR's linear phase one step past its end) stays, and
    // the call refuses it.
    return group.lr < 0 && group.lr >= -RESIDUE * (group.initialLr ?? 0) ? 0 : group.lr;
  };
}

/**
 * How far below 0, relative to the optimizer's rate, a rate is taken as a rounding residue of 0. A residue may grow
 * after it is made: LinearLR to 0 chained with ExponentialLR's gamma 1.035 is -1e-13 at step 400 with lr 0.1 (found
 * by the round-trip property), so the bound leaves room; a rate truly below 0 (OneCycleLR's linear phase past its
 * end, -3e-4 in PyTorch's own run) is far below it.
 */
const RESIDUE = 1e-9;

/**
 * The base of the classes of lr-schedules/torch: a schedule whose number path replays PyTorch's scheduler (`start`),
 * and whose `lr` option is the optimizer's rate.
 */
export abstract class TorchSchedule<C extends { readonly lr: number | null }> extends LearningRateSchedule<C> {
  /**
   * @param owner - the class name, for errors.
   * @param config - the validated options.
   * @param start - the scheduler's run on a group, constructed.
   * @param shape - whether the rate depends on `lr` (CyclicLR and OneCycleLR set their own), whether the class holds
   *   other schedulers, whether its rate ignores the rate before (not chainable).
   */
  constructor(owner: string, config: C, start: Start, shape: Partial<Omit<Scheduler, "start">> = {}) {
    const scheduler: Scheduler = { start, needsLr: shape.needsLr ?? true, composite: shape.composite ?? false, overwrites: shape.overwrites ?? false };
    super(config, replay(owner, config.lr, scheduler));
    schedulers.set(this, scheduler);
  }

  /** The optimizer's rate for the tensor path (the closed form), or the error that says how to give it. */
  protected optimizerLr(): number {
    if (this.config.lr === null) throw missingLr(this.className);
    return this.config.lr;
  }
}

/**
 * A parent's children with the parent's `lr`: each is rebuilt with it (a child given no `lr`), or kept (a child given
 * the same one). Refused: a child that is not a scheduler of lr-schedules/torch, one that itself holds schedulers (as
 * PyTorch cannot restart one at a milestone), one with another `lr`.
 */
export function adoptChildren(
  owner: string,
  optionName: string,
  children: readonly LearningRateSchedule[],
  lr: number | null,
): { children: LearningRateSchedule[]; starts: Start[]; needsLr: boolean } {
  const starts: Start[] = [];
  let needsLr = false;
  const adopted = children.map((child, i) => {
    const at = `${optionName}[${i}]`;
    const scheduler = schedulers.get(child);
    if (!scheduler) {
      throw new ScheduleTypeError(owner, at, child, "a scheduler of lr-schedules/torch (StepLR, LinearLR, CosineAnnealingLR...)");
    }
    if (scheduler.composite) {
      throw new ScheduleOptionError(owner, at, `[${child.className}]`, "a scheduler that holds no other schedulers (PyTorch cannot restart a SequentialLR or ChainedScheduler inside another)");
    }
    const own = child.getConfig().lr as number | null | undefined;
    if (own !== undefined && own !== null && own !== lr) {
      throw new ScheduleOptionError(owner, `${at}.lr`, own, `left out (or ${lr}): a child takes the lr of its ${owner}; give lr to the ${owner}`);
    }
    const kept = own === lr || lr === null ? child : new (child.constructor as new (options: object) => LearningRateSchedule)({ ...child.getConfig(), lr });
    const keptScheduler = schedulers.get(kept)!;
    starts.push(keptScheduler.start);
    needsLr ||= keptScheduler.needsLr;
    return kept;
  });
  return { children: adopted, starts, needsLr };
}

/** Whether a scheduler's rate ignores the rate before it (not chainable): ChainedScheduler's tensor path asks. */
export function overwritesRate(schedule: LearningRateSchedule): boolean {
  return schedulers.get(schedule)?.overwrites ?? false;
}

/**
 * Refuses a composition's tensor path when a child sets the rate from the step alone (CyclicLR, OneCycleLR,
 * CosineAnnealingWarmRestarts): in PyTorch such a child also changes what its siblings read (OneCycleLR rewrites
 * `initial_lr` when constructed, CyclicLR sets the rate), which closed forms composed cannot see: the tensor rate would
 * be another (0.1 instead of PyTorch's 0.04 at step 0 of SequentialLR([ExponentialLR(0.9), OneCycleLR(1, 30)], [3])).
 */
export function checkComposedClosedForm(owner: string, children: readonly LearningRateSchedule[], step: unknown): void {
  const child = children.find(overwritesRate);
  if (child) {
    const expected = `a number: ${child.className} among its schedulers changes what PyTorch's other schedulers read, which only the number path replays`;
    throw new ScheduleTypeError(owner, "step", step, expected);
  }
}

/**
 * `base ** exponent` for a tensor path: as `e ** (exponent * log(base))` with the logarithm taken in doubles, since
 * `base` rounded to float32 would be off by up to 3e-8 relative, which a power of 10^4 makes 3e-4.
 */
export function powerOf<T, B>(o: Ops<T, B>, base: number, exponent: T): T {
  if (base === 0) return o.pow(o.constant(base), exponent);
  return o.pow(o.constant(Math.E), o.mul(exponent, o.constant(Math.log(base))));
}
