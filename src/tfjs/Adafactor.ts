import * as tf from "@tensorflow/tfjs-core";
import { type ConfigOf, type OptionArguments, type OptionsOf, option } from "../options.js";
import { oneMinus } from "./kerasFloat32.js";
import { KerasOptimizer, declareOptimizerOptions, optimizerOption } from "./optimizer.js";

/** Options of {@link Adafactor}: Keras's arguments in camelCase, in Keras's positional order (the base options are added before `name`). */
const fields = declareOptimizerOptions({
  /** The learning rate: a finite number >= 0 or a schedule; each step caps it at `1 / sqrt(t)`. @defaultValue 0.001 */
  learningRate: optimizerOption.learningRate(0.001),
  /** The second moment's decay is `1 - t^beta2Decay` at step `t` (Keras `beta_2_decay`). A finite number. @defaultValue -0.8 */
  beta2Decay: option.number({ keras: "beta_2_decay" }, -0.8),
  /** Added to the squared gradient (Keras `epsilon_1`). A finite number > 0. @defaultValue 1e-30 */
  epsilon1: option.number({ rule: "positive", keras: "epsilon_1" }, 1e-30),
  /** The smallest weight scale `max(epsilon2, rms(w))` the step is relative to (Keras `epsilon_2`). A finite number > 0. @defaultValue 0.001 */
  epsilon2: option.number({ rule: "positive", keras: "epsilon_2" }, 1e-3),
  /** The update is scaled down to an RMS of at most this (Keras `clip_threshold`). A finite number > 0. @defaultValue 1 */
  clipThreshold: option.number({ rule: "positive" }, 1),
  /**
   * Keras's `relative_step`: caps a number learning rate at `1 / sqrt(t)`. Keras caps every learning rate at
   * `1 / sqrt(t)` whatever this says, so it changes nothing; kept for Keras's config. @defaultValue true
   */
  relativeStep: option.boolean(true),
  /** Keras's `name`. @defaultValue 'adafactor' */
  name: option.name("adafactor"),
});

/** The options of an {@link Adafactor}: the declaration's and the base options', every one optional. */
export type AdafactorOptions = OptionsOf<typeof fields>;

/** The validated options of an {@link Adafactor}, every default filled in. */
export type AdafactorConfig = ConfigOf<typeof fields>;

const fr = Math.fround;

/**
 * Adafactor (Shazeer & Stern 2018, https://arxiv.org/abs/1804.04235), Keras's `Adafactor`: Adam-like steps without
 * a first moment, whose second moment is stored factored (a row and a column mean) for variables of rank >= 2, and
 * whose step is relative to the weights' scale.
 *
 * ```text
 * t = iterations + 1
 * rho = min(lr, 1 / sqrt(t))                        every learning rate is capped, as in Keras
 * alpha = max(epsilon2, rms(w)) * rho               rms over the whole variable
 * G = g^2 + epsilon1
 * b = 1 - t^beta2Decay                              0 at t = 1
 * rank >= 2:  r = b * r + (1 - b) * mean(G, last axis)
 *             c = b * c + (1 - b) * mean(G, second-last axis)
 *             v = (r / mean(r, last axis))[..., None] * c[..., None, :]      (recomputed, not averaged)
 * rank < 2:   v = b * v + (1 - b) * G
 * u = g / sqrt(v)
 * w = w - alpha * u / max(1, rms(u) / clipThreshold)
 * ```
 * Every operation is a float32 tensor operation in Keras's order; a mean is a sum then one division, as Keras's. The
 * slots are, per variable in order, `<variable>/r` and `<variable>/c` (the factored row and column moments; for a
 * variable of rank < 2, two unused scalars that Keras also creates) and `<variable>/velocity`. Keras names `r` and
 * `c` after the variable alone; here they carry the names of Keras's attributes. tf.js has no Adafactor.
 *
 * @example
 * import { Adafactor } from 'lr-schedules/tfjs';
 * import * as tf from '@tensorflow/tfjs';
 * const w = tf.variable(tf.tensor2d([[1, 2], [3, 4]]));
 * const optimizer = new Adafactor(0.5);
 * optimizer.applyGradients([{ name: w.name, tensor: tf.tensor2d([[1, 6], [7, 2]]) }]);
 * Array.from(w.dataSync()).map((x) => Math.round(x * 1e4) / 1e4); //=> [0.7007, -0.0081, 1.2492, 3.4407] (Keras's own test)
 * optimizer.getConfig().beta2Decay; //=> -0.8
 * optimizer.dispose();
 * @throws {ScheduleOptionError} a negative or non-finite learning rate, a non-finite `beta2Decay`, `epsilon1`,
 * `epsilon2` or `clipThreshold` not > 0, an unknown option.
 * @throws {ScheduleTypeError} an option of the wrong kind (a learning rate that is neither a number nor a schedule).
 * @see Keras `keras.optimizers.Adafactor`
 */
export class Adafactor extends KerasOptimizer<AdafactorConfig> {
  static override readonly kerasName = "Adafactor";
  static override readonly fields = fields;
  /** Options that take this class's own code paths: the tests that cover every optimizer build one of each. */
  static readonly examples: readonly AdafactorOptions[] = [{}];
  private rows: tf.Variable[] = [];
  private columns: tf.Variable[] = [];
  private velocities: tf.Variable[] = [];

  constructor(options?: AdafactorOptions);
  constructor(...args: OptionArguments<AdafactorOptions, [learningRate?: "learningRate", beta2Decay?: "beta2Decay", epsilon1?: "epsilon1", epsilon2?: "epsilon2", clipThreshold?: "clipThreshold", relativeStep?: "relativeStep", name?: "name"]>);
  constructor(...args: unknown[]) {
    super(...args);
  }

  protected build(variables: readonly tf.Variable[]): void {
    this.rows = [];
    this.columns = [];
    this.velocities = [];
    for (const variable of variables) {
      const shape = variable.shape;
      const factored = shape.length >= 2;
      this.rows.push(this.addVariable(`${variable.name}/r`, factored ? shape.slice(0, -1) : []));
      this.columns.push(this.addVariable(`${variable.name}/c`, factored ? [...shape.slice(0, -2), shape[shape.length - 1]!] : []));
      this.velocities.push(this.addVariable(`${variable.name}/velocity`, shape));
    }
  }

  /** Keras's `ops.mean`: the sum, then one division by the count (tf.js's `mean` divides each element first). */
  private mean(x: tf.Tensor, axis?: number, keepDims = false): tf.Tensor {
    const count = axis === undefined ? x.size : x.shape.at(axis)!;
    return tf.div(tf.sum(x, axis, keepDims), this.scalar(count));
  }

  /** Root mean square over every element. */
  private rms(x: tf.Tensor): tf.Tensor {
    return tf.sqrt(this.mean(tf.square(x)));
  }

  protected updateStep(gradient: tf.Tensor, variable: tf.Variable, learningRate: number): void {
    const c = this.config;
    const i = this.variableIndex(variable);
    const v = this.velocities[i]!;
    const t = this.localStep;
    const rho = Math.min(learningRate, fr(1 / fr(Math.sqrt(t))));
    const alpha = tf.mul(tf.maximum(this.scalar(c.epsilon2), this.rms(variable)), this.scalar(rho));
    const g2 = tf.add(tf.square(gradient), this.scalar(c.epsilon1));
    const b = oneMinus(this.power(t, c.beta2Decay));
    const keep = this.scalar(b);
    const take = this.scalar(oneMinus(b));
    if (variable.rank >= 2) {
      const r = this.rows[i]!;
      const col = this.columns[i]!;
      r.assign(tf.add(tf.mul(keep, r), tf.mul(take, this.mean(g2, -1))));
      col.assign(tf.add(tf.mul(keep, col), tf.mul(take, this.mean(g2, -2))));
      v.assign(tf.mul(tf.expandDims(tf.div(r, this.mean(r, -1, true)), -1), tf.expandDims(col, -2)));
    } else {
      v.assign(tf.add(tf.mul(keep, v), tf.mul(take, g2)));
    }
    const u = tf.div(gradient, tf.sqrt(v));
    const uHat = tf.div(u, tf.maximum(this.scalar(1), tf.div(this.rms(u), this.scalar(c.clipThreshold))));
    variable.assign(tf.sub(variable, tf.mul(alpha, uHat)));
  }
}
