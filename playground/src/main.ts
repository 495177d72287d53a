/**
 * The playground page: a list of schedules drawn over each other, an editor for the selected one, the chart with
 * its hover readout, and Keras JSON or TypeScript out, Keras JSON (or an expression) in.
 */
import { parseExpression } from "../../src/expression.js";
import { fromKeras } from "../../src/cli/kerasDocument.js";
import { defaultRange, defaultStep } from "../../src/cli/range.js";
import type { LearningRateSchedule } from "../../src/schedule.js";
import type { KerasFormat } from "../../src/keras/envelope.js";
import { scheduleToKerasJson } from "../../src/keras/text.js";
import { shortFloat, uniqueLabels } from "../../src/plot/data.js";
import { Chart, colorOf, MAX_POINTS, seriesOf, type Reading, type StepRange } from "./chart.js";
import { classPicker, el, renderNode, showErrors } from "./editor.js";
import { build, classes, NestedError, newNode, nodeFromSchedule, typescriptOf, type ScheduleNode } from "./model.js";
import { mountTrainPanel } from "./train.js";

interface Entry {
  node: ScheduleNode;
  /** The last schedule the node built: a curve stays drawn while an argument is being fixed. */
  schedule: LearningRateSchedule | undefined;
  broken: boolean;
}

const $ = <E extends HTMLElement>(id: string) => document.getElementById(id) as E;
const ui = {
  curves: $<HTMLUListElement>("curves"),
  addClass: $<HTMLElement>("add-class"),
  add: $<HTMLButtonElement>("add"),
  editor: $<HTMLDivElement>("editor"),
  start: $<HTMLInputElement>("range-start"),
  stop: $<HTMLInputElement>("range-stop"),
  auto: $<HTMLInputElement>("range-auto"),
  epoch: $<HTMLInputElement>("epoch"),
  startError: $<HTMLSpanElement>("range-start-error"),
  stopError: $<HTMLSpanElement>("range-stop-error"),
  epochError: $<HTMLSpanElement>("epoch-error"),
  chartStale: $<HTMLParagraphElement>("chart-stale"),
  log: $<HTMLInputElement>("log"),
  chartWrap: $<HTMLDivElement>("chart-wrap"),
  chart: $<HTMLDivElement>("chart"),
  chartError: $<HTMLParagraphElement>("chart-error"),
  readout: $<HTMLDivElement>("readout"),
  copyJson: $<HTMLButtonElement>("copy-json"),
  copyTs: $<HTMLButtonElement>("copy-ts"),
  kerasFormat: $<HTMLSelectElement>("keras-format"),
  copyStatus: $<HTMLSpanElement>("copy-status"),
  outputCaption: $<HTMLSpanElement>("output-caption"),
  output: $<HTMLTextAreaElement>("output"),
  loadText: $<HTMLTextAreaElement>("load-text"),
  load: $<HTMLButtonElement>("load"),
  loadError: $<HTMLParagraphElement>("load-error"),
};

const state = {
  entries: [] as Entry[],
  selected: 0,
  range: { start: 0, stop: 10000, step: 1 } as StepRange,
  stepsPerEpoch: undefined as number | undefined,
  /** Whether the range inputs hold a range: while they do not, the chart stays as it was, marked stale. */
  rangeValid: true,
  output: "json" as "json" | "typescript",
  chart: undefined as Chart | undefined,
};

const hooks = {
  changed: () => update(),
  restructured: () => {
    renderEditor();
    update();
  },
  stop: () => state.range.stop,
};

function addEntry(node: ScheduleNode): void {
  state.entries.push({ node, schedule: undefined, broken: false });
  state.selected = state.entries.length - 1;
}

function selected(): Entry | undefined {
  return state.entries[state.selected];
}

/** Rebuilds every schedule, then redraws everything that depends on them; the editor's inputs stay as they are. */
function update(): void {
  for (const entry of state.entries) {
    try {
      entry.schedule = build(entry.node);
      entry.broken = false;
    } catch (e) {
      if (!(e instanceof NestedError)) throw e;
      entry.broken = true;
    }
  }
  const entry = selected();
  if (entry) showErrors(entry.node);
  updateRange();
  drawChart();
  renderList();
  renderOutput();
  trainPanel.refresh();
}

/** Reads the range inputs; each bad one gets its error beside it, and the range is kept as it was. */
function updateRange(): void {
  const built = state.entries.flatMap((e) => (e.schedule ? [e.schedule] : []));
  let { start, stop } = state.range;
  let startError: string | undefined;
  let stopError: string | undefined;
  if (ui.auto.checked && built.length) {
    start = 0;
    stop = defaultRange(built, MAX_POINTS).stop;
    ui.start.value = String(start);
    ui.stop.value = String(stop);
  } else if (!ui.auto.checked) {
    const a = numberIn(ui.start);
    const b = numberIn(ui.stop);
    const from = a === undefined || a < 0 ? undefined : a;
    if (from === undefined) startError = "start must be a number ≥ 0";
    if (b === undefined || b <= (from ?? 0)) stopError = `stop must be a number after start${from === undefined ? "" : ` (${from})`}`;
    if (!startError && !stopError) [start, stop] = [from!, b!];
  }
  // Empty is "no epochs"; a number input holding something that is not a number reads as empty too, but is an error.
  const noEpochs = ui.epoch.value.trim() === "" && !ui.epoch.validity.badInput;
  const epoch = noEpochs ? undefined : numberIn(ui.epoch);
  const epochError = noEpochs || (epoch !== undefined && epoch > 0) ? undefined : "steps per epoch must be a number above 0, or empty for none";
  showInputError(ui.start, ui.startError, startError);
  showInputError(ui.stop, ui.stopError, stopError);
  showInputError(ui.epoch, ui.epochError, epochError);
  state.rangeValid = !startError && !stopError && !epochError;
  if (!epochError) state.stepsPerEpoch = epoch;
  state.range = { start, stop, step: defaultStep(stop - start, MAX_POINTS) };
}

/** A number input's value, or nothing when it is empty or not a number. */
function numberIn(input: HTMLInputElement): number | undefined {
  const value = input.value.trim() === "" ? NaN : Number(input.value);
  return Number.isFinite(value) ? value : undefined;
}

function showInputError(input: HTMLInputElement, message: HTMLElement, error: string | undefined): void {
  input.setAttribute("aria-invalid", String(error !== undefined));
  message.textContent = error ?? "";
}

/** Draws the chart; while the range inputs have an error, the last chart stays, dimmed and marked as stale. */
function drawChart(): void {
  ui.chartError.textContent = "";
  ui.chartWrap.classList.toggle("stale", !state.rangeValid);
  ui.chartStale.hidden = state.rangeValid;
  if (!state.rangeValid) {
    state.chart = undefined;
    showReading(undefined);
    return;
  }
  const curves = state.entries.map((e) => ({ label: e.schedule?.name ?? e.node.cls.className, schedule: e.schedule }));
  const errors: string[] = [];
  try {
    state.chart = new Chart(ui.chart, seriesOf(curves, state.range, errors), state.range, {
      log: ui.log.checked,
      stepsPerEpoch: state.stepsPerEpoch,
      width: Math.max(320, ui.chartWrap.clientWidth),
      height: 420,
    });
  } catch (e) {
    state.chart = undefined;
    ui.chart.replaceChildren();
    errors.push((e as Error).message);
  }
  ui.chartError.textContent = errors.join("\n");
  showReading(undefined);
}

function renderList(): void {
  ui.curves.replaceChildren(
    ...state.entries.map((entry, k) => {
      const label = entry.schedule?.name ?? entry.node.cls.className;
      const item = el("li", { class: k === state.selected ? "selected" : "", "data-index": String(k) });
      const pick = el("button", { type: "button", class: "pick", title: "edit this schedule" },
        el("i", { class: "chip", style: `background:${colorOf(k)}` }),
        el("span", { class: "label" }, label));
      const className = entry.schedule?.className ?? entry.node.cls.className;
      if (className !== label) pick.append(el("span", { class: "class" }, className));
      if (entry.broken) pick.append(el("span", { class: "broken", title: "an argument has an error" }, "!"));
      pick.addEventListener("click", () => {
        state.selected = k;
        hooks.restructured();
      });
      const remove = el("button", { type: "button", class: "remove", title: `remove ${label}`, "aria-label": `remove ${label}` }, "×");
      remove.disabled = state.entries.length === 1;
      remove.addEventListener("click", () => {
        state.entries.splice(k, 1);
        state.selected = Math.min(state.selected, state.entries.length - 1);
        hooks.restructured();
      });
      item.append(pick, remove);
      return item;
    }),
  );
}

function renderEditor(): void {
  const entry = selected();
  ui.editor.replaceChildren(entry ? renderNode(entry.node, "", hooks) : "");
}

/** The selected schedule as Keras JSON or TypeScript, in the output box (what the copy buttons copy). */
function renderOutput(): void {
  const entry = selected();
  const format = ui.kerasFormat.value as KerasFormat;
  ui.output.dataset.format = state.output;
  if (!entry?.schedule) {
    ui.outputCaption.textContent = "";
    ui.output.value = "";
    return;
  }
  const what = state.output === "json" ? `Keras JSON (${format === "keras2" ? "Keras 2" : "Keras 3"})` : "TypeScript";
  ui.outputCaption.textContent = `${what} of ${entry.schedule.name}${entry.broken ? " (its last valid arguments)" : ""}`;
  ui.output.value = state.output === "json" ? scheduleToKerasJson(entry.schedule, { format, indent: 2 }) : typescriptOf(entry.schedule);
}

async function copy(format: "json" | "typescript"): Promise<void> {
  state.output = format;
  renderOutput();
  ui.copyStatus.textContent = "";
  try {
    await navigator.clipboard.writeText(ui.output.value);
    ui.copyStatus.textContent = "Copied.";
  } catch {
    ui.output.focus();
    ui.output.select();
    ui.copyStatus.textContent = "The clipboard is not available here: the text is selected below, press Ctrl+C.";
  }
}

/** Loads pasted Keras JSON (a schedule, an optimizer, a compile config) or an expression, as a new curve. */
function load(): void {
  const text = ui.loadText.value;
  ui.loadError.textContent = "";
  try {
    const schedule = /^\s*[{[]/.test(text) ? fromKeras(text, "the pasted JSON") : parseExpression(text.trim());
    addEntry(nodeFromSchedule(schedule));
    hooks.restructured();
  } catch (e) {
    ui.loadError.textContent = (e as Error).message;
  }
}

function showReading(reading: Reading | undefined): void {
  state.chart?.mark(reading);
  ui.readout.hidden = !reading;
  if (!reading) return;
  ui.readout.dataset.step = String(reading.step);
  ui.readout.replaceChildren(
    el("div", { class: "readout-step" }, `step ${reading.step.toLocaleString("en-US")}`),
    ...reading.points.map((p) =>
      el("div", { class: "readout-row", "data-label": p.label, "data-rate": String(p.rate) },
        el("i", { class: "chip", style: `background:${p.color}` }),
        el("span", {}, p.label),
        el("b", {}, shortFloat(p.rate)))),
  );
  const box = ui.chartWrap.getBoundingClientRect();
  const scale = box.width / Number(state.chart!.svg.getAttribute("width"));
  const left = reading.x * scale;
  ui.readout.style.left = `${left + 14}px`;
  ui.readout.style.top = "12px";
  if (left + 14 + ui.readout.offsetWidth > box.width) ui.readout.style.left = `${left - 14 - ui.readout.offsetWidth}px`;
}

function wire(): void {
  const picker = classPicker(classes.get("CosineDecay"));
  picker.id = "add-class";
  picker.setAttribute("aria-label", "schedule to add");
  ui.addClass.replaceWith(picker);
  ui.add.addEventListener("click", () => {
    addEntry(newNode(classes.get(picker.value)!));
    hooks.restructured();
  });
  for (const input of [ui.start, ui.stop]) {
    input.addEventListener("input", () => {
      ui.auto.checked = false;
      update();
    });
  }
  for (const input of [ui.auto, ui.log, ui.epoch]) input.addEventListener("input", () => update());
  ui.kerasFormat.addEventListener("change", () => {
    state.output = "json";
    renderOutput();
  });
  ui.copyJson.addEventListener("click", () => void copy("json"));
  ui.copyTs.addEventListener("click", () => void copy("typescript"));
  ui.load.addEventListener("click", load);
  ui.chartWrap.addEventListener("pointermove", (e) => showReading(state.chart?.readAt(e.clientX, e.clientY)));
  ui.chartWrap.addEventListener("pointerleave", () => showReading(undefined));
  let width = ui.chartWrap.clientWidth;
  new ResizeObserver(() => {
    if (ui.chartWrap.clientWidth === width) return;
    width = ui.chartWrap.clientWidth;
    drawChart();
  }).observe(ui.chartWrap);
}

wire();
const trainPanel = mountTrainPanel({
  schedules: () => uniqueLabels(state.entries.map((e) => ({ label: e.schedule?.name ?? e.node.cls.className, schedule: e.schedule }))),
  stop: () => state.range.stop,
});
for (const text of ["CosineDecay(1e-3, 9000, { warmupTarget: 1e-2, warmupSteps: 1000 })", "ExponentialDecay(1e-2, 1000, 0.75, true)"]) {
  addEntry(nodeFromSchedule(parseExpression(text)));
}
state.selected = 0;
hooks.restructured();
document.body.dataset.ready = "true";
