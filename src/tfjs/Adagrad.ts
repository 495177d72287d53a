import * as tf from "@tensorflow/tfjs-core";
import { type ConfigOf, type OptionArguments, type OptionsOf, option } from "../options.js";
import { KerasOptimizer, declareOptimizerOptions, optimizerOption } from "./optimizer.js";

/** Options of {@link Adagrad}: Keras's arguments in camelCase, in Keras's positional order (the base options are added before `name`). */
const fields = declareOptimizerOptions({
  /** The learning rate: a finite number >= 0 or a schedule. @defaultValue 0.001 */
  learningRate: optimizerOption.learningRate(0.001),
  /** The accumulators' starting value. A finite number >= 0. @defaultValue 0.1 */
  initialAccumulatorValue: option.number({ rule: "nonNegative" }, 0.1),
  /** Added to the accumulator inside the square root. A finite number > 0. @defaultValue 1e-7 */
  epsilon: option.number({ rule: "positive" }, 1e-7),
  /** Keras's `name`. @defaultValue 'adagrad' */
  name: option.name("adagrad"),
});

/** The options of an {@link Adagrad}: the declaration's and the base options', every one optional. */
export type AdagradOptions = OptionsOf<typeof fields>;

/** The validated options of an {@link Adagrad}, every default filled in. */
export type AdagradConfig = ConfigOf<typeof fields>;

/**
 * Adagrad, Keras's `Adagrad`:
 *
 * ```text
 * acc = acc + g^2                           (acc starts at initialAccumulatorValue)
 * w   = w - lr * g / sqrt(acc + epsilon)
 * ```
 * Every operation is a float32 tensor operation in Keras's order. The slot is `<variable>/accumulator`. tf.js's
 * `adagrad` has the same rule and defaults to a learning rate of 0.01 (Keras: 0.001).
 *
 * @example
 * import { InverseTimeDecay } from 'lr-schedules';
 * import { Adagrad } from 'lr-schedules/tfjs';
 * import * as tf from '@tensorflow/tfjs';
 * const w = tf.variable(tf.tensor1d([1, 2, 3, 4]));
 * const optimizer = new Adagrad({ learningRate: new InverseTimeDecay(0.5, 2, 0.3), initialAccumulatorValue: 0.1 });
 * optimizer.applyGradients({ [w.name]: tf.tensor1d([1, 6, 7, 2]) }); // Keras's single-step test
 * Array.from(w.dataSync(), (x) => Math.round(x * 1e4) / 1e4); //=> [0.5233, 1.5007, 2.5005, 3.5061]
 * new Adagrad().getConfig(); //=> { learningRate: 0.0010000000474974513, initialAccumulatorValue: 0.1, epsilon: 1e-7, name: 'adagrad' }
 * @throws {ScheduleOptionError} a negative or non-finite learning rate or `initialAccumulatorValue`, `epsilon` not > 0,
 * a bad base option, an unknown option.
 * @throws {ScheduleTypeError} an option of the wrong kind.
 * @see Keras `keras.optimizers.Adagrad`
 */
export class Adagrad extends KerasOptimizer<AdagradConfig> {
  static override readonly kerasName = "Adagrad";
  static override readonly fields = fields;
  /** Options that take this class's own code paths: the tests that cover every optimizer build one of each. */
  static readonly examples: readonly AdagradOptions[] = [{}];
  private accumulators: tf.Variable[] = [];

  constructor(options?: AdagradOptions);
  constructor(...args: OptionArguments<AdagradOptions, [learningRate?: "learningRate", initialAccumulatorValue?: "initialAccumulatorValue", epsilon?: "epsilon", name?: "name"]>);
  constructor(...args: unknown[]) {
    super(...args);
  }

  protected build(variables: readonly tf.Variable[]): void {
    this.accumulators = this.addOptimizerVariables(variables, "accumulator", this.config.initialAccumulatorValue);
  }

  protected updateStep(gradient: tf.Tensor, variable: tf.Variable, learningRate: number): void {
    const acc = this.accumulators[this.variableIndex(variable)]!;
    acc.assign(tf.add(acc, tf.square(gradient)));
    const step = tf.div(tf.mul(this.scalar(learningRate), gradient), tf.sqrt(tf.add(acc, this.scalar(this.config.epsilon))));
    variable.assign(tf.sub(variable, step));
  }
}
