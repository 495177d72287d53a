import * as tf from "@tensorflow/tfjs-core";
import { ScheduleOptionError, ScheduleTypeError } from "../errors.js";
import { isPlainObject, option, type ConfigOf, type Option, type OptionsOf } from "../options.js";
import type { LearningRateSchedule } from "../schedule.js";
import { adamStep, type AdamStepOps } from "./Adam.js";
import { escapeUnderscores, unescapeUnderscores } from "../keras/tfjsConfig.js";
import { compileNamePattern, NAME_PATTERN_EXPECTED, NamePatternError } from "./namePattern.js";
import { biasCorrectedBeta, declareOptimizerOptions, KerasOptimizer, optimizerOption } from "./optimizer.js";


const patternsExpected = "an array of regular expressions (strings)";
const excludeLayersOption: Option<readonly string[]> & {
  /** None: no layer is excluded by pattern. */
  readonly default: readonly string[];
} = {
  expected: patternsExpected,
  default: Object.freeze([]),
  nullIsDefault: true,
  check(value, owner, option) {
    if (!Array.isArray(value)) throw new ScheduleTypeError(owner, option, value, patternsExpected);
    return Object.freeze(
      value.map((pattern: unknown, i) => {
        if (typeof pattern !== "string") throw new ScheduleTypeError(owner, `${option}[${i}]`, pattern, "a string (a regular expression)");
        try {
          compileNamePattern(pattern);
        } catch (e) {
          if (!(e instanceof NamePatternError)) throw new ScheduleOptionError(owner, `${option}[${i}]`, pattern, "a valid JavaScript regular expression");
          throw new ScheduleOptionError(owner, `${option}[${i}]`, pattern, `${NAME_PATTERN_EXPECTED} (this one has ${e.reason})`);
        }
        return pattern;
      }),
    );
  },
};

/** Options of {@link Muon}: Keras's arguments in camelCase, in Keras's positional order (the base options are added before `name`). */
const fields = declareOptimizerOptions({
  /** The learning rate: a finite number >= 0 or a schedule. @defaultValue 0.001 */
  learningRate: optimizerOption.learningRate(0.001),
  /** AdamW's first-moment decay, for the variables AdamW updates (Keras `adam_beta_1`). A finite number in [0, 1) (also in float32: at 1 the bias correction divides by 0). @defaultValue 0.9 */
  adamBeta1: option.number({ rule: biasCorrectedBeta, keras: "adam_beta_1" }, 0.9),
  /** AdamW's second-moment decay (Keras `adam_beta_2`). A finite number in [0, 1]. @defaultValue 0.999 */
  adamBeta2: option.number({ rule: "unit", keras: "adam_beta_2" }, 0.999),
  /** Decoupled weight decay of the variables AdamW updates; `null` for none. A finite number >= 0 or null. @defaultValue 0.004 */
  adamWeightDecay: option.nullableNumber({ rule: "nonNegative" }, 0.004),
  /** AdamW's epsilon, added to `sqrt(v)`. A finite number > 0. @defaultValue 1e-7 */
  epsilon: option.number({ rule: "positive" }, 1e-7),
  /**
   * Decoupled weight decay of the variables Muon updates, `w = w - w * weightDecay * lr` before the step; `null` for
   * none. Keras's `weight_decay`, whose default Muon sets to 0.004. A finite number >= 0 or null. @defaultValue 0.004
   */
  weightDecay: option.nullableNumber({ rule: "nonNegative" }, 0.004),
  /**
   * Regular expressions (JavaScript syntax): a 2-D variable whose tf.js name (`<layer name>/<weight name>`, as
   * `output/kernel`) matches one of them, anywhere and case-sensitively, goes to AdamW. Typically the output layer's
   * name. Keras matches its variable path (`output/kernel`) the same way. Keras JSON holds them as given; `getConfig`
   * (what tf.js saves) writes each `_` as `\u005f`, the same regular expression, because tf.js's model loader rewrites
   * strings that hold `_`.
   *
   * The patterns may come from a saved config, so they are searched in time linear in the name's length (no
   * backtracking: `(a+)+$` is as fast as `a`), and what that cannot do is refused when the Muon is made: backreferences
   * (`\1`, `\k<name>`), lookarounds (`(?=`, `(?!`, `(?<=`, `(?<!`), octal (`\01`) and `\c` escapes. Everything else of
   * JavaScript's syntax without flags matches as `new RegExp(pattern).test(name)` does. At most 1000 characters, and at
   * most 10,000 states once `{n,m}` repetitions are written out. @defaultValue []
   */
  excludeLayers: excludeLayersOption,
  /** Send every variable whose name contains "embedding" (any case) to AdamW. @defaultValue true */
  excludeEmbeddings: option.boolean(true),
  /** Newton–Schulz coefficient a. A finite number. @defaultValue 3.4445 */
  muonA: option.number({}, 3.4445),
  /** Newton–Schulz coefficient b. A finite number. @defaultValue -4.775 */
  muonB: option.number({}, -4.775),
  /** Newton–Schulz coefficient c. A finite number. @defaultValue 2.0315 */
  muonC: option.number({}, 2.0315),
  /** AdamW's learning rate is `lr * adamLrRatio`. A finite number >= 0. @defaultValue 1 */
  adamLrRatio: option.number({ rule: "nonNegative" }, 1),
  /** Muon's momentum. A finite number in [0, 1]. @defaultValue 0.95 */
  momentum: option.number({ rule: "unit" }, 0.95),
  /** Newton–Schulz iterations. An integer >= 0. @defaultValue 5 */
  nsSteps: option.number({ rule: { min: 0, integer: true } }, 5),
  /** Use Nesterov momentum in Muon's step. @defaultValue true */
  nesterov: option.boolean(true),
  /**
   * Moonlight's scaling (Liu et al. 2025, https://arxiv.org/abs/2502.16982): Muon's step is multiplied by
   * `sqrt(max(rows, columns)) * rmsRate`, so that AdamW's learning rate and weight decay fit it; `null` for none. A
   * finite number >= 0 or null. @defaultValue 0.2
   */
  rmsRate: option.nullableNumber({ rule: "nonNegative" }, 0.2),
  /** Keras's `name`. @defaultValue 'muon' */
  name: option.name("muon"),
});

/** The options of a {@link Muon}: the declaration's and the base options', every one optional. */
export type MuonOptions = OptionsOf<typeof fields>;

/** The validated options of a {@link Muon}, every default filled in. */
export type MuonConfig = ConfigOf<typeof fields>;

const fr = Math.fround;

/**
 * Muon (MomentUm Orthogonalized by Newton–Schulz, https://github.com/KellerJordan/Muon), Keras's `Muon`: 2-D weights
 * take a momentum step orthogonalized by a few Newton–Schulz iterations; every other variable (biases, rank != 2,
 * embeddings, `excludeLayers`) takes an AdamW step.
 *
 * ```text
 * weight decay, before the steps: w = w - w * wd * lr      wd = adamWeightDecay (AdamW's) or weightDecay (Muon's)
 * Muon (2-D):   m = m + (g + m * (momentum - 1))             i.e. m = momentum * m + g
 *               G = nesterov ? g + momentum * m : m
 *               X = G, transposed if it has more rows than columns
 *               X = X / (||X||_F + 1e-7)
 *               nsSteps times:  A = X X^T;  B = b A + (c A) A;  X = a X + B X
 *               w = w - (lr * X) * sqrt(max(rows, columns)) * rmsRate    (no rmsRate factor when rmsRate is null)
 * AdamW:        lr' = lr * adamLrRatio;  t = iterations + 1
 *               m = m + (g - m) * (1 - adamBeta1);  v = v + (g^2 - v) * (1 - adamBeta2)
 *               w = w - m * (lr' * sqrt(1 - adamBeta2^t) / (1 - adamBeta1^t)) / (sqrt(v) + epsilon)
 * ```
 * Every operation is a float32 tensor operation in Keras's order (`momentum - 1` and `1 - adamBeta` are doubles rounded
 * once, as in Keras). A variable goes to AdamW when its rank is not 2, when `excludeEmbeddings` is set and its name
 * contains "embedding" (any case), or when a pattern of `excludeLayers` matches its name, as Keras routes by its
 * variable path; the choice is made once, when the slots are built (a reloaded model's variable names may carry a
 * `_1` suffix: anchor patterns at the layer name, not at the end). Weight decay skips the variables excluded with
 * `excludeFromWeightDecay`, as Keras's. The slots are, per variable in order, `<variable>/momentum`, then
 * `<variable>/velocity` for AdamW's variables only. tf.js has no Muon.
 *
 * @example
 * import { InverseTimeDecay } from 'lr-schedules';
 * import { Muon } from 'lr-schedules/tfjs';
 * import * as tf from '@tensorflow/tfjs';
 * const model = tf.sequential({ layers: [
 *   tf.layers.dense({ units: 8, activation: 'relu', inputShape: [4] }),
 *   tf.layers.dense({ units: 3, name: 'muonExampleHead' }),
 * ] });
 * // The hidden kernel takes Muon's step; the biases and the output layer (excluded by name) take AdamW's.
 * const optimizer = new Muon({ learningRate: new InverseTimeDecay(0.02, 100, 0.5), excludeLayers: ['^muonExampleHead/'] });
 * model.compile({ optimizer, loss: 'meanSquaredError' });
 * await model.fit(tf.ones([4, 4]), tf.ones([4, 3]), { epochs: 1, verbose: 0 });
 * const slots = (await optimizer.getWeights()).map((w) => w.name.replace(/^dense_Dense\d+\//, '').replace(/^muonExampleHead\//, 'head/'));
 * slots; //=> ['iter', 'kernel/momentum', 'bias/momentum', 'bias/velocity',
 * // 'head/kernel/momentum', 'head/kernel/velocity', 'head/bias/momentum', 'head/bias/velocity']
 * optimizer.dispose();
 * @throws {ScheduleOptionError} a negative or non-finite learning rate or `adamLrRatio`, a beta or `momentum` outside
 * [0, 1], `epsilon` not > 0, a negative weight decay or `rmsRate`, `nsSteps` not an integer >= 0, an invalid
 * regular expression in `excludeLayers` or one outside its subset (a backreference, a lookaround, more than 1000
 * characters: see `MuonOptions.excludeLayers`), an unknown option.
 * @throws {ScheduleTypeError} an option of the wrong kind (`excludeLayers` not an array of strings, a learning rate
 * that is neither a number nor a schedule).
 * @see Keras `keras.optimizers.Muon`
 */
export class Muon extends KerasOptimizer<MuonConfig> {
  static override readonly kerasName = "Muon";
  static override readonly fields = fields;
  /** Options that take this class's own code paths: the tests that cover every optimizer build one of each. */
  static readonly examples: readonly MuonOptions[] = [{}, { nesterov: false }];
  private momentums: tf.Variable[] = [];
  /** AdamW's second moments; `undefined` for the variables Muon updates, as Keras keeps `None` there. */
  private velocities: (tf.Variable | undefined)[] = [];
  /** The searches of `excludeLayers`, in linear time. */
  private readonly excluded: readonly ((name: string) => boolean)[];
  private readonly adamOps: AdamStepOps = { scalar: (x) => this.scalar(x), power: (base) => this.power(base) };

  constructor(options?: MuonOptions);
  constructor(learningRate?: number | LearningRateSchedule, adamBeta1?: number, adamBeta2?: number, adamWeightDecay?: number | null, epsilon?: number, options?: MuonOptions);
  constructor(...args: unknown[]) {
    super(...args);
    this.excluded = this.config.excludeLayers.map(compileNamePattern);
  }

  /**
   * The options, as tf.js saves them: each `_` of `excludeLayers` written `\u005f` (see `MuonOptions.excludeLayers`),
   * which {@link Muon.fromConfig} turns back.
   */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), excludeLayers: this.config.excludeLayers.map(escapeUnderscores) };
  }

  /** Builds a Muon from `getConfig()`'s output, `excludeLayers` back as given. */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    const patterns = isPlainObject(config) ? config.excludeLayers : undefined;
    if (!Array.isArray(patterns)) return super.fromConfig(cls, config);
    return super.fromConfig(cls, { ...config, excludeLayers: patterns.map((p) => (typeof p === "string" ? unescapeUnderscores(p) : p)) });
  }

  /** Keras's `_should_use_adamw`, on the tf.js variable name where Keras reads the variable path. */
  private usesAdamW(variable: tf.Variable): boolean {
    if (variable.rank !== 2) return true;
    if (this.config.excludeEmbeddings && variable.name.toLowerCase().includes("embedding")) return true;
    return this.excluded.some((search) => search(variable.name));
  }

  protected build(variables: readonly tf.Variable[]): void {
    this.momentums = [];
    this.velocities = [];
    for (const variable of variables) {
      this.momentums.push(this.addVariable(`${variable.name}/momentum`, variable.shape));
      this.velocities.push(this.usesAdamW(variable) ? this.addVariable(`${variable.name}/velocity`, variable.shape) : undefined);
    }
  }

  /**
   * Keras's Muon replaces the base weight decay: AdamW's variables decay by `adamWeightDecay`, Muon's by
   * `weightDecay`, each with the full learning rate.
   */
  protected override weightDecayFor(variable: tf.Variable): number | null {
    return this.velocities[this.variableIndex(variable)] ? this.config.adamWeightDecay : this.config.weightDecay;
  }

  protected updateStep(gradient: tf.Tensor, variable: tf.Variable, learningRate: number): void {
    const i = this.variableIndex(variable);
    const m = this.momentums[i]!;
    const v = this.velocities[i];
    if (v) {
      const { adamBeta1: beta1, adamBeta2: beta2, epsilon, adamLrRatio } = this.config;
      adamStep(this.adamOps, { beta1, beta2, epsilon }, gradient, variable, fr(learningRate * fr(adamLrRatio)), m, v);
    } else {
      this.muonStep(gradient, variable, learningRate, m);
    }
  }

  private muonStep(gradient: tf.Tensor, variable: tf.Variable, learningRate: number, m: tf.Variable): void {
    const c = this.config;
    m.assign(tf.add(m, tf.add(gradient, tf.mul(m, this.scalar(c.momentum - 1)))));
    const direction = c.nesterov ? tf.add(gradient, tf.mul(this.scalar(c.momentum), m)) : m;
    let update = tf.mul(this.scalar(learningRate), this.newtonSchulz(direction));
    if (c.rmsRate !== null) {
      const [rows, columns] = variable.shape as [number, number];
      update = tf.mul(tf.mul(update, this.scalar(fr(Math.sqrt(Math.max(rows, columns))))), this.scalar(c.rmsRate));
    }
    variable.assign(tf.sub(variable, update));
  }

  /** Keras's `zeropower_via_newtonschulz5`: an approximate orthogonalization of a 2-D tensor. */
  private newtonSchulz(g: tf.Tensor): tf.Tensor {
    const { muonA, muonB, muonC, nsSteps } = this.config;
    const [rows, columns] = g.shape as [number, number];
    const transposed = rows > columns;
    let x = transposed ? tf.transpose(g) : g;
    x = tf.div(x, tf.add(tf.sqrt(tf.sum(tf.square(x))), this.scalar(1e-7)));
    const a = this.scalar(muonA);
    const b = this.scalar(muonB);
    const cc = this.scalar(muonC);
    for (let k = 0; k < nsSteps; k++) {
      const xxT = tf.matMul(x, x, false, true);
      const poly = tf.add(tf.mul(b, xxT), tf.matMul(tf.mul(cc, xxT), xxT));
      x = tf.add(tf.mul(a, x), tf.matMul(poly, x));
    }
    return transposed ? tf.transpose(x) : x;
  }
}
