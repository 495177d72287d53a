import * as tf from "@tensorflow/tfjs-core";
import { type ConfigOf, type OptionArguments, type OptionsOf, option } from "../options.js";
import { oneMinus } from "./kerasFloat32.js";
import { biasCorrectedBeta, KerasOptimizer, declareOptimizerOptions, optimizerOption } from "./optimizer.js";

/** Options of {@link ScheduleFreeAdamW}: Keras's arguments in camelCase, in Keras's positional order (the base options are added before `name`). */
const fields = declareOptimizerOptions({
  /** The learning rate: a finite number >= 0 or a schedule (the method is meant for a constant one). @defaultValue 0.0025 */
  learningRate: optimizerOption.learningRate(0.0025),
  /**
   * How far the weights sit between the average `x` and the step sequence `z` (Keras `beta_1`): `y = (1 - beta1) z +
   * beta1 x`. A finite number in (0, 1]: at 0, `x` could not be recovered from `y` and `z`. @defaultValue 0.9
   */
  beta1: option.number({ rule: { min: 0, minOpen: true, max: 1 }, keras: "beta_1" }, 0.9),
  /** Decay rate of the second moment (Keras `beta_2`). A finite number in [0, 1) (also in float32: at 1 the bias correction divides by 0). @defaultValue 0.999 */
  beta2: option.number({ rule: biasCorrectedBeta, keras: "beta_2" }, 0.999),
  /** Added to the bias-corrected `sqrt(v)`. A finite number > 0. @defaultValue 1e-8 */
  epsilon: option.number({ rule: "positive" }, 1e-8),
  /** Steps of linear warm-up: the rate is `lr * min(t / warmupSteps, 1)`; 0 for none. An integer >= 0. @defaultValue 0 */
  warmupSteps: option.number({ rule: { min: 0, integer: true } }, 0),
  /** Keras's `name`. @defaultValue 'schedule_free_adam_w' */
  name: option.name("schedule_free_adam_w"),
});

/** The options of a {@link ScheduleFreeAdamW}: the declaration's and the base options', every one optional. */
export type ScheduleFreeAdamWOptions = OptionsOf<typeof fields>;

/** The validated options of a {@link ScheduleFreeAdamW}, every default filled in. */
export type ScheduleFreeAdamWConfig = ConfigOf<typeof fields>;

const fr = Math.fround;

/**
 * Schedule-free AdamW (Defazio et al. 2024, https://arxiv.org/abs/2405.15682), Keras's `ScheduleFreeAdamW`: no
 * learning-rate decay is needed, because the weights are an interpolation between a running average `x` and the
 * sequence of plain steps `z`.
 *
 * ```text
 * t = iterations + 1
 * lr = lr * min(t / warmupSteps, 1)                 only when warmupSteps > 0
 * x = (w - (1 - beta1) * z) / beta1                 the average, recovered from the weights and the old z
 * v = v + (g^2 - v) * (1 - beta2)
 * z = z - lr * g / (sqrt(v / (1 - beta2^t)) + epsilon)
 * x = (1 - 1/t) * x + (1/t) * z                     uniform average
 * w = (1 - beta1) * z + beta1 * x
 * ```
 * Every operation is a float32 tensor operation in Keras's order (`1 - beta1`, `1 - beta2` and `1/t` are float32
 * operations, as in Keras). The slots are `<variable>/momentum` (the paper's `z`, starting at the weights) and
 * `<variable>/velocity`, interleaved.
 *
 * This follows the published algorithm, as Keras's JAX backend computes it: `x` is recovered from the `z` of before
 * this step. Keras's TensorFlow backend reads `z` after updating it, which departs from the algorithm from the second
 * step on; that is not reproduced. As in Keras, the weights always hold `y` (where gradients are taken): there is no
 * switch to evaluate at `x`. tf.js has no schedule-free optimizer.
 *
 * @example
 * import { ScheduleFreeAdamW } from 'lr-schedules/tfjs';
 * import * as tf from '@tensorflow/tfjs';
 * const w = tf.variable(tf.tensor1d([1, 2, 3, 4]));
 * const optimizer = new ScheduleFreeAdamW({ learningRate: 0.5, warmupSteps: 2 });
 * optimizer.applyGradients([{ name: w.name, tensor: tf.tensor1d([1, 6, 7, 2]) }]);
 * Array.from(w.dataSync()); //=> [0.75, 1.75, 2.75, 3.75] (step 1 moves each weight by lr / 2, the rate halved by warm-up)
 * optimizer.getConfig().warmupSteps; //=> 2
 * optimizer.dispose();
 * @throws {ScheduleOptionError} a negative or non-finite learning rate, `beta1` outside (0, 1], `beta2` outside [0, 1)
 * (in float32 too),
 * `epsilon` not > 0, `warmupSteps` not an integer >= 0, an unknown option.
 * @throws {ScheduleTypeError} an option of the wrong kind (a learning rate that is neither a number nor a schedule).
 * @see Keras `keras.optimizers.ScheduleFreeAdamW`
 */
export class ScheduleFreeAdamW extends KerasOptimizer<ScheduleFreeAdamWConfig> {
  static override readonly kerasName = "ScheduleFreeAdamW";
  static override readonly fields = fields;
  /** Options that take this class's own code paths: the tests that cover every optimizer build one of each. */
  static readonly examples: readonly ScheduleFreeAdamWOptions[] = [{ warmupSteps: 100 }];
  private momentums: tf.Variable[] = [];
  private velocities: tf.Variable[] = [];

  constructor(options?: ScheduleFreeAdamWOptions);
  constructor(...args: OptionArguments<ScheduleFreeAdamWOptions, [learningRate?: "learningRate", beta1?: "beta1", beta2?: "beta2", epsilon?: "epsilon", warmupSteps?: "warmupSteps", name?: "name"]>);
  constructor(...args: unknown[]) {
    super(...args);
  }

  protected build(variables: readonly tf.Variable[]): void {
    [this.momentums, this.velocities] = this.addOptimizerVariables(variables, ["momentum", "velocity"]);
    // z starts at the weights (z0 = x0 = y0); a restored z overwrites this afterwards.
    tf.tidy(() => variables.forEach((variable, i) => this.momentums[i]!.assign(tf.clone(variable))));
  }

  protected updateStep(gradient: tf.Tensor, variable: tf.Variable, learningRate: number): void {
    const { beta1, beta2, epsilon, warmupSteps } = this.config;
    const t = this.localStep;
    const lr = warmupSteps > 0 ? fr(learningRate * Math.min(fr(t / fr(warmupSteps)), 1)) : learningRate;
    const oneMinusBeta1 = this.scalar(oneMinus(beta1));
    const i = this.variableIndex(variable);
    const z = this.momentums[i]!;
    const v = this.velocities[i]!;
    // x from the z of before this step (the algorithm; Keras's JAX backend): computed before z is assigned.
    const xOld = tf.div(tf.sub(variable, tf.mul(oneMinusBeta1, z)), this.scalar(beta1));
    const biasCorrection2 = oneMinus(this.power(beta2));
    v.assign(tf.add(v, tf.mul(tf.sub(tf.square(gradient), v), this.scalar(oneMinus(beta2)))));
    const denominator = tf.add(tf.sqrt(tf.div(v, this.scalar(biasCorrection2))), this.scalar(epsilon));
    z.assign(tf.sub(z, tf.div(tf.mul(this.scalar(lr), gradient), denominator)));
    const weight = fr(1 / t);
    const xNew = tf.add(tf.mul(this.scalar(oneMinus(weight)), xOld), tf.mul(this.scalar(weight), z));
    variable.assign(tf.add(tf.mul(oneMinusBeta1, z), tf.mul(this.scalar(beta1), xNew)));
  }
}
