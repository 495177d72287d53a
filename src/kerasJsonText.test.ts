import { describe, expect, it } from "vitest";
import { kerasFixture } from "../test/support/golden.js";
import { kerasFixtureTypes, numberTypes, pythonTypes, type PythonType } from "../test/support/pythonJson.js";
import { scheduleCatalogue } from "./catalogue.js";
import { parseExpression } from "./expression.js";
import { deserialize, LearningRateSchedule, scheduleToKerasJson, ScheduleOptionError, serialize, type KerasFormat } from "./index.js";
import type { ScheduleClass } from "./schedule.js";
import { Constant, InverseTimeDecay, LinearWarmup, PiecewiseConstantDecay, Sequence } from "./schedules/index.js";

type Json = Record<string, unknown>;

/**
 * `schedule` rebuilt with every number whole where its class takes a whole number there (the smallest whole number
 * above it, else the largest below), nested schedules too: where `JSON.stringify` writes ints and the Python type
 * Keras JSON needs shows.
 */
function wholeNumbered(schedule: LearningRateSchedule): LearningRateSchedule {
  const cls = schedule.constructor as ScheduleClass;
  const options: Record<string, unknown> = { ...schedule.getConfig() };
  const builds = () => {
    try {
      return new cls(options) instanceof LearningRateSchedule;
    } catch {
      return false;
    }
  };
  const whole = (x: number, set: (value: number) => void) => {
    if ([Math.ceil(x), Math.floor(x)].some((candidate) => (set(candidate), builds()))) return;
    set(x);
  };
  for (const [name, value] of Object.entries(options)) {
    if (value instanceof LearningRateSchedule) options[name] = wholeNumbered(value);
    else if (typeof value === "number") whole(value, (x) => (options[name] = x));
    else if (Array.isArray(value)) {
      const items: unknown[] = [...value];
      options[name] = items;
      items.forEach((item, i) => {
        if (item instanceof LearningRateSchedule) items[i] = wholeNumbered(item);
        else if (typeof item === "number") whole(item, (x) => (items[i] = x));
      });
    }
  }
  return new cls(options);
}

/** One schedule of each class that is Keras's or this package's own (`lr-schedules`), from its first example, made whole. */
const examples: Record<string, LearningRateSchedule> = Object.fromEntries(
  scheduleCatalogue()
    .filter(({ entry }) => entry === "lr-schedules")
    .map(({ cls }) => [cls.className, wholeNumbered(parseExpression(cls.examples!.expressions[0]!))]),
);

/**
 * The Python type Keras wrote for each config key of its schedules, read from all three fixtures (real Keras output).
 * `decay_steps` comes back as the user gave it, mostly an int (Keras's docs call it a Python int) and sometimes
 * `1.0` (its InverseTimeDecay example): an int is Keras's type for it.
 */
function kerasKeyTypes(): Map<string, Set<PythonType>> {
  const types = new Map<string, Set<PythonType>>();
  for (const file of ["keras3-configs.json", "tf-keras-legacy-configs.json", "keras-schedules-golden.json"]) {
    for (const [path, type] of numberTypes(kerasFixtureTypes(file))) {
      const m = /\.config\.(\w+)(?:\[\d+\])?$/.exec(path);
      if (m && !/optimizers\.|optimizer_config|compile_config\.optimizer\.config\.\w+$/.test(path)) {
        if (!types.has(m[1]!)) types.set(m[1]!, new Set());
        types.get(m[1]!)!.add(type);
      }
    }
  }
  return types;
}

describe("scheduleToKerasJson", () => {
  it("writes the numbers and keys of serialize, in both formats, for every built-in class", () => {
    expect(Object.keys(examples).length).toBeGreaterThanOrEqual(12);
    for (const schedule of Object.values(examples)) {
      for (const format of ["keras3", "keras2"] as KerasFormat[]) {
        const text = scheduleToKerasJson(schedule, { format });
        expect(JSON.parse(text)).toEqual(serialize(schedule, { format }));
        expect(serialize(deserialize(text), { format })).toEqual(serialize(schedule, { format }));
        expect(JSON.parse(scheduleToKerasJson(schedule, { format, indent: 2 }))).toEqual(serialize(schedule, { format }));
      }
    }
  });

  it("writes each number of every built-in class with the Python type Keras writes for its key: rates as floats, step counts as ints", () => {
    const keras = kerasKeyTypes();
    expect([...keras].filter(([, t]) => t.size > 1).map(([k]) => k)).toEqual(["decay_steps"]);
    // This library's step counts: the keys its classes declare as counts (`steps: true`, or integers).
    const stepCounts = new Set(
      Object.values(examples).flatMap((schedule) => Object.values((schedule.constructor as ScheduleClass).fields!).filter((f) => f.integer).map((f) => f.keras)),
    );
    for (const [className, schedule] of Object.entries(examples)) {
      const types = numberTypes(pythonTypes(scheduleToKerasJson(schedule)));
      expect(types.size, className).toBeGreaterThan(0);
      for (const [path, type] of types) {
        const key = /(\w+)(?:\[\d+\])?$/.exec(path)![1]!;
        const kerasTypes = keras.get(key);
        // Keras's own classes: the type Keras wrote (an int for decay_steps); this library's: the same rule by key.
        const expected: PythonType = kerasTypes?.size === 1 ? [...kerasTypes][0]! : stepCounts.has(key) ? "int" : "float";
        expect(`${className} ${path} ${type}`).toBe(`${className} ${path} ${expected}`);
      }
    }
  });

  it("writes Keras's own configs back with the types Keras wrote (decay_steps: 1.0 comes back 1, Keras's documented int)", () => {
    const files: [string, KerasFormat, (fixture: Json) => [string, Json][]][] = [
      ["keras3-configs.json", "keras3", (f) => Object.entries(f.schedules as Record<string, Json>).map(([k, v]) => [`schedules.${k}`, v])],
      ["tf-keras-legacy-configs.json", "keras2", (f) => Object.entries(f.schedules as Record<string, Json>).map(([k, v]) => [`schedules.${k}`, v])],
      ["keras-schedules-golden.json", "keras3", (f) => (f.cases as Json[]).map((c, i) => [`cases[${i}].keras`, c.keras as Json])],
    ];
    let compared = 0;
    const differences: string[] = [];
    for (const [file, format, cases] of files) {
      const keras = numberTypes(kerasFixtureTypes(file));
      for (const [path, json] of cases(kerasFixture<Json>(file))) {
        const ours = numberTypes(pythonTypes(scheduleToKerasJson(deserialize(json), { format })), path);
        const theirs = new Map([...keras].filter(([p]) => p.startsWith(`${path}.`)));
        expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
        for (const [p, type] of theirs) {
          compared++;
          if (ours.get(p) !== type) differences.push(`${p.replace(/^.*\.config\./, "")}: ${type} -> ${ours.get(p)}`);
        }
      }
    }
    expect(compared).toBeGreaterThan(300);
    expect(new Set(differences)).toEqual(new Set(["decay_steps: float -> int"]));
    expect(differences.length).toBe(1 + 1 + 3); // the integral decay_steps Keras was given as 1.0, by file
  });

  it("writes Python floats where JSON.stringify writes ints: the int32 trap of an int initial_learning_rate", () => {
    const schedule = new InverseTimeDecay(1, 1000, 0);
    expect(JSON.stringify(serialize(schedule))).toContain('"initial_learning_rate":1,');
    expect(scheduleToKerasJson(schedule)).toContain('"initial_learning_rate": 1.0, "decay_steps": 1000, "decay_rate": 0.0');
    expect(scheduleToKerasJson(new InverseTimeDecay(0.1, 0.5, 1e-7))).toContain('"initial_learning_rate": 0.1, "decay_steps": 0.5, "decay_rate": 1e-7');
  });

  it("indents as JSON.stringify does, and refuses an indent JSON.stringify would not take", () => {
    const schedule = new Sequence([new Constant({ value: 1 }), new PiecewiseConstantDecay([5], [1, 0])], [50]);
    const json = serialize(schedule);
    const text = scheduleToKerasJson(schedule, { indent: 2 });
    expect(text.replace(/(\d)\.0\b/g, "$1")).toBe(JSON.stringify(json, null, 2));
    expect(text).toContain('"value": 1.0');
    for (const indent of [-1, 1.5, 11, "2" as never]) {
      expect(() => scheduleToKerasJson(schedule, { indent })).toThrow(ScheduleOptionError);
    }
    expect(() => scheduleToKerasJson(schedule, null as never)).toThrow(/`options` must be an object \{format\?, indent\?\}/);
  });
});

describe("the playground's Copy Keras JSON (scheduleToKerasJson with indent 2, in the chosen format)", () => {
  it("writes JSON.stringify's layout with Python's types, in both formats", () => {
    const schedule = new LinearWarmup(new PiecewiseConstantDecay([100, 200], [1, 0.5, 0]), 10);
    for (const format of ["keras3", "keras2"] as KerasFormat[]) {
      const text = scheduleToKerasJson(schedule, { format, indent: 2 });
      expect(text.split("\n").length).toBe(JSON.stringify(serialize(schedule, { format }), null, 2).split("\n").length);
      expect(JSON.parse(text)).toEqual(serialize(schedule, { format }));
      const types = numberTypes(pythonTypes(text));
      expect([...types].filter(([, t]) => t === "int").map(([p]) => p)).toEqual([
        "config.schedule.config.boundaries[0]",
        "config.schedule.config.boundaries[1]",
        "config.warmup_steps",
      ]);
      expect(text).toContain('"values": [\n');
      expect(text).toContain("      1.0,\n");
      expect(text).toContain('"initial_learning_rate": 0.0');
    }
  });
});
