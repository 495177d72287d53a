import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeUnderscores, unescapeUnderscores } from "./tfjsConfig.js";

/** Strings made of the pieces the escaping must tell apart: `_`, its escapes, other escapes, backslashes. */
const pieces = fc.array(fc.constantFrom("_", "\\_", "\\x5f", "\\u005f", "\\\\", "\\d", "a", "x5f", "u005f", "[", "]", "/"), { maxLength: 12 }).map((p) => p.join(""));

describe("tf.js's escaping of saved strings: one scheme, \\u005f", () => {
  it("JSON text keeps no '_' and JSON.parse reads it back as it was", () => {
    fc.assert(
      fc.property(fc.oneof(pieces, fc.string()), (s) => {
        const text = escapeUnderscores(JSON.stringify({ key_name: s }));
        expect(text).not.toContain("_");
        expect(JSON.parse(text)).toEqual({ key_name: s });
      }),
    );
  });

  it("a regular expression keeps no '_', matches as it did, and comes back spelled one way", () => {
    fc.assert(
      fc.property(pieces, fc.array(fc.constantFrom("_", "a", "\\", "x5f", "1", "/"), { maxLength: 6 }).map((p) => p.join("")), (pattern, name) => {
        let given: RegExp;
        try {
          given = new RegExp(pattern);
        } catch {
          return;
        }
        const saved = escapeUnderscores(pattern);
        expect(saved).not.toContain("_");
        expect(new RegExp(saved).test(name)).toBe(given.test(name));
        expect(new RegExp(unescapeUnderscores(saved)).test(name)).toBe(given.test(name));
        expect(escapeUnderscores(unescapeUnderscores(saved))).toBe(saved);
      }),
    );
  });

  it("patterns saved as \\x5f (0.1.0) come back as '_'", () => {
    expect(unescapeUnderscores("output\\x5fdense")).toBe("output_dense");
    expect(unescapeUnderscores("a\\\\x5f")).toBe("a\\\\x5f");
  });
});
