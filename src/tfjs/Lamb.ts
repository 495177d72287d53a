import * as tf from "@tensorflow/tfjs-core";
import { type ConfigOf, type OptionArguments, type OptionsOf, option } from "../options.js";
import { oneMinus } from "./kerasFloat32.js";
import { biasCorrectedBeta, KerasOptimizer, declareOptimizerOptions, optimizerOption } from "./optimizer.js";

/** Options of {@link Lamb}: Keras's arguments in camelCase, in Keras's positional order (the base options are added before `name`). */
const fields = declareOptimizerOptions({
  /** The learning rate: a finite number >= 0 or a schedule. @defaultValue 0.001 */
  learningRate: optimizerOption.learningRate(0.001),
  /** Decay rate of the first moment (Keras `beta_1`). A finite number in [0, 1) (also in float32: at 1 the bias correction divides by 0). @defaultValue 0.9 */
  beta1: option.number({ rule: biasCorrectedBeta, keras: "beta_1" }, 0.9),
  /** Decay rate of the second moment (Keras `beta_2`). A finite number in [0, 1) (also in float32: at 1 the bias correction divides by 0). @defaultValue 0.999 */
  beta2: option.number({ rule: biasCorrectedBeta, keras: "beta_2" }, 0.999),
  /** Added to the bias-corrected `sqrt(v)`. A finite number > 0. @defaultValue 1e-7 */
  epsilon: option.number({ rule: "positive" }, 1e-7),
  /** Keras's `name`. @defaultValue 'lamb' */
  name: option.name("lamb"),
});

/** The options of a {@link Lamb}: the declaration's and the base options', every one optional. */
export type LambOptions = OptionsOf<typeof fields>;

/** The validated options of a {@link Lamb}, every default filled in. */
export type LambConfig = ConfigOf<typeof fields>;

/**
 * LAMB (layer-wise adaptive moments, You et al. 2019, https://arxiv.org/abs/1904.00962), Keras's `Lamb`: Adam's
 * direction, scaled per variable by the trust ratio `||w|| / ||update||`.
 *
 * ```text
 * t = iterations + 1
 * m = m + (g - m) * (1 - beta1)
 * v = v + (g^2 - v) * (1 - beta2)
 * u = (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon)
 * ratio = ||w|| / ||u||   if both norms are > 0, else 1      (norms over the whole variable)
 * w = w - (ratio * lr) * u
 * ```
 * Every operation is a float32 tensor operation in Keras's order (`beta^t` in float32, `1 - beta` in double then
 * rounded, as Keras computes them). Unlike the paper, weight decay is not inside the ratio: Keras's `Lamb` takes
 * only its base decoupled `weight_decay`, applied before the step. The slots are `<variable>/momentum` and
 * `<variable>/velocity`, interleaved. tf.js has no Lamb.
 *
 * @example
 * import { InverseTimeDecay } from 'lr-schedules';
 * import { Lamb } from 'lr-schedules/tfjs';
 * import * as tf from '@tensorflow/tfjs';
 * const w = tf.variable(tf.tensor1d([3, 4]));
 * const optimizer = new Lamb({ learningRate: new InverseTimeDecay(0.1, 10, 0.5) });
 * optimizer.applyGradients([{ name: w.name, tensor: tf.tensor1d([1, 1]) }]);
 * Array.from(w.dataSync()); //=> [2.646446704864502, 3.646446704864502] (each moved by lr * ||w|| / ||u||, 0.1 * 5 / 1.414)
 * new Lamb().getConfig(); //=> { learningRate: 0.0010000000474974513, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, name: 'lamb' }
 * optimizer.dispose();
 * @throws {ScheduleOptionError} a negative or non-finite learning rate, `beta1` or `beta2` outside [0, 1) (in float32
 * too: at 1 a bias correction divides by 0), `epsilon` not > 0, an unknown option.
 * @throws {ScheduleTypeError} an option of the wrong kind (a learning rate that is neither a number nor a schedule).
 * @see Keras `keras.optimizers.Lamb`
 */
export class Lamb extends KerasOptimizer<LambConfig> {
  static override readonly kerasName = "Lamb";
  static override readonly fields = fields;
  /** Options that take this class's own code paths: the tests that cover every optimizer build one of each. */
  static readonly examples: readonly LambOptions[] = [{}];
  private momentums: tf.Variable[] = [];
  private velocities: tf.Variable[] = [];

  constructor(options?: LambOptions);
  constructor(...args: OptionArguments<LambOptions, [learningRate?: "learningRate", beta1?: "beta1", beta2?: "beta2", epsilon?: "epsilon", name?: "name"]>);
  constructor(...args: unknown[]) {
    super(...args);
  }

  protected build(variables: readonly tf.Variable[]): void {
    [this.momentums, this.velocities] = this.addOptimizerVariables(variables, ["momentum", "velocity"]);
  }

  protected updateStep(gradient: tf.Tensor, variable: tf.Variable, learningRate: number): void {
    const { beta1, beta2, epsilon } = this.config;
    const i = this.variableIndex(variable);
    const m = this.momentums[i]!;
    const v = this.velocities[i]!;
    m.assign(tf.add(m, tf.mul(tf.sub(gradient, m), this.scalar(1 - beta1))));
    v.assign(tf.add(v, tf.mul(tf.sub(tf.square(gradient), v), this.scalar(1 - beta2))));
    const mHat = tf.div(m, this.scalar(oneMinus(this.power(beta1))));
    const denominator = tf.add(tf.sqrt(tf.div(v, this.scalar(oneMinus(this.power(beta2))))), this.scalar(epsilon));
    const update = tf.div(mHat, denominator);
    const wNorm = tf.sqrt(tf.sum(tf.square(variable)));
    const uNorm = tf.sqrt(tf.sum(tf.square(update)));
    const one = this.scalar(1);
    const ratio = tf.where(tf.greater(wNorm, 0), tf.where(tf.greater(uNorm, 0), tf.div(wNorm, uNorm), one), one);
    variable.assign(tf.sub(variable, tf.mul(tf.mul(ratio, this.scalar(learningRate)), update)));
  }
}
