import { ScheduleTypeError } from "../errors.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { type Group, MemorylessRun } from "./run.js";
import { lrOption, TorchSchedule } from "./TorchSchedule.js";

/** A multiplicative factor as a function of the number of `scheduler.step()` calls so far. */
export type LrLambda = (epoch: number) => number;

/** PyTorch's `lr_lambda` option (LambdaLR's and MultiplicativeLR's): a JavaScript function of the step. */
export const lrLambdaOption = option.function<LrLambda>("a function of the step that returns a number", "lr_lambda");

/** Options of {@link LambdaLR}. */
const fields = declareOptions({
  /** The factor of `lr` at each step (PyTorch's `lr_lambda`): a JavaScript function of the step, returning a number. */
  lrLambda: lrLambdaOption,
  /** The optimizer's learning rate (PyTorch's `base_lrs`); named only. Left out in a SequentialLR or ChainedScheduler. */
  lr: lrOption,
});

type Order = [lrLambda: "lrLambda"];

/** The options of a {@link LambdaLR}. */
export type LambdaLROptions = OptionsOf<typeof fields>;
/** The validated options of a {@link LambdaLR}. */
export type LambdaLRConfig = ConfigOf<typeof fields>;

/** What the function option `option` returned for `x`, refused unless a number. */
export function factorOf(owner: string, fn: LrLambda, x: number, option = "lrLambda"): number {
  const factor: unknown = fn(x);
  if (typeof factor !== "number") throw new ScheduleTypeError(owner, option, factor, `a function that returns a number (it returned this for ${x})`);
  return factor;
}

/** What the tensor path throws: a JavaScript function cannot run on a tensor step without reading it back. */
export function noTensorPath(owner: string, option = "lrLambda"): ScheduleTypeError {
  return new ScheduleTypeError(owner, "step", "a tensor", `a number: ${option} is a JavaScript function of a number, which cannot run on a tf.js tensor`);
}

/** `LambdaLR.get_lr`: `base_lr * lr_lambda(last_epoch)`. */
class LambdaRun extends MemorylessRun {
  constructor(group: Group, private readonly c: LambdaLRConfig) {
    super(group);
  }
  protected getLr(): number {
    return this.baseLr * factorOf("LambdaLR", this.c.lrLambda, this.lastEpoch);
  }
}

/**
 * PyTorch's `torch.optim.lr_scheduler.LambdaLR`: the optimizer's rate times a factor that a JavaScript function
 * computes from the step.
 *
 * ```text
 * lr_k = lr * lrLambda(k)
 * ```
 * `lrLambda` is called with whole steps (the number of `scheduler.step()` calls). A function is not data: a LambdaLR
 * cannot be written as Keras JSON (`serialize` refuses it), nor as an expression of the CLI or the playground, and it
 * has no tensor path (a tensor step throws).
 *
 * @example
 * import { LambdaLR } from 'lr-schedules/torch';
 * const lr = new LambdaLR((epoch) => 0.95 ** epoch, { lr: 0.1 });   // LambdaLR(optimizer, lr_lambda=lambda epoch: 0.95 ** epoch)
 * lr(0); //=> 0.1
 * lr(2); //=> 0.09025
 * @throws {ScheduleTypeError} `lrLambda` not a function, or returning something other than a number; evaluated
 *   without `lr`; a tensor step.
 * @throws {ScheduleValueError} `lrLambda` gives a factor that makes the rate negative, NaN or infinite.
 * @see PyTorch `torch.optim.lr_scheduler.LambdaLR`; docs/pytorch.md.
 */
export class LambdaLR extends TorchSchedule<LambdaLRConfig> {
  static override readonly className = "LambdaLR";
  /** Would be `lr-schedules>LambdaLR`, but a function cannot be Keras JSON: the catalogue leaves it out. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula = "lr_k = lr * lrLambda(k)";

  constructor(options: LambdaLROptions);
  constructor(...args: OptionArguments<LambdaLROptions, Order>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<LambdaLRConfig>("LambdaLR", fields, args);
    super("LambdaLR", c, (group) => new LambdaRun(group, c).construct(), { overwrites: true });
  }

  compute<T>(): T {
    throw noTensorPath(this.className);
  }
}
