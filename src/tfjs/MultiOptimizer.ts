/**
 * Keras's per-layer optimizers: `OptimizerMap` (variable names to optimizers, exact names first, then regular
 * expressions, a default for the rest) and `MultiOptimizer` (a tf.js optimizer that hands each variable's gradient to
 * its optimizer).
 */
import * as tf from "@tensorflow/tfjs-core";
import { ScheduleOptionError, ScheduleTypeError } from "../errors.js";
import { kerasEnvelope, readEnvelope, type Keras3Object } from "../keras/envelope.js";
import { escapeUnderscores, unescapeUnderscores } from "../keras/tfjsConfig.js";
import { isPlainObject } from "../plainObject.js";
import { compileNamePattern, NAME_PATTERN_EXPECTED, NamePatternError } from "./namePattern.js";
import { KerasOptimizer, optimizerFields, PREPARE_UPDATE } from "./optimizer.js";
import type { VariablesOrModel } from "./movingAverage.js";
import type { NamedTensor } from "./slots.js";

/** The optimizer of a variable, chosen by a function: Keras's callable `optimizer_map`. */
export type OptimizerSelector = (variable: tf.Variable) => KerasOptimizer;

/** Options of {@link MultiOptimizer} besides its map. */
export interface MultiOptimizerOptions {
  /** The optimizer's name. @defaultValue 'multi_optimizer' */
  name?: string;
}

const MAP = "OptimizerMap";

/** An inner optimizer as Keras takes it: a faithful optimizer, not a MultiOptimizer. */
function checkInner(owner: string, option: string, optimizer: unknown): KerasOptimizer {
  if (!(optimizer instanceof KerasOptimizer)) throw new ScheduleTypeError(owner, option, optimizer, "a Keras-faithful optimizer of lr-schedules/tfjs (SGD, Adam, ...)");
  if (optimizer instanceof MultiOptimizer) throw new ScheduleOptionError(owner, option, optimizer.getClassName(), "an optimizer that is not a MultiOptimizer (Keras: optimizer cannot be MultiOptimizer)");
  return optimizer;
}

/**
 * Variable names to optimizers, Keras's `OptimizerMap`: `get(name)` is the optimizer of the key equal to `name`;
 * otherwise the one whose key, as a regular expression, matches the whole name (Python's `re.fullmatch`:
 * `'encoder/.*'` matches `encoder/dense/kernel`, `'encoder'` only `encoder`); otherwise the default. A name that two
 * or more keys match, none equal to it, is an error, as in Keras.
 *
 * Keras matches the variable's path, which starts with the model's name (`sequential/encoder/kernel`); tf.js names a
 * layer's variable `<layer>/<weight>` (`encoder/kernel`, with `_1` after it when the name was taken): start patterns
 * with `.*` (`'.*encoder/.*'`) to match both. Keys come from saved configs, so they are matched in time linear in the
 * name's length: see `MuonOptions.excludeLayers` for the subset of regular expressions accepted.
 *
 * @example
 * import { Adam, OptimizerMap, RMSprop, SGD } from 'lr-schedules/tfjs';
 * const adam = new Adam();
 * const sgd = new SGD();
 * const map = new OptimizerMap(new RMSprop(), { 'encoder/layer_0/dense': adam });
 * map.set('encoder/.*', sgd);
 * map.get('encoder/layer_0/dense') === adam; //=> true (the exact key first)
 * map.get('encoder/layer_0/attention/query') === sgd; //=> true
 * map.get('decoder/dense') === map.defaultOptimizer; //=> true
 * @throws {ScheduleOptionError} a key set twice, a key outside the regular expressions accepted, a MultiOptimizer as
 * an optimizer; from `get`, a name that two keys match.
 * @throws {ScheduleTypeError} a default or optimizer that is not a Keras-faithful optimizer, a key that is not a string.
 * @see Keras `keras.optimizers.OptimizerMap`
 */
export class OptimizerMap {
  readonly #default: KerasOptimizer;
  readonly #entries = new Map<string, { optimizer: KerasOptimizer; matches: (name: string) => boolean }>();

  constructor(defaultOptimizer: KerasOptimizer, optimizerMap?: Readonly<Record<string, KerasOptimizer>> | ReadonlyMap<string, KerasOptimizer> | null) {
    this.#default = checkInner(MAP, "defaultOptimizer", defaultOptimizer);
    if (optimizerMap == null) return;
    const entries = optimizerMap instanceof Map ? [...optimizerMap] : isPlainObject(optimizerMap) ? Object.entries(optimizerMap) : null;
    if (!entries) throw new ScheduleTypeError(MAP, "optimizerMap", optimizerMap, "an object or Map of names and patterns to optimizers");
    for (const [key, optimizer] of entries) this.set(key, optimizer);
  }

  /** The optimizer of the variables no key matches. */
  get defaultOptimizer(): KerasOptimizer {
    return this.#default;
  }

  /** The number of keys (the default not counted). */
  get size(): number {
    return this.#entries.size;
  }

  /** The keys and their optimizers, in the order they were set. */
  *entries(): IterableIterator<[string, KerasOptimizer]> {
    for (const [key, { optimizer }] of this.#entries) yield [key, optimizer];
  }

  /** Maps `key`, a variable name or a regular expression for whole names, to `optimizer`. */
  set(key: string, optimizer: KerasOptimizer): this {
    if (typeof key !== "string") throw new ScheduleTypeError(MAP, "key", key, "a string: a variable name or a regular expression");
    if (this.#entries.has(key)) throw new ScheduleOptionError(MAP, "key", key, "a key not already in the map (Keras refuses duplicated keys)");
    checkInner(MAP, `optimizerMap[${JSON.stringify(key)}]`, optimizer);
    let matches: (name: string) => boolean;
    try {
      matches = compileNamePattern(`^(?:${key})$`);
    } catch (e) {
      if (!(e instanceof NamePatternError || e instanceof SyntaxError)) throw e;
      throw new ScheduleOptionError(MAP, "key", key, `${NAME_PATTERN_EXPECTED} (${e.message})`);
    }
    this.#entries.set(key, { optimizer, matches });
    return this;
  }

  /** Removes `key`; whether it was there. */
  delete(key: string): boolean {
    return this.#entries.delete(key);
  }

  /** The optimizer of the variable named `name`: the exact key, else the one key that matches, else the default. */
  get(name: string): KerasOptimizer {
    const exact = this.#entries.get(name);
    if (exact) return exact.optimizer;
    const matching = [...this.#entries].filter(([, e]) => e.matches(name));
    if (matching.length > 1) {
      throw new ScheduleOptionError(MAP, "variable", name, `a name at most one key matches; ${matching.map(([k]) => JSON.stringify(k)).join(" and ")} match it (Keras: multiple optimizers assigned to variable)`);
    }
    return matching[0]?.[1].optimizer ?? this.#default;
  }
}

/** A map or selector as the MultiOptimizer's constructor takes it. */
function checkMap(map: unknown): OptimizerMap | OptimizerSelector {
  if (map instanceof OptimizerMap || typeof map === "function") return map as OptimizerMap | OptimizerSelector;
  throw new ScheduleTypeError("MultiOptimizer", "optimizerMap", map, "an OptimizerMap, or a function from a variable to an optimizer");
}

/** The tf.js name of an inner optimizer's weight `name`, the `k`-th optimizer's. */
const innerWeight = /^optimizers\/(\d+)\/(.+)$/;

/**
 * Different optimizers (and so different learning rates and schedules) for different variables, Keras's
 * `MultiOptimizer`: each update hands each variable's gradient to the optimizer its {@link OptimizerMap} (or selector
 * function) gives for the variable's name, chosen once per variable. Each inner optimizer counts its own updates (an
 * optimizer none of whose variables had a gradient does not), and so runs its own schedule; `iterations` counts the
 * MultiOptimizer's updates. Usable as a tf.js model's optimizer (`model.compile({ optimizer: multi })`).
 *
 * The inner optimizers, {@link MultiOptimizer.optimizers}, are in Keras's order: the map's optimizers in the order of
 * their keys (each once), then the default, then any a selector function gives, as it first gives it. `getWeights`
 * saves `iter` (the MultiOptimizer's count), then each inner optimizer's weights, in that order, named
 * `optimizers/<k>/<name>` (`optimizers/0/iter`, `optimizers/0/dense/kernel/m`...); `setWeights` checks every inner
 * optimizer's weights as it checks its own, and a refused restore changes nothing; every inner optimizer's share of an
 * update is checked before any applies, so a refused update changes none. Like Keras's, it has no learning
 * rate of its own: set and read the inner optimizers'.
 *
 * Keras JSON (`optimizerToKeras`, `optimizerFromKeras`) is Keras's `{optimizer_map: OptimizerMap{default_optimizer,
 * optimizer_map}, loss_scale_factor, name}`; a selector function has none. `restoreKerasCheckpoint` and
 * `saveKerasCheckpoint` read and write a MultiOptimizer's state in a `.keras` file as Keras does (its own variables and
 * every inner optimizer's under `optimizer/vars`, each inner optimizer's again under `optimizer/optimizers/<name>/vars`),
 * routing the model's variables by their Keras paths ({@link MultiOptimizer.routeByPath}).
 *
 * @example
 * import { CosineDecay } from 'lr-schedules';
 * import { Adam, MultiOptimizer, OptimizerMap, SGD } from 'lr-schedules/tfjs';
 * import * as tf from '@tensorflow/tfjs';
 * const model = tf.sequential({ layers: [
 *   tf.layers.dense({ units: 3, inputShape: [2], name: 'multiExampleBody' }),
 *   tf.layers.dense({ units: 1, name: 'multiExampleHead' }),
 * ] });
 * const head = new Adam({ learningRate: new CosineDecay(0.01, 100) });
 * const multi = new MultiOptimizer(new OptimizerMap(new SGD(0.001), { '.*multiExampleHead/.*': head }));
 * model.compile({ optimizer: multi, loss: 'meanSquaredError' });
 * await model.fit(tf.ones([4, 2]), tf.zeros([4, 1]), { epochs: 2, batchSize: 2, verbose: 0 });
 * multi.iterations; //=> 4
 * multi.optimizers.map((o) => o.getConfig().name); //=> ['adam', 'sgd']
 * head.iterations; //=> 4
 * @throws {ScheduleOptionError} a MultiOptimizer as an inner optimizer, a variable name two keys match (at the update),
 * weights that do not fit.
 * @throws {ScheduleTypeError} a map that is neither an OptimizerMap nor a function, a selector that gives something
 * else than a faithful optimizer; reading `learningRate`.
 * @see Keras `keras.optimizers.MultiOptimizer`
 */
export class MultiOptimizer extends KerasOptimizer {
  static override readonly kerasName = "MultiOptimizer";
  static override readonly fields = optimizerFields({ learningRate: 0, name: "multi_optimizer" }, {});
  /** The map or selector function the variables are routed by. */
  readonly optimizerMap: OptimizerMap | OptimizerSelector;
  readonly #optimizers: KerasOptimizer[] = [];
  /** Each variable's optimizer, as an index into `#optimizers`, chosen when the variable is first seen. */
  readonly #route = new Map<tf.Variable, number>();
  #savedIterations: tf.Tensor | null = null;
  /** The inner optimizers that have applied an update through this one: their slots are built. */
  readonly #applied = new Set<KerasOptimizer>();
  /**
   * After a `setWeights` whose weights some inner optimizers keep until their first update, the counts before it (this
   * one's, then each inner optimizer's): a first update that refuses them undoes the whole restore.
   */
  #restoredBefore: { calls: number; inner: number[] } | null = null;

  constructor(optimizerMap: OptimizerMap | OptimizerSelector, options: MultiOptimizerOptions = {}) {
    super({ name: options.name ?? "multi_optimizer" });
    this.optimizerMap = checkMap(optimizerMap);
    if (optimizerMap instanceof OptimizerMap) {
      for (const [, optimizer] of optimizerMap.entries()) this.#include(optimizer);
      this.#include(optimizerMap.defaultOptimizer);
    }
  }

  /** The inner optimizers, in Keras's order (see the class). */
  get optimizers(): readonly KerasOptimizer[] {
    return [...this.#optimizers];
  }

  #include(optimizer: KerasOptimizer): number {
    const k = this.#optimizers.indexOf(optimizer);
    return k >= 0 ? k : this.#optimizers.push(optimizer) - 1;
  }

  /** The index of `variable`'s optimizer, chosen the first time. */
  #routeOf(variable: tf.Variable): number {
    let k = this.#route.get(variable);
    if (k === undefined) {
      const map = this.optimizerMap;
      const optimizer = map instanceof OptimizerMap ? map.get(variable.name) : checkInner("MultiOptimizer", `optimizerMap(${variable.name})`, map(variable));
      k = this.#include(optimizer);
      this.#route.set(variable, k);
    }
    return k;
  }

  /**
   * Routes `variable` by `path`, where its tf.js name would route it, before its first update: Keras routes a
   * variable by its path (`<layer>/<weight>` in a model `load_model` built, `<model>/<layer>/<weight>` in one built in
   * Python), which a tf.js model's names need not follow (`dense_Dense1/kernel`). `restoreKerasCheckpoint` routes a
   * restored model's variables by the paths Keras gives them. Returns the optimizer chosen.
   *
   * @example
   * import { Adam, MultiOptimizer, OptimizerMap, SGD } from 'lr-schedules/tfjs';
   * import * as tf from '@tensorflow/tfjs';
   * const head = new Adam();
   * const multi = new MultiOptimizer(new OptimizerMap(new SGD(), { 'head/kernel': head }));
   * const kernel = tf.variable(tf.zeros([2, 2]), true, 'routeByPathExample/kernel');
   * multi.routeByPath(kernel, 'head/kernel') === head; //=> true
   * multi.applyGradients({ [kernel.name]: tf.ones([2, 2]) });
   * head.iterations; //=> 1
   * @throws {ScheduleOptionError} a variable already routed to another optimizer; a path two keys match.
   * @throws {ScheduleTypeError} `variable` is not a tf.Variable, `path` not a string; a selector function for a map.
   */
  routeByPath(variable: tf.Variable, path: string): KerasOptimizer {
    const owner = "MultiOptimizer.routeByPath";
    if (!(variable instanceof tf.Variable)) throw new ScheduleTypeError(owner, "variable", variable, "a tf.Variable");
    if (typeof path !== "string") throw new ScheduleTypeError(owner, "path", path, "a string: the variable's path in Keras");
    const optimizer = this.#mapOrRefuse(owner).get(path);
    const k = this.#include(optimizer);
    const routed = this.#route.get(variable);
    if (routed !== undefined && routed !== k) {
      throw new ScheduleOptionError(owner, "variable", variable.name, `a variable not yet routed (it goes to ${this.#optimizers[routed]!.getConfig().name}, its optimizer since its first update)`);
    }
    this.#route.set(variable, k);
    return optimizer;
  }

  /** Keras's MultiOptimizer has no learning rate: read the inner optimizers'. */
  override get learningRate(): number {
    throw new ScheduleTypeError("MultiOptimizer", "learningRate", "a read", "no access: a MultiOptimizer has no learning rate of its own; use its optimizers' (multi.optimizers)");
  }

  override set learningRate(value: unknown) {
    throw new ScheduleTypeError("MultiOptimizer", "learningRate", value, "no assignment: a MultiOptimizer has no learning rate of its own; set its optimizers' (multi.optimizers)");
  }

  /**
   * Hands each gradient to its variable's optimizer: every variable is routed first (an ambiguous name throws before
   * any update), every inner optimizer's share is checked, then their slots built (checking restored weights), then
   * each inner optimizer with at least one gradient applies its share, in the inner order. A refused call changes no
   * inner optimizer; a first update that refuses weights `setWeights` restored undoes that whole restore, as a single
   * optimizer does.
   */
  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const list = Array.isArray(variableGradients) ? variableGradients : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    if (list.length === 0) return;
    const registered = tf.engine().registeredVariables;
    const shares: NamedTensor[][] = [];
    for (const g of list) {
      const variable = Object.hasOwn(registered, g.name) ? registered[g.name] : undefined;
      if (!variable) throw new ScheduleOptionError("MultiOptimizer", "variable", g.name, "the name of a tf.js variable");
      (shares[this.#routeOf(variable)] ??= []).push(g);
    }
    const used = shares.flatMap((share, k) => (share.some((g) => g.tensor != null) ? [k] : []));
    if (used.length === 0) {
      throw new ScheduleOptionError("MultiOptimizer", "gradients", `[${list.map((g) => g.name).join(", ")}]`, "a gradient for at least one variable (no gradients provided for any variable)");
    }
    const updates = used.map((k) => this.#optimizers[k]![PREPARE_UPDATE](shares[k]!));
    try {
      for (const update of updates) update?.build();
    } catch (e) {
      this.#undoRestore();
      throw e;
    }
    updates.forEach((update, i) => {
      update?.apply();
      this.#applied.add(this.#optimizers[used[i]!]!);
    });
    this.#restoredBefore = null;
    this.iterations_ = this.iterations + 1;
  }

  /**
   * After an inner optimizer refused the weights `setWeights` restored (at the build of its slots, its first update;
   * it has undone its own restore): the others that had not updated yet drop theirs too (their slots, their restored
   * weights), and every count goes back to what it was before `setWeights`.
   */
  #undoRestore(): void {
    const before = this.#restoredBefore;
    if (!before) return;
    this.#optimizers.forEach((optimizer, k) => {
      // One a selector function gave since had no weights restored.
      if (this.#applied.has(optimizer) || k >= before.inner.length) return;
      optimizer.dispose();
      optimizer.iterations = before.inner[k]!;
    });
    this.iterations_ = before.calls;
    this.#restoredBefore = null;
  }

  /** Each inner optimizer's `finalizeVariableValues` with its own variables (its moving averages, with `useEma`). */
  override finalizeVariableValues(target: VariablesOrModel): void {
    let variables: tf.Variable[];
    if (Array.isArray(target)) variables = target as tf.Variable[];
    else if (target != null && Array.isArray((target as { trainableWeights?: unknown }).trainableWeights)) {
      variables = (target as Exclude<VariablesOrModel, readonly tf.Variable[]>).trainableWeights.map((w) => w.read() as tf.Variable);
    } else throw new ScheduleTypeError("MultiOptimizer", "target", target, "a tf.LayersModel or an array of tf.Variable");
    const shares: tf.Variable[][] = [];
    for (const v of variables) (shares[this.#routeOf(v)] ??= []).push(v);
    shares.forEach((share, k) => this.#optimizers[k]!.finalizeVariableValues(share));
  }

  /** `iter` (the MultiOptimizer's count), then each inner optimizer's weights as `optimizers/<k>/<name>`. */
  override async getWeights(): Promise<NamedTensor[]> {
    this.#savedIterations?.dispose();
    this.#savedIterations = tf.scalar(this.iterations, "int32");
    const out: NamedTensor[] = [{ name: "iter", tensor: this.#savedIterations }];
    for (const [k, optimizer] of this.#optimizers.entries()) {
      for (const w of await optimizer.getWeights()) out.push({ name: `optimizers/${k}/${w.name}`, tensor: w.tensor });
    }
    return out;
  }

  /**
   * Restores `getWeights()`'s output: `iter`, then each inner optimizer's weights, handed to its `setWeights` (which
   * checks them); if one refuses, the inner optimizers restored before it get their weights back.
   */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const owner = "MultiOptimizer";
    if (!Array.isArray(weightValues)) throw new ScheduleTypeError(owner, "weights", weightValues, "an array of { name, tensor }, as getWeights() returns");
    const [first, ...rest] = weightValues;
    if (first?.name !== "iter" || !(first.tensor instanceof tf.Tensor) || first.tensor.isDisposed || first.tensor.size !== 1) {
      throw new ScheduleOptionError(owner, "weights[0]", first?.name, `"iter", the number of updates (a live scalar), first`);
    }
    const calls = (await first.tensor.data())[0]!;
    const shares: NamedTensor[][] = this.#optimizers.map(() => []);
    rest.forEach((w, i) => {
      const m = typeof w?.name === "string" ? innerWeight.exec(w.name) : null;
      const k = m ? Number(m[1]) : -1;
      if (!m || !(k < shares.length)) {
        throw new ScheduleOptionError(owner, `weights[${i + 1}]`, w?.name, `optimizers/<k>/<name>, a weight of one of the ${shares.length} inner optimizers`);
      }
      shares[k]!.push({ name: m[2]!, tensor: w.tensor });
    });
    shares.forEach((share, k) => {
      if (share[0]?.name !== "iter") throw new ScheduleOptionError(owner, `weights (optimizers/${k})`, share[0]?.name, `optimizers/${k}/iter first: every inner optimizer's weights`);
    });
    const callsBefore = this.iterations;
    const innerBefore = this.#optimizers.map((o) => o.iterations);
    this.iterations = calls; // checks the count first
    const before: NamedTensor[][] = [];
    try {
      for (const [k, optimizer] of this.#optimizers.entries()) {
        before.push((await optimizer.getWeights()).map((w) => ({ name: w.name, tensor: tf.clone(w.tensor) })));
        await optimizer.setWeights(shares[k]!);
      }
    } catch (e) {
      // The optimizers restored before the one that refused go back to what they held: weights restored into an
      // optimizer without slots yet are dropped with dispose (a restore of its `iter` alone would await slots).
      for (const [k, weights] of before.slice(0, -1).entries()) {
        const optimizer = this.#optimizers[k]!;
        if (this.#applied.has(optimizer) || weights.length > 1) await optimizer.setWeights(weights);
        else {
          optimizer.dispose();
          optimizer.iterations = innerBefore[k]!;
        }
      }
      this.iterations_ = callsBefore;
      throw e;
    } finally {
      tf.dispose(before.flat().map((w) => w.tensor));
    }
    if (this.#optimizers.some((o) => !this.#applied.has(o))) this.#restoredBefore ??= { calls: callsBefore, inner: innerBefore };
  }

  /** Frees the inner optimizers' slots too. */
  override dispose(): void {
    for (const optimizer of this.#optimizers) optimizer.dispose();
    this.#applied.clear();
    this.#restoredBefore = null;
    this.#savedIterations?.dispose();
    this.#savedIterations = null;
    super.dispose();
  }

  /** Never called: the MultiOptimizer's inner optimizers build their own slots. */
  protected build(): void {}

  /** Never called: `applyGradients` hands each gradient to its inner optimizer. */
  protected updateStep(): void {}

  #mapOrRefuse(owner: string): OptimizerMap {
    if (this.optimizerMap instanceof OptimizerMap) return this.optimizerMap;
    throw new ScheduleTypeError(owner, "optimizerMap", "a function", "an OptimizerMap: a selector function has no config");
  }

  /**
   * tf.js's config: the inner optimizers' class names and configs, keys written as Muon writes its patterns (each
   * `_` as `\u005f`, which tf.js's loader leaves alone).
   */
  override getConfig(): tf.serialization.ConfigDict {
    const map = this.#mapOrRefuse("MultiOptimizer.getConfig");
    const inner = (o: KerasOptimizer) => ({ className: o.getClassName(), config: o.getConfig() });
    return {
      defaultOptimizer: inner(map.defaultOptimizer),
      optimizerMap: [...map.entries()].map(([key, o]) => [escapeUnderscores(key), inner(o)]),
      name: escapeUnderscores(this.config.name),
    } as unknown as tf.serialization.ConfigDict;
  }

  /** A MultiOptimizer from `getConfig()`'s output, as `tf.loadLayersModel` builds it. */
  static override fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    const owner = "MultiOptimizer.fromConfig";
    const registered = tf.serialization.SerializationMap.getMap().classNameMap;
    const inner = (json: unknown, option: string): KerasOptimizer => {
      const entry = isPlainObject(json) && typeof json.className === "string" && Object.hasOwn(registered, json.className) ? registered[json.className] : undefined;
      if (!entry || !isPlainObject(json) || !isPlainObject(json.config)) throw new ScheduleTypeError(owner, option, json, "{ className, config } of a registered optimizer");
      return entry[1](entry[0], json.config as tf.serialization.ConfigDict) as unknown as KerasOptimizer;
    };
    const pairs = Array.isArray(config.optimizerMap) ? (config.optimizerMap as unknown[]) : null;
    if (!pairs) throw new ScheduleTypeError(owner, "optimizerMap", config.optimizerMap, "an array of [key, optimizer] pairs");
    const map = new OptimizerMap(inner(config.defaultOptimizer, "defaultOptimizer"));
    pairs.forEach((pair, i) => {
      if (!Array.isArray(pair) || typeof pair[0] !== "string") throw new ScheduleTypeError(owner, `optimizerMap[${i}]`, pair, "a [key, optimizer] pair");
      map.set(unescapeUnderscores(pair[0]), inner(pair[1], `optimizerMap[${i}]`));
    });
    const name = typeof config.name === "string" ? unescapeUnderscores(config.name) : undefined;
    return new (cls as unknown as typeof MultiOptimizer)(map, name === undefined ? {} : { name }) as unknown as T;
  }

  /**
   * Keras 3 JSON, as Keras's `serialize` writes it; `write` writes each inner optimizer (`optimizerToKeras`, which
   * calls this).
   */
  toKeras(write: (optimizer: KerasOptimizer) => Keras3Object): Keras3Object {
    const map = this.#mapOrRefuse("optimizerToKeras");
    const parts = { module: "keras.optimizers", registeredName: null };
    const mapJson = kerasEnvelope("keras3", { ...parts, className: "OptimizerMap" }, {
      default_optimizer: write(map.defaultOptimizer),
      optimizer_map: Object.fromEntries([...map.entries()].map(([key, o]) => [key, write(o)])),
    });
    return kerasEnvelope("keras3", { ...parts, className: "MultiOptimizer" }, { optimizer_map: mapJson, loss_scale_factor: null, name: this.config.name });
  }

  /** {@link MultiOptimizer.toKeras} as Python-readable text, each inner optimizer written by `write`. */
  toKerasJson(write: (optimizer: KerasOptimizer) => string): string {
    const map = this.#mapOrRefuse("optimizerToKerasJson");
    const envelope = (className: string, config: string) => `{"module": "keras.optimizers", "class_name": "${className}", "config": {${config}}, "registered_name": null}`;
    const entries = [...map.entries()].map(([key, o]) => `${JSON.stringify(key)}: ${write(o)}`).join(", ");
    const mapText = envelope("OptimizerMap", `"default_optimizer": ${write(map.defaultOptimizer)}, "optimizer_map": {${entries}}`);
    return envelope("MultiOptimizer", `"optimizer_map": ${mapText}, "loss_scale_factor": null, "name": ${JSON.stringify(this.config.name)}`);
  }

  /**
   * A MultiOptimizer from the `config` of Keras's JSON; `read` reads each inner optimizer (`optimizerFromKeras`, which
   * calls this).
   */
  static fromKeras(config: Record<string, unknown>, read: (json: unknown) => KerasOptimizer): MultiOptimizer {
    const owner = "optimizerFromKeras";
    for (const key of Object.keys(config)) {
      if (key !== "optimizer_map" && key !== "loss_scale_factor" && key !== "name") throw new ScheduleOptionError(owner, `config.${key}`, config[key], "one of the keys of Keras's MultiOptimizer: optimizer_map, loss_scale_factor, name");
    }
    if (config.loss_scale_factor != null) throw new ScheduleOptionError(owner, "config.loss_scale_factor", config.loss_scale_factor, "null: Keras multiplies the loss by it in its own training step, which tf.js's fit does not do");
    const { className, config: mapConfig } = readEnvelope(config.optimizer_map, {
      owner,
      path: "config.optimizer_map",
      expected: "a Keras OptimizerMap {class_name: 'OptimizerMap', config}",
      config: "{default_optimizer, optimizer_map}",
    });
    if (className !== "OptimizerMap") throw new ScheduleOptionError(owner, "config.optimizer_map.class_name", className, "'OptimizerMap' (a selector function has no Keras JSON)");
    for (const key of Object.keys(mapConfig)) {
      if (key !== "default_optimizer" && key !== "optimizer_map") throw new ScheduleOptionError(owner, `config.optimizer_map.config.${key}`, mapConfig[key], "default_optimizer or optimizer_map");
    }
    const entries = mapConfig.optimizer_map;
    if (entries != null && !isPlainObject(entries)) throw new ScheduleTypeError(owner, "config.optimizer_map.config.optimizer_map", entries, "an object of names and patterns to optimizers, or null");
    const map = new OptimizerMap(read(mapConfig.default_optimizer));
    for (const [key, json] of Object.entries(entries ?? {})) map.set(key, read(json));
    if (config.name !== undefined && typeof config.name !== "string") throw new ScheduleTypeError(owner, "config.name", config.name, "a string");
    return new MultiOptimizer(map, config.name === undefined ? {} : { name: config.name });
  }
}
