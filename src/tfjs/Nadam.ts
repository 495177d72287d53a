import * as tf from "@tensorflow/tfjs-core";
import { type ConfigOf, type OptionArguments, type OptionsOf, option } from "../options.js";
import { oneMinus } from "./kerasFloat32.js";
import { biasCorrectedBeta, KerasOptimizer, declareOptimizerOptions, optimizerOption } from "./optimizer.js";

/** Options of {@link Nadam}: Keras's arguments in camelCase, in Keras's positional order (the base options are added before `name`). */
const fields = declareOptimizerOptions({
  /** The learning rate: a finite number >= 0 or a schedule. @defaultValue 0.001 */
  learningRate: optimizerOption.learningRate(0.001),
  /** Decay rate of the first moment (Keras `beta_1`). A finite number in [0, 1]. @defaultValue 0.9 */
  beta1: option.number({ rule: "unit", keras: "beta_1" }, 0.9),
  /** Decay rate of the second moment (Keras `beta_2`). A finite number in [0, 1) (also in float32: at 1 the bias correction divides by 0). @defaultValue 0.999 */
  beta2: option.number({ rule: biasCorrectedBeta, keras: "beta_2" }, 0.999),
  /** Added to `sqrt(vHat)`. A finite number > 0. @defaultValue 1e-7 */
  epsilon: option.number({ rule: "positive" }, 1e-7),
  /** Keras's `name`. @defaultValue 'nadam' */
  name: option.name("nadam"),
});

/** The options of a {@link Nadam}: the declaration's and the base options', every one optional. */
export type NadamOptions = OptionsOf<typeof fields>;

/** The validated options of a {@link Nadam}, every default filled in. */
export type NadamConfig = ConfigOf<typeof fields>;

const fr = Math.fround;

/**
 * Nadam, Keras's `Nadam` (Adam with Nesterov momentum and Dozat's momentum schedule):
 *
 * ```text
 * t = iterations + 1
 * u(s) = beta1 * (1 - 0.5 * 0.96^s)
 * once per update:  uProduct = uProduct * beta1 * (1 - 0.5 * 0.96^t)        (uProduct starts at 1)
 * m = m + (g - m) * (1 - beta1)
 * v = v + (g^2 - v) * (1 - beta2)
 * mHat = u(t + 1) * m / (1 - uProduct * u(t + 1)) + (1 - u(t)) * g / (1 - uProduct)
 * vHat = v / (1 - beta2^t)
 * w = w - mHat * lr / (sqrt(vHat) + epsilon)
 * ```
 * Every operation is in float32 in Keras's order (here `1 - beta1` is a float32 subtraction, as in Keras's Nadam).
 * The slots are `<variable>/momentum` and `<variable>/velocity`, interleaved, then the scalar `u_product`, last, as in
 * Keras. tf.js has no Nadam.
 *
 * @example
 * import { InverseTimeDecay } from 'lr-schedules';
 * import { Nadam } from 'lr-schedules/tfjs';
 * import * as tf from '@tensorflow/tfjs';
 * const w = tf.variable(tf.tensor1d([1, 2, 3, 4]));
 * const optimizer = new Nadam({ learningRate: new InverseTimeDecay(0.5, 3, 0.5) });
 * optimizer.applyGradients({ [w.name]: tf.tensor1d([1, 6, 7, 2]) }); // Keras's single-step test
 * Array.from(w.dataSync(), (x) => Math.round(x * 1e4) / 1e4); //=> [0.4686, 1.4686, 2.4686, 3.4686]
 * new Nadam().getConfig(); //=> { learningRate: 0.0010000000474974513, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, name: 'nadam' }
 * @throws {ScheduleOptionError} a negative or non-finite learning rate, `beta1` outside [0, 1], `beta2` outside [0, 1)
 * (in float32 too), `epsilon` not > 0, a bad base option, an unknown option.
 * @throws {ScheduleTypeError} an option of the wrong kind.
 * @see Keras `keras.optimizers.Nadam`
 */
export class Nadam extends KerasOptimizer<NadamConfig> {
  static override readonly kerasName = "Nadam";
  static override readonly fields = fields;
  /** Options that take this class's own code paths: the tests that cover every optimizer build one of each. */
  static readonly examples: readonly NadamOptions[] = [{}];
  private momentums: tf.Variable[] = [];
  private velocities: tf.Variable[] = [];
  private uProduct: tf.Variable | null = null;
  /** This update's scalars shared by every variable, set by `applyUpdates` inside the update's tidy. */
  private current: { oneMinusUProduct: tf.Scalar; oneMinusNextUProduct: tf.Scalar } | null = null;

  constructor(options?: NadamOptions);
  constructor(...args: OptionArguments<NadamOptions, [learningRate?: "learningRate", beta1?: "beta1", beta2?: "beta2", epsilon?: "epsilon", name?: "name"]>);
  constructor(...args: unknown[]) {
    super(...args);
  }

  protected build(variables: readonly tf.Variable[]): void {
    [this.momentums, this.velocities] = this.addOptimizerVariables(variables, ["momentum", "velocity"]);
    this.uProduct = this.addVariable("u_product", [], 1);
  }

  /** `1 - 0.5 * 0.96^t`, the factor of Keras's momentum schedule at step `t`, in float32. */
  private decayFactor(t: number): number {
    return oneMinus(fr(0.5 * this.power(0.96, t)));
  }

  /** `beta1 * (1 - 0.5 * 0.96^t)`, Keras's momentum schedule, in float32. */
  private momentumAt(t: number): number {
    return fr(fr(this.config.beta1) * this.decayFactor(t));
  }

  /** Keras's `_backend_update_step` override: `uProduct` moves once per update, before any variable. */
  protected override applyUpdates(gradients: readonly tf.Tensor[], variables: readonly tf.Variable[], learningRate: number): void {
    const t = this.localStep;
    const uProduct = this.uProduct!;
    uProduct.assign(tf.mul(tf.mul(uProduct, this.scalar(this.config.beta1)), this.scalar(this.decayFactor(t))));
    const one = this.scalar(1);
    this.current = {
      oneMinusUProduct: tf.sub(one, uProduct),
      oneMinusNextUProduct: tf.sub(one, tf.mul(uProduct, this.scalar(this.momentumAt(t + 1)))),
    };
    try {
      super.applyUpdates(gradients, variables, learningRate);
    } finally {
      this.current = null;
    }
  }

  protected updateStep(gradient: tf.Tensor, variable: tf.Variable, learningRate: number): void {
    const { beta1, beta2, epsilon } = this.config;
    const { oneMinusUProduct, oneMinusNextUProduct } = this.current!;
    const t = this.localStep;
    const i = this.variableIndex(variable);
    const m = this.momentums[i]!;
    const v = this.velocities[i]!;
    m.assign(tf.add(m, tf.mul(tf.sub(gradient, m), this.scalar(oneMinus(beta1)))));
    v.assign(tf.add(v, tf.mul(tf.sub(tf.square(gradient), v), this.scalar(oneMinus(beta2)))));
    const mHat = tf.add(
      tf.div(tf.mul(this.scalar(this.momentumAt(t + 1)), m), oneMinusNextUProduct),
      tf.div(tf.mul(this.scalar(oneMinus(this.momentumAt(t))), gradient), oneMinusUProduct),
    );
    const vHat = tf.div(v, this.scalar(oneMinus(this.power(beta2, t))));
    variable.assign(tf.sub(variable, tf.div(tf.mul(mHat, this.scalar(learningRate)), tf.add(tf.sqrt(vHat), this.scalar(epsilon)))));
  }
}
