import * as tf from "@tensorflow/tfjs-core";
import { type ConfigOf, type OptionArguments, type OptionsOf, option } from "../options.js";
import { KerasOptimizer, declareOptimizerOptions, optimizerOption } from "./optimizer.js";

/** Options of {@link SGD}: Keras's arguments in camelCase, in Keras's positional order (the base options are added before `name`). */
const fields = declareOptimizerOptions({
  /** The learning rate: a finite number >= 0 or a schedule. @defaultValue 0.01 */
  learningRate: optimizerOption.learningRate(0.01),
  /** How much of the previous velocity carries over. A finite number in [0, 1]; 0 is plain gradient descent. @defaultValue 0 */
  momentum: option.number({ rule: "unit" }, 0),
  /** Use Nesterov momentum. @defaultValue false */
  nesterov: option.boolean(false),
  /** Keras's `name`. @defaultValue 'sgd' */
  name: option.name("sgd"),
});

/** The options of an {@link SGD}: the declaration's and the base options', every one optional. */
export type SGDOptions = OptionsOf<typeof fields>;

/** The validated options of an {@link SGD}, every default filled in. */
export type SGDConfig = ConfigOf<typeof fields>;

/**
 * Gradient descent with momentum, Keras's `SGD`, with Keras 3's update rule:
 *
 * ```text
 * momentum = 0:   w = w - lr * g
 * otherwise:      v = momentum * v - lr * g;  w = w + v
 * nesterov:       v = momentum * v - lr * g;  w = w + momentum * v - lr * g
 * ```
 * Every operation is a float32 tensor operation in Keras's order; the velocity slot (`<variable>/momentum`) exists only
 * when `momentum` is not 0, as in Keras. Unlike tf.js's `momentum` optimizer, the learning rate is folded into the
 * velocity at each step, so a decaying schedule gives Keras's numbers.
 *
 * @example
 * import { InverseTimeDecay } from 'lr-schedules';
 * import { SGD } from 'lr-schedules/tfjs';
 * const optimizer = new SGD({ learningRate: new InverseTimeDecay(0.1, 1, 0.5), momentum: 0.9, nesterov: true });
 * optimizer.learningRate; //=> 0.10000000149011612
 * new SGD(0.05, 0.9).getConfig(); //=> { learningRate: 0.05000000074505806, momentum: 0.9, nesterov: false, name: 'sgd' }
 * @throws {ScheduleOptionError} a negative or non-finite learning rate, `momentum` outside [0, 1], an unknown option.
 * @throws {ScheduleTypeError} an option of the wrong kind (a learning rate that is neither a number nor a schedule).
 * @see Keras `keras.optimizers.SGD`
 */
export class SGD extends KerasOptimizer<SGDConfig> {
  static override readonly kerasName = "SGD";
  static override readonly fields = fields;
  /** Options that take this class's own code paths: the tests that cover every optimizer build one of each. */
  static readonly examples: readonly SGDOptions[] = [{}, { momentum: 0.9, nesterov: true }];
  private momentums: tf.Variable[] = [];

  constructor(options?: SGDOptions);
  constructor(...args: OptionArguments<SGDOptions, [learningRate?: "learningRate", momentum?: "momentum", nesterov?: "nesterov", name?: "name"]>);
  constructor(...args: unknown[]) {
    super(...args);
  }

  protected build(variables: readonly tf.Variable[]): void {
    this.momentums = this.config.momentum !== 0 ? this.addOptimizerVariables(variables, "momentum") : [];
  }

  protected updateStep(gradient: tf.Tensor, variable: tf.Variable, learningRate: number): void {
    const lr = this.scalar(learningRate);
    if (this.config.momentum === 0) {
      variable.assign(tf.sub(variable, tf.mul(gradient, lr)));
      return;
    }
    const m = this.momentums[this.variableIndex(variable)]!;
    const momentum = this.scalar(this.config.momentum);
    const step = tf.mul(gradient, lr); // Keras computes g * lr twice for Nesterov; once gives the same bits
    m.assign(tf.sub(tf.mul(m, momentum), step));
    variable.assign(tf.add(variable, this.config.nesterov ? tf.sub(tf.mul(m, momentum), step) : m));
  }
}
