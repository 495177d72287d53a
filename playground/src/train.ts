/**
 * The Train panel: a small model trained in the page on a bundled data set, with this package's optimizers and a
 * schedule from the editor played over the run; a range test (`findLearningRate`) drawn with `rangeTestToSVG`; loss
 * and rate drawn per step while training runs. tf.js loads on first use, on webgl, else wasm, else cpu.
 */
import type * as TF from "@tensorflow/tfjs";
import { SmoothedLoss } from "../../src/rangeTest.js";
import type { Ops } from "../../src/ops.js";
import { formatRate, rangeTestToSVG } from "../../src/plot/rangeTest.js";
import { rateScale, stepScale } from "../../src/plot/data.js";
import { PALETTE, renderSVG, type Chart, type Line } from "../../src/plot/svg.js";
import { sample } from "../../src/sample.js";
import { sampleDefined } from "../../src/cli/range.js";
import { LearningRateSchedule } from "../../src/schedule.js";
import type { RangeTestResult } from "../../src/rangeTest.js";
import { DATASETS, type Dataset } from "./datasets.js";

type Library = typeof import("../../src/tfjs/index.js");

/** What the panel needs of the page: the schedules in the editor, and the steps the chart draws them over. */
export interface TrainHost {
  schedules(): { label: string; schedule: LearningRateSchedule | undefined }[];
  /** The chart's last step: a schedule is played from step 0 to here over the training run. */
  stop(): number;
}

/** The optimizers offered: this package's, at the rate the schedule gives. */
const OPTIMIZERS: Record<string, (lib: Library, learningRate: LearningRateSchedule | number) => TF.Optimizer> = {
  sgd: (lib, learningRate) => new lib.SGD({ learningRate }),
  momentum: (lib, learningRate) => new lib.SGD({ learningRate, momentum: 0.9 }),
  adam: (lib, learningRate) => new lib.Adam({ learningRate }),
  adamw: (lib, learningRate) => new lib.AdamW({ learningRate }),
};

/** The backends tried, in order: the first that starts runs everything. */
const BACKENDS = ["webgl", "wasm", "cpu"] as const;

/**
 * A schedule drawn over the chart's steps, played over a training run of fewer (or more) steps, and rescaled:
 * `factor * inner(step * stretch)`. A user's schedule class, as the base class's TSDoc shows how to write one.
 */
class Played extends LearningRateSchedule {
  static override readonly className = "Played";
  constructor(
    private readonly inner: LearningRateSchedule,
    private readonly options: { stretch: number; factor: number },
  ) {
    super();
  }
  compute<T, B>(o: Ops<T, B>, step: T): T {
    return o.mul(o.constant(this.options.factor), this.inner.compute(o, o.mul(step, o.constant(this.options.stretch))));
  }
  override getConfig(): Record<string, unknown> {
    return { schedule: this.inner, ...this.options };
  }
}

interface Runtime {
  tf: typeof TF;
  lib: Library;
  backend: string;
}

let runtime: Promise<Runtime> | undefined;

/** tf.js, the wasm backend (its binaries served by Vite from this page) and this package's tf.js entry, loaded once. */
function loadRuntime(): Promise<Runtime> {
  return (runtime ??= (async () => {
    const [tf, wasm, lib] = await Promise.all([import("@tensorflow/tfjs"), import("@tensorflow/tfjs-backend-wasm"), import("../../src/tfjs/index.js")]);
    // Vite emits each binary as an asset and rewrites these URLs to it: nothing is fetched from a CDN.
    wasm.setWasmPaths({
      "tfjs-backend-wasm.wasm": new URL("../../node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm", import.meta.url).href,
      "tfjs-backend-wasm-simd.wasm": new URL("../../node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm", import.meta.url).href,
      "tfjs-backend-wasm-threaded-simd.wasm": new URL("../../node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm", import.meta.url).href,
    });
    for (const name of BACKENDS) {
      try {
        if (await tf.setBackend(name)) {
          await tf.ready();
          return { tf, lib, backend: tf.getBackend() };
        }
      } catch {
        // The next backend.
      }
    }
    throw new Error(`none of the backends ${BACKENDS.join(", ")} started in this browser`);
  })());
}

const $ = <E extends HTMLElement>(id: string) => document.getElementById(id) as E;

/** Wires the panel; `refresh()` re-reads the page's schedules into the picker. */
export function mountTrainPanel(host: TrainHost): { refresh(): void } {
  const ui = {
    panel: $<HTMLElement>("train-panel"),
    data: $<HTMLSelectElement>("train-data"),
    about: $<HTMLParagraphElement>("train-about"),
    optimizer: $<HTMLSelectElement>("train-optimizer"),
    schedule: $<HTMLSelectElement>("train-schedule"),
    peak: $<HTMLInputElement>("train-peak"),
    epochs: $<HTMLInputElement>("train-epochs"),
    batch: $<HTMLInputElement>("train-batch"),
    rangeTest: $<HTMLButtonElement>("train-range-test"),
    train: $<HTMLButtonElement>("train-run"),
    stop: $<HTMLButtonElement>("train-stop"),
    backend: $<HTMLSpanElement>("train-backend"),
    status: $<HTMLParagraphElement>("train-status"),
    error: $<HTMLParagraphElement>("train-error"),
    rangeResult: $<HTMLDivElement>("range-test-result"),
    rangeChart: $<HTMLDivElement>("range-test-chart"),
    suggestion: $<HTMLSpanElement>("range-test-suggestion"),
    useSuggestion: $<HTMLButtonElement>("use-suggestion"),
    charts: $<HTMLDivElement>("train-charts"),
    lossChart: $<HTMLDivElement>("train-loss"),
    rateChart: $<HTMLDivElement>("train-rate"),
  };
  let stopRequested = false;
  let lastRangeTest: RangeTestResult | undefined;
  let run: TrainingRun | undefined;

  function setState(state: "idle" | "range-test" | "training" | "done" | "stopped" | "failed"): void {
    ui.panel.dataset.state = state;
    // What tf.js holds once a run has ended: the same after every run, or a run left tensors behind.
    if (!(state === "range-test" || state === "training")) void runtime?.then(({ tf }) => (ui.panel.dataset.tensors = String(tf.memory().numTensors)));
    const busy = state === "range-test" || state === "training";
    ui.rangeTest.disabled = busy;
    ui.train.disabled = busy;
    ui.stop.disabled = state !== "training";
    for (const input of [ui.data, ui.optimizer, ui.schedule, ui.peak, ui.epochs, ui.batch]) input.disabled = busy;
  }

  function describeData(): void {
    const data = DATASETS[ui.data.value]!();
    const layers = [data.features[0]!.length, ...data.hidden.map((u) => `${u} relu`), `${data.classes} softmax`];
    ui.about.textContent = `${data.description}. Model: ${layers.join(" → ")}.`;
  }

  /** The settings as typed, checked: an error names the field. */
  function settings(): { data: Dataset; epochs: number; batchSize: number; peak: number | undefined; schedule: LearningRateSchedule; label: string } {
    const epochs = Number(ui.epochs.value);
    const batchSize = Number(ui.batch.value);
    if (!(Number.isInteger(epochs) && epochs >= 1 && epochs <= 1000)) throw new Error("epochs must be a whole number from 1 to 1000");
    if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new Error("batch size must be a whole number ≥ 1");
    const peakText = ui.peak.value.trim();
    const peak = peakText === "" ? undefined : Number(peakText);
    if (peak !== undefined && !(Number.isFinite(peak) && peak > 0)) throw new Error("peak rate must be a number > 0, or empty for the schedule as drawn");
    const picked = host.schedules()[Number(ui.schedule.value)];
    if (!picked?.schedule) throw new Error("the picked schedule has an error in its arguments: fix it above, or pick another");
    return { data: DATASETS[ui.data.value]!(), epochs, batchSize, peak, schedule: picked.schedule, label: picked.label };
  }

  async function start(what: "range-test" | "training", body: (r: Runtime, s: ReturnType<typeof settings>) => Promise<void>): Promise<void> {
    ui.error.textContent = "";
    let s: ReturnType<typeof settings>;
    try {
      s = settings();
    } catch (e) {
      ui.error.textContent = (e as Error).message;
      return;
    }
    stopRequested = false;
    setState(what);
    ui.status.textContent = ui.backend.dataset.backend ? "" : "Loading tf.js…";
    try {
      const r = await loadRuntime();
      ui.backend.dataset.backend = r.backend;
      ui.backend.textContent = `backend: ${r.backend}`;
      await body(r, s);
    } catch (e) {
      ui.error.textContent = (e as Error).message;
      setState("failed");
    }
  }

  async function rangeTest(r: Runtime, s: ReturnType<typeof settings>): Promise<void> {
    ui.status.textContent = "Range test: training 100 steps while the rate grows from 1e-5 to 10…";
    const { tf, lib } = r;
    const { x, y } = tensorsOf(tf, s.data);
    const model = modelFor(tf, s.data);
    const optimizer = OPTIMIZERS[ui.optimizer.value]!(lib, 1e-3);
    try {
      model.compile({ optimizer, loss: "categoricalCrossentropy" });
      const result = await lib.findLearningRate(model, x, y, { startLearningRate: 1e-5, endLearningRate: 10, numSteps: 100, batchSize: s.batchSize });
      lastRangeTest = result;
      drawRangeTest();
      const { valley, steepest, minimum } = result.suggestions;
      ui.suggestion.textContent = `Suggested: ${formatRate(valley)} (valley) · steepest ${formatRate(steepest)} · minimum ${formatRate(minimum)}`;
      ui.suggestion.dataset.rate = String(valley);
      ui.status.textContent = `Range test done in ${result.learningRates.length} steps${result.stoppedEarly ? " (stopped when the loss diverged)" : ""}; the model was put back as it was.`;
      setState("done");
    } finally {
      tf.dispose([x, y]);
      model.dispose();
      optimizer.dispose();
    }
  }

  function drawRangeTest(): void {
    if (!lastRangeTest) return;
    ui.rangeResult.hidden = false;
    const width = Math.max(240, ui.rangeChart.clientWidth);
    ui.rangeChart.innerHTML = rangeTestToSVG(lastRangeTest, { title: "Range test", rules: ["valley", "steepest", "minimum"], width, height: 300 });
  }

  async function train(r: Runtime, s: ReturnType<typeof settings>): Promise<void> {
    const { tf, lib } = r;
    const { x, y } = tensorsOf(tf, s.data);
    const model = modelFor(tf, s.data);
    const stepsPerEpoch = Math.ceil(s.data.labels.length / s.batchSize);
    const total = s.epochs * stepsPerEpoch;
    // Played over the part of the chart's range where it has rates (OneCycleLR ends at totalSteps).
    const { stop, values } = sampleDefined(s.schedule, { start: 0, stop: host.stop(), step: Math.max(1, Math.floor(host.stop() / 2000)) });
    const highest = Math.max(...Array.from(values));
    const factor = s.peak === undefined || !(highest > 0) ? 1 : s.peak / highest;
    const schedule = new Played(s.schedule, { stretch: stop / total, factor });
    const optimizer = OPTIMIZERS[ui.optimizer.value]!(lib, schedule);
    run = newRun(`${s.label}${factor === 1 ? "" : ` × ${formatRate(factor)}`}, played over ${total} steps`, schedule, total, stepsPerEpoch);
    const current = run;
    const smoother = new SmoothedLoss(0.9);
    let epochLoss = { sum: 0, n: 0 };
    let accuracy: number | undefined;
    const epochLosses: number[] = [];
    const started = performance.now();
    drawRun();
    try {
      model.compile({ optimizer, loss: "categoricalCrossentropy", metrics: ["accuracy"] });
      await model.fit(x, y, {
        epochs: s.epochs,
        batchSize: s.batchSize,
        shuffle: true,
        callbacks: {
          onBatchEnd: async (_batch, logs) => {
            const loss = logs?.loss ?? NaN;
            const step = current.steps.length;
            current.steps.push(step);
            current.losses.push(loss);
            current.smoothed.push(smoother.add(loss));
            current.rates.push(schedule(step));
            epochLoss = { sum: epochLoss.sum + loss, n: epochLoss.n + 1 };
            scheduleDraw();
            if (stopRequested) model.stopTraining = true;
          },
          onEpochEnd: async (epoch, logs) => {
            epochLosses.push(epochLoss.sum / epochLoss.n);
            epochLoss = { sum: 0, n: 0 };
            accuracy = logs?.acc;
            ui.status.dataset.epochLosses = epochLosses.join(",");
            ui.status.textContent = `epoch ${epoch + 1}/${s.epochs} · step ${current.steps.length}/${total} · loss ${fixed(logs?.loss)} · accuracy ${fixed(logs?.acc)}`;
          },
        },
      });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const last = current.losses[current.losses.length - 1];
      ui.status.textContent = `${stopRequested ? "Stopped" : "Done"} after ${current.steps.length} of ${total} steps in ${seconds} s: loss ${fixed(last)} (the first epoch's mean: ${fixed(epochLosses[0])}), accuracy ${fixed(accuracy)}.`;
      // A stopped run's charts close in on the steps it ran.
      if (stopRequested) endRunAt(current, current.steps.length);
      ui.status.dataset.steps = String(current.steps.length);
      setState(stopRequested ? "stopped" : "done");
    } finally {
      drawRun();
      tf.dispose([x, y]);
      model.dispose();
      optimizer.dispose();
    }
  }

  let drawPending = false;
  /** Redraws at the next animation frame, once however many steps ended before it. */
  function scheduleDraw(): void {
    if (drawPending) return;
    drawPending = true;
    requestAnimationFrame(() => {
      drawPending = false;
      drawRun();
    });
  }

  function drawRun(): void {
    if (!run) return;
    ui.charts.hidden = false;
    ui.lossChart.innerHTML = renderSVG(lossChart(run, Math.max(240, ui.lossChart.clientWidth)));
    ui.rateChart.innerHTML = renderSVG(rateChart(run, Math.max(240, ui.rateChart.clientWidth)));
  }

  ui.data.addEventListener("change", describeData);
  ui.rangeTest.addEventListener("click", () => void start("range-test", rangeTest));
  ui.train.addEventListener("click", () => void start("training", train));
  ui.stop.addEventListener("click", () => {
    stopRequested = true;
    ui.stop.disabled = true;
  });
  ui.useSuggestion.addEventListener("click", () => {
    if (lastRangeTest) ui.peak.value = formatRate(lastRangeTest.suggestion);
  });
  let width = ui.panel.clientWidth;
  new ResizeObserver(() => {
    if (ui.panel.clientWidth === width) return;
    width = ui.panel.clientWidth;
    drawRangeTest();
    drawRun();
  }).observe(ui.panel);
  describeData();
  setState("idle");

  return {
    refresh() {
      const list = host.schedules();
      const picked = Math.min(Number(ui.schedule.value) || 0, list.length - 1);
      ui.schedule.replaceChildren(...list.map((s, k) => new Option(s.schedule ? s.label : `${s.label} (has an error)`, String(k), false, k === picked)));
    },
  };
}

/** A training run as drawn: the loss and rate of every step so far, and the rate planned for every step. */
interface TrainingRun {
  label: string;
  total: number;
  stepsPerEpoch: number;
  planned: { steps: number[]; values: number[] };
  steps: number[];
  losses: number[];
  smoothed: number[];
  rates: number[];
}

/** Ends a run's charts at `steps`: the step axis and the planned rates stop there. */
function endRunAt(run: TrainingRun, steps: number): void {
  run.total = Math.max(2, steps);
  const keep = run.planned.steps.findIndex((s) => s >= run.total);
  if (keep >= 0) run.planned = { steps: run.planned.steps.slice(0, keep), values: run.planned.values.slice(0, keep) };
}

function newRun(label: string, schedule: LearningRateSchedule, total: number, stepsPerEpoch: number): TrainingRun {
  const { steps, values } = sample(schedule, { start: 0, stop: total, step: Math.max(1, Math.floor(total / 1000)) });
  return { label, total, stepsPerEpoch, planned: { steps: Array.from(steps), values: Array.from(values) }, steps: [], losses: [], smoothed: [], rates: [] };
}

/** The step axis of both live charts: the whole run, so that the lines grow across it. */
function runAxis(run: TrainingRun): Chart["x"] {
  return { scale: stepScale([{ label: "", steps: [0, Math.max(1, run.total - 1)], values: [0, 0] }]), kind: "step", log: false, name: "step" };
}

function lossChart(run: TrainingRun, width: number): Chart {
  const each: Line = { series: { label: "loss (each batch)", steps: run.steps, values: run.losses }, color: PALETTE[0]!, width: 1, opacity: 0.35 };
  const main: Line = { series: { label: "loss (smoothed)", steps: run.steps, values: run.smoothed }, color: PALETTE[0]!, width: 2.25 };
  return {
    title: "Loss",
    width,
    height: 260,
    x: runAxis(run),
    y: { scale: rateScale([each.series, main.series], false), kind: "value", log: false, name: "loss" },
    lines: [each, main],
    markers: [],
    stepsPerEpoch: run.stepsPerEpoch,
    legend: [{ text: main.series.label, line: main }, { text: each.series.label, line: each }],
  };
}

function rateChart(run: TrainingRun, width: number): Chart {
  const planned: Line = { series: { label: "planned", ...run.planned }, color: PALETTE[1]!, width: 1.25, opacity: 0.35 };
  const used: Line = { series: { label: "used", steps: run.steps, values: run.rates }, color: PALETTE[1]! };
  return {
    title: "Learning rate",
    width,
    height: 260,
    x: runAxis(run),
    y: { scale: rateScale([planned.series], false), kind: "value", log: false, name: "learning rate" },
    lines: [planned, used],
    markers: [],
    stepsPerEpoch: run.stepsPerEpoch,
    legend: [{ text: `rate used: ${run.label}`, line: used }],
  };
}

/** The data set as tensors: features, and one-hot labels. */
function tensorsOf(tf: typeof TF, data: Dataset): { x: TF.Tensor2D; y: TF.Tensor2D } {
  return tf.tidy(() => ({ x: tf.tensor2d(data.features), y: tf.oneHot(tf.tensor1d(data.labels, "int32"), data.classes).toFloat() as TF.Tensor2D }));
}

/** The data set's model, with seeded initial weights: every run (and its range test) starts from the same ones. */
function modelFor(tf: typeof TF, data: Dataset): TF.Sequential {
  const layers = [...data.hidden.map((units) => ({ units, activation: "relu" as const })), { units: data.classes, activation: "softmax" as const }];
  return tf.sequential({
    layers: layers.map((l, i) =>
      tf.layers.dense({ ...l, ...(i === 0 ? { inputShape: [data.features[0]!.length] } : {}), kernelInitializer: tf.initializers.glorotUniform({ seed: 42 + i }) }),
    ),
  });
}

function fixed(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? "–" : value.toFixed(3);
}
