import * as tf from "@tensorflow/tfjs-core";
import { type ConfigOf, type OptionArguments, type OptionsOf, option } from "../options.js";
import { oneMinus } from "./kerasFloat32.js";
import { biasCorrectedBeta, KerasOptimizer, declareOptimizerOptions, optimizerOption } from "./optimizer.js";

/** Options of {@link Adamax}: Keras's arguments in camelCase, in Keras's positional order (the base options are added before `name`). */
const fields = declareOptimizerOptions({
  /** The learning rate: a finite number >= 0 or a schedule. @defaultValue 0.001 */
  learningRate: optimizerOption.learningRate(0.001),
  /** Decay rate of the first moment (Keras `beta_1`). A finite number in [0, 1) (also in float32: at 1 the bias correction divides by 0). @defaultValue 0.9 */
  beta1: option.number({ rule: biasCorrectedBeta, keras: "beta_1" }, 0.9),
  /** Decay rate of the infinity norm (Keras `beta_2`). A finite number in [0, 1]. @defaultValue 0.999 */
  beta2: option.number({ rule: "unit", keras: "beta_2" }, 0.999),
  /** Added to the norm. A finite number > 0. @defaultValue 1e-7 */
  epsilon: option.number({ rule: "positive" }, 1e-7),
  /** Keras's `name`. @defaultValue 'adamax' */
  name: option.name("adamax"),
});

/** The options of an {@link Adamax}: the declaration's and the base options', every one optional. */
export type AdamaxOptions = OptionsOf<typeof fields>;

/** The validated options of an {@link Adamax}, every default filled in. */
export type AdamaxConfig = ConfigOf<typeof fields>;

/**
 * Adamax, Keras's `Adamax` (Adam with the infinity norm):
 *
 * ```text
 * t = iterations + 1
 * m = m + (g - m) * (1 - beta1)
 * u = max(beta2 * u, |g|)
 * w = w - lr * m / ((1 - beta1^t) * (u + epsilon))
 * ```
 * Every operation is a float32 tensor operation in Keras's order (`beta1^t` a float32 power, `1 - beta1` in double then
 * rounded). The slots are `<variable>/momentum` and `<variable>/norm`, interleaved. tf.js's `adamax` has an extra
 * `decay` and cannot be saved with a model.
 *
 * @example
 * import { PolynomialDecay } from 'lr-schedules';
 * import { Adamax } from 'lr-schedules/tfjs';
 * import * as tf from '@tensorflow/tfjs';
 * const w = tf.variable(tf.tensor1d([1, 2, 3, 4]));
 * const optimizer = new Adamax({ learningRate: new PolynomialDecay(0.5, 20, 0.001) });
 * optimizer.applyGradients({ [w.name]: tf.tensor1d([1, 6, 7, 2]) }); // Keras's single-step test
 * Array.from(w.dataSync(), (x) => Math.round(x * 1e4) / 1e4); //=> [0.5, 1.5, 2.5, 3.5]
 * new Adamax().getConfig(); //=> { learningRate: 0.0010000000474974513, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, name: 'adamax' }
 * @throws {ScheduleOptionError} a negative or non-finite learning rate, `beta1` outside [0, 1) (in float32 too), `beta2`
 * outside [0, 1], `epsilon` not > 0, a bad base option, an unknown option.
 * @throws {ScheduleTypeError} an option of the wrong kind.
 * @see Keras `keras.optimizers.Adamax`
 */
export class Adamax extends KerasOptimizer<AdamaxConfig> {
  static override readonly kerasName = "Adamax";
  static override readonly fields = fields;
  /** Options that take this class's own code paths: the tests that cover every optimizer build one of each. */
  static readonly examples: readonly AdamaxOptions[] = [{}];
  private momentums: tf.Variable[] = [];
  private norms: tf.Variable[] = [];

  constructor(options?: AdamaxOptions);
  constructor(...args: OptionArguments<AdamaxOptions, [learningRate?: "learningRate", beta1?: "beta1", beta2?: "beta2", epsilon?: "epsilon", name?: "name"]>);
  constructor(...args: unknown[]) {
    super(...args);
  }

  protected build(variables: readonly tf.Variable[]): void {
    [this.momentums, this.norms] = this.addOptimizerVariables(variables, ["momentum", "norm"]);
  }

  protected updateStep(gradient: tf.Tensor, variable: tf.Variable, learningRate: number): void {
    const { beta1, beta2, epsilon } = this.config;
    const i = this.variableIndex(variable);
    const m = this.momentums[i]!;
    const u = this.norms[i]!;
    m.assign(tf.add(m, tf.mul(tf.sub(gradient, m), this.scalar(1 - beta1))));
    u.assign(tf.maximum(tf.mul(this.scalar(beta2), u), tf.abs(gradient)));
    const denominator = tf.mul(this.scalar(oneMinus(this.power(beta1))), tf.add(u, this.scalar(epsilon)));
    variable.assign(tf.sub(variable, tf.div(tf.mul(this.scalar(learningRate), m), denominator)));
  }
}
