/**
 * Keras 3 `.keras` checkpoints, in and out: a model trained in Keras continues training in tf.js with its optimizer,
 * its schedule and its optimizer state, and goes back to Keras the same way. A `.keras` file is a zip of
 * `config.json` (the model's config and `compile_config`), `model.weights.h5` (`layers/<path>/vars/<i>`,
 * `optimizer/vars/<i>`) and `metadata.json`.
 */
import * as tf from "@tensorflow/tfjs-core";
import { metrics as tfMetrics, type LayersModel } from "@tensorflow/tfjs-layers";
import { ScheduleOptionError, ScheduleTypeError } from "../errors.js";
import { isPlainObject } from "../options.js";
import { parseKerasJson } from "../keras/limits.js";
import { loadH5wasm, readHdf5, writeHdf5, type H5Dataset, type H5Group } from "./hdf5.js";
import { optimizerFromKeras, optimizerToKeras } from "./keras.js";
import { MultiOptimizer, type OptimizerMap } from "./MultiOptimizer.js";
import { KerasOptimizer, type KerasOptimizerClass } from "./optimizer.js";
import type { NamedTensor } from "./slots.js";
import { readZip, writeZip } from "./zip.js";

/** Options of {@link restoreKerasCheckpoint}. */
export interface RestoreKerasCheckpointOptions {
  /**
   * The most bytes the archive may inflate to, all files together (a zip bomb is refused before it inflates).
   * @defaultValue 1 GiB
   */
  maxBytes?: number;
  /**
   * h5wasm's module (`import h5wasm from 'h5wasm'`), for bundlers that should include it; by default it is imported
   * by name on first use (an optional peer dependency: `npm install h5wasm`).
   */
  h5wasm?: unknown;
}

/** Options of {@link saveKerasCheckpoint}. */
export interface SaveKerasCheckpointOptions {
  /** As in {@link RestoreKerasCheckpointOptions.h5wasm}. */
  h5wasm?: unknown;
}

const RESTORE = "restoreKerasCheckpoint";
const SAVE = "saveKerasCheckpoint";
const CONFIG = "config.json";
const WEIGHTS = "model.weights.h5";
const METADATA = "metadata.json";

/** Keras's loss identifiers (and Keras 3 class names) that tf.js computes the same way, as tf.js names them. */
const LOSSES: Readonly<Record<string, string>> = {
  mean_squared_error: "meanSquaredError", mse: "meanSquaredError", MeanSquaredError: "meanSquaredError",
  mean_absolute_error: "meanAbsoluteError", mae: "meanAbsoluteError", MeanAbsoluteError: "meanAbsoluteError",
  mean_absolute_percentage_error: "meanAbsolutePercentageError", mape: "meanAbsolutePercentageError", MeanAbsolutePercentageError: "meanAbsolutePercentageError",
  mean_squared_logarithmic_error: "meanSquaredLogarithmicError", msle: "meanSquaredLogarithmicError", MeanSquaredLogarithmicError: "meanSquaredLogarithmicError",
  categorical_crossentropy: "categoricalCrossentropy", CategoricalCrossentropy: "categoricalCrossentropy",
  sparse_categorical_crossentropy: "sparseCategoricalCrossentropy", SparseCategoricalCrossentropy: "sparseCategoricalCrossentropy",
  binary_crossentropy: "binaryCrossentropy", BinaryCrossentropy: "binaryCrossentropy",
  kl_divergence: "kullbackLeiblerDivergence", kld: "kullbackLeiblerDivergence", kullback_leibler_divergence: "kullbackLeiblerDivergence", KLDivergence: "kullbackLeiblerDivergence",
  poisson: "poisson", Poisson: "poisson",
  log_cosh: "logcosh", logcosh: "logcosh", LogCosh: "logcosh",
};

/**
 * A loss object's config keys at the values tf.js's loss functions assume (probabilities, a mean over the batch);
 * anything else (`from_logits: true`, label smoothing) has no tf.js equivalent.
 */
const LOSS_DEFAULTS: Readonly<Record<string, unknown>> = {
  from_logits: false, label_smoothing: 0, axis: -1, ignore_class: null, reduction: "sum_over_batch_size", dtype: null,
};

type TfMetric = string | ((yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor);

/** Keras's metric identifiers that tf.js computes the same way. */
const METRICS: Readonly<Record<string, TfMetric>> = {
  accuracy: "accuracy", acc: "accuracy",
  binary_accuracy: "binaryAccuracy", categorical_accuracy: "categoricalAccuracy",
  sparse_categorical_accuracy: tfMetrics.sparseCategoricalAccuracy,
  mse: "mse", mean_squared_error: "mse", mae: "mae", mean_absolute_error: "mae", mape: "mape", mean_absolute_percentage_error: "mape",
  categorical_crossentropy: "categoricalCrossentropy", sparse_categorical_crossentropy: "sparseCategoricalCrossentropy",
  binary_crossentropy: tfMetrics.binaryCrossentropy,
};

/** `compile_config` keys that say how Keras runs the step, not what it computes. */
const EXECUTION_KEYS: ReadonlySet<string> = new Set(["run_eagerly", "steps_per_execution", "jit_compile", "auto_scale_loss"]);

/** What a restored model keeps for {@link saveKerasCheckpoint}. */
interface Checkpoint {
  readonly config: Uint8Array;
  readonly metadata: Record<string, unknown>;
  readonly others: ReadonlyMap<string, Uint8Array>;
  /** The weights file's groups, attributes and datasets, without their values (every value is written anew). */
  readonly layout: H5Group;
  /** The optimizer the model was compiled with: a model compiled again since is not saved with this layout. */
  readonly optimizer: KerasOptimizer;
  /** Per tf.js layer with weights, the datasets of its variables, in order. */
  readonly layers: readonly { layer: LayersModel["layers"][number]; datasets: readonly string[] }[];
  /**
   * The `vars` groups the optimizer's state is written to: `optimizer/vars` for one optimizer; for a MultiOptimizer,
   * also each inner optimizer's `optimizer/optimizers/<name>/vars`, with the MultiOptimizer's learning rate (Keras's 0).
   */
  readonly multi: { rate: number; groups: readonly string[] } | null;
}

const restored = new WeakMap<LayersModel, Checkpoint>();

const describeBytes = (n: number) => `[${n} bytes]`;

/** Bytes from a `Uint8Array` or an `ArrayBuffer`, or a named error. */
function asBytes(bytes: unknown, owner: string): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  throw new ScheduleTypeError(owner, "bytes", bytes, "the bytes of a .keras file: a Uint8Array or an ArrayBuffer");
}

function checkModel(model: unknown, owner: string): LayersModel {
  const m = model as LayersModel | null;
  if (m === null || typeof m !== "object" || !Array.isArray(m.layers) || typeof m.compile !== "function") {
    throw new ScheduleTypeError(owner, "model", model, "a tf.js LayersModel (tf.sequential, tf.model or tf.loadLayersModel's result)");
  }
  return m;
}

/** JSON from a file of the archive, or a named error. */
function readJson(files: ReadonlyMap<string, Uint8Array>, name: string): unknown {
  const data = files.get(name);
  if (!data) throw new ScheduleOptionError(RESTORE, "bytes", `an archive of ${[...files.keys()].map((n) => JSON.stringify(n)).join(", ")}`, `a .keras file: a zip holding ${CONFIG}, ${WEIGHTS} and ${METADATA}`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(data);
  } catch {
    throw new ScheduleOptionError(RESTORE, name, describeBytes(data.length), "UTF-8 text");
  }
  return parseKerasJson(text, `${RESTORE}: ${name}`);
}

/** Keras's `_name_key`: private attributes (`_name`) after public ones. */
const nameKey = (name: string) => (name.startsWith("_") ? `~${name}` : name);

/**
 * The dataset paths of one saveable's variables in Keras's order: its own `vars/0..n-1`, then those of its children
 * (sublayers such as an RNN's cell), `layers` first, then by name as Keras walks them.
 */
function variablePaths(group: H5Group, at: string): string[] {
  const paths: string[] = [];
  const vars = group.members.get("vars");
  if (vars) {
    if (vars.kind !== "group") throw new ScheduleOptionError(RESTORE, `${WEIGHTS}:${at}/vars`, "a dataset", "a group of variables");
    paths.push(...numbered(vars, `${at}/vars`).map((k) => `${at}/vars/${k}`));
  }
  const children = [...group.members.keys()].filter((k) => k !== "vars");
  children.sort((a, b) => (a === "layers" ? -1 : b === "layers" ? 1 : nameKey(a) < nameKey(b) ? -1 : nameKey(a) > nameKey(b) ? 1 : 0));
  for (const key of children) {
    const child = group.members.get(key)!;
    if (child.kind !== "group") throw new ScheduleOptionError(RESTORE, `${WEIGHTS}:${at}/${key}`, "a dataset", "a group (Keras keeps variables under vars/)");
    paths.push(...variablePaths(child, `${at}/${key}`));
  }
  return paths;
}

/** The members of a `vars` group, which must be datasets named 0..n-1; their names in order. */
function numbered(vars: H5Group, at: string): string[] {
  const keys = [...vars.members.keys()];
  keys.forEach((_, i) => {
    const member = vars.members.get(String(i));
    if (!member || member.kind !== "dataset") throw new ScheduleOptionError(RESTORE, `${WEIGHTS}:${at}`, keys, `datasets named 0 to ${keys.length - 1}`);
  });
  return keys.map((_, i) => String(i));
}

/** `group` with `member` at `path` (a list of names), the groups on the way copied. */
function replaceAt(group: H5Group, path: readonly string[], member: H5Group | H5Dataset): H5Group {
  const [head, ...rest] = path;
  const members = new Map(group.members);
  members.set(head!, rest.length === 0 ? member : replaceAt(group.members.get(head!) as H5Group, rest, member));
  return { kind: "group", attrs: group.attrs, members };
}

/**
 * The `name` attribute Keras writes on each `vars` group (the model's, each layer's, the optimizer's), from the config:
 * the file's own attributes are not read (see readHdf5), and Keras reads none of them.
 */
function withNames(layout: H5Group, config: Record<string, unknown>, optimizer: KerasOptimizer, innerGroups: readonly string[]): H5Group {
  const inner = optimizer instanceof MultiOptimizer ? optimizer.optimizers : [];
  const names: [string[], unknown][] = [
    [["vars"], isPlainObject(config.config) ? config.config.name : undefined],
    [["optimizer", "vars"], optimizerToKeras(optimizer).config.name],
    ...innerGroups.map((group, k) => [[...group.split("/"), "vars"], optimizerToKeras(inner[k]!).config.name] as [string[], unknown]),
    ...kerasLayers(config).map((layer) => [[...layer.path.split("/"), "vars"], layer.name] as [string[], unknown]),
  ];
  let tree = layout;
  for (const [path, name] of names) {
    let node: H5Group | H5Dataset | undefined = tree;
    for (const part of path) node = node?.kind === "group" ? node.members.get(part) : undefined;
    if (node?.kind === "group" && typeof name === "string") tree = replaceAt(tree, path, { ...node, attrs: { name } });
  }
  return tree;
}

/** A tree's groups, attributes and datasets' types and shapes, with no values (new empty arrays, so no buffer is kept). */
function layoutOf(group: H5Group): H5Group {
  const members = new Map([...group.members].map(([name, m]) => [name, m.kind === "group" ? layoutOf(m) : { ...m, data: m.data.slice(0, 0) }] as const));
  return { kind: "group", attrs: group.attrs, members };
}

function datasetAt(tree: H5Group, path: string): H5Dataset {
  let node: H5Group | H5Dataset | undefined = tree;
  for (const part of path.split("/")) node = node?.kind === "group" ? node.members.get(part) : undefined;
  if (node?.kind !== "dataset") throw new ScheduleOptionError(RESTORE, WEIGHTS, path, "a dataset at that path");
  return node;
}

/** Keras's `to_snake_case` of a class name, which names a layer's group in the weights file. */
function snakeCase(name: string): string {
  return name
    .replace(/\W+/g, "")
    .replace(/(.)([A-Z][a-z]+)/g, "$1_$2")
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .toLowerCase();
}

interface KerasLayer {
  className: string;
  name: string;
  /** The layer's group in the weights file, `layers/dense_1`. */
  path: string;
}

/** The model's layers as Keras's `model.layers` lists them, with the group each one's variables are saved under. */
function kerasLayers(config: Record<string, unknown>): KerasLayer[] {
  const cls = config.class_name;
  const inner = config.config;
  if ((cls !== "Sequential" && cls !== "Functional") || !isPlainObject(inner) || !Array.isArray(inner.layers)) {
    throw new ScheduleOptionError(RESTORE, `${CONFIG}:class_name`, cls, "a Sequential or Functional model (a subclassed model's layers are not in its config)");
  }
  const used = new Map<string, number>();
  const out: KerasLayer[] = [];
  inner.layers.forEach((layer: unknown, i: number) => {
    if (!isPlainObject(layer) || typeof layer.class_name !== "string" || !isPlainObject(layer.config) || typeof layer.config.name !== "string") {
      throw new ScheduleTypeError(RESTORE, `${CONFIG}:config.layers[${i}]`, layer, "a layer {class_name, config: {name, ...}}");
    }
    // Keras's Sequential leaves its InputLayer out of `layers`.
    if (cls === "Sequential" && i === 0 && layer.class_name === "InputLayer") return;
    // Keras's _get_unique_name: the first `dense`, then `dense_1`, `dense_2`...
    const base = snakeCase(layer.class_name);
    const n = used.get(base);
    used.set(base, n === undefined ? 0 : n + 1);
    out.push({ className: layer.class_name, name: layer.config.name, path: `layers/${n === undefined ? base : `${base}_${n + 1}`}` });
  });
  return out;
}

/** A Keras loss identifier or loss object (at `path` of `owner`'s input) as tf.js's loss name, or a named error. */
function tfLoss(loss: unknown, owner: string, path: string): string {
  if (typeof loss === "string" && Object.hasOwn(LOSSES, loss)) return LOSSES[loss]!;
  if (isPlainObject(loss) && typeof loss.class_name === "string" && Object.hasOwn(LOSSES, loss.class_name) && isPlainObject(loss.config)) {
    for (const [key, value] of Object.entries(loss.config)) {
      if (key === "name") continue;
      if (!Object.hasOwn(LOSS_DEFAULTS, key) || LOSS_DEFAULTS[key] !== value) {
        throw new ScheduleOptionError(owner, `${path}.config.${key}`, value, `${JSON.stringify(LOSS_DEFAULTS[key] ?? null)}: tf.js's ${LOSSES[loss.class_name]} has no such option`);
      }
    }
    return LOSSES[loss.class_name]!;
  }
  throw new ScheduleOptionError(owner, path, loss, `a Keras loss that tf.js computes the same way: ${Object.keys(LOSSES).filter((k) => /^[a-z]/.test(k)).join(", ")}`);
}

/** Keras's metrics (at `path` of `owner`'s input) as tf.js's, or a named error. */
function tfMetricList(metrics: unknown, owner: string, path: string): TfMetric[] {
  if (metrics === null || metrics === undefined) return [];
  if (!Array.isArray(metrics)) throw new ScheduleOptionError(owner, path, metrics, "null or a list of metric names (one output)");
  return metrics.map((m, i) => {
    if (typeof m === "string" && Object.hasOwn(METRICS, m)) return METRICS[m]!;
    throw new ScheduleOptionError(owner, `${path}[${i}]`, m, `a Keras metric that tf.js computes the same way: ${Object.keys(METRICS).join(", ")}`);
  });
}

/** Keys of a training config that must be null (or absent): what tf.js cannot compile the same way. */
function checkTrainingKeys(config: Record<string, unknown>, owner: string, path: string, known: readonly string[]): void {
  for (const key of Object.keys(config)) {
    if (known.includes(key) || EXECUTION_KEYS.has(key)) continue;
    if ((key === "loss_weights" || key === "weighted_metrics" || key === "sample_weight_mode") && config[key] === null) continue;
    throw new ScheduleOptionError(owner, `${path}.${key}`, config[key], NULL_ONLY.has(key) ? "null (one output, unweighted)" : `one of the keys ${known.join(", ")}, loss_weights, weighted_metrics and Keras's execution options`);
  }
}
const NULL_ONLY: ReadonlySet<string> = new Set(["loss_weights", "weighted_metrics", "sample_weight_mode"]);

/** A dataset's values as float32, after checking its shape. */
function float32Values(ds: H5Dataset, shape: readonly number[], where: string, what: string): Float32Array {
  if (!tf.util.arraysEqual([...ds.shape], [...shape]) || !ds.dtype.startsWith("<f")) {
    throw new ScheduleOptionError(RESTORE, `${WEIGHTS}:${where}`, `${ds.dtype === "<f4" ? "float32" : ds.dtype === "<f8" ? "float64" : "integer"} of shape [${ds.shape.join(", ")}]`, `float values of shape [${shape.join(", ")}] for ${what}`);
  }
  return ds.data instanceof Float32Array ? ds.data : Float32Array.from(ds.data as Float64Array);
}

/** Whether Keras keeps `optimizer`'s learning rate in a variable (saved after `iterations`): when it is a number. */
const rateIsVariable = (optimizer: KerasOptimizer) => typeof optimizerToKeras(optimizer).config.learning_rate === "number";

/**
 * The slots a fresh copy of `optimizer` (built from its Keras JSON) creates for variables of these shapes: their names
 * (the part after `<variable>/`, or the whole name for state of the optimizer's own) and shapes, from one update of
 * throwaway variables.
 */
async function slotLayout(optimizer: KerasOptimizer, shapes: readonly (readonly number[])[]): Promise<{ variable: number; slot: string; shape: number[] }[]> {
  if (shapes.length === 0) return [];
  const probe = optimizerFromKeras(optimizerToKeras(optimizer));
  const variables = shapes.map((shape) => tf.tidy(() => tf.variable(tf.zeros([...shape]), true)));
  try {
    tf.tidy(() => probe.applyGradients(Object.fromEntries(variables.map((v) => [v.name, tf.zerosLike(v)]))));
    const [, ...slots] = await probe.getWeights();
    return slots.map((s) => {
      const variable = variables.findIndex((v) => s.name.startsWith(`${v.name}/`));
      return { variable, slot: variable < 0 ? s.name : s.name.slice(variables[variable]!.name.length + 1), shape: [...s.tensor.shape] };
    });
  } finally {
    probe.dispose();
    tf.dispose(variables);
  }
}

/** A tf.js layer with weights, the datasets of its Keras layer's variables, and their values (checked). */
interface MatchedLayer {
  layer: LayersModel["layers"][number];
  datasets: readonly string[];
  values: Float32Array[];
}

type TrainableWeight = LayersModel["trainableWeights"][number];

/**
 * The path Keras gives `weight` of `layer` (the file's layer `kerasName`) in a model `load_model` built:
 * `<layer>/<weight>`, with no model name in front (that of a model built in Python has it), as a MultiOptimizer routes it.
 */
function kerasPath(weight: TrainableWeight, layer: LayersModel["layers"][number], kerasName: string): string {
  const own = weight.originalName.startsWith(`${layer.name}/`) ? weight.originalName.slice(layer.name.length + 1) : weight.originalName.replace(/^.*\//, "");
  return `${kerasName}/${own}`;
}

/**
 * Matches the file's layers with variables, in Keras's order, to the model's layers with weights: same number, same
 * class, same number and shapes of variables; the model's trainable weights must follow its layers (the order of the
 * optimizer's variables in Keras).
 */
function matchLayers(tree: H5Group, config: Record<string, unknown>, m: LayersModel): { matched: MatchedLayer[]; trainable: TrainableWeight[]; paths: string[] } {
  const layersGroup = tree.members.get("layers");
  if (layersGroup?.kind === "dataset") throw new ScheduleOptionError(RESTORE, `${WEIGHTS}:layers`, "a dataset", "a group of layers");
  const described = kerasLayers(config);
  for (const name of layersGroup?.members.keys() ?? []) {
    if (!described.some((layer) => layer.path === `layers/${name}`)) {
      throw new ScheduleOptionError(RESTORE, `${WEIGHTS}:layers/${name}`, name, `a layer of ${CONFIG} (its layers are saved as ${described.map((l) => l.path).join(", ")})`);
    }
  }
  const keras = described
    .map((layer) => {
      const group = layersGroup?.members.get(layer.path.slice("layers/".length));
      if (group?.kind === "dataset") throw new ScheduleOptionError(RESTORE, `${WEIGHTS}:${layer.path}`, "a dataset", "a group");
      return { ...layer, datasets: group ? variablePaths(group, layer.path) : [] };
    })
    .filter((layer) => layer.datasets.length > 0);
  const ours = m.layers.filter((layer) => layer.weights.length > 0);
  if (keras.length !== ours.length) {
    throw new ScheduleOptionError(RESTORE, "model", `${ours.length} layers with weights (${ours.map((l) => l.name).join(", ")})`, `${keras.length} layers with weights, as the file's model has (${keras.map((l) => l.name).join(", ")})`);
  }
  const matched = keras.map((k, i) => {
    const layer = ours[i]!;
    const at = `model.layers[${m.layers.indexOf(layer)}]`;
    if (layer.getClassName() !== k.className) throw new ScheduleOptionError(RESTORE, at, `${layer.getClassName()} ${layer.name}`, `a ${k.className}, as the file's layer ${k.name}`);
    if (layer.weights.length !== k.datasets.length) throw new ScheduleOptionError(RESTORE, at, `${layer.name} with ${layer.weights.length} weights`, `${k.datasets.length} weights, as the file's layer ${k.name}`);
    const values = layer.weights.map((w, j) => float32Values(datasetAt(tree, k.datasets[j]!), w.shape as number[], k.datasets[j]!, `${layer.name}'s ${w.name} (the file's ${k.name})`));
    return { layer, datasets: k.datasets, values };
  });
  const trainable = ours.flatMap((layer) => layer.trainableWeights);
  const inOrder = m.trainableWeights;
  if (inOrder.length !== trainable.length || inOrder.some((w, i) => w !== trainable[i])) {
    throw new ScheduleOptionError(RESTORE, "model", "trainable weights in another order than its layers'", "a model whose trainable weights follow its layers, as Keras orders the optimizer's variables");
  }
  const paths = ours.flatMap((layer, i) => layer.trainableWeights.map((w) => kerasPath(w, layer, keras[i]!.name)));
  return { matched, trainable, paths };
}

/** One optimizer's saved state: its iteration count, its learning rate if Keras keeps it in a variable, its slots. */
interface OptimizerState {
  iterations: number;
  rate: number | null;
  /** Null for an optimizer saved before its first update (no slots yet). */
  slots: { name: string; shape: number[]; values: Float32Array }[] | null;
  /** How many variables the file holds for it. */
  count: number;
}

/** The datasets of the `vars` group at `at` (a path of the weights file), in order. */
function varsAt(tree: H5Group, at: string, expected: string): H5Dataset[] {
  let node: H5Group | H5Dataset | undefined = tree;
  for (const part of at.split("/")) node = node?.kind === "group" ? node.members.get(part) : undefined;
  if (node?.kind !== "group") throw new ScheduleOptionError(RESTORE, WEIGHTS, `no ${at}`, expected);
  const vars = node;
  return numbered(vars, at).map((k) => vars.members.get(k) as H5Dataset);
}

/** The iteration count at `stored[0]`, or a named error. */
function iterationCount(stored: readonly H5Dataset[], at: string): number {
  const first = stored[0];
  if (!first || first.shape.length !== 0 || !first.dtype.startsWith("<i")) {
    throw new ScheduleOptionError(RESTORE, `${WEIGHTS}:${at}/0`, first ? `${first.dtype} of shape [${first.shape.join(", ")}]` : "nothing", "the iteration count, an integer scalar");
  }
  const iterations = Number(first.data[0]);
  if (!Number.isSafeInteger(iterations) || iterations < 0) throw new ScheduleOptionError(RESTORE, `${WEIGHTS}:${at}/0`, iterations, "an iteration count >= 0");
  return iterations;
}

/**
 * `optimizer`'s saved state in the `vars` group at `at`, checked against the slots a copy of it creates for
 * `trainable`: `<at>/0` the iteration count, then the learning rate if it is a number (Keras keeps it in a variable),
 * then the slots in Keras's order.
 */
async function optimizerState(tree: H5Group, at: string, optimizer: KerasOptimizer, trainable: readonly TrainableWeight[], which = `${trainable.length} variables`): Promise<OptimizerState> {
  const stored = varsAt(tree, at, `the optimizer's variables under ${at} (a model saved with its optimizer)`);
  const iterations = iterationCount(stored, at);
  const rateVariable = rateIsVariable(optimizer);
  let rate: number | null = null;
  if (rateVariable) {
    if (!stored[1]) throw new ScheduleOptionError(RESTORE, `${WEIGHTS}:${at}`, "1 variable", "iterations then the learning rate (a number in the config)");
    rate = float32Values(stored[1], [], `${at}/1`, "the learning rate")[0]!;
  }
  const offset = rateVariable ? 2 : 1;
  const storedSlots = stored.slice(offset);
  const layout = await slotLayout(optimizer, trainable.map((w) => w.shape as number[]));
  // An optimizer saved before its first update has no slots yet; then there is nothing else to restore.
  if (storedSlots.length === 0 && layout.length > 0 && iterations === 0) return { iterations, rate, slots: null, count: stored.length };
  if (storedSlots.length !== layout.length) {
    const name = (optimizer.constructor as KerasOptimizerClass).kerasName;
    throw new ScheduleOptionError(RESTORE, `${WEIGHTS}:${at}`, `${stored.length} variables`, `${layout.length + offset} variables: iterations${rateVariable ? ", the learning rate" : ""} and the ${layout.length} slots of ${name} with these options for ${which}`);
  }
  const slots = layout.map((s, i) => ({
    name: s.variable < 0 ? s.slot : `${trainable[s.variable]!.name}/${s.slot}`,
    shape: s.shape,
    values: float32Values(storedSlots[i]!, s.shape, `${at}/${i + offset}`, `the slot ${s.slot}`),
  }));
  return { iterations, rate, slots, count: stored.length };
}

/** Keras's groups of a MultiOptimizer's inner optimizers, `optimizers/<snake_case class>` (`adam`, `adam_1`...). */
function innerGroups(multi: MultiOptimizer): string[] {
  const used = new Map<string, number>();
  return multi.optimizers.map((o) => {
    const base = snakeCase((o.constructor as KerasOptimizerClass).kerasName);
    const n = used.get(base);
    used.set(base, n === undefined ? 0 : n + 1);
    return `optimizer/optimizers/${n === undefined ? base : `${base}_${n + 1}`}`;
  });
}

/** A MultiOptimizer's saved state: its iteration count and learning rate (Keras's 0), and each inner optimizer's. */
interface MultiState {
  iterations: number;
  rate: number;
  /** Per inner optimizer, its group and state. */
  inner: { group: string; state: OptimizerState }[];
  /** Per trainable weight, the index of its inner optimizer as Keras routes it. */
  routes: number[];
}

/**
 * A MultiOptimizer's saved state: `optimizer/vars` holds its iteration count and learning rate, then every inner
 * optimizer's variables; `optimizer/optimizers/<name>/vars` each inner optimizer's again, which Keras loads last and
 * which are read here. Each inner optimizer's are checked against the trainable weights Keras routes to it by their
 * paths in a model `load_model` built (`paths`).
 */
async function multiOptimizerState(tree: H5Group, multi: MultiOptimizer, trainable: readonly TrainableWeight[], paths: readonly string[]): Promise<MultiState> {
  const own = varsAt(tree, "optimizer/vars", "the optimizer's variables under optimizer/vars (a model saved with its optimizer)");
  const iterations = iterationCount(own, "optimizer/vars");
  if (!own[1]) throw new ScheduleOptionError(RESTORE, `${WEIGHTS}:optimizer/vars`, "1 variable", "iterations then the MultiOptimizer's learning rate, then its inner optimizers' variables");
  const rate = float32Values(own[1], [], "optimizer/vars/1", "the MultiOptimizer's learning rate")[0]!;
  const inner = multi.optimizers;
  const groups = innerGroups(multi);
  const optimizersGroup = (tree.members.get("optimizer") as H5Group).members.get("optimizers");
  const found = optimizersGroup?.kind === "group" ? [...optimizersGroup.members.keys()].sort() : [];
  const names = groups.map((g) => g.slice("optimizer/optimizers/".length));
  if (found.length !== names.length || [...names].sort().some((n, i) => n !== found[i])) {
    throw new ScheduleOptionError(
      RESTORE,
      `${WEIGHTS}:optimizer/optimizers`,
      found,
      `the groups ${names.join(", ")}: one per inner optimizer of the config's MultiOptimizer (${inner.map((o) => (o.constructor as KerasOptimizerClass).kerasName).join(", ")}), as Keras names them`,
    );
  }
  const map = multi.optimizerMap as OptimizerMap;
  const routes = paths.map((path) => inner.indexOf(map.get(path)));
  const states: MultiState["inner"] = [];
  for (const [k, optimizer] of inner.entries()) {
    const share = trainable.filter((_, i) => routes[i] === k);
    const which = `the ${share.length} variables its OptimizerMap routes to it by their paths in a model load_model built (${paths.filter((_, i) => routes[i] === k).join(", ")})`;
    states.push({ group: groups[k]!, state: await optimizerState(tree, `${groups[k]}/vars`, optimizer, share, which) });
  }
  const count = 2 + states.reduce((sum, s) => sum + s.state.count, 0);
  if (own.length !== count) {
    throw new ScheduleOptionError(RESTORE, `${WEIGHTS}:optimizer/vars`, `${own.length} variables`, `${count} variables: the MultiOptimizer's iterations and learning rate, then its inner optimizers' (${states.map((s) => s.state.count).join(" + ")})`);
  }
  return { iterations, rate, inner: states, routes };
}

/**
 * Continues a Keras training in tf.js: reads a Keras 3 `.keras` file, gives `model` its weights, compiles it with the
 * file's optimizer (a Keras-faithful one of this package, with its schedule and base options), loss and metrics, and
 * restores the optimizer's state (its iteration count, moments, accumulators and moving averages), so that
 * `model.fit` continues as Keras's `fit` would have after `keras.saving.load_model`. Returns the optimizer.
 *
 * `model` is a tf.js model of the same architecture (built in TypeScript or loaded from a converted `model.json`):
 * its layers with weights are matched in order to the Keras layers with variables, by class name, number of
 * variables and shapes. Keras's loss and metric identifiers become tf.js's (`sparse_categorical_crossentropy` ->
 * `sparseCategoricalCrossentropy`, `accuracy`...). HDF5 is read with h5wasm, an optional peer dependency
 * (`npm install h5wasm`, or pass its module as `options.h5wasm`); the zip with fflate, bundled.
 *
 * A {@link MultiOptimizer} comes back with its inner optimizers, their schedules and state (Keras saves each inner
 * optimizer's variables under `optimizer/optimizers/<snake_case class>/vars`); the model's variables are routed to
 * them by the paths Keras gives them in a model `load_model` built (`<layer>/<weight>`, the file's layer names,
 * whatever the tf.js names are), so that each keeps its state. A file whose inner optimizers do not match the
 * config's in number or class, or whose keys route the variables otherwise once loaded (an exact key holding the
 * model's name: Keras's own `load_model` then skips the optimizer's variables), is refused.
 *
 * Everything is checked before anything is assigned: on any error the model is left as it was. With `useEma`, end
 * the continued `fit` with the `FinalizeVariableValues` callback, as Keras's `fit` ends.
 *
 * @example
 * import { restoreKerasCheckpoint, saveKerasCheckpoint } from 'lr-schedules/tfjs';
 * import * as tf from '@tensorflow/tfjs';
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
 * // const optimizer = await restoreKerasCheckpoint(model, bytesOfADotKerasFile);
 * // await model.fit(x, y, { epochs: 3 });
 * // const file = await saveKerasCheckpoint(model);
 * const error = await restoreKerasCheckpoint(model, 'model.keras' as never).catch((e) => e);
 * error.name; //=> 'ScheduleTypeError' (bytes, not a path)
 * const notZip = await restoreKerasCheckpoint(model, new Uint8Array(64)).catch((e) => e);
 * notZip.message; //=> 'restoreKerasCheckpoint: `bytes` must be a .keras file (a zip archive; this is not one). Received: bytes="[64 bytes]"'
 * model.dispose();
 * @throws {ScheduleOptionError} not a zip, a truncated or hostile zip (too large once inflated, unsafe names), no
 * `config.json`, `model.weights.h5` or `metadata.json`, an HDF5 of another layout, layers or variables that do not
 * match the model's in number, class or shape, an optimizer, loss or metric without a faithful tf.js version here,
 * h5wasm not installed; a MultiOptimizer whose inner optimizers' groups, count or variables do not match the file's,
 * or whose map two keys of which match a variable's path.
 * @throws {ScheduleTypeError} `model` is not a tf.js LayersModel, `bytes` not a Uint8Array or ArrayBuffer.
 */
export async function restoreKerasCheckpoint(model: LayersModel, bytes: Uint8Array | ArrayBuffer, options: RestoreKerasCheckpointOptions = {}): Promise<KerasOptimizer> {
  const m = checkModel(model, RESTORE);
  const data = asBytes(bytes, RESTORE);
  if (!isPlainObject(options)) throw new ScheduleTypeError(RESTORE, "options", options, "an options object");
  for (const key of Object.keys(options)) if (key !== "maxBytes" && key !== "h5wasm") throw new ScheduleOptionError(RESTORE, key, (options as Record<string, unknown>)[key], "one of the options maxBytes, h5wasm");
  const maxBytes = options.maxBytes ?? 2 ** 30;
  if (typeof maxBytes !== "number" || !Number.isSafeInteger(maxBytes) || maxBytes <= 0) throw new ScheduleOptionError(RESTORE, "maxBytes", maxBytes, "an integer > 0");

  // The archive and its three files.
  const files = readZip(data, RESTORE, "bytes", maxBytes);
  const config = readJson(files, CONFIG);
  const metadata = readJson(files, METADATA);
  if (!isPlainObject(config)) throw new ScheduleTypeError(RESTORE, CONFIG, config, "a Keras model config object");
  if (!isPlainObject(metadata)) throw new ScheduleTypeError(RESTORE, METADATA, metadata, "an object {keras_version, date_saved}");
  const weightsFile = files.get(WEIGHTS);
  if (!weightsFile) throw new ScheduleOptionError(RESTORE, "bytes", [...files.keys()], `a .keras file holding ${WEIGHTS} (Keras 3's format; sharded or .npz weights are not read)`);

  // The training config.
  const compile = config.compile_config;
  if (!isPlainObject(compile)) throw new ScheduleOptionError(RESTORE, `${CONFIG}:compile_config`, compile ?? null, "the training config of a model compiled before it was saved");
  checkTrainingKeys(compile, RESTORE, "compile_config", ["optimizer", "loss", "metrics"]);
  const loss = tfLoss(compile.loss, RESTORE, "compile_config.loss");
  const metrics = tfMetricList(compile.metrics, RESTORE, "compile_config.metrics");
  const optimizer = optimizerFromKeras(compile.optimizer);
  try {
    // The weights file.
    const h5wasm = await loadH5wasm(RESTORE, options.h5wasm);
    const tree = await readHdf5(h5wasm, weightsFile, RESTORE, WEIGHTS);
    for (const key of tree.members.keys()) {
      if (key !== "layers" && key !== "optimizer" && key !== "vars") throw new ScheduleOptionError(RESTORE, WEIGHTS, key, "a Keras weights file of layers/, optimizer/ and vars/ (other saved state is not read)");
    }
    const own = tree.members.get("vars");
    if (own && (own.kind !== "group" || own.members.size > 0)) throw new ScheduleOptionError(RESTORE, `${WEIGHTS}:vars`, "variables of the model itself", "no variables outside its layers");

    const { matched, trainable, paths } = matchLayers(tree, config, m);
    const multi = optimizer instanceof MultiOptimizer ? await multiOptimizerState(tree, optimizer, trainable, paths) : null;
    const single = multi ? null : await optimizerState(tree, "optimizer/vars", optimizer, trainable);

    // Everything checked: assign.
    m.compile({ optimizer, loss, metrics });
    for (const { layer, values } of matched) {
      const tensors = layer.weights.map((w, j) => tf.tensor(values[j]!, w.shape as number[], "float32"));
      layer.setWeights(tensors);
      tf.dispose(tensors);
    }
    if (multi) {
      const inner = (optimizer as MultiOptimizer).optimizers;
      trainable.forEach((w, i) => (optimizer as MultiOptimizer).routeByPath(w.read() as tf.Variable, paths[i]!));
      for (const [k, { state }] of multi.inner.entries()) await restoreState(inner[k]!, state);
      optimizer.iterations = multi.iterations;
    } else await restoreState(optimizer, single!);
    restored.set(m, {
      config: files.get(CONFIG)!,
      metadata,
      others: new Map([...files].filter(([name]) => name !== CONFIG && name !== WEIGHTS && name !== METADATA)),
      layout: withNames(layoutOf(tree), config, optimizer, multi?.inner.map((i) => i.group) ?? []),
      optimizer,
      layers: matched.map(({ layer, datasets }) => ({ layer, datasets })),
      multi: multi && { rate: multi.rate, groups: multi.inner.map((i) => i.group) },
    });
    return optimizer;
  } catch (e) {
    if (m.optimizer !== optimizer) optimizer.dispose();
    throw e;
  }
}

/** Gives `optimizer` a saved state: its learning rate if saved, its iteration count and slots. */
async function restoreState(optimizer: KerasOptimizer, state: OptimizerState): Promise<void> {
  if (state.rate !== null) optimizer.learningRate = state.rate;
  if (state.slots === null) return;
  const weights: NamedTensor[] = [
    { name: "iter", tensor: tf.scalar(state.iterations, "int32") },
    ...state.slots.map((slot) => ({ name: slot.name, tensor: tf.tensor(slot.values, slot.shape, "float32") })),
  ];
  try {
    await optimizer.setWeights(weights);
  } finally {
    tf.dispose(weights.map((w) => w.tensor));
  }
}

/**
 * Writes a model restored by {@link restoreKerasCheckpoint} back as a `.keras` file that Keras's
 * `keras.saving.load_model` reads and continues training from: the `config.json` it was restored from, its current
 * weights, and its optimizer's state (iteration count, learning rate, slots) in Keras's order, in the weights file's
 * own layout; a MultiOptimizer's as Keras writes it (its own variables and every inner optimizer's under
 * `optimizer/vars`, each inner optimizer's again under `optimizer/optimizers/<name>/vars`).
 *
 * @example
 * import { saveKerasCheckpoint } from 'lr-schedules/tfjs';
 * import * as tf from '@tensorflow/tfjs';
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
 * const error = await saveKerasCheckpoint(model).catch((e) => e);
 * error.name; //=> 'ScheduleOptionError'
 * model.dispose();
 * @throws {ScheduleOptionError} a model not restored by `restoreKerasCheckpoint`, or compiled with another optimizer
 * since; h5wasm not installed.
 * @throws {ScheduleTypeError} `model` is not a tf.js LayersModel.
 */
export async function saveKerasCheckpoint(model: LayersModel, options: SaveKerasCheckpointOptions = {}): Promise<Uint8Array> {
  const m = checkModel(model, SAVE);
  const checkpoint = restored.get(m);
  if (!checkpoint) throw new ScheduleOptionError(SAVE, "model", m.name, "a model given its weights and training config by restoreKerasCheckpoint (its Keras config is written back)");
  if (m.optimizer !== checkpoint.optimizer) throw new ScheduleOptionError(SAVE, "model.optimizer", m.optimizer?.getClassName() ?? null, "the optimizer restoreKerasCheckpoint compiled the model with (compiled again since, its Keras config would not describe it)");
  const h5wasm = await loadH5wasm(SAVE, options.h5wasm);

  let tree = checkpoint.layout;
  for (const { layer, datasets } of checkpoint.layers) {
    const tensors = layer.getWeights();
    datasets.forEach((path, j) => {
      const old = datasetAt(tree, path);
      const values = tensors[j]!.dataSync() as Float32Array;
      tree = replaceAt(tree, path.split("/"), { ...old, data: old.dtype === "<f8" ? Float64Array.from(values) : Float32Array.from(values) });
    });
  }
  if (checkpoint.multi) {
    const { rate, groups } = checkpoint.multi;
    const inner = (checkpoint.optimizer as MultiOptimizer).optimizers;
    const own = [iterationDataset(checkpoint.layout, "optimizer/vars", checkpoint.optimizer.iterations), scalarDataset(Float32Array.from([rate]), "<f4")];
    for (const [k, optimizer] of inner.entries()) {
      const vars = await optimizerVars(checkpoint.layout, `${groups[k]}/vars`, optimizer);
      own.push(...vars);
      tree = replaceVars(tree, `${groups[k]}/vars`, vars);
    }
    tree = replaceVars(tree, "optimizer/vars", own);
  } else tree = replaceVars(tree, "optimizer/vars", await optimizerVars(checkpoint.layout, "optimizer/vars", checkpoint.optimizer));

  const metadata = { ...checkpoint.metadata, date_saved: kerasDate(new Date()) };
  const files = new Map<string, Uint8Array>([
    [METADATA, new TextEncoder().encode(JSON.stringify(metadata))],
    [CONFIG, checkpoint.config],
    [WEIGHTS, await writeHdf5(h5wasm, tree)],
    ...checkpoint.others,
  ]);
  return writeZip(files);
}

const scalarDataset = (data: H5Dataset["data"], dtype: string): H5Dataset => ({ kind: "dataset", dtype, shape: [], data });

/** An iteration count as the file held it at `<at>/0` (int64 as Keras writes it, or int32). */
function iterationDataset(layout: H5Group, at: string, count: number): H5Dataset {
  const { dtype } = datasetAt(layout, `${at}/0`);
  return scalarDataset(dtype === "<i8" ? BigInt64Array.from([BigInt(count)]) : Int32Array.from([count]), dtype);
}

/** `optimizer`'s variables in Keras's order, as the `vars` group at `at` holds them: iterations, a number learning rate, the slots. */
async function optimizerVars(layout: H5Group, at: string, optimizer: KerasOptimizer): Promise<H5Dataset[]> {
  // `iter` is every update call, Keras's saved `iteration` (`iterations` counts whole accumulations).
  const [iter, ...slots] = await optimizer.getWeights();
  return [
    iterationDataset(layout, at, iter!.tensor.dataSync()[0]!),
    ...(rateIsVariable(optimizer) ? [scalarDataset(Float32Array.from([optimizer.learningRate]), "<f4")] : []),
    ...slots.map((slot): H5Dataset => ({ kind: "dataset", dtype: "<f4", shape: [...slot.tensor.shape], data: Float32Array.from(slot.tensor.dataSync() as Float32Array) })),
  ];
}

/** `tree` with the `vars` group at `at` holding `datasets` (named 0..n-1), its attributes kept. */
function replaceVars(tree: H5Group, at: string, datasets: readonly H5Dataset[]): H5Group {
  let old: H5Group | H5Dataset | undefined = tree;
  for (const part of at.split("/")) old = old?.kind === "group" ? old.members.get(part) : undefined;
  const members = new Map(datasets.map((ds, i) => [String(i), ds] as const));
  return replaceAt(tree, at.split("/"), { kind: "group", attrs: old?.kind === "group" ? old.attrs : {}, members });
}

/** Keras's `date_saved`: `%Y-%m-%d@%H:%M:%S`, UTC here. */
function kerasDate(date: Date): string {
  return date.toISOString().slice(0, 19).replace("T", "@");
}

const COMPILE = "compileFromTrainingConfig";

/**
 * Compiles `model` from the training config a saved model carries, with a Keras-faithful optimizer (its schedule and
 * base options), loss and metrics: where `tf.loadLayersModel` leaves a converted model uncompiled, or would build tf.js's
 * own optimizer with a schedule for a learning rate (every weight NaN after one step). Returns the optimizer.
 *
 * `modelJson` is a `model.json` (as an object or text): tfjs-converter's, whose `modelTopology.training_config` holds
 * Keras's (`optimizer_config` in Keras JSON, Keras's loss and metric identifiers), or tf.js's own from
 * `model.save(..., { includeOptimizer: true })`, whose `trainingConfig` holds an optimizer of this package
 * (`'lr-schedules>Adam'`, its schedule inside); or the training config itself. The optimizer starts fresh: a converted
 * model carries no optimizer state (for a Keras training's state, use {@link restoreKerasCheckpoint} on its `.keras`
 * file).
 *
 * @example
 * import { compileFromTrainingConfig } from 'lr-schedules/tfjs';
 * import * as tf from '@tensorflow/tfjs';
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4], activation: 'softmax' })] });
 * const optimizer = compileFromTrainingConfig(model, {
 *   modelTopology: { training_config: {
 *     loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'], weighted_metrics: null, loss_weights: null,
 *     optimizer_config: { class_name: 'AdamW', config: { learning_rate: { class_name: 'CosineDecay',
 *       config: { initial_learning_rate: 0.01, decay_steps: 100 } }, weight_decay: 0.01 } } } },
 * });
 * optimizer.getClassName(); //=> 'lr-schedules>AdamW'
 * model.optimizer === optimizer; //=> true
 * model.loss; //=> 'sparseCategoricalCrossentropy'
 * model.dispose();
 * @throws {ScheduleOptionError} no training config, an optimizer, loss or metric without a faithful tf.js version
 * here, several outputs (loss weights, weighted metrics).
 * @throws {ScheduleTypeError} `model` is not a tf.js LayersModel, `modelJson` not JSON of an object.
 */
export function compileFromTrainingConfig(model: LayersModel, modelJson: unknown): KerasOptimizer {
  const m = checkModel(model, COMPILE);
  const json = parseKerasJson(modelJson, COMPILE);
  if (!isPlainObject(json)) throw new ScheduleTypeError(COMPILE, "modelJson", json, "a model.json object or a training config");
  const topology = json.modelTopology;
  const [path, config] =
    json.trainingConfig !== undefined ? ["trainingConfig", json.trainingConfig]
    : isPlainObject(topology) && topology.training_config !== undefined ? ["modelTopology.training_config", topology.training_config]
    : json.training_config !== undefined ? ["training_config", json.training_config]
    : ["modelJson", json];
  if (!isPlainObject(config) || !isPlainObject(config.optimizer_config)) {
    throw new ScheduleOptionError(COMPILE, path, config ?? null, "a training config {loss, metrics, optimizer_config} (the model was saved compiled, with includeOptimizer for tf.js)");
  }
  checkTrainingKeys(config, COMPILE, path, ["loss", "metrics", "optimizer_config"]);
  const loss = tfLoss(config.loss, COMPILE, `${path}.loss`);
  const metrics = tfMetricList(config.metrics, COMPILE, `${path}.metrics`);
  const optimizer = trainingOptimizer(config.optimizer_config, `${path}.optimizer_config`);
  m.compile({ optimizer, loss, metrics });
  return optimizer;
}

/**
 * The optimizer of a training config: one of this package's as tf.js saved it (`class_name` `'lr-schedules>...'`,
 * the config its `getConfig` wrote), or Keras JSON.
 */
function trainingOptimizer(json: Record<string, unknown>, path: string): KerasOptimizer {
  const className = json.class_name;
  if (typeof className !== "string" || !className.startsWith("lr-schedules>")) return optimizerFromKeras(json);
  const registered = tf.serialization.SerializationMap.getMap().classNameMap;
  const entry = Object.hasOwn(registered, className) ? registered[className] : undefined;
  if (!entry) throw new ScheduleOptionError(COMPILE, `${path}.class_name`, className, "an optimizer of lr-schedules/tfjs (import it to register them)");
  if (!isPlainObject(json.config)) throw new ScheduleTypeError(COMPILE, `${path}.config`, json.config, "the optimizer's options");
  const [cls, fromConfig] = entry;
  const optimizer: unknown = fromConfig(cls, json.config as tf.serialization.ConfigDict);
  if (!(optimizer instanceof KerasOptimizer)) throw new ScheduleOptionError(COMPILE, `${path}.class_name`, className, "an optimizer of lr-schedules/tfjs");
  return optimizer;
}
