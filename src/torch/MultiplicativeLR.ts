import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, resolveOptions } from "../options.js";
import { factorOf, lrLambdaOption, noTensorPath } from "./LambdaLR.js";
import { type Group, Run } from "./run.js";
import { lrOption, TorchSchedule } from "./TorchSchedule.js";

/** Options of {@link MultiplicativeLR}. */
const fields = declareOptions({
  /** The factor the rate is multiplied by at each step (PyTorch's `lr_lambda`): a JavaScript function of the step, returning a number. */
  lrLambda: lrLambdaOption,
  /** The optimizer's learning rate (PyTorch's `base_lrs`); named only. Left out in a SequentialLR or ChainedScheduler. */
  lr: lrOption,
});

type Order = [lrLambda: "lrLambda"];

/** The options of a {@link MultiplicativeLR}. */
export type MultiplicativeLROptions = OptionsOf<typeof fields>;
/** The validated options of a {@link MultiplicativeLR}. */
export type MultiplicativeLRConfig = ConfigOf<typeof fields>;

/** `MultiplicativeLR.get_lr`: the rate times `lr_lambda(last_epoch)`, but for the constructor's step. */
class MultiplicativeRun extends Run {
  constructor(group: Group, private readonly c: MultiplicativeLRConfig) {
    super(group);
  }
  protected getLr(): number {
    return this.initial ? this.group.lr : this.group.lr * factorOf("MultiplicativeLR", this.c.lrLambda, this.lastEpoch);
  }
}

/**
 * PyTorch's `torch.optim.lr_scheduler.MultiplicativeLR`: at each step the rate is multiplied by a factor that a
 * JavaScript function computes from the step.
 *
 * ```text
 * lr_k = lr_{k-1} * lrLambda(k);   lr_0 = lr
 * ```
 * The value at step k is the optimizer's rate after k calls of `scheduler.step()`: `lrLambda(1) * ... * lrLambda(k)`
 * times `lr`, multiplied in that order in doubles. As for {@link LambdaLR}, a function is not data: no Keras JSON, no
 * CLI or playground expression, no tensor path.
 *
 * @example
 * import { MultiplicativeLR } from 'lr-schedules/torch';
 * const lr = new MultiplicativeLR(() => 0.5, { lr: 0.1 });   // MultiplicativeLR(optimizer, lr_lambda=lambda epoch: 0.5)
 * lr(0); //=> 0.1
 * lr(2); //=> 0.025
 * @throws {ScheduleTypeError} `lrLambda` not a function, or returning something other than a number; evaluated
 *   without `lr`; a tensor step.
 * @throws {ScheduleValueError} the product becomes negative, NaN or infinite.
 * @see PyTorch `torch.optim.lr_scheduler.MultiplicativeLR`; docs/pytorch.md.
 */
export class MultiplicativeLR extends TorchSchedule<MultiplicativeLRConfig> {
  static override readonly className = "MultiplicativeLR";
  /** Would be `lr-schedules>MultiplicativeLR`, but a function cannot be Keras JSON: the catalogue leaves it out. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula = "lr_k = lr_{k-1} * lrLambda(k)";

  constructor(options: MultiplicativeLROptions);
  constructor(...args: OptionArguments<MultiplicativeLROptions, Order>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<MultiplicativeLRConfig>("MultiplicativeLR", fields, args);
    super("MultiplicativeLR", c, (group) => new MultiplicativeRun(group, c).construct());
  }

  compute<T>(): T {
    throw noTensorPath(this.className);
  }
}
