import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deserialize } from "./index.js";
import { closestName } from "./suggest.js";

const names = ["CosineDecay", "CosineDecayRestarts", "Constant", "ExponentialDecay", "OneCycle", "Sequence"];

describe("closestName", () => {
  it("prefers a name that differs only in case, then the fewest edits within the threshold", () => {
    expect(closestName("cosinedecay", names)).toBe("CosineDecay");
    expect(closestName("CONSTANT", names)).toBe("Constant");
    expect(closestName("CosineDeacy", names)).toBe("CosineDecay"); // a swap is one edit
    expect(closestName("ExponentialDecy", names)).toBe("ExponentialDecay");
    expect(closestName("Onecycel", names)).toBe("OneCycle");
    expect(closestName("Cosine", names)).toBeUndefined();
    expect(closestName("Adam", names)).toBeUndefined();
    expect(closestName("", names)).toBeUndefined();
  });

  it("a known name with one edit comes back as itself, for any name and edit", () => {
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.nat(), fc.constantFrom("delete", "insert", "swap"), (name, at, edit) => {
        const i = at % name.length;
        const typo = edit === "delete" ? name.slice(0, i) + name.slice(i + 1) : edit === "insert" ? `${name.slice(0, i)}q${name.slice(i)}` : i + 1 < name.length ? name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2) : name;
        return closestName(typo, names) === name;
      }),
    );
  });

  it("deserialize's unknown class_name error suggests it", () => {
    expect(() => deserialize({ class_name: "CosineDecayy", config: {} })).toThrow(/Known: .*\. Did you mean CosineDecay\?$/);
    expect(() => deserialize({ class_name: "Nope", config: {} })).toThrow(/Known: [^?]*$/);
    // This package's own classes are known by their registered names: the class part alone finds them.
    expect(() => deserialize({ class_name: "Constant", config: { value: 0.1 } })).toThrow(/Did you mean lr-schedules>Constant\?$/);
    expect(closestName("OneCycel", ["lr-schedules>OneCycle", "CosineDecay"])).toBe("lr-schedules>OneCycle");
  });
});
