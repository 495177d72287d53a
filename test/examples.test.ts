/**
 * Every `@example` in the TSDoc of src/ runs, and every `expr; //=> value` line in it holds: the docs cannot drift
 * from the code. Examples import from 'lr-schedules' (and its subpaths) as a user would; here those names resolve
 * to the sources.
 */
import { transformSync } from "esbuild";
import { readdirSync, readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
/** Each entry of package.json's `exports` (`./x` is built from src/x/index.ts), and tf.js as installed. */
const entries: Record<string, string> = { "@tensorflow/tfjs": "@tensorflow/tfjs" };
const { exports: exportsMap } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { exports: Record<string, unknown> };
for (const subpath of Object.keys(exportsMap).filter((p) => p !== "./package.json")) {
  entries[subpath === "." ? "lr-schedules" : `lr-schedules/${subpath.slice(2)}`] = join(root, "src", subpath.slice(2), "index.ts");
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(path);
    return d.name.endsWith(".ts") && !d.name.endsWith(".test.ts") ? [path] : [];
  });
}

interface Example {
  file: string;
  line: number;
  code: string;
}

/** The `@example` blocks of a file's doc comments, each up to the next tag or the comment's end. */
function examples(file: string): Example[] {
  const text = readFileSync(file, "utf8");
  const found: Example[] = [];
  for (const comment of text.matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
    const lines = comment[1]!.split("\n").map((l) => l.replace(/^\s*\* ?/, ""));
    const start = lines.findIndex((l) => l.startsWith("@example"));
    if (start < 0) continue;
    const body: string[] = [];
    for (const l of lines.slice(start + 1)) {
      if (/^@\w/.test(l)) break;
      if (!/^```/.test(l)) body.push(l);
    }
    const line = text.slice(0, comment.index).split("\n").length + start + 1;
    found.push({ file: relative(root, file), line, code: body.join("\n") });
  }
  return found;
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
    .replace(/^import \* as (\w+) from (['"][^'"]+['"]);?$/gm, "const $1 = require($2);")
    .replace(/^import (['"][^'"]+['"]);?$/gm, "require($1);")
    .replace(/^import \{([^}]*)\} from (['"][^'"]+['"]);?$/gm, (_, names: string, from: string) => {
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

const all = sourceFiles(join(root, "src")).flatMap(examples);

describe("TSDoc examples", () => {
  it("there are examples to run", () => expect(all.length).toBeGreaterThan(10));

  for (const ex of all) {
    it(`${ex.file}:${ex.line} runs and its //=> results hold`, async () => {
      const modules = new Map<string, unknown>();
      for (const [name, path] of Object.entries(entries)) {
        if (new RegExp(`['"]${name}['"]`).test(ex.code)) modules.set(name, await import(path));
      }
      const js = transformSync(`(async () => {\n${requires(withAssertions(ex.code))}\n})()`, { loader: "ts" }).code;
      const failures: string[] = [];
      const check = (run: () => unknown, expected: string, line: number) => {
        const actual = run();
        const wanted = new Function(`return (${expected});`)();
        if (!isDeepStrictEqual(actual, wanted)) failures.push(`line ${line}: got ${String(actual)}, docs say ${expected}`);
      };
      const require = (name: string) => {
        if (!modules.has(name)) throw new Error(`examples may import ${Object.keys(entries).join(", ")}; not ${name}`);
        return modules.get(name);
      };
      await new Function("require", "__check", `return ${js}`)(require, check);
      expect(failures).toEqual([]);
    });
  }
});
