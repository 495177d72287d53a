import { describe, expect, it } from "vitest";
import {
  deserialize,
  InverseTimeDecay,
  JSON_LIMITS,
  knownScheduleNames,
  LearningRateSchedule,
  registerSchedule,
  ScheduleOptionError,
  ScheduleTypeError,
  serialize,
  type Ops,
} from "./index.js";

class HalveEvery extends LearningRateSchedule {
  static override readonly className = "HalveEvery";
  constructor(readonly options: { every: number; initial?: number }) {
    super();
  }
  compute<T, B>(o: Ops<T, B>, step: T): T {
    const halvings = o.floor(o.div(step, o.constant(this.options.every)));
    return o.div(o.constant(this.options.initial ?? 1), o.pow(o.constant(2), halvings));
  }
  override getConfig() {
    return { ...this.options };
  }
}

const itd = { class_name: "InverseTimeDecay", config: { initial_learning_rate: 0.1, decay_steps: 1, decay_rate: 0.5 } };

describe("a user's own schedule", () => {
  it("extends LearningRateSchedule, is callable, and computes with the ops it is given", () => {
    const lr = new HalveEvery({ every: 10 });
    expect(typeof lr).toBe("function");
    expect(lr instanceof HalveEvery && lr instanceof LearningRateSchedule).toBe(true);
    expect([0, 9, 10, 25].map(lr)).toEqual([1, 1, 0.5, 0.25]);
    expect(lr.name).toBe("HalveEvery");
    expect(() => lr(-1)).toThrow(/HalveEvery: `step` must be/);
  });

  it("registerSchedule(cls, { package }) makes serialize write registered_name 'pkg>Name' and deserialize find it", () => {
    registerSchedule(HalveEvery, { package: "my-pkg" });
    const json = serialize(new HalveEvery({ every: 4, initial: 0.5 }));
    expect(json).toEqual({ module: "my-pkg", class_name: "HalveEvery", config: { every: 4, initial: 0.5 }, registered_name: "my-pkg>HalveEvery" });
    const back = deserialize(JSON.stringify(json));
    expect(back instanceof HalveEvery).toBe(true);
    expect(back(9)).toBe(0.125);
    expect(serialize(new HalveEvery({ every: 4 }), { format: "keras2" }).class_name).toBe("my-pkg>HalveEvery");
    expect(deserialize(serialize(new HalveEvery({ every: 4 }), { format: "keras2" }))(4)).toBe(0.5);
    expect(knownScheduleNames()).toContain("my-pkg>HalveEvery");
  });

  it("serialize refuses a class that was never registered", () => {
    class Unregistered extends HalveEvery {}
    expect(() => serialize(new Unregistered({ every: 1 }))).toThrow(/registered with registerSchedule/);
  });

  it("registerSchedule refuses what is not a schedule class, and bad names", () => {
    expect(() => registerSchedule(Object as never)).toThrow(TypeError);
    expect(() => registerSchedule(HalveEvery, { package: "a>b" })).toThrow(/`package` must be a non-empty string without '>'/);
    expect(() => registerSchedule(HalveEvery, { name: "" })).toThrow(/`name` must be/);
  });
});

describe("deserialize", () => {
  it("reads Keras 3 and Keras 2 shapes, as objects and as JSON text", () => {
    const k3 = serialize(new InverseTimeDecay(0.1, 1, 0.5));
    for (const input of [k3, JSON.stringify(k3), itd, JSON.stringify(itd)]) expect(deserialize(input)(1)).toBe(Math.fround(Math.fround(0.1) / 1.5));
  });

  it("reads Keras 2's name: null as the default name", () => {
    expect(deserialize({ class_name: "InverseTimeDecay", config: { ...itd.config, name: null } }).name).toBe("InverseTimeDecay");
  });

  it("refuses an unknown class_name and lists the known ones", () => {
    expect(() => deserialize({ class_name: "CosineDecayy", config: {} })).toThrow(/Unknown schedule `class_name`: "CosineDecayy"\. Known: .*InverseTimeDecay/);
    expect(() => deserialize({ class_name: "InverseTimeDecay", config: itd.config, registered_name: "nope>X" })).toThrow(/`registered_name`: "nope>X"/);
  });

  const malformed: [string, unknown, RegExp][] = [
    ["a missing config", { class_name: "InverseTimeDecay" }, /`config` must be an object/],
    ["a config that is not an object", { class_name: "InverseTimeDecay", config: [1] }, /`config` must be an object.*Received: config=\[1\]/],
    ["a missing class_name", { config: itd.config }, /`class_name` must be a string/],
    ["an unknown envelope key", { ...itd, extra: 1 }, /`extra` must be one of the keys module, class_name, config, registered_name/],
    ["an unknown config key", { ...itd, config: { ...itd.config, decay_step: 3 } }, /`config.decay_step` must be one of the keys initial_learning_rate/],
    ["a wrong value type", { ...itd, config: { ...itd.config, decay_steps: "1" } }, /`config.decay_steps` must be a finite number > 0\. Received: config.decay_steps="1"/],
    ["an out-of-range value", { ...itd, config: { ...itd.config, decay_rate: -2 } }, /`config.decay_rate` must be a finite number >= 0/],
    ["a non-boolean staircase", { ...itd, config: { ...itd.config, staircase: "true" } }, /`config.staircase` must be a boolean/],
    ["a number", 3, /`json` must be a Keras object/],
    ["null", null, /`json` must be a Keras object/],
    ["JSON that is not JSON", "{class_name: InverseTimeDecay}", /`json` must be valid JSON/],
    ["a registered_name that is not a string", { ...itd, registered_name: 3 }, /`registered_name` must be a string or null/],
  ];
  for (const [what, input, message] of malformed) {
    it(`refuses ${what} with an error naming the key`, () => {
      expect(() => deserialize(input)).toThrow(message);
      expect(() => deserialize(input)).toThrow(Error);
    });
  }

  it("never lets __proto__, constructor or prototype keys reach an object", () => {
    const hostile = [
      '{"class_name": "InverseTimeDecay", "config": {"initial_learning_rate": 0.1, "decay_steps": 1, "decay_rate": 0.5, "__proto__": {"polluted": true}}}',
      '{"__proto__": {"polluted": true}, "class_name": "InverseTimeDecay", "config": {}}',
      '{"class_name": "InverseTimeDecay", "config": {"constructor": {"prototype": {"polluted": true}}}}',
      '{"class_name": "InverseTimeDecay", "config": {"initial_learning_rate": 0.1, "decay_steps": 1, "decay_rate": 0.5, "name": {"prototype": 1}}}',
    ];
    for (const text of hostile) {
      expect(() => deserialize(text)).toThrow(/this key is refused in untrusted JSON/);
      expect(() => deserialize(JSON.parse(text))).toThrow(/this key is refused/);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses deeply nested input with a clear error instead of overflowing the stack", () => {
    const depth = 100_000;
    const text = '{"class_name": "InverseTimeDecay", "config": ' + '{"a":'.repeat(depth) + "1" + "}".repeat(depth) + "}";
    expect(() => deserialize(text)).toThrow(new RegExp(`nested at most ${JSON_LIMITS.maxDepth} deep`));
    let nested: unknown = 1;
    for (let i = 0; i < 10_000; i++) nested = [nested];
    expect(() => deserialize({ class_name: "InverseTimeDecay", config: { x: nested } })).toThrow(/nested at most/);
  });

  it("refuses huge input with a clear error", () => {
    const wide = { class_name: "InverseTimeDecay", config: { big: new Array(JSON_LIMITS.maxNodes + 1).fill(0) } };
    expect(() => deserialize(wide)).toThrow(/at most 200000 values/);
    expect(() => deserialize(" ".repeat(JSON_LIMITS.maxTextLength + 1))).toThrow(/at most 8388608 characters/);
  });
});

describe("serialize", () => {
  it("refuses what is not a schedule and an unknown format", () => {
    expect(() => serialize((() => 0.1) as never)).toThrow(/`schedule` must be a LearningRateSchedule/);
    expect(() => serialize(new InverseTimeDecay(0.1, 1, 0.5), { format: "keras4" as never })).toThrow(/`format` must be "keras3" or "keras2"/);
  });
});

describe("registerSchedule: one class per name", () => {
  // Written the Keras way: no static className, so each class is named by its JavaScript name.
  class KerasStyleA extends LearningRateSchedule {
    readonly k: number;
    constructor(c: { k?: number } = {}) {
      super();
      this.k = c.k ?? 1;
    }
    compute<T, B>(o: Ops<T, B>): T {
      return o.constant(this.k);
    }
    override getConfig() {
      return { k: this.k };
    }
  }
  class KerasStyleB extends KerasStyleA {
    override compute<T, B>(o: Ops<T, B>): T {
      return o.constant(this.k * 10);
    }
  }

  it("a class without its own static className is named by its JavaScript name, and a round trip returns that class", () => {
    registerSchedule(KerasStyleA);
    registerSchedule(KerasStyleB);
    expect(KerasStyleA.className).toBe("KerasStyleA");
    expect(new KerasStyleB().className).toBe("KerasStyleB");
    const json = serialize(new KerasStyleA({ k: 3 }));
    expect(json).toMatchObject({ class_name: "KerasStyleA", registered_name: "Custom>KerasStyleA" });
    const back = deserialize(json);
    expect(back instanceof KerasStyleA && !(back instanceof KerasStyleB)).toBe(true);
    expect(back(0)).toBe(3);
    expect(deserialize(serialize(new KerasStyleB({ k: 3 })))(0)).toBe(30);
  });

  it("a subclass of a built-in without its own className is named by its JavaScript name, not its parent's", () => {
    class MyDecay extends InverseTimeDecay {}
    expect(new MyDecay(0.1, 1, 0.5).className).toBe("MyDecay");
    expect(new InverseTimeDecay(0.1, 1, 0.5).className).toBe("InverseTimeDecay");
  });

  it("registering the same class again is harmless; another class under a taken name throws and names the holder", () => {
    class Taken extends KerasStyleA {
      static override readonly className = "Taken";
    }
    class Other extends KerasStyleA {
      static override readonly className = "Taken";
    }
    registerSchedule(Taken, { package: "dup" });
    expect(() => registerSchedule(Taken, { package: "dup" })).not.toThrow();
    expect(() => registerSchedule(Other, { package: "dup" })).toThrow(ScheduleOptionError);
    expect(() => registerSchedule(Other, { package: "dup" })).toThrow(/"dup>Taken" is held by class Taken/);
    expect(() => registerSchedule(KerasStyleB, { package: "dup", name: "Taken" })).toThrow(/"dup>Taken" is held by class Taken/);
    expect(deserialize(serialize(new Taken({ k: 2 }))) instanceof Taken).toBe(true);
    registerSchedule(Other, { package: "dup2" });
    expect(serialize(new Other()).registered_name).toBe("dup2>Taken");
  });

  it("an anonymous class without className is refused, since nothing could name it in JSON", () => {
    const anonymous = [class extends KerasStyleA {}][0]!;
    expect(anonymous.name).toBe("");
    expect(() => registerSchedule(anonymous)).toThrow(ScheduleTypeError);
    expect(() => registerSchedule(anonymous)).toThrow(/`cls.className` must be a non-empty string/);
    expect(() => registerSchedule(KerasStyleA, null as never)).toThrow(/`options` must be an object/);
  });
});

describe("deserialize: class_name and registered_name agree", () => {
  it("refuses a class_name that contradicts the class registered under registered_name, naming both", () => {
    const json = { class_name: "ExponentialDecay", registered_name: "lr-schedules>Constant", config: { value: 0.1 } };
    expect(() => deserialize(json)).toThrow(ScheduleOptionError);
    expect(() => deserialize(json)).toThrow(/`class_name` must be "Constant", the class registered as "lr-schedules>Constant"\. Received: class_name="ExponentialDecay"/);
    expect(deserialize({ ...json, class_name: "Constant" })(3)).toBe(Math.fround(0.1));
    // Keras 2 names the registered class in class_name alone.
    expect(deserialize({ class_name: "lr-schedules>Constant", config: { value: 0.1 } })(3)).toBe(Math.fround(0.1));
  });
});

describe("serialize: bad options", () => {
  it("serialize(x, null) throws a named error, not a raw TypeError", () => {
    for (const options of [null, 3, "keras2"]) {
      expect(() => serialize(new InverseTimeDecay(0.1, 1, 0.5), options as never)).toThrow(ScheduleTypeError);
      expect(() => serialize(new InverseTimeDecay(0.1, 1, 0.5), options as never)).toThrow(/serialize: `options` must be an object/);
    }
  });
});
