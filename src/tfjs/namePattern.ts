/**
 * Muon's `excludeLayers` patterns, searched in variable names in time linear in the name's length. The patterns come
 * from user code or from a saved Keras config, and JavaScript's own RegExp backtracks: `(a+)+$` against a 31-character
 * name runs for minutes. A pattern is checked by JavaScript's parser first (so the syntax accepted is JavaScript's,
 * without flags), then read here into a state machine that is run on every position at once (Thompson's
 * construction), which never backtracks. Single characters keep JavaScript's own meaning: each one (a literal, an
 * escape, a class, `.`) is tested by a RegExp of that character alone, which cannot backtrack.
 *
 * What a state machine cannot do is refused: backreferences (`\1`, `\k<name>`) and lookarounds (`(?=`, `(?!`, `(?<=`,
 * `(?<!`). Octal escapes (`\1` without groups, `\01`) and `\c` are refused with them, as are inline modifiers
 * (`(?i:`). The size is bounded: at most {@link NAME_PATTERN_LIMITS}.length characters, and at most
 * {@link NAME_PATTERN_LIMITS}.states states once counted repetitions are written out (`a{1000}` is a thousand).
 */

/** The bounds on one pattern: its length in characters, and its states once `{n,m}` repetitions are written out. */
export const NAME_PATTERN_LIMITS = Object.freeze({ length: 1000, states: 10_000 });

/** What the accepted patterns are, for error messages and documentation. */
export const NAME_PATTERN_EXPECTED = `a JavaScript regular expression without backreferences or lookarounds, at most ${NAME_PATTERN_LIMITS.length} characters`;

/** A pattern that JavaScript accepts and this matcher does not; `reason` says which part and where. */
export class NamePatternError extends Error {
  override readonly name: string = "NamePatternError";
  constructor(readonly reason: string) {
    super(reason);
  }
}

type Assertion = "^" | "$" | "\\b" | "\\B";
type Node =
  | { readonly kind: "char"; readonly source: string }
  | { readonly kind: "assert"; readonly which: Assertion }
  | { readonly kind: "seq"; readonly items: readonly Node[] }
  | { readonly kind: "alt"; readonly options: readonly Node[] }
  | { readonly kind: "repeat"; readonly node: Node; readonly min: number; readonly max: number };

/** A state: it reads one character (`char`), checks a position (`assert`), splits (`next` several), or accepts (`accept`). */
interface State {
  char?: (code: number) => boolean;
  assert?: Assertion;
  accept?: true;
  next: number[];
}

const hex = /^[0-9a-fA-F]$/;
const quantifier = /^\{(\d+)(,(\d*))?\}/;

/** Reads a pattern into a tree; `new RegExp(pattern)` has accepted it already, so only the subset is checked here. */
function parse(pattern: string): Node {
  let i = 0;
  const refuse = (what: string): never => {
    throw new NamePatternError(`${what} at index ${i}`);
  };

  function alternation(): Node {
    const options = [sequence()];
    while (pattern[i] === "|") {
      i++;
      options.push(sequence());
    }
    return options.length === 1 ? options[0]! : { kind: "alt", options };
  }

  function sequence(): Node {
    const items: Node[] = [];
    while (i < pattern.length && pattern[i] !== "|" && pattern[i] !== ")") {
      const atom = term();
      items.push(atom.kind === "assert" ? atom : repeat(atom));
    }
    return { kind: "seq", items };
  }

  /** The quantifier after an atom, if any (its laziness changes no search's result). */
  function repeat(node: Node): Node {
    let min: number;
    let max: number;
    const c = pattern[i];
    const braces = c === "{" ? quantifier.exec(pattern.slice(i)) : null;
    if (c === "*" || c === "+" || c === "?") {
      [min, max] = c === "*" ? [0, Infinity] : c === "+" ? [1, Infinity] : [0, 1];
      i++;
    } else if (braces) {
      min = Number(braces[1]);
      max = braces[2] === undefined ? min : braces[3] === "" ? Infinity : Number(braces[3]);
      i += braces[0].length;
    } else {
      return node;
    }
    if (pattern[i] === "?") i++;
    return { kind: "repeat", node, min, max };
  }

  function term(): Node {
    const start = i;
    const c = pattern[i]!;
    if (c === "^" || c === "$") {
      i++;
      return { kind: "assert", which: c };
    }
    if (c === "(") return group();
    if (c === "[") {
      i++;
      if (pattern[i] === "^") i++;
      while (pattern[i] !== "]") i += pattern[i] === "\\" ? 2 : 1;
      i++;
      return { kind: "char", source: pattern.slice(start, i) };
    }
    if (c === "\\") return escape();
    i++;
    return { kind: "char", source: c };
  }

  function group(): Node {
    const start = i;
    i++;
    if (pattern[i] === "?") {
      const lookaround = ["?=", "?!", "?<=", "?<!"].find((opening) => pattern.startsWith(opening, i));
      if (lookaround) refuse(`a lookaround \`(${lookaround}\``);
      if (pattern.startsWith("?:", i)) i += 2;
      else if (pattern.startsWith("?<", i)) i = pattern.indexOf(">", i) + 1;
      else refuse(`an inline modifier \`(${pattern.slice(i, i + 3)}\``);
    }
    const inner = alternation();
    if (pattern[i] !== ")") {
      i = start;
      refuse("an unclosed group");
    }
    i++;
    return inner;
  }

  function escape(): Node {
    const start = i;
    const c = pattern[i + 1]!;
    if (c === "b" || c === "B") {
      i += 2;
      return { kind: "assert", which: c === "b" ? "\\b" : "\\B" };
    }
    if (/[1-9]/.test(c) || (c === "0" && /[0-9]/.test(pattern[i + 2] ?? ""))) refuse(`a backreference or octal escape \`\\${c}\``);
    if (c === "k") refuse("a backreference `\\k`");
    if (c === "c") refuse("a control escape `\\c`");
    if (c === "x" && hex.test(pattern[i + 2] ?? "") && hex.test(pattern[i + 3] ?? "")) i += 4;
    else if (c === "u" && [2, 3, 4, 5].every((k) => hex.test(pattern[i + k] ?? ""))) i += 6;
    else i += 2;
    return { kind: "char", source: pattern.slice(start, i) };
  }

  const tree = alternation();
  if (i !== pattern.length) refuse("an unmatched `)`");
  return tree;
}

/** One character's test, by JavaScript's RegExp of that character alone (cached per code unit). */
function charTest(source: string): (code: number) => boolean {
  const regexp = new RegExp(`^(?:${source})$`);
  const cache = new Map<number, boolean>();
  return (code) => {
    let hit = cache.get(code);
    if (hit === undefined) cache.set(code, (hit = regexp.test(String.fromCharCode(code))));
    return hit;
  };
}

/** The states of a tree, built backwards: each part is compiled with the state that follows it. */
function compile(tree: Node): { states: State[]; start: number } {
  const states: State[] = [{ accept: true, next: [] }];
  const add = (state: State): number => {
    if (states.length >= NAME_PATTERN_LIMITS.states) {
      throw new NamePatternError(`more than ${NAME_PATTERN_LIMITS.states} states once its repetitions are written out`);
    }
    return states.push(state) - 1;
  };
  const build = (node: Node, next: number): number => {
    switch (node.kind) {
      case "char":
        return add({ char: charTest(node.source), next: [next] });
      case "assert":
        return add({ assert: node.which, next: [next] });
      case "seq":
        return node.items.reduceRight((after, item) => build(item, after), next);
      case "alt":
        return add({ next: node.options.map((option) => build(option, next)) });
      case "repeat": {
        let start = next;
        if (node.max === Infinity) {
          const loop = add({ next: [] });
          states[loop]!.next.push(build(node.node, loop), next);
          start = loop;
        } else {
          for (let k = node.min; k < node.max; k++) start = add({ next: [build(node.node, start), next] });
        }
        for (let k = 0; k < node.min; k++) start = build(node.node, start);
        return start;
      }
    }
  };
  const start = build(tree, 0);
  return { states, start };
}

const isWord = (code: number | undefined) => code !== undefined && /\w/.test(String.fromCharCode(code));

/**
 * Compiles a pattern into a search: `search(text)` is `new RegExp(pattern).test(text)` for every pattern it accepts,
 * in time proportional to `text.length` times the pattern's states.
 *
 * @throws {SyntaxError} the pattern is not a JavaScript regular expression.
 * @throws {NamePatternError} the pattern is outside the subset, or larger than {@link NAME_PATTERN_LIMITS}.
 */
export function compileNamePattern(pattern: string): (text: string) => boolean {
  // The length first: JavaScript's parser is not to see a pattern of a million nested groups.
  if (pattern.length > NAME_PATTERN_LIMITS.length) throw new NamePatternError(`${pattern.length} characters, more than ${NAME_PATTERN_LIMITS.length}`);
  new RegExp(pattern);
  const { states, start } = compile(parse(pattern));
  const seen = new Int32Array(states.length).fill(-1);
  return (text) => {
    seen.fill(-1);
    const codes = Array.from({ length: text.length }, (_, k) => text.charCodeAt(k));
    const holds = (which: Assertion, at: number): boolean => {
      if (which === "^") return at === 0;
      if (which === "$") return at === codes.length;
      return (isWord(codes[at - 1]) !== isWord(codes[at])) === (which === "\\b");
    };
    let current: number[] = [];
    for (let at = 0; at <= codes.length; at++) {
      // Every state reachable at `at` without reading, from the states carried over and from a new start here.
      const stack = [...current, start];
      current = [];
      while (stack.length) {
        const s = stack.pop()!;
        if (seen[s] === at) continue;
        seen[s] = at;
        const state = states[s]!;
        if (state.accept) return true;
        if (state.char) current.push(s);
        else if (!state.assert || holds(state.assert, at)) stack.push(...state.next);
      }
      if (at === codes.length) break;
      const code = codes[at]!;
      current = current.flatMap((s) => (states[s]!.char!(code) ? states[s]!.next : []));
    }
    return false;
  };
}
