import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * JSON text read as Python's `json.loads` reads it: each number literal is an int, or a float when it has a `.` or
 * an exponent. Tests compare the types of text written for Keras with the types in Keras's own output.
 */
export type PythonType = "int" | "float";
/** A parsed JSON value whose numbers are replaced by their Python type. */
export type Typed = PythonType | string | boolean | null | Typed[] | { [key: string]: Typed };

/** Parses JSON text, numbers becoming "int" or "float" (strings stay strings, so `"int"` as a string is ambiguous: fine for configs). */
export function pythonTypes(text: string): Typed {
  let i = 0;
  const space = () => {
    while (/\s/.test(text[i] ?? "")) i++;
  };
  const value = (): Typed => {
    space();
    const c = text[i];
    if (c === "{") {
      i++;
      const out: Record<string, Typed> = {};
      space();
      if (text[i] === "}") return i++, out;
      for (;;) {
        space();
        const key = string();
        space();
        if (text[i++] !== ":") throw new Error(`':' expected at ${i - 1}`);
        out[key] = value();
        space();
        if (text[i++] === "}") return out;
      }
    }
    if (c === "[") {
      i++;
      const out: Typed[] = [];
      space();
      if (text[i] === "]") return i++, out;
      for (;;) {
        out.push(value());
        space();
        if (text[i++] === "]") return out;
      }
    }
    if (c === '"') return string();
    const literal = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)/.exec(text.slice(i, i + 40))?.[0];
    if (!literal) throw new Error(`a value expected at ${i}`);
    i += literal.length;
    if (literal === "true" || literal === "false") return literal === "true";
    if (literal === "null") return null;
    return /[.eE]/.test(literal) ? "float" : "int";
  };
  const string = (): string => {
    const start = i;
    for (i++; text[i] !== '"'; i++) if (text[i] === "\\") i++;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const result = value();
  space();
  if (i !== text.length) throw new Error(`text after the value at ${i}`);
  return result;
}

/** A fixture of test/fixtures/keras read by {@link pythonTypes}: the types Keras wrote. */
export function kerasFixtureTypes(file: string): Typed {
  return pythonTypes(readFileSync(fileURLToPath(new URL(`../fixtures/keras/${file}`, import.meta.url)), "utf8"));
}

/** Every number in a typed value, by path (`config.boundaries[1]`), with its type. */
export function numberTypes(typed: Typed, path = ""): Map<string, PythonType> {
  const out = new Map<string, PythonType>();
  const visit = (t: Typed, p: string) => {
    if (t === "int" || t === "float") out.set(p, t);
    else if (Array.isArray(t)) t.forEach((v, i) => visit(v, `${p}[${i}]`));
    else if (t !== null && typeof t === "object") for (const [k, v] of Object.entries(t)) visit(v, p ? `${p}.${k}` : k);
  };
  visit(typed, path);
  return out;
}
