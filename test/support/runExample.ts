/**
 * Runs a piece of documentation as a user would paste it: TSDoc `@example`s (test/examples.test.ts) and the code
 * blocks of README.md and docs/*.md (test/docs.test.ts). Imports of 'lr-schedules' (and its subpaths) resolve to the
 * sources; every `expr; //=> value` line is checked.
 */
import { transformSync } from "esbuild";
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../..", import.meta.url));

/** Each entry of package.json's `exports` (`./x` is built from src/x/index.ts), and tf.js as installed. */
const entries: Record<string, string> = { "@tensorflow/tfjs": "@tensorflow/tfjs" };
const { exports: exportsMap } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { exports: Record<string, unknown> };
for (const subpath of Object.keys(exportsMap).filter((p) => p !== "./package.json")) {
  entries[subpath === "." ? "lr-schedules" : `lr-schedules/${subpath.slice(2)}`] = join(root, "src", subpath.slice(2), "index.ts");
}

/** Turns `expr; //=> value` (with `// more` continuation lines) into an assertion. */
function withAssertions(code: string): string {
  const lines = code.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^(.*?);?\s*\/\/=>\s?(.*)$/.exec(lines[i]!);
    if (!m || !m[1]!.trim()) {
      out.push(lines[i]!);
      continue;
    }
    let expected = m[2]!;
    while (i + 1 < lines.length && /^\s*\/\/(?!=>)\s?/.test(lines[i + 1]!) && expected.trim().length && !parses(expected)) {
      expected += " " + lines[++i]!.replace(/^\s*\/\/\s?/, "");
    }
    // A trailing "(comment)" explains the value; it is not part of it.
    const stripped = expected.replace(/\s+\([^()]*\)\s*$/, "");
    const literal = stripped !== expected && parses(stripped) ? stripped : expected;
    out.push(`__check(() => (${m[1]!.trim().replace(/;$/, "")}), ${JSON.stringify(literal)}, ${i + 1});`);
  }
  return out.join("\n");
}

/** Import statements as `require` calls, so that the example can run inside an async function (top-level await). */
function requires(code: string): string {
  return code
    .replace(/^import type .*$/gm, "")
    .replace(/^import \* as (\w+) from (['"][^'"]+['"]);?(\s*\/\/.*)?$/gm, "const $1 = require($2);$3")
    .replace(/^import (['"][^'"]+['"]);?(\s*\/\/.*)?$/gm, "require($1);$2")
    .replace(/^import \{([^}]*)\} from (['"][^'"]+['"]);?(?=\s*(?:\/\/.*)?$)/gm, (_, names: string, from: string) => {
      const values = names.split(",").map((n) => n.trim()).filter((n) => n && !n.startsWith("type "));
      return `const { ${values.map((n) => n.replace(/ as /, ": ")).join(", ")} } = require(${from});`;
    });
}

function parses(text: string): boolean {
  try {
    new Function(`return (${text});`);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `code` (TypeScript, top-level await allowed) and returns the `//=>` lines that did not hold, each as
 * `line N: got X, docs say Y` (line 1 is the code's first). Throws what the code throws. `also` gives more modules
 * the code may import, by name.
 */
export async function runExample(code: string, also: Record<string, unknown> = {}): Promise<string[]> {
  const modules = new Map<string, unknown>(Object.entries(also));
  for (const [name, path] of Object.entries(entries)) {
    if (new RegExp(`['"]${name}['"]`).test(code)) modules.set(name, await import(path));
  }
  const js = transformSync(`(async () => {\n${requires(withAssertions(code))}\n})()`, { loader: "ts" }).code;
  const failures: string[] = [];
  const check = (run: () => unknown, expected: string, line: number) => {
    const actual = run();
    const wanted = new Function(`return (${expected});`)();
    if (!isDeepStrictEqual(actual, wanted)) failures.push(`line ${line}: got ${String(actual)}, docs say ${expected}`);
  };
  const require = (name: string) => {
    if (!modules.has(name)) throw new Error(`examples may import ${[...Object.keys(entries), ...Object.keys(also)].join(", ")}; not ${name}`);
    return modules.get(name);
  };
  await new Function("require", "__check", `return ${js}`)(require, check);
  return failures;
}
