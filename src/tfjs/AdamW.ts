import { type ConfigOf, type OptionArguments, type OptionsOf, option } from "../options.js";
import { Adam, adamOwnOptions, type AdamOptions } from "./Adam.js";
import { declareOptimizerOptions, optimizerOption } from "./optimizer.js";

/** Options of {@link AdamW}: Keras's arguments in camelCase, in Keras's positional order (the base options are added before `name`). */
const fields = declareOptimizerOptions({
  /** The learning rate: a finite number >= 0 or a schedule. @defaultValue 0.001 */
  learningRate: optimizerOption.learningRate(0.001),
  /**
   * Decoupled weight decay: before each update `w = w - w * weightDecay * lr` (a finite number >= 0; `null` is
   * refused, as in Keras). @defaultValue 0.004
   */
  weightDecay: option.number({ rule: "nonNegative" }, 0.004),
  ...adamOwnOptions,
  /** Keras's `name`. @defaultValue 'adam_w' */
  name: option.name("adam_w"),
});

/** The options of an {@link AdamW}: the declaration's and the base options', every one optional. */
export type AdamWOptions = OptionsOf<typeof fields>;

/** The validated options of an {@link AdamW}, every default filled in. */
export type AdamWConfig = ConfigOf<typeof fields>;

/**
 * AdamW, Keras's `AdamW`: {@link Adam} with decoupled weight decay, on by default. As in Keras, the decay is the base
 * option's (the variable shrinks by `w * weightDecay * lr`, in float32, before the Adam update), and the Adam update
 * is Adam's, bit for bit:
 *
 * ```text
 * w = w - w * weightDecay * lr                       (skipped for excludeFromWeightDecay's variables)
 * t = iterations + 1
 * alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t)
 * m = m + (g - m) * (1 - beta1)
 * v = v + (g^2 - v) * (1 - beta2)
 * amsgrad:  vHat = max(vHat, v), used in place of v
 * w = w - m * alpha / (sqrt(v) + epsilon)
 * ```
 * tf.js has no AdamW (no weight decay at all). `weightDecay` comes second, by position as in Keras's signature; the
 * slots are Adam's.
 *
 * @example
 * import { CosineDecay } from 'lr-schedules';
 * import { AdamW } from 'lr-schedules/tfjs';
 * import * as tf from '@tensorflow/tfjs';
 * const warm = new AdamW({ learningRate: new CosineDecay({ initialLearningRate: 0, decaySteps: 1000, warmupTarget: 1e-3, warmupSteps: 100 }) });
 * warm.learningRate; //=> 0 (the warm-up starts from 0)
 * const w = tf.variable(tf.tensor1d([1, 2, 3, 4]));
 * new AdamW(0.5).applyGradients({ [w.name]: tf.tensor1d([1, 6, 7, 2]) }); // Keras's own single-step test
 * Array.from(w.dataSync(), (x) => Math.round(x * 1e4) / 1e4); //=> [0.498, 1.496, 2.494, 3.492]
 * @throws {ScheduleOptionError} a negative or non-finite learning rate or `weightDecay`, `beta1` outside [0, 1)
 * (in float32 too), `beta2` outside [0, 1], `epsilon` not > 0, a bad base option, an unknown option.
 * @throws {ScheduleTypeError} an option of the wrong kind (a `weightDecay` of `null`).
 * @see Keras `keras.optimizers.AdamW`
 */
export class AdamW extends Adam {
  static override readonly kerasName = "AdamW";
  static override readonly fields = fields;
  /** Options that take this class's own code paths: the tests that cover every optimizer build one of each. */
  static override readonly examples: readonly AdamWOptions[] = [{ amsgrad: true }];

  constructor(options?: AdamWOptions);
  constructor(...args: OptionArguments<AdamWOptions, [learningRate?: "learningRate", weightDecay?: "weightDecay", beta1?: "beta1", beta2?: "beta2", epsilon?: "epsilon", amsgrad?: "amsgrad", name?: "name"]>);
  constructor(...args: unknown[]) {
    // The base reads the arguments with AdamW's table (weightDecay second); Adam's overloads only type them.
    super(...(args as [AdamOptions?]));
  }
}
