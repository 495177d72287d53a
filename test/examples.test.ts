/**
 * Every `@example` in the TSDoc of src/ runs, and every `expr; //=> value` line in it holds: the docs cannot drift
 * from the code. Examples import from 'lr-schedules' (and its subpaths) as a user would; here those names resolve
 * to the sources.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { root, runExample } from "./support/runExample.js";

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

const all = sourceFiles(join(root, "src")).flatMap(examples);

describe("TSDoc examples", () => {
  it("there are examples to run", () => expect(all.length).toBeGreaterThan(10));

  for (const ex of all) {
    it(`${ex.file}:${ex.line} runs and its //=> results hold`, async () => {
      const failures = await runExample(ex.code);
      expect(failures).toEqual([]);
    });
  }
});
