import { ScheduleTypeError } from "../errors.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";

/** Options of {@link ReduceLROnPlateau}. */
const fields = declareOptions({
  /** `'min'`: the metric should fall (a loss); `'max'`: it should rise (an accuracy). @defaultValue 'min' */
  mode: option.choice<"min" | "max">(["min", "max"], "min"),
  /** The factor the rate is multiplied by on a plateau. A finite number in [0, 1). @defaultValue 0.1 */
  factor: option.number({ rule: { min: 0, max: 1, maxOpen: true } }, 0.1),
  /** How many steps without improvement are allowed before the rate falls. A whole number >= 0. @defaultValue 10 */
  patience: option.number({ rule: { min: 0, integer: true } }, 10),
  /** How much better than the best a metric must be to count as an improvement. A finite number >= 0. @defaultValue 1e-4 */
  threshold: option.number({ rule: "nonNegative" }, 1e-4),
  /** `'rel'`: better than `best * (1 -/+ threshold)`; `'abs'`: better than `best -/+ threshold`. @defaultValue 'rel' */
  thresholdMode: option.choice<"rel" | "abs">(["rel", "abs"], "rel"),
  /** Steps after a reduction during which bad steps are not counted. A whole number >= 0. @defaultValue 0 */
  cooldown: option.number({ rule: { min: 0, integer: true } }, 0),
  /** The lowest rate. A finite number >= 0. @defaultValue 0 */
  minLr: option.number({ rule: "nonNegative" }, 0),
  /** A reduction smaller than this is skipped. A finite number >= 0. @defaultValue 1e-8 */
  eps: option.number({ rule: "nonNegative" }, 1e-8),
  /** The optimizer's learning rate to start from (PyTorch's `group['lr']`); named only, required. */
  lr: option.named(option.number({ rule: "nonNegative" })),
});

type Order = [mode?: "mode", factor?: "factor", patience?: "patience", threshold?: "threshold", thresholdMode?: "thresholdMode", cooldown?: "cooldown", minLr?: "minLr", eps?: "eps"];

/** The options of a {@link ReduceLROnPlateau}; `lr` is required. */
export type ReduceLROnPlateauOptions = OptionsOf<typeof fields>;
/** The validated options of a {@link ReduceLROnPlateau}. */
export type ReduceLROnPlateauConfig = ConfigOf<typeof fields>;

/**
 * PyTorch's `torch.optim.lr_scheduler.ReduceLROnPlateau`: driven by a metric, not by the step. Each `step(metric)`
 * (once per epoch, with the validation loss, say) compares the metric with the best so far; after more than
 * `patience` steps without improvement, the rate is multiplied by `factor` (not below `minLr`, and not by less than
 * `eps`), and `cooldown` steps follow in which bad steps are not counted. `step` returns the new rate, in doubles, as
 * PyTorch computes it; the state (`lr`, `best`, `numBadEpochs`, `cooldownCounter`, `lastEpoch`) is readable.
 *
 * Not a `LearningRateSchedule`: its rate is not a function of the step. The Keras callback `ReduceLROnPlateau` of
 * lr-schedules/tfjs does the same job inside `model.fit` with Keras's rules, which differ: Keras counts `wait` up to
 * `patience` inclusive (`wait >= patience` reduces, PyTorch needs `bad > patience`), compares with `min_delta`
 * (absolute only, no relative threshold), computes in float32 and writes the optimizer's rate itself. This class is a
 * plain state machine: feed it metrics, and use the rate it returns with any optimizer.
 *
 * A NaN metric is never better than the best, so it counts as a bad step, as in PyTorch.
 *
 * @example
 * import { ReduceLROnPlateau } from 'lr-schedules/torch';
 * const plateau = new ReduceLROnPlateau('min', 0.5, 1, { lr: 0.1 });   // ReduceLROnPlateau(optimizer, factor=0.5, patience=1)
 * plateau.step(1.0); //=> 0.1
 * plateau.step(1.0); //=> 0.1 (one bad step: within patience)
 * plateau.step(1.0); //=> 0.05 (two: reduced)
 * plateau.best; //=> 1
 * plateau.numBadEpochs; //=> 0
 * @throws {ScheduleOptionError} an option out of range (`factor` not in [0, 1), a negative count or rate).
 * @throws {ScheduleTypeError} `lr` missing, an option or a metric of the wrong kind.
 * @see PyTorch `torch.optim.lr_scheduler.ReduceLROnPlateau`; docs/pytorch.md.
 */
export class ReduceLROnPlateau {
  /** The class's name, which survives minification. */
  static readonly className = "ReduceLROnPlateau";
  /** The option table: each option's check, default and positional order. */
  static readonly fields = fields;
  /** The validated options. */
  readonly config: ReduceLROnPlateauConfig;
  /** The current rate. */
  lr: number;
  /** The best metric so far (Infinity, or -Infinity in `'max'` mode, before the first step). */
  best: number;
  /** Steps since the last improvement (reset by a reduction, and not counted in cooldown). */
  numBadEpochs = 0;
  /** Steps of cooldown left. */
  cooldownCounter = 0;
  /** How many times `step` was called. */
  lastEpoch = 0;

  constructor(options: ReduceLROnPlateauOptions);
  constructor(...args: OptionArguments<ReduceLROnPlateauOptions, Order>);
  constructor(...args: unknown[]) {
    this.config = resolveOptions<ReduceLROnPlateauConfig>("ReduceLROnPlateau", fields, args);
    this.lr = this.config.lr;
    this.best = this.config.mode === "min" ? Infinity : -Infinity;
  }

  /** Whether the cooldown after a reduction still runs. */
  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /** Feeds one metric (PyTorch's `scheduler.step(metrics)`) and returns the rate from now on. */
  step(metric: number): number {
    if (typeof metric !== "number") throw new ScheduleTypeError("ReduceLROnPlateau", "metric", metric, "a number");
    this.lastEpoch += 1;
    if (this.isBetter(metric)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.config.patience) {
      const reduced = Math.max(this.lr * this.config.factor, this.config.minLr);
      if (this.lr - reduced > this.config.eps) this.lr = reduced;
      this.cooldownCounter = this.config.cooldown;
      this.numBadEpochs = 0;
    }
    return this.lr;
  }

  /** PyTorch's `_is_better`: beyond the best by the threshold, relative or absolute, in the mode's direction. */
  private isBetter(a: number): boolean {
    const { mode, threshold, thresholdMode } = this.config;
    if (mode === "min") return thresholdMode === "rel" ? a < this.best * (1.0 - threshold) : a < this.best - threshold;
    return thresholdMode === "rel" ? a > this.best * (threshold + 1.0) : a > this.best + threshold;
  }
}
