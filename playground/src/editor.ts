/**
 * The argument editor: one input per option, generated from the class's option table (a number box and a slider,
 * a checkbox, a list of choices, a text box), nested schedules as nested editors, and for any node an expression box
 * read by the CLI's parser instead.
 */
import { scheduleGroups } from "../../src/cli/scheduleGroups.js";
import { parseExpression } from "../../src/expression.js";
import type { Field } from "../../src/options.js";
import type { ScheduleClass } from "../../src/schedule.js";
import { kindOf, parseStepMap, stepMapText, type NumberKind } from "./fields.js";
import { build, classes, expressionOf, newNode, NestedError, nodeFromSchedule, nodesOf, type ScheduleNode } from "./model.js";

/** How the editor tells the page what happened. */
export interface EditorHooks {
  /** A value changed: rebuild and redraw; the form stays as it is (the focus too). */
  changed(): void;
  /** The form's shape changed (a class, a mode, a nested list): draw the editor again, then rebuild. */
  restructured(): void;
  /** The chart's last step, the reach of a step slider. */
  stop(): number;
}

/** Where each drawn node shows its errors. */
const views = new WeakMap<ScheduleNode, { error: HTMLElement; rows: Map<string, HTMLElement> }>();

/**
 * A `<select>` of every schedule class: Keras's, this package's own, compositions (schedules of schedules), then each
 * other entry's (`lr-schedules/optax`...) in its own group, as the CLI's help lists them.
 */
export function classPicker(selected: ScheduleClass | undefined): HTMLSelectElement {
  const select = el("select", { class: "class-picker" });
  for (const { title, classes } of scheduleGroups()) {
    const options = classes.map((cls) => {
      const option = el("option", { value: cls.className }, cls.className);
      option.selected = cls === selected;
      return option;
    });
    select.append(el("optgroup", { label: title }, ...options));
  }
  return select;
}

/** The editor of a node; `path` names it in `data-path` attributes (`''`, `schedule`, `schedules[1]`). */
export function renderNode(node: ScheduleNode, path: string, hooks: EditorHooks): HTMLElement {
  const box = el("div", { class: "node", "data-node": path });
  const picker = classPicker(node.cls);
  picker.dataset.node = path;
  picker.setAttribute("aria-label", path ? `class of ${path}` : "schedule class");
  picker.addEventListener("change", () => {
    Object.assign(node, newNode(classes.get(picker.value)!, node.mode === "form" ? node : undefined));
    hooks.restructured();
  });

  const formButton = el("button", { type: "button", class: "mode", "data-mode": "form" }, "Form");
  const textButton = el("button", { type: "button", class: "mode", "data-mode": "expression" }, "Expression");
  formButton.disabled = !node.cls.fields;
  (node.mode === "form" ? formButton : textButton).classList.add("active");
  const error = el("p", { class: "error node-error", role: "alert" });
  formButton.addEventListener("click", () => {
    if (node.mode === "form") return;
    try {
      Object.assign(node, nodeFromSchedule(parseExpression(node.text)));
      hooks.restructured();
    } catch (e) {
      error.textContent = `Fix the expression first: ${(e as Error).message}`;
    }
  });
  textButton.addEventListener("click", () => {
    if (node.mode === "expression") return;
    try {
      node.text = expressionOf(build(node), 60);
      node.mode = "expression";
      hooks.restructured();
    } catch (e) {
      if (!(e instanceof NestedError)) throw e;
      error.textContent = `Fix the arguments first: ${e.message}`;
    }
  });
  box.append(el("div", { class: "node-head" }, picker, el("div", { class: "modes", role: "group" }, formButton, textButton)), error);

  const rows = new Map<string, HTMLElement>();
  views.set(node, { error, rows });
  if (node.mode === "expression") {
    const text = el("textarea", { class: "expression", spellcheck: "false", "data-path": path, "aria-label": "schedule expression" });
    text.value = node.text;
    const fit = () => (text.rows = Math.min(16, Math.max(3, text.value.split("\n").length + 1)));
    fit();
    text.addEventListener("input", () => {
      node.text = text.value;
      fit();
      hooks.changed();
    });
    box.append(text, el("p", { class: "hint" }, "The TypeScript API's syntax: CosineDecay(1e-3, 10000, { warmupSteps: 500 }); compositions nest."));
    return box;
  }
  // Keras's `name` and this library's extensions (`dtype`) rarely change the curve: they fold away.
  const fields = el("div", { class: "fields" });
  const more = el("details", { class: "more" });
  const folded: string[] = [];
  for (const [name, field] of Object.entries(node.cls.fields ?? {})) {
    const row = fieldRow(node, name, field, path ? `${path}.${name}` : name, hooks);
    rows.set(name, row);
    if (field.extension || field.keras === "name") {
      folded.push(name);
      more.append(row);
    } else {
      fields.append(row);
    }
  }
  if (folded.length) fields.append(more);
  more.prepend(el("summary", {}, folded.join(", ")));
  box.append(fields);
  return box;
}

function fieldRow(node: ScheduleNode, name: string, field: Field, path: string, hooks: EditorHooks): HTMLElement {
  const kind = kindOf(field);
  const id = `opt-${path.replace(/[^\w-]/g, "_")}`;
  const set = (value: unknown) => {
    node.values[name] = value;
    hooks.changed();
  };
  const value = node.values[name];
  const row = el("div", { class: `field field-${kind.kind}`, "data-option": name });
  const help = `${field.expected}${field.default !== undefined ? `; default ${JSON.stringify(field.default)}` : "; required"}`;
  const label = el("label", { for: id, title: help }, el("span", { class: "name" }, ...breakable(name)), el("code", { class: "keras" }, ...breakable(field.keras)));
  let control: HTMLElement;
  switch (kind.kind) {
    case "number":
      control = numberControl(kind, value, id, path, set, hooks);
      break;
    case "boolean": {
      const box = el("input", { type: "checkbox", id, "data-path": path });
      box.checked = value === true;
      box.addEventListener("change", () => set(box.checked));
      control = box;
      break;
    }
    case "choice": {
      const select = el("select", { id, "data-path": path }, ...kind.choices.map((c) => el("option", { value: c }, c)));
      select.value = String(value);
      select.addEventListener("change", () => set(select.value));
      control = select;
      break;
    }
    case "numbers": {
      const text = el("input", { type: "text", id, "data-path": path, placeholder: "numbers, comma separated" });
      text.value = Array.isArray(value) ? value.join(", ") : "";
      text.addEventListener("input", () => set(text.value.trim() === "" ? [] : text.value.split(/[\s,]+/).filter(Boolean).map(Number)));
      control = text;
      break;
    }
    case "stepMap": {
      const text = el("input", { type: "text", id, "data-path": path, placeholder: "step: value, comma separated" });
      text.value = stepMapText(value);
      text.addEventListener("input", () => set(parseStepMap(text.value)));
      control = text;
      break;
    }
    case "string": {
      const text = el("input", { type: "text", id, "data-path": path });
      text.value = String(value ?? "");
      text.addEventListener("input", () => set(text.value));
      control = text;
      break;
    }
    case "function":
      // A JavaScript function (CyclicLR's scaleFn) has no form: it is given in code; the page leaves it null.
      control = el("span", { id, class: "function-note" }, "a JavaScript function: give it in code");
      break;
    case "schedule":
      control = nested(`${name}`, renderNode(value as ScheduleNode, path, hooks));
      break;
    case "schedules": {
      const list = value as ScheduleNode[];
      control = el("div", { class: "nested-list" });
      list.forEach((child, i) => {
        const remove = el("button", { type: "button", class: "remove", title: `remove ${name}[${i}]` }, "Remove");
        remove.disabled = list.length === 1;
        remove.addEventListener("click", () => {
          list.splice(i, 1);
          hooks.restructured();
        });
        control.append(nested(`${name}[${i}]`, renderNode(child, `${path}[${i}]`, hooks), remove));
      });
      const add = el("button", { type: "button", class: "add-nested" }, `Add to ${name}`);
      add.addEventListener("click", () => {
        list.push(newNode(list[list.length - 1]?.cls ?? classes.values().next().value!));
        hooks.restructured();
      });
      control.append(add);
      break;
    }
    default: {
      const text = el("input", { type: "text", id, "data-path": path, placeholder: "JSON" });
      text.value = JSON.stringify(value);
      text.addEventListener("input", () => {
        try {
          set(JSON.parse(text.value));
        } catch {
          set(text.value);
        }
      });
      control = text;
    }
  }
  row.append(label, el("div", { class: "control" }, control), el("p", { class: "error", role: "alert" }));
  return row;
}

/** A name with line-break opportunities between its words (`initialLearning|Rate`, `initial_|learning_|rate`). */
function breakable(name: string): (string | HTMLElement)[] {
  return name.split(/(?<=_)|(?=[A-Z])/).flatMap((part, i) => (i === 0 ? [part] : [el("wbr"), part]));
}

function nested(title: string, editor: HTMLElement, ...extra: HTMLElement[]): HTMLElement {
  return el("fieldset", { class: "nested" }, el("legend", {}, title, ...extra), editor);
}

/** Slider positions: enough for a smooth drag, few enough that each one lands on a round value. */
const POSITIONS = 1000;

interface SliderScale {
  toPosition(value: number): number;
  fromPosition(position: number): number;
}

/**
 * How a slider moves a number: steps linearly over the chart's range in whole steps, a bounded number linearly over
 * its bounds, and anything else (rates, factors) over two decades either side of its value, with the far left at 0
 * where 0 is allowed. Values are rounded to three significant digits, so that a slid config reads well.
 */
export function sliderScale(kind: NumberKind, value: number, stop: number): SliderScale {
  const lowest = kind.minOpen ? kind.min + (kind.steps ? 1 : 0) : kind.min;
  const clamp = (p: number) => Math.min(POSITIONS, Math.max(0, Math.round(p)));
  const linear = (lo: number, hi: number, round: (v: number) => number): SliderScale => ({
    toPosition: (v) => clamp(((v - lo) / (hi - lo)) * POSITIONS),
    fromPosition: (p) => round(lo + ((hi - lo) * p) / POSITIONS),
  });
  if (kind.steps) return linear(Math.max(0, lowest), Math.max(stop, 2 * value, 10), Math.round);
  if (Number.isFinite(kind.min) && Number.isFinite(kind.max)) {
    const inset = (kind.max - kind.min) / POSITIONS;
    const lo = kind.minOpen ? kind.min + inset : kind.min;
    const hi = kind.maxOpen ? kind.max - inset : kind.max;
    return linear(lo, hi, (v) => Math.min(hi, Math.max(lo, Number(v.toPrecision(3)))));
  }
  const centre = value > 0 ? value : 0.01;
  const lo = Math.max(centre / 100, Number.isFinite(kind.min) && kind.min > 0 ? kind.min : 0);
  const hi = Math.max(centre * 100, lo * 10);
  const zeroAllowed = kind.min < 0 || (kind.min === 0 && !kind.minOpen);
  const ratio = Math.log(hi / lo);
  return {
    toPosition: (v) => (v <= 0 ? 0 : clamp((Math.log(v / lo) / ratio) * POSITIONS)),
    fromPosition: (p) => (p === 0 && zeroAllowed ? 0 : Number((lo * Math.exp((ratio * p) / POSITIONS)).toPrecision(3))),
  };
}

function numberControl(kind: NumberKind, value: unknown, id: string, path: string, set: (v: unknown) => void, hooks: EditorHooks): HTMLElement {
  const box = el("input", { type: "number", step: "any", id, "data-path": path });
  if (kind.nullable) box.placeholder = "none";
  box.value = typeof value === "number" ? String(value) : "";
  const slider = el("input", { type: "range", min: "0", max: String(POSITIONS), step: "1", "data-slider": path, "aria-label": `${path} slider`, tabindex: "-1" });
  const current = () => (typeof value === "number" && Number.isFinite(value) ? value : 0);
  let scale = sliderScale(kind, current(), hooks.stop());
  const recentre = () => {
    scale = sliderScale(kind, current(), hooks.stop());
    slider.value = String(scale.toPosition(current()));
  };
  slider.value = String(scale.toPosition(current()));
  box.addEventListener("input", () => {
    value = box.value.trim() === "" ? (kind.nullable ? null : NaN) : Number(box.value);
    if (typeof value === "number" && Number.isFinite(value)) slider.value = String(scale.toPosition(value));
    set(value);
  });
  box.addEventListener("change", recentre);
  slider.addEventListener("input", () => {
    value = scale.fromPosition(Number(slider.value));
    box.value = String(value);
    set(value);
  });
  slider.addEventListener("change", recentre);
  return el("div", { class: "number-control" }, box, slider);
}

/** Shows each node's error at the option it names (or atop the node), and clears the others. */
export function showErrors(root: ScheduleNode): void {
  for (const node of nodesOf(root)) {
    const view = views.get(node);
    if (!view) continue;
    view.error.textContent = "";
    for (const row of view.rows.values()) {
      row.classList.remove("invalid");
      row.querySelector(":scope > .error")!.textContent = "";
    }
    if (!node.error) continue;
    const row = node.error.option === undefined ? undefined : view.rows.get(node.error.option);
    if (row) {
      row.closest("details")?.setAttribute("open", "");
      row.classList.add("invalid");
      row.querySelector(":scope > .error")!.textContent = node.error.message;
    } else {
      view.error.textContent = node.error.message;
    }
  }
}

/** An element with attributes and children. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  element.append(...children);
  return element;
}
