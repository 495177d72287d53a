/**
 * The limits on untrusted Keras JSON, checked once before anything reads it: size, depth, number of values, and no
 * key that could reach a prototype.
 */
import { ScheduleOptionError, ScheduleTypeError } from "../errors.js";

/** Limits on untrusted input, so that hostile JSON fails with a clear error instead of exhausting the stack or memory. */
export const JSON_LIMITS = Object.freeze({
  /** Characters of JSON text: 8 MiB. */
  maxTextLength: 8 * 1024 * 1024,
  /** Nesting of objects and arrays. */
  maxDepth: 64,
  /** Values (objects, arrays, and what they hold) in one document. */
  maxNodes: 200_000,
});
const forbiddenKeys = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Parses JSON text (or takes an already parsed value) and checks it is safe to read: no `__proto__`, `constructor`
 * or `prototype` keys, at most {@link JSON_LIMITS} deep and large. The value comes back unchanged.
 *
 * The limits are checked before any work that grows with the input: text is scanned once, in linear time and constant
 * memory, before `JSON.parse` builds anything; a value is walked iteratively and refused as soon as a count passes its
 * limit (an array's length counts before its elements are visited). Key paths for messages are built only for the
 * error thrown.
 *
 * @example
 * import { parseKerasJson } from 'lr-schedules';
 * parseKerasJson('{"class_name": "InverseTimeDecay"}'); //=> { class_name: 'InverseTimeDecay' }
 * @throws {ScheduleTypeError} text that is not JSON.
 * @throws {ScheduleOptionError} a forbidden key, or input too deep or too large.
 */
export function parseKerasJson(input: unknown, owner = "deserialize"): unknown {
  let value = input;
  if (typeof input === "string") {
    if (input.length > JSON_LIMITS.maxTextLength) {
      throw new ScheduleOptionError(owner, "json", `[${input.length} characters]`, `at most ${JSON_LIMITS.maxTextLength} characters`);
    }
    checkTextLimits(input, owner);
    try {
      value = JSON.parse(input);
    } catch (e) {
      throw new ScheduleTypeError(owner, "json", input, `valid JSON (${(e as Error).message})`);
    }
  }
  checkValue(value, owner);
  return value;
}

const tooManyValues = (owner: string) =>
  new ScheduleOptionError(owner, "json", `[more than ${JSON_LIMITS.maxNodes} values]`, `at most ${JSON_LIMITS.maxNodes} values`);
const tooDeep = (owner: string, path: string, depth: number) =>
  new ScheduleOptionError(owner, path, `[nested ${depth} deep]`, `nested at most ${JSON_LIMITS.maxDepth} deep`);

/** Where the walk is inside one container: the key (or index) of the child being visited. */
interface Frame {
  readonly node: object;
  readonly keys: readonly string[] | undefined; // undefined for an array: its indices are counted, not listed
  readonly length: number;
  index: number;
}
/** `json.config.boundaries[3]`: built from the frames only when an error needs it. */
function pathOf(frames: readonly Frame[], last?: string): string {
  let path = "json";
  for (const f of frames) path += f.keys ? `.${f.keys[f.index - 1]}` : `[${f.index - 1}]`;
  return last === undefined ? path : `${path}.${last}`;
}

/**
 * Counts the values of an already built value and refuses forbidden keys, depth first with an explicit stack (no
 * recursion), stopping at the first limit passed: an array's or object's size counts before its children are visited.
 */
function checkValue(value: unknown, owner: string): void {
  let nodes = 1;
  const frames: Frame[] = [];
  let node = value;
  for (;;) {
    if (typeof node === "object" && node !== null) {
      if (frames.length >= JSON_LIMITS.maxDepth) throw tooDeep(owner, pathOf(frames), frames.length);
      const keys = Array.isArray(node) ? undefined : Object.keys(node);
      const length = keys ? keys.length : (node as unknown[]).length;
      if ((nodes += length) > JSON_LIMITS.maxNodes) throw tooManyValues(owner);
      if (keys) {
        const own = node as Record<string, unknown>;
        for (const key of keys) if (forbiddenKeys.has(key)) throw new ScheduleOptionError(owner, pathOf(frames, key), own[key], "absent: this key is refused in untrusted JSON");
      }
      frames.push({ node, keys, length, index: 0 });
    }
    // The next value: the next child of the innermost container that has one left.
    let top = frames[frames.length - 1];
    while (top && top.index === top.length) {
      frames.pop();
      top = frames[frames.length - 1];
    }
    if (!top) return;
    const at = top.index++;
    node = top.keys ? (top.node as Record<string, unknown>)[top.keys[at]!] : (top.node as unknown[])[at];
  }
}

const enum Char {
  Quote = 34, Backslash = 92, Comma = 44, Colon = 58, OpenBrace = 123, CloseBrace = 125, OpenBracket = 91, CloseBracket = 93,
  Space = 32, Tab = 9, Newline = 10, Return = 13,
}

/**
 * The limits of {@link parseKerasJson} on JSON text, in one pass over the characters before `JSON.parse`: values are
 * counted as `JSON.parse` would build them (keys not counted), containers by depth. Only the open containers'
 * current keys (as offsets into the text) and indices are kept, for the path of a depth error. Text that is not
 * JSON is left to `JSON.parse` to refuse.
 */
function checkTextLimits(text: string, owner: string): void {
  const n = text.length;
  let nodes = 0;
  let depth = 0;
  let expectKey = false;
  // Per open container: whether it is an object, the current key's offsets in `text`, the current index.
  const isObject: boolean[] = [];
  const keyStart: number[] = [];
  const keyEnd: number[] = [];
  const index: number[] = [];
  const value = () => {
    if (++nodes > JSON_LIMITS.maxNodes) throw tooManyValues(owner);
  };
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    switch (c) {
      case Char.Space: case Char.Tab: case Char.Newline: case Char.Return:
        break;
      case Char.Quote: {
        const start = i;
        for (i++; i < n; i++) {
          const d = text.charCodeAt(i);
          if (d === Char.Backslash) i++;
          else if (d === Char.Quote) break;
        }
        if (expectKey && depth > 0 && isObject[depth - 1]) {
          keyStart[depth - 1] = start;
          keyEnd[depth - 1] = i + 1;
        } else {
          value();
        }
        break;
      }
      case Char.OpenBrace: case Char.OpenBracket:
        value();
        if (depth >= JSON_LIMITS.maxDepth) throw tooDeep(owner, textPath(text, depth, isObject, keyStart, keyEnd, index), depth);
        isObject[depth] = c === Char.OpenBrace;
        keyStart[depth] = -1;
        index[depth] = 0;
        depth++;
        expectKey = c === Char.OpenBrace;
        break;
      case Char.CloseBrace: case Char.CloseBracket:
        if (depth > 0) depth--;
        expectKey = false;
        break;
      case Char.Comma:
        if (depth > 0) {
          if (isObject[depth - 1]) expectKey = true;
          else index[depth - 1]!++;
        }
        break;
      case Char.Colon:
        expectKey = false;
        break;
      default:
        // A number, true, false or null (or text JSON.parse will refuse): one value, up to the next delimiter.
        value();
        while (i + 1 < n && !isDelimiter(text.charCodeAt(i + 1))) i++;
    }
  }
}

function isDelimiter(c: number): boolean {
  return c === Char.Comma || c === Char.CloseBrace || c === Char.CloseBracket || c === Char.Colon || c === Char.Quote ||
    c === Char.OpenBrace || c === Char.OpenBracket || c === Char.Space || c === Char.Tab || c === Char.Newline || c === Char.Return;
}

/** The path of the container at `depth` in the text being scanned, its keys decoded only now. */
function textPath(text: string, depth: number, isObject: boolean[], keyStart: number[], keyEnd: number[], index: number[]): string {
  let path = "json";
  for (let d = 0; d < depth; d++) {
    if (!isObject[d]) {
      path += `[${index[d]}]`;
      continue;
    }
    const raw = keyStart[d]! < 0 ? "?" : text.slice(keyStart[d], keyEnd[d]);
    let key: unknown;
    try {
      key = JSON.parse(raw);
    } catch {
      key = raw;
    }
    path += `.${String(key)}`;
  }
  return path;
}
