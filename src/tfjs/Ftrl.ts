import * as tf from "@tensorflow/tfjs-core";
import { type ConfigOf, type OptionArguments, type OptionsOf, option } from "../options.js";
import { KerasOptimizer, declareOptimizerOptions, optimizerOption } from "./optimizer.js";

/** Options of {@link Ftrl}: Keras's arguments in camelCase, in Keras's positional order (the base options are added before `name`). */
const fields = declareOptimizerOptions({
  /**
   * The learning rate: a finite number > 0 (Ftrl divides by it, so 0 would make every weight NaN), or a schedule,
   * whose rate is checked at each update: a step where it is 0 throws before anything changes (a warm-up from 0, as
   * `LinearWarmup`'s default, must start above 0). @defaultValue 0.001
   */
  learningRate: optimizerOption.learningRate(0.001),
  /**
   * How the per-coordinate rate falls as squared gradients accumulate: `lr / n^(-learningRatePower)`. A finite number
   * <= 0; 0 keeps the rate fixed. @defaultValue -0.5
   */
  learningRatePower: option.number({ rule: { max: 0 } }, -0.5),
  /**
   * The starting value of the accumulator `n`. A finite number >= 0. At 0 with no L2 (`l2RegularizationStrength` and
   * `beta` 0), a gradient element that is 0 while its accumulator is still 0 gives 0 / 0: that weight becomes NaN, as
   * in Keras, which takes 0 too. @defaultValue 0.1
   */
  initialAccumulatorValue: option.number({ rule: "nonNegative" }, 0.1),
  /** L1 strength: coordinates whose `|linear|` stays below it are set to exactly 0. A finite number >= 0. @defaultValue 0 */
  l1RegularizationStrength: option.number({ rule: "nonNegative" }, 0),
  /** L2 strength, a penalty inside the closed-form update. A finite number >= 0. @defaultValue 0 */
  l2RegularizationStrength: option.number({ rule: "nonNegative" }, 0),
  /** L2 shrinkage strength, a penalty added to the gradient (`g + 2 * l2Shrinkage * w`). A finite number >= 0. @defaultValue 0 */
  l2ShrinkageRegularizationStrength: option.number({ rule: "nonNegative" }, 0),
  /** Added to the L2 strength as `beta / (2 * lr)`: the paper's beta. A finite number >= 0. @defaultValue 0 */
  beta: option.number({ rule: "nonNegative" }, 0),
  /** Keras's `name`. @defaultValue 'ftrl' */
  name: option.name("ftrl"),
});

/** The options of an {@link Ftrl}: the declaration's and the base options', every one optional. */
export type FtrlOptions = OptionsOf<typeof fields>;

/** The validated options of an {@link Ftrl}, every default filled in. */
export type FtrlConfig = ConfigOf<typeof fields>;

const fr = Math.fround;

/**
 * Follow The Regularized Leader (McMahan et al. 2013, https://research.google.com/pubs/archive/41159.pdf), Keras's
 * `Ftrl`: a per-coordinate rate from accumulated squared gradients, and a closed-form update from the accumulated
 * `linear` term, which sets weights to exactly 0 under L1.
 *
 * ```text
 * p = -learningRatePower
 * l2 = l2RegularizationStrength + beta / (2 * lr)
 * gs = g + 2 * l2ShrinkageRegularizationStrength * w          (the shrinkage term only; nNew uses the raw g)
 * nNew = n + g^2
 * linear = linear + gs - (nNew^p - n^p) / lr * w
 * quadratic = nNew^p / lr + 2 * l2
 * w = (clip(linear, -l1, l1) - linear) / quadratic            (w is replaced, not updated)
 * n = nNew
 * ```
 * Every operation is a float32 tensor operation in Keras's order (`2 * l2ShrinkageRegularizationStrength` is a double
 * product rounded once, as in Keras). The slots are `<variable>/accumulator` (starting at `initialAccumulatorValue`)
 * and `<variable>/linear`, interleaved per variable. tf.js has no Ftrl.
 *
 * @example
 * import { Ftrl } from 'lr-schedules/tfjs';
 * import * as tf from '@tensorflow/tfjs';
 * const w = tf.variable(tf.tensor1d([0.5, -0.5]));
 * const optimizer = new Ftrl({ learningRate: 0.1, l1RegularizationStrength: 1 });
 * optimizer.applyGradients([{ name: w.name, tensor: tf.tensor1d([0.1, -0.2]) }]);
 * Array.from(w.dataSync()); //=> [0, 0] (|linear| is below l1, so L1 sets both weights to 0)
 * optimizer.getConfig().initialAccumulatorValue; //=> 0.1
 * optimizer.dispose();
 * @throws {ScheduleOptionError} a learning rate that is not a finite number > 0 (Ftrl divides by it; a schedule is
 * checked at each update, which throws before changing anything if the rate is 0), `learningRatePower` > 0, a negative
 * `initialAccumulatorValue`, regularization strength or `beta`, an unknown option.
 * @throws {ScheduleTypeError} an option of the wrong kind (a learning rate that is neither a number nor a schedule).
 * @see Keras `keras.optimizers.Ftrl`
 */
export class Ftrl extends KerasOptimizer<FtrlConfig> {
  static override readonly kerasName = "Ftrl";
  static override readonly fields = fields;
  /** Options that take this class's own code paths: the tests that cover every optimizer build one of each. */
  static readonly examples: readonly FtrlOptions[] = [
    { l1RegularizationStrength: 0.001, l2RegularizationStrength: 0.001, l2ShrinkageRegularizationStrength: 0.001, beta: 0.1 },
  ];
  static override readonly dividesByRate = true;
  private accumulators: tf.Variable[] = [];
  private linears: tf.Variable[] = [];

  constructor(options?: FtrlOptions);
  constructor(...args: OptionArguments<FtrlOptions, [learningRate?: "learningRate", learningRatePower?: "learningRatePower", initialAccumulatorValue?: "initialAccumulatorValue", l1RegularizationStrength?: "l1RegularizationStrength", l2RegularizationStrength?: "l2RegularizationStrength", l2ShrinkageRegularizationStrength?: "l2ShrinkageRegularizationStrength", beta?: "beta", name?: "name"]>);
  constructor(...args: unknown[]) {
    super(...args);
  }

  protected build(variables: readonly tf.Variable[]): void {
    this.accumulators = [];
    this.linears = [];
    // Interleaved per variable as Keras's add_optimizer_variables, but with a different initial value per slot.
    for (const variable of variables) {
      this.accumulators.push(this.addVariable(`${variable.name}/accumulator`, variable.shape, this.config.initialAccumulatorValue));
      this.linears.push(this.addVariable(`${variable.name}/linear`, variable.shape, 0));
    }
  }

  protected updateStep(gradient: tf.Tensor, variable: tf.Variable, learningRate: number): void {
    const c = this.config;
    const i = this.variableIndex(variable);
    const n = this.accumulators[i]!;
    const linear = this.linears[i]!;
    const lr = this.scalar(learningRate);
    const power = this.scalar(-c.learningRatePower);
    const l2 = fr(fr(c.l2RegularizationStrength) + fr(fr(c.beta) / fr(2 * learningRate)));
    const shrunk = tf.add(gradient, tf.mul(this.scalar(2 * c.l2ShrinkageRegularizationStrength), variable));
    const nNew = tf.add(n, tf.square(gradient));
    const nNewPower = tf.pow(nNew, power);
    linear.assign(tf.add(linear, tf.sub(shrunk, tf.mul(tf.div(tf.sub(nNewPower, tf.pow(n, power)), lr), variable))));
    const quadratic = tf.add(tf.div(nNewPower, lr), this.scalar(fr(2 * l2)));
    const l1 = fr(c.l1RegularizationStrength);
    variable.assign(tf.div(tf.sub(tf.clipByValue(linear, -l1, l1), linear), quadratic));
    n.assign(nNew);
  }
}
