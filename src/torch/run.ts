/**
 * PyTorch's `LRScheduler` as a state machine over one parameter group, in doubles: what `scheduler.step()` does to
 * `optimizer.param_groups[0]['lr']`, call after call (`torch/optim/lr_scheduler.py`). The number path of every class of
 * lr-schedules/torch runs one of these, so that its value at step k is the rate PyTorch shows after k calls, with
 * PyTorch's chainable arithmetic and its rounding.
 */

/**
 * The optimizer's parameter group as PyTorch's schedulers share it: the rate, `initial_lr` once a scheduler has set
 * it (the first constructor, or OneCycleLR's, which overwrites it), and OneCycleLR's `max_lr` and `min_lr`.
 */
export interface Group {
  lr: number;
  initialLr: number | undefined;
  maxLr?: number;
  minLr?: number;
}

/** Builds a scheduler's run on a group, as its PyTorch constructor does (which takes the initial step). */
export type Start = (group: Group) => Run;

/** One scheduler's state: `last_epoch`, `base_lrs[0]` and whether it runs its initial step. */
export abstract class Run {
  lastEpoch = -1;
  baseLr = 0;
  protected initial = false;

  constructor(protected readonly group: Group) {}

  /** `LRScheduler.__init__` with `last_epoch = -1`: `initial_lr` (first come), `base_lrs`, then the initial step. */
  construct(): this {
    this.group.initialLr ??= this.group.lr;
    this.baseLr = this.group.initialLr;
    this.initialStep();
    return this;
  }

  /** `_initial_step`: one `step()` in initial mode. */
  initialStep(): void {
    this.initial = true;
    try {
      this.step();
    } finally {
      this.initial = false;
    }
  }

  /** `step()`: `last_epoch += 1`, then the rate `get_lr()` gives. */
  step(): void {
    this.lastEpoch += 1;
    this.group.lr = this.getLr();
  }

  /** `_update_lr(0)`, SequentialLR's restart of a scheduler at its milestone: the closed form at 0 where there is one. */
  restart(): void {
    this.lastEpoch = 0;
    this.group.lr = this.closedForm();
  }

  /** `undo` of SequentialLR's `recursive_undo`: the constructor's step taken back from `last_epoch`. */
  undo(): void {
    this.lastEpoch -= 1;
  }

  /** `get_lr()`: the next rate, from `group.lr` (chainable classes) or from `baseLr` and `lastEpoch`. */
  protected abstract getLr(): number;

  /** `_get_closed_form_lr()` where the class has one, else `get_lr()` (what `_update_lr(epoch)` falls back to). */
  protected closedForm(): number {
    return this.getLr();
  }

  /**
   * Whether no later `step()` can change the rate while nothing else changes it: then `n` steps need not be taken one
   * by one. A class says so where it knows (past its last milestone, a factor of 1); never, by default.
   */
  settled(): boolean {
    return false;
  }

  /** `n` more `step()` calls, skipping those that {@link settled} says change nothing. */
  advance(n: number): void {
    for (let i = 0; i < n; i++) {
      if (this.settled()) {
        this.skip(n - i);
        return;
      }
      this.step();
    }
  }

  /** `n` steps that change no rate: only the counters move. */
  skip(n: number): void {
    this.lastEpoch += n;
  }
}

/**
 * A scheduler whose rate is a function of `last_epoch` and `base_lrs` alone (LambdaLR, CyclicLR, OneCycleLR): `n` steps
 * are one jump.
 */
export abstract class MemorylessRun extends Run {
  override advance(n: number): void {
    if (n === 0) return;
    this.lastEpoch += n;
    this.group.lr = this.getLr();
  }
}

/** The index of the first milestone > `x` (Python's `bisect_right`). */
export function bisectRight(milestones: readonly number[], x: number): number {
  let lo = 0;
  let hi = milestones.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x < milestones[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * `SequentialLR`: its children constructed in order on the group, the rate reset to `initial_lr`, each child's
 * constructor step undone, the child that runs at 0 stepped again in initial mode; then each step steps the child
 * whose turn it is, or restarts it (`_update_lr(0)`) at its milestone.
 */
export class SequentialRun extends Run {
  private readonly runs: Run[];

  constructor(group: Group, children: readonly Start[], private readonly milestones: readonly number[]) {
    super(group);
    this.runs = children.map((start) => start(group));
    this.lastEpoch = 0;
    group.lr = group.initialLr!;
    for (const run of this.runs) run.undo();
    this.runs[bisectRight(milestones, 0)]!.initialStep();
  }

  override construct(): this {
    return this;
  }

  override step(): void {
    this.lastEpoch += 1;
    const index = bisectRight(this.milestones, this.lastEpoch);
    const run = this.runs[index]!;
    if (index > 0 && this.milestones[index - 1] === this.lastEpoch) run.restart();
    else run.step();
  }

  protected getLr(): number {
    return this.group.lr;
  }

  override advance(n: number): void {
    // Up to the last milestone step by step; from there only the last child runs, at its own pace.
    const last = this.milestones[this.milestones.length - 1] ?? 0;
    while (n > 0 && this.lastEpoch < last) {
      this.step();
      n--;
    }
    this.lastEpoch += n;
    this.runs[this.runs.length - 1]!.advance(n);
  }
}

/** `ChainedScheduler`: every child constructed in order on the group, then each step steps them all in order. */
export class ChainedRun extends Run {
  private readonly runs: Run[];

  constructor(group: Group, children: readonly Start[]) {
    super(group);
    this.runs = children.map((start) => start(group));
  }

  override construct(): this {
    return this;
  }

  override step(): void {
    this.lastEpoch += 1;
    for (const run of this.runs) run.step();
  }

  protected getLr(): number {
    return this.group.lr;
  }

  override settled(): boolean {
    return this.runs.every((run) => run.settled());
  }

  override skip(n: number): void {
    this.lastEpoch += n;
    for (const run of this.runs) run.skip(n);
  }
}
