import * as tf from "@tensorflow/tfjs-core";
import { type ConfigOf, type OptionArguments, type OptionsOf, option } from "../options.js";
import { KerasOptimizer, declareOptimizerOptions, optimizerOption } from "./optimizer.js";

/** Options of {@link Adadelta}: Keras's arguments in camelCase, in Keras's positional order (the base options are added before `name`). */
const fields = declareOptimizerOptions({
  /** The learning rate: a finite number >= 0 or a schedule. Keras's default, not the paper's 1. @defaultValue 0.001 */
  learningRate: optimizerOption.learningRate(0.001),
  /** Decay rate of both running averages. A finite number in [0, 1]. @defaultValue 0.95 */
  rho: option.number({ rule: "unit" }, 0.95),
  /** Added inside each square root. A finite number > 0. @defaultValue 1e-7 */
  epsilon: option.number({ rule: "positive" }, 1e-7),
  /** Keras's `name`. @defaultValue 'adadelta' */
  name: option.name("adadelta"),
});

/** The options of an {@link Adadelta}: the declaration's and the base options', every one optional. */
export type AdadeltaOptions = OptionsOf<typeof fields>;

/** The validated options of an {@link Adadelta}, every default filled in. */
export type AdadeltaConfig = ConfigOf<typeof fields>;

/**
 * Adadelta, Keras's `Adadelta`, with Keras 3's update rule (the step divides by the *updated* mean square of the
 * gradients):
 *
 * ```text
 * rms(x) = sqrt(x + epsilon)
 * Eg  = rho * Eg + (1 - rho) * g^2
 * d   = -rms(Edx) * g / rms(Eg)
 * Edx = rho * Edx + (1 - rho) * d^2
 * w   = w + lr * d
 * ```
 * Every operation is a float32 tensor operation in Keras's order (`1 - rho` in double, then rounded); the sign of `d` is
 * carried into the last subtraction, which gives the same bits with one operation fewer. The slots are
 * `<variable>/accumulated_grad` and `<variable>/accumulated_delta_var`, interleaved. tf.js's `adadelta` divides by the
 * mean square from before the update.
 *
 * @example
 * import { ExponentialDecay } from 'lr-schedules';
 * import { Adadelta } from 'lr-schedules/tfjs';
 * import * as tf from '@tensorflow/tfjs';
 * const w = tf.variable(tf.tensor1d([1, 2, 3, 4]));
 * const optimizer = new Adadelta({ learningRate: new ExponentialDecay(1, 5, 0.8), rho: 0.95 });
 * optimizer.applyGradients({ [w.name]: tf.tensor1d([1, 6, 7, 2]) });
 * w.dataSync()[0]; //=> 0.9985857605934143 (1 - the square roots of 1e-7 over 0.05 + 1e-7)
 * new Adadelta().getConfig(); //=> { learningRate: 0.0010000000474974513, rho: 0.95, epsilon: 1e-7, name: 'adadelta' }
 * @throws {ScheduleOptionError} a negative or non-finite learning rate, `rho` outside [0, 1], `epsilon` not > 0, a bad
 * base option, an unknown option.
 * @throws {ScheduleTypeError} an option of the wrong kind.
 * @see Keras `keras.optimizers.Adadelta`
 */
export class Adadelta extends KerasOptimizer<AdadeltaConfig> {
  static override readonly kerasName = "Adadelta";
  static override readonly fields = fields;
  /** Options that take this class's own code paths: the tests that cover every optimizer build one of each. */
  static readonly examples: readonly AdadeltaOptions[] = [{}];
  private accumulatedGrads: tf.Variable[] = [];
  private accumulatedDeltaVars: tf.Variable[] = [];

  constructor(options?: AdadeltaOptions);
  constructor(...args: OptionArguments<AdadeltaOptions, [learningRate?: "learningRate", rho?: "rho", epsilon?: "epsilon", name?: "name"]>);
  constructor(...args: unknown[]) {
    super(...args);
  }

  protected build(variables: readonly tf.Variable[]): void {
    [this.accumulatedGrads, this.accumulatedDeltaVars] = this.addOptimizerVariables(variables, ["accumulated_grad", "accumulated_delta_var"]);
  }

  protected updateStep(gradient: tf.Tensor, variable: tf.Variable, learningRate: number): void {
    const { rho, epsilon } = this.config;
    const i = this.variableIndex(variable);
    const eg = this.accumulatedGrads[i]!;
    const edx = this.accumulatedDeltaVars[i]!;
    const r = this.scalar(rho);
    const oneMinusRho = this.scalar(1 - rho);
    const eps = this.scalar(epsilon);
    eg.assign(tf.add(tf.mul(r, eg), tf.mul(oneMinusRho, tf.square(gradient))));
    // minusD = -d: squares and lr * (-d) are exact negations, so Keras's bits come out without the negation.
    const minusD = tf.div(tf.mul(tf.sqrt(tf.add(edx, eps)), gradient), tf.sqrt(tf.add(eg, eps)));
    edx.assign(tf.add(tf.mul(r, edx), tf.mul(oneMinusRho, tf.square(minusD))));
    variable.assign(tf.sub(variable, tf.mul(this.scalar(learningRate), minusD)));
  }
}
