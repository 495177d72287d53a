import * as tf from "@tensorflow/tfjs-core";
import { type ConfigOf, type Fields, type OptionArguments, type OptionsOf, option } from "../options.js";
import { oneMinus } from "./kerasFloat32.js";
import { biasCorrectedBeta, KerasOptimizer, declareOptimizerOptions, optimizerOption } from "./optimizer.js";

/** Adam's own options, in Keras's order; AdamW takes them after its `weightDecay`. */
export const adamOwnOptions = {
  /** Decay rate of the first moment (Keras `beta_1`). A finite number in [0, 1) (also in float32: at 1 the bias correction divides by 0). @defaultValue 0.9 */
  beta1: option.number({ rule: biasCorrectedBeta, keras: "beta_1" }, 0.9),
  /** Decay rate of the second moment (Keras `beta_2`). A finite number in [0, 1]. @defaultValue 0.999 */
  beta2: option.number({ rule: "unit", keras: "beta_2" }, 0.999),
  /** Added to `sqrt(v)`, Keras's "epsilon hat". A finite number > 0. @defaultValue 1e-7 */
  epsilon: option.number({ rule: "positive" }, 1e-7),
  /** Use the AMSGrad variant (the largest second moment so far). @defaultValue false */
  amsgrad: option.boolean(false),
};

/** Options of {@link Adam}: Keras's arguments in camelCase, in Keras's positional order (the base options are added before `name`). */
const fields = declareOptimizerOptions({
  /** The learning rate: a finite number >= 0 or a schedule. @defaultValue 0.001 */
  learningRate: optimizerOption.learningRate(0.001),
  ...adamOwnOptions,
  /** Keras's `name`. @defaultValue 'adam' */
  name: option.name("adam"),
});

/** The options of an {@link Adam}: the declaration's and the base options', every one optional. */
export type AdamOptions = OptionsOf<typeof fields>;

/** The validated options of an {@link Adam}, every default filled in. */
export type AdamConfig = ConfigOf<typeof fields>;

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
