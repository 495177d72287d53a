import * as tf from "@tensorflow/tfjs-core";
import { type ConfigOf, type OptionArguments, type OptionsOf, option } from "../options.js";
import { oneMinus } from "./kerasFloat32.js";
import { KerasOptimizer, declareOptimizerOptions, optimizerOption } from "./optimizer.js";

/** Options of {@link Lion}: Keras's arguments in camelCase, in Keras's positional order (the base options are added before `name`). */
const fields = declareOptimizerOptions({
  /** The learning rate: a finite number >= 0 or a schedule. @defaultValue 0.001 */
  learningRate: optimizerOption.learningRate(0.001),
  /**
   * How much of the momentum goes into the sign taken for the update (Keras `beta_1`). A finite number in (0, 1]:
   * at 0 Lion degenerates to signSGD, which Keras refuses. @defaultValue 0.9
   */
  beta1: option.number({ rule: { min: 0, minOpen: true, max: 1, because: "at 0, Lion degenerates to signSGD" }, keras: "beta_1" }, 0.9),
  /** Decay rate of the momentum (Keras `beta_2`). A finite number in [0, 1]. @defaultValue 0.99 */
  beta2: option.number({ rule: "unit", keras: "beta_2" }, 0.99),
  /** Keras's `name`. @defaultValue 'lion' */
  name: option.name("lion"),
});

/** The options of a {@link Lion}: the declaration's and the base options', every one optional. */
export type LionOptions = OptionsOf<typeof fields>;

/** The validated options of a {@link Lion}, every default filled in. */
export type LionConfig = ConfigOf<typeof fields>;

/**
 * Lion (evolved sign momentum, Chen et al. 2023, https://arxiv.org/abs/2302.06675), Keras's `Lion`: every weight
 * moves by exactly `lr` per step, in the direction of the sign of a blend of momentum and gradient.
 *
 * ```text
 * w = w - lr * sign(m * beta1 + g * (1 - beta1))       sign(0) = 0
 * m = m * beta2 + g * (1 - beta2)                      after the weights, so the update sees the old m
 * ```
 * Every operation is a float32 tensor operation in Keras's order; `1 - beta1` and `1 - beta2` are float32
 * subtractions from the float32 betas, as Keras computes them. One slot, `<variable>/momentum`. Since each step is
 * ±lr, Lion wants a learning rate 3–10× smaller than AdamW's. tf.js has no Lion.
 *
 * @example
 * import { CosineDecay } from 'lr-schedules';
 * import { Lion } from 'lr-schedules/tfjs';
 * import * as tf from '@tensorflow/tfjs';
 * const w = tf.variable(tf.tensor1d([1, 2, 3]));
 * const optimizer = new Lion({ learningRate: new CosineDecay(0.5, 100) });
 * optimizer.applyGradients([{ name: w.name, tensor: tf.tensor1d([0.3, -2, 0]) }]);
 * Array.from(w.dataSync()); //=> [0.5, 2.5, 3] (each weight moves by lr = 0.5, or not at all when its gradient is 0)
 * new Lion().getConfig(); //=> { learningRate: 0.0010000000474974513, beta1: 0.9, beta2: 0.99, name: 'lion' }
 * optimizer.dispose();
 * @throws {ScheduleOptionError} a negative or non-finite learning rate, `beta1` outside (0, 1], `beta2` outside
 * [0, 1], an unknown option.
 * @throws {ScheduleTypeError} an option of the wrong kind (a learning rate that is neither a number nor a schedule).
 * @see Keras `keras.optimizers.Lion`
 */
export class Lion extends KerasOptimizer<LionConfig> {
  static override readonly kerasName = "Lion";
  static override readonly fields = fields;
  /** Options that take this class's own code paths: the tests that cover every optimizer build one of each. */
  static readonly examples: readonly LionOptions[] = [{}];
  private momentums: tf.Variable[] = [];

  constructor(options?: LionOptions);
  constructor(...args: OptionArguments<LionOptions, [learningRate?: "learningRate", beta1?: "beta1", beta2?: "beta2", name?: "name"]>);
  constructor(...args: unknown[]) {
    super(...args);
  }

  protected build(variables: readonly tf.Variable[]): void {
    this.momentums = this.addOptimizerVariables(variables, "momentum");
  }

  protected updateStep(gradient: tf.Tensor, variable: tf.Variable, learningRate: number): void {
    const { beta1, beta2 } = this.config;
    const m = this.momentums[this.variableIndex(variable)]!;
    const direction = tf.sign(tf.add(tf.mul(m, this.scalar(beta1)), tf.mul(gradient, this.scalar(oneMinus(beta1)))));
    variable.assign(tf.sub(variable, tf.mul(this.scalar(learningRate), direction)));
    m.assign(tf.add(tf.mul(m, this.scalar(beta2)), tf.mul(gradient, this.scalar(oneMinus(beta2)))));
  }
}
