import type { ScheduleExamples } from "../schedule.js";
import type { Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { factorOf, noTensorPath } from "./LambdaLR.js";
import { type Group, MemorylessRun } from "./run.js";
import { lrOption, powerOf, TorchSchedule } from "./TorchSchedule.js";

/** The three scaling policies of PyTorch's CyclicLR. */
export type CyclicMode = "triangular" | "triangular2" | "exp_range";

/** Options of {@link CyclicLR}. */
const fields = declareOptions({
  /** The lower rate of the cycle; PyTorch sets the optimizer's rate to it. A finite number >= 0. */
  baseLr: option.number({ rule: "nonNegative" }),
  /** The upper rate of the cycle (reached only where the mode's scale is 1). A finite number >= 0. */
  maxLr: option.number({ rule: "nonNegative" }),
  /** Steps from `baseLr` up to `maxLr` (PyTorch's `step_size_up`). A finite number > 0. @defaultValue 2000 */
  stepSizeUp: option.number({ rule: "positive", steps: true }, 2000),
  /** Steps back down; `null` for `stepSizeUp` (PyTorch's `step_size_down`). A finite number >= 0, or null. @defaultValue null */
  stepSizeDown: option.nullableNumber({ rule: "nonNegative", steps: true }),
  /** `'triangular'` (no scaling), `'triangular2'` (amplitude halved each cycle), `'exp_range'` (amplitude times `gamma ** step`). @defaultValue 'triangular' */
  mode: option.choice<CyclicMode>(["triangular", "triangular2", "exp_range"], "triangular"),
  /** The base of `'exp_range'`'s scaling. A finite number >= 0. @defaultValue 1 */
  gamma: option.number({ rule: "nonNegative" }, 1.0),
  /**
   * A scaling of your own, in place of `mode`'s (PyTorch's `scale_fn`): a JavaScript function of the cycle (from 1) or
   * of the step, by `scaleMode`, giving a number in [0, 1]. A schedule with one has no Keras JSON and no tensor path.
   * @defaultValue null
   */
  scaleFn: option.nullableFunction<(x: number) => number>("a function of the cycle or step that returns a number", "scale_fn"),
  /** What `scaleFn` is given: `'cycle'` (the cycle's number, from 1) or `'iterations'` (the step). Only with `scaleFn`. @defaultValue 'cycle' */
  scaleMode: option.choice<"cycle" | "iterations">(["cycle", "iterations"], "cycle"),
  /** The optimizer's rate, which CyclicLR replaces by `baseLr`; named only, and needed only in a SequentialLR or ChainedScheduler. */
  lr: lrOption,
});

type Order = [
  baseLr: "baseLr",
  maxLr: "maxLr",
  stepSizeUp?: "stepSizeUp",
  stepSizeDown?: "stepSizeDown",
  mode?: "mode",
  gamma?: "gamma",
  scaleFn?: "scaleFn",
  scaleMode?: "scaleMode",
];

/** The options of a {@link CyclicLR}. */
export type CyclicLROptions = OptionsOf<typeof fields>;
/** The validated options of a {@link CyclicLR}. */
export type CyclicLRConfig = ConfigOf<typeof fields>;

/** The cycle's length and the part of it spent going up, as PyTorch's constructor computes them. */
function cycleOf(c: CyclicLRConfig): { total: number; ratio: number } {
  const total = c.stepSizeUp + (c.stepSizeDown ?? c.stepSizeUp);
  return { total, ratio: c.stepSizeUp / total };
}

/**
 * `CyclicLR.get_lr`, a function of `last_epoch` and `base_lrs`. PyTorch's constructor runs its initial step with
 * `base_lrs` from the group's `initial_lr` (the optimizer's rate if another scheduler set it first) and only then sets
 * `base_lrs` to `base_lr`: so does this run.
 */
class CyclicRun extends MemorylessRun {
  private readonly total: number;
  private readonly ratio: number;
  constructor(group: Group, private readonly c: CyclicLRConfig) {
    super(group);
    ({ total: this.total, ratio: this.ratio } = cycleOf(c));
  }
  override construct(): this {
    this.group.lr = this.c.baseLr;
    super.construct();
    this.baseLr = this.c.baseLr;
    return this;
  }
  protected getLr(): number {
    const k = this.lastEpoch;
    const cycle = Math.floor(1 + k / this.total);
    const x = 1.0 + k / this.total - cycle;
    const scaleFactor = x <= this.ratio ? x / this.ratio : (x - 1) / (this.ratio - 1);
    const baseHeight = (this.c.maxLr - this.baseLr) * scaleFactor;
    return this.baseLr + baseHeight * this.scale(cycle, k);
  }
  /** `scale_fn`: the mode's, or the user's of the cycle or the step (`scale_mode`; the modes set their own). */
  private scale(cycle: number, k: number): number {
    const { scaleFn, scaleMode, mode, gamma } = this.c;
    if (scaleFn) return factorOf("CyclicLR", scaleFn, scaleMode === "cycle" ? cycle : k, "scaleFn");
    return mode === "triangular" ? 1.0 : mode === "triangular2" ? 1 / 2.0 ** (cycle - 1) : gamma ** k;
  }
}

/** The same formula over any arithmetic (it is a closed form). */
function cyclicLR<T, B>(o: Ops<T, B>, step: T, c: CyclicLRConfig): T {
  const { total, ratio } = cycleOf(c);
  const k = o.floor(step);
  const cycle = o.floor(o.add(o.constant(1), o.div(k, o.constant(total))));
  const x = o.sub(o.add(o.constant(1), o.div(k, o.constant(total))), cycle);
  const r = o.constant(ratio);
  const scaleFactor = o.cond(o.lessEqual(x, r), () => o.div(x, r), () => o.div(o.sub(x, o.constant(1)), o.sub(r, o.constant(1))));
  const baseHeight = o.mul(o.constant(c.maxLr - c.baseLr), scaleFactor);
  const scale =
    c.mode === "triangular"
      ? o.constant(1)
      : c.mode === "triangular2"
        ? o.div(o.constant(1), o.pow(o.constant(2), o.sub(cycle, o.constant(1))))
        : powerOf(o, c.gamma, k);
  return o.add(o.constant(c.baseLr), o.mul(baseHeight, scale));
}

/**
 * PyTorch's `torch.optim.lr_scheduler.CyclicLR` (Smith's cyclical learning rates): the rate goes linearly from
 * `baseLr` up to `maxLr` over `stepSizeUp` steps and back over `stepSizeDown`, again and again; `'triangular2'` halves
 * the amplitude each cycle, `'exp_range'` scales it by `gamma ** step`. PyTorch's CyclicLR counts batches.
 *
 * ```text
 * cycle = floor(1 + k / (up + down));  x = 1 + k / (up + down) - cycle
 * lr_k = baseLr + (maxLr - baseLr) * (x <= up / (up + down) ? x / ratio : (x - 1) / (ratio - 1)) * scale
 * ```
 * A function of the step (PyTorch computes it from the step, not from the rate before), in doubles. The optimizer's
 * rate is not used: PyTorch replaces it by `baseLr`. A `scaleFn` of your own replaces `mode`'s scaling, given the cycle
 * or the step by `scaleMode` (PyTorch's `scale_fn`, `scale_mode`; the built-in modes set their own mode, so
 * `scaleMode` matters only with a `scaleFn`); a function is not data, so such a CyclicLR has no Keras JSON (`serialize`
 * refuses it), no CLI expression and no tensor path. Momentum cycling (`cycle_momentum`) is the optimizer's business
 * and not modelled.
 *
 * @example
 * import { CyclicLR } from 'lr-schedules/torch';
 * const lr = new CyclicLR(0.001, 0.1, 5);   // CyclicLR(optimizer, base_lr=0.001, max_lr=0.1, step_size_up=5)
 * lr(0); //=> 0.001
 * lr(5); //=> 0.1
 * lr(10); //=> 0.001
 * new CyclicLR(0.001, 0.1, 5, { mode: 'triangular2' })(15); //=> 0.0505
 * new CyclicLR(0.001, 0.1, 5, { scaleFn: (cycle) => 1 / cycle })(25); //=> 0.034
 * @throws {ScheduleOptionError} a rate negative, `stepSizeUp` not > 0, `stepSizeDown` negative, an unknown `mode`.
 * @throws {ScheduleTypeError} an option of the wrong kind; a `scaleFn` that returns something other than a number, or
 *   a tensor step with a `scaleFn`.
 * @see PyTorch `torch.optim.lr_scheduler.CyclicLR`; Smith, "Cyclical Learning Rates for Training Neural Networks" (2017), https://arxiv.org/abs/1506.01186
 */
export class CyclicLR extends TorchSchedule<CyclicLRConfig> {
  static override readonly className = "CyclicLR";
  /** Registered as `lr-schedules>CyclicLR`. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula = "lr_k = baseLr + (maxLr - baseLr) * triangle(k / (stepSizeUp + stepSizeDown)) * scale";
  static override readonly examples: ScheduleExamples = {
    steps: 8000,
    expressions: ["CyclicLR(0.001, 0.1, 2000)", "CyclicLR(0.001, 0.1, 1000, { mode: 'triangular2' })", "CyclicLR(0.001, 0.1, 1000, { mode: 'exp_range', gamma: 0.9997 })"],
  };

  constructor(options: CyclicLROptions);
  constructor(...args: OptionArguments<CyclicLROptions, Order>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<CyclicLRConfig>("CyclicLR", fields, args);
    super("CyclicLR", c, (group) => new CyclicRun(group, c).construct(), { needsLr: false, overwrites: true });
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    if (this.config.scaleFn) throw noTensorPath(this.className, "scaleFn");
    return cyclicLR(o, step, this.config);
  }
}
