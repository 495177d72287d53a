import * as tf from "@tensorflow/tfjs-core";
import { type ConfigOf, type OptionArguments, type OptionsOf, option } from "../options.js";
import { declareOptimizerOptions, KerasOptimizer, optimizerOption } from "./optimizer.js";

/** Options of {@link SignDescent}. */
const fields = declareOptimizerOptions({
  /** The learning rate. @defaultValue 0.01 */
  learningRate: optimizerOption.learningRate(0.01),
  /** Scale of the step. A finite number > 0. @defaultValue 1 */
  scale: option.number({ rule: "positive" }, 1),
  /** Keras's `name`. @defaultValue 'sign_descent' */
  name: option.name("sign_descent"),
});

/** The options of a {@link SignDescent}. */
export type SignDescentOptions = OptionsOf<typeof fields>;
/** The validated options of a {@link SignDescent}. */
export type SignDescentConfig = ConfigOf<typeof fields>;

/**
 * Sign descent (scratch class for counting files): `w = w - lr * scale * sign(g)`.
 *
 * @example
 * import { SignDescent } from 'lr-schedules/tfjs';
 * new SignDescent().getConfig().scale; //=> 1
 */
export class SignDescent extends KerasOptimizer<SignDescentConfig> {
  static override readonly kerasName = "SignDescent";
  static override readonly fields = fields;
  static readonly examples: readonly SignDescentOptions[] = [{}];

  constructor(options?: SignDescentOptions);
  constructor(...args: OptionArguments<SignDescentOptions, [learningRate?: "learningRate", scale?: "scale", name?: "name"]>);
  constructor(...args: unknown[]) {
    super(...args);
  }

  protected build(): void {}

  protected updateStep(gradient: tf.Tensor, variable: tf.Variable, learningRate: number): void {
    variable.assign(tf.sub(variable, tf.mul(tf.sign(gradient), this.scalar(learningRate * this.config.scale))));
  }
}
