import * as tf from "@tensorflow/tfjs-core";
import { type ConfigOf, type OptionArguments, type OptionsOf, option } from "../options.js";
import { KerasOptimizer, declareOptimizerOptions, optimizerOption } from "./optimizer.js";

/** Options of {@link RMSprop}: Keras's arguments in camelCase, in Keras's positional order (the base options are added before `name`). */
const fields = declareOptimizerOptions({
  /** The learning rate: a finite number >= 0 or a schedule. @defaultValue 0.001 */
  learningRate: optimizerOption.learningRate(0.001),
  /** Decay rate of the mean square of the gradients. A finite number in [0, 1]. @defaultValue 0.9 */
  rho: option.number({ rule: "unit" }, 0.9),
  /** Momentum of the step; 0 keeps no momentum slot. A finite number in [0, 1]. @defaultValue 0 */
  momentum: option.number({ rule: "unit" }, 0),
  /** Added to the mean square inside the square root. A finite number > 0. @defaultValue 1e-7 */
  epsilon: option.number({ rule: "positive" }, 1e-7),
  /** Divide by the estimated variance (mean square minus squared mean) rather than the mean square. @defaultValue false */
  centered: option.boolean(false),
  /** Keras's `name`. @defaultValue 'rm_sprop' */
  name: option.name("rm_sprop"),
});

/** The options of an {@link RMSprop}: the declaration's and the base options', every one optional. */
export type RMSpropOptions = OptionsOf<typeof fields>;

/** The validated options of an {@link RMSprop}, every default filled in. */
export type RMSpropConfig = ConfigOf<typeof fields>;

/**
 * RMSprop, Keras's `RMSprop`, with Keras 3's update rule (epsilon inside the square root, the learning rate inside the
 * momentum):
 *
 * ```text
 * v = rho * v + (1 - rho) * g^2
 * centered:  a = rho * a + (1 - rho) * g;  denominator = v - a^2 + epsilon
 * otherwise: denominator = v + epsilon
 * increment = lr * g / sqrt(denominator)
 * momentum > 0:  mom = momentum * mom + increment;  w = w - mom
 * otherwise:     w = w - increment
 * ```
 * Every operation is a float32 tensor operation in Keras's order (`1 - rho` in double, then rounded). The slots are
 * blocks of `<variable>/velocity`, then `<variable>/momentum` (only when `momentum` > 0), then
 * `<variable>/average_gradient` (only when `centered`), as in Keras. tf.js's `rmsprop` always keeps a momentum slot and
 * puts epsilon with the wrong sign in its centered variant.
 *
 * @example
 * import { ExponentialDecay } from 'lr-schedules';
 * import { RMSprop } from 'lr-schedules/tfjs';
 * import * as tf from '@tensorflow/tfjs';
 * const w = tf.variable(tf.tensor1d([1, 2, 3, 4]));
 * const optimizer = new RMSprop({ learningRate: new ExponentialDecay(0.5, 10, 0.9), centered: true, momentum: 0.9 });
 * optimizer.applyGradients({ [w.name]: tf.tensor1d([1, 6, 7, 2]) });
 * w.dataSync()[0]; //=> -0.66666579246521 (1 - 0.5 / the square root of 0.1 - 0.1² + 1e-7)
 * new RMSprop().getConfig(); //=> { learningRate: 0.0010000000474974513, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false, name: 'rm_sprop' }
 * @throws {ScheduleOptionError} a negative or non-finite learning rate, `rho` or `momentum` outside [0, 1], `epsilon`
 * not > 0, a bad base option, an unknown option.
 * @throws {ScheduleTypeError} an option of the wrong kind.
 * @see Keras `keras.optimizers.RMSprop`
 */
export class RMSprop extends KerasOptimizer<RMSpropConfig> {
  static override readonly kerasName = "RMSprop";
  static override readonly fields = fields;
  /** Options that take this class's own code paths: the tests that cover every optimizer build one of each. */
  static readonly examples: readonly RMSpropOptions[] = [{}, { momentum: 0.9, centered: true }];
  private velocities: tf.Variable[] = [];
  private momentums: tf.Variable[] = [];
  private averageGradients: tf.Variable[] = [];

  constructor(options?: RMSpropOptions);
  constructor(...args: OptionArguments<RMSpropOptions, [learningRate?: "learningRate", rho?: "rho", momentum?: "momentum", epsilon?: "epsilon", centered?: "centered", name?: "name"]>);
  constructor(...args: unknown[]) {
    super(...args);
  }

  protected build(variables: readonly tf.Variable[]): void {
    this.velocities = this.addOptimizerVariables(variables, "velocity");
    this.momentums = this.config.momentum > 0 ? this.addOptimizerVariables(variables, "momentum") : [];
    this.averageGradients = this.config.centered ? this.addOptimizerVariables(variables, "average_gradient") : [];
  }

  protected updateStep(gradient: tf.Tensor, variable: tf.Variable, learningRate: number): void {
    const { rho, momentum, epsilon, centered } = this.config;
    const i = this.variableIndex(variable);
    const r = this.scalar(rho);
    const oneMinusRho = this.scalar(1 - rho);
    const v = this.velocities[i]!;
    v.assign(tf.add(tf.mul(r, v), tf.mul(oneMinusRho, tf.square(gradient))));
    let denominator: tf.Tensor;
    if (centered) {
      const a = this.averageGradients[i]!;
      a.assign(tf.add(tf.mul(r, a), tf.mul(oneMinusRho, gradient)));
      denominator = tf.add(tf.sub(v, tf.square(a)), this.scalar(epsilon));
    } else {
      denominator = tf.add(v, this.scalar(epsilon));
    }
    const increment = tf.div(tf.mul(this.scalar(learningRate), gradient), tf.sqrt(denominator));
    if (momentum > 0) {
      const mom = this.momentums[i]!;
      mom.assign(tf.add(tf.mul(this.scalar(momentum), mom), increment));
      variable.assign(tf.sub(variable, mom));
    } else {
      variable.assign(tf.sub(variable, increment));
    }
  }
}
