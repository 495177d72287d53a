import type { ScheduleExamples } from "../schedule.js";
import type { Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { annealed } from "./CosineAnnealingLR.js";
import { type Group, Run } from "./run.js";
import { lrOption, TorchSchedule } from "./TorchSchedule.js";

/** Options of {@link CosineAnnealingWarmRestarts}. */
const fields = declareOptions({
  /** The length of the first cycle (PyTorch's `T_0`). A whole number >= 1. */
  t0: option.number({ rule: { min: 1, integer: true }, steps: true, keras: "T_0" }),
  /** The factor each next cycle is longer by (PyTorch's `T_mult`). A whole number >= 1. @defaultValue 1 */
  tMult: option.number({ rule: { min: 1, integer: true }, keras: "T_mult" }, 1),
  /** The lowest rate. A finite number >= 0. @defaultValue 0 */
  etaMin: option.number({ rule: "nonNegative" }, 0.0),
  /** The optimizer's learning rate (PyTorch's `base_lrs`); named only. Left out in a SequentialLR or ChainedScheduler. */
  lr: lrOption,
});

type Order = [t0: "t0", tMult?: "tMult", etaMin?: "etaMin"];

/** The options of a {@link CosineAnnealingWarmRestarts}. */
export type CosineAnnealingWarmRestartsOptions = OptionsOf<typeof fields>;
/** The validated options of a {@link CosineAnnealingWarmRestarts}. */
export type CosineAnnealingWarmRestartsConfig = ConfigOf<typeof fields>;

/**
 * `CosineAnnealingWarmRestarts.step()` without an epoch: `T_cur` counts up and wraps at `T_i`, which grows by
 * `T_mult` at each restart; the rate is the cosine of `T_cur / T_i` from `base_lrs` (not chainable). Whole numbers
 * throughout, so `n` steps are one jump.
 */
class WarmRestartsRun extends Run {
  private tCur = -1;
  private tI: number;
  constructor(group: Group, private readonly c: CosineAnnealingWarmRestartsConfig) {
    super(group);
    this.tI = c.t0;
  }
  protected getLr(): number {
    const { etaMin } = this.c;
    return etaMin + ((this.baseLr - etaMin) * (1 + Math.cos((Math.PI * this.tCur) / this.tI))) / 2;
  }
  override step(): void {
    if (this.lastEpoch < 0) {
      // step() before any other: PyTorch takes it as step(0).
      this.tI = this.c.t0;
      this.tCur = 0;
      this.lastEpoch = 0;
    } else {
      this.lastEpoch += 1;
      this.tCur += 1;
      if (this.tCur >= this.tI) {
        this.tCur %= this.tI;
        this.tI *= this.c.tMult;
      }
    }
    this.group.lr = this.getLr();
  }
  override advance(n: number): void {
    if (n === 0) return;
    if (this.lastEpoch < 0) {
      this.step();
      n--;
    }
    this.lastEpoch += n;
    while (n > 0) {
      const left = this.tI - this.tCur;
      if (n < left) {
        this.tCur += n;
        break;
      }
      n -= left;
      this.tCur = 0;
      this.tI *= this.c.tMult;
    }
    this.group.lr = this.getLr();
  }
}

/**
 * The closed form over any arithmetic: the cycle found from the step (PyTorch's `step(epoch)` finds it with a
 * logarithm), then put right where float32 rounding lands the step in a neighbouring cycle.
 */
function warmRestarts<T, B>(o: Ops<T, B>, step: T, c: CosineAnnealingWarmRestartsConfig, lr: number): T {
  const k = o.floor(step);
  const t0 = o.constant(c.t0);
  let tCur: T;
  let tI: T;
  if (c.tMult === 1) {
    tI = t0;
    const guess = o.sub(k, o.mul(o.floor(o.div(k, t0)), t0));
    const low = o.where(o.less(guess, o.constant(0)), o.add(guess, t0), guess);
    tCur = o.where(o.lessEqual(t0, low), o.sub(low, t0), low);
  } else {
    const m = o.constant(c.tMult);
    // The first step of cycle n, and its length, rounded to the whole numbers they are.
    const round = (x: T) => o.floor(o.add(x, o.constant(0.5)));
    const startOf = (n: T) => round(o.div(o.mul(t0, o.sub(o.pow(m, n), o.constant(1))), o.constant(c.tMult - 1)));
    const guess = o.floor(o.div(o.log(o.add(o.div(o.mul(k, o.constant(c.tMult - 1)), t0), o.constant(1))), o.log(m)));
    const up = o.where(o.lessEqual(startOf(o.add(guess, o.constant(1))), k), o.constant(1), o.constant(0));
    const down = o.where(o.less(k, startOf(guess)), o.constant(1), o.constant(0));
    const n = o.sub(o.add(guess, up), down);
    tCur = o.sub(k, startOf(n));
    tI = round(o.mul(t0, o.pow(m, n)));
  }
  return annealed(o, lr, c.etaMin, o.cos(o.div(o.mul(o.constant(Math.PI), tCur), tI)));
}

/**
 * PyTorch's `torch.optim.lr_scheduler.CosineAnnealingWarmRestarts` (SGDR): a cosine from `lr` to `etaMin` over a
 * cycle, then a restart at `lr`; the first cycle lasts `t0` steps, each next one `tMult` times longer.
 *
 * ```text
 * lr_k = etaMin + (lr - etaMin) * (1 + cos(pi * T_cur / T_i)) / 2
 * T_cur: steps since the last restart; T_i: this cycle's length (t0, t0 * tMult, t0 * tMult ** 2, ...)
 * ```
 * The value at step k is the optimizer's rate after the constructor and k calls of `scheduler.step()`. PyTorch's
 * `scheduler.step(epoch + i / iters)` with fractional epochs is not modelled: count cycles in batches instead
 * (`t0 = epochs * iters`).
 *
 * @example
 * import { CosineAnnealingWarmRestarts } from 'lr-schedules/torch';
 * const lr = new CosineAnnealingWarmRestarts(10, 2, { lr: 0.1 });   // CosineAnnealingWarmRestarts(optimizer, T_0=10, T_mult=2)
 * lr(0); //=> 0.1
 * lr(5); //=> 0.05
 * lr(10); //=> 0.1 (restart; the next cycle lasts 20 steps)
 * lr(20); //=> 0.05
 * @throws {ScheduleOptionError} `t0` or `tMult` not a whole number >= 1, `etaMin` or `lr` negative.
 * @throws {ScheduleTypeError} evaluated without `lr`; an option of the wrong kind.
 * @see PyTorch `torch.optim.lr_scheduler.CosineAnnealingWarmRestarts`; docs/pytorch.md.
 */
export class CosineAnnealingWarmRestarts extends TorchSchedule<CosineAnnealingWarmRestartsConfig> {
  static override readonly className = "CosineAnnealingWarmRestarts";
  /** Registered as `lr-schedules>CosineAnnealingWarmRestarts`. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula = "lr_k = etaMin + (lr - etaMin) * (1 + cos(pi * T_cur / T_i)) / 2, T_i = t0 * tMult ** cycle";
  static override readonly examples: ScheduleExamples = { steps: 700, expressions: ["CosineAnnealingWarmRestarts(100, 2, { lr: 0.1 })"] };

  constructor(options: CosineAnnealingWarmRestartsOptions);
  constructor(...args: OptionArguments<CosineAnnealingWarmRestartsOptions, Order>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<CosineAnnealingWarmRestartsConfig>("CosineAnnealingWarmRestarts", fields, args);
    super("CosineAnnealingWarmRestarts", c, (group) => new WarmRestartsRun(group, c).construct(), { overwrites: true });
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return warmRestarts(o, step, this.config, this.optimizerLr());
  }
}
