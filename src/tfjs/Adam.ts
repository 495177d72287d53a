import * as tf from "@tensorflow/tfjs-core";
import { booleanField, numberField, type Fields, type OptionArguments } from "../options.js";
import type { LearningRateSchedule } from "../schedule.js";
import { oneMinus } from "./kerasFloat32.js";
import { biasCorrectedBeta, KerasOptimizer, optimizerFields, type OptimizerOptions } from "./optimizer.js";

/** Options of {@link Adam}; Keras's arguments in camelCase (`beta_1` is `beta1`). */
export interface AdamOptions extends OptimizerOptions {
  /** The learning rate: a finite number >= 0 or a schedule. @defaultValue 0.001 */
  learningRate?: number | LearningRateSchedule;
  /** Decay rate of the first moment (Keras `beta_1`). A finite number in [0, 1) (also in float32: at 1 the bias correction divides by 0). @defaultValue 0.9 */
  beta1?: number;
  /** Decay rate of the second moment (Keras `beta_2`). A finite number in [0, 1]. @defaultValue 0.999 */
  beta2?: number;
  /** Added to `sqrt(v)`, Keras's "epsilon hat". A finite number > 0. @defaultValue 1e-7 */
  epsilon?: number;
  /** Use the AMSGrad variant (the largest second moment so far). @defaultValue false */
  amsgrad?: boolean;
}

/** The validated options of an {@link Adam}, every default filled in. */
export type AdamConfig = Readonly<Required<AdamOptions>>;

/** Adam's own options, in Keras's order; AdamW takes them after its `weightDecay`. */
export const adamOwnFields = {
  beta1: numberField("beta_1", biasCorrectedBeta, 0.9),
  beta2: numberField("beta_2", "unit", 0.999),
  epsilon: numberField("epsilon", "positive", 1e-7),
  amsgrad: booleanField("amsgrad", false),
};

const fields = optimizerFields({ learningRate: 0.001, name: "adam" }, adamOwnFields);

const fr = Math.fround;

/** What {@link adamStep} needs of the optimizer calling it, which are protected: its update's scalars and `beta ^ t`. */
export interface AdamStepOps {
  scalar(value: number): tf.Scalar;
  power(base: number): number;
}

/**
 * Keras's Adam update of one variable and its moments (see {@link Adam}); with `vHat`, AMSGrad's. Muon's AdamW step
 * is the same rule, so both run this one.
 */
export function adamStep(
  ops: AdamStepOps,
  { beta1, beta2, epsilon }: { beta1: number; beta2: number; epsilon: number },
  gradient: tf.Tensor,
  variable: tf.Variable,
  learningRate: number,
  m: tf.Variable,
  v: tf.Variable,
  vHat?: tf.Variable,
): void {
  const alpha = fr(fr(learningRate * fr(Math.sqrt(oneMinus(ops.power(beta2))))) / oneMinus(ops.power(beta1)));
  m.assign(tf.add(m, tf.mul(tf.sub(gradient, m), ops.scalar(1 - beta1))));
  v.assign(tf.add(v, tf.mul(tf.sub(tf.square(gradient), v), ops.scalar(1 - beta2))));
  let second: tf.Tensor = v;
  if (vHat) {
    vHat.assign(tf.maximum(vHat, v));
    second = vHat;
  }
  variable.assign(tf.sub(variable, tf.div(tf.mul(m, ops.scalar(alpha)), tf.add(tf.sqrt(second), ops.scalar(epsilon)))));
}

/**
 * Adam, Keras's `Adam`, with Keras 3's update rule (the bias correction folded into the step size, epsilon added to
 * the uncorrected `sqrt(v)`):
 *
 * ```text
 * t = iterations + 1
 * alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t)
 * m = m + (g - m) * (1 - beta1)
 * v = v + (g^2 - v) * (1 - beta2)
 * amsgrad:  vHat = max(vHat, v), used in place of v
 * w = w - m * alpha / (sqrt(v) + epsilon)
 * ```
 * The scalars are computed in float32 as Keras computes them (`beta^t` and `alpha` from float32 operations,
 * `1 - beta` in double then rounded); the slots are `<variable>/momentum` and `<variable>/velocity`, interleaved, then
 * `<variable>/velocity_hat` with `amsgrad`. tf.js's `adam` adds epsilon after the bias correction instead.
 *
 * @example
 * import { CosineDecay } from 'lr-schedules';
 * import { Adam } from 'lr-schedules/tfjs';
 * const optimizer = new Adam({ learningRate: new CosineDecay(1e-3, 1000), amsgrad: true });
 * optimizer.learningRate; //=> 0.0010000000474974513
 * new Adam().getConfig(); //=> { learningRate: 0.0010000000474974513, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false, name: 'adam' }
 * @throws {ScheduleOptionError} a negative or non-finite learning rate, `beta1` outside [0, 1) (in float32 too), `beta2`
 * outside [0, 1], `epsilon` not > 0, an unknown option.
 * @throws {ScheduleTypeError} an option of the wrong kind (a learning rate that is neither a number nor a schedule).
 * @see Keras `keras.optimizers.Adam`
 */
export class Adam extends KerasOptimizer<AdamConfig> {
  // Typed wide so that AdamW, a subclass as in Keras, can set its own.
  static override readonly kerasName: string = "Adam";
  static override readonly fields: Fields = fields;
  /** Options that take this class's own code paths: the tests that cover every optimizer build one of each. */
  static readonly examples: readonly AdamOptions[] = [{}, { amsgrad: true }];
  private momentums: tf.Variable[] = [];
  private velocities: tf.Variable[] = [];
  /** Empty without `amsgrad`, so that `adamStep` gets no `vHat`. */
  private velocityHats: tf.Variable[] = [];
  private readonly adamOps: AdamStepOps = { scalar: (x) => this.scalar(x), power: (base) => this.power(base) };

  constructor(options?: AdamOptions);
  constructor(...args: OptionArguments<AdamOptions, [learningRate?: "learningRate", beta1?: "beta1", beta2?: "beta2", epsilon?: "epsilon", amsgrad?: "amsgrad", name?: "name"]>);
  constructor(...args: unknown[]) {
    super(...args);
  }

  protected build(variables: readonly tf.Variable[]): void {
    [this.momentums, this.velocities] = this.addOptimizerVariables(variables, ["momentum", "velocity"]);
    this.velocityHats = this.config.amsgrad ? this.addOptimizerVariables(variables, "velocity_hat") : [];
  }

  protected updateStep(gradient: tf.Tensor, variable: tf.Variable, learningRate: number): void {
    const i = this.variableIndex(variable);
    adamStep(this.adamOps, this.config, gradient, variable, learningRate, this.momentums[i]!, this.velocities[i]!, this.velocityHats[i]);
  }
}
