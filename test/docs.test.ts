/**
 * README.md and every guide in docs/ (docs/*.md, found as they are added) hold only code that runs and links that
 * lead somewhere: each ```ts / ```js block runs as a user would paste it, its `expr; //=> value` lines checked (as the
 * TSDoc examples are, test/support/runExample.ts), and each relative link names a file that exists and, with
 * `#anchor`, a heading (or `<a id>`) of that file. A block that is not code to run says what it is instead: sh,
 * python, json or text.
 */
import * as fs from "node:fs";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { GUIDE } from "../src/cli/help.js";
import { documents, links, outsideBlocks } from "./support/markdown.js";
import { root, runExample } from "./support/runExample.js";

const RUNS = new Set(["ts", "js"]);
const SHOWN = new Set(["sh", "python", "json", "text"]);

interface Block {
  lang: string;
  line: number;
  code: string;
}

/** The fenced blocks of a Markdown text, with the line of their first code line. */
function blocks(text: string): Block[] {
  return [...text.matchAll(/^(`{3,})(\S*)[^\n]*\n([\s\S]*?)^\1[ \t]*$/gm)].map((m) => ({
    lang: m[2]!,
    line: text.slice(0, m.index).split("\n").length + 1,
    code: m[3]!,
  }));
}

/** GitHub's anchor for a heading: its text lower-cased, punctuation dropped, spaces as hyphens; repeats get -1, -2... */
function anchors(text: string): Set<string> {
  const found = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of outsideBlocks(text).replace(/`([^`\n]*)`/g, "$1").matchAll(/^#{1,6}\s+(.*?)\s*#*$/gm)) {
    const slug = heading!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/<[^>]+>/g, "")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    found.add(n ? `${slug}-${n}` : slug);
  }
  for (const [, id] of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) found.add(id!);
  return found;
}

describe.each(documents)("%s", (document) => {
  const text = readFileSync(join(root, document), "utf8");
  const all = blocks(text);

  it("says what each code block is: ts or js (it runs), or sh, python, json or text", () => {
    const unknown = all.filter((b) => !RUNS.has(b.lang) && !SHOWN.has(b.lang)).map((b) => `line ${b.line}: \`\`\`${b.lang}`);
    expect(unknown).toEqual([]);
  });

  for (const block of all.filter((b) => RUNS.has(b.lang))) {
    it(`the ${block.lang} block at line ${block.line} runs and its //=> results hold`, async () => {
      // A guide may read a file of the repository (a .keras checkpoint Keras wrote), as a user reads theirs.
      const failures = await runExample(block.code, { "node:fs": fs });
      expect(failures.map((f) => f.replace(/^line (\d+)/, (_, n: string) => `line ${block.line + Number(n) - 1}`))).toEqual([]);
    });
  }

  it("every relative link leads to a file, and every #anchor to a heading of it", () => {
    const broken: string[] = [];
    for (const link of links(text)) {
      const [path, anchor] = link.split("#") as [string, string | undefined];
      const target = path ? join(dirname(join(root, document)), decodeURIComponent(path)) : join(root, document);
      const name = relative(root, target);
      if (!existsSync(target)) {
        broken.push(`${link}: no file ${name}`);
        continue;
      }
      if (anchor === undefined) continue;
      if (statSync(target).isDirectory() || !anchors(readFileSync(target, "utf8")).has(anchor)) broken.push(`${link}: no heading #${anchor} in ${name}`);
    }
    expect(broken).toEqual([]);
  });
});

describe("the anchors links are checked against", () => {
  it("are GitHub's: punctuation dropped, code kept as text, repeats numbered", () => {
    const text = "# Callbacks for `model.fit`\n## TensorFlow.js: `lr-schedules/tfjs`\n## A\n## A\n```sh\n# not a heading\n```\n<a id=\"x\"></a>";
    expect([...anchors(text)]).toEqual(["callbacks-for-modelfit", "tensorflowjs-lr-schedulestfjs", "a", "a-1", "x"]);
  });
});

describe("the tools point to the guide that explains them", () => {
  it("the playground names docs/seeing.md and its section, which exist (the CLI's --help: src/cli/run.test.ts)", () => {
    const page = readFileSync(join(root, "playground", "index.html"), "utf8");
    expect(page).toContain(`<code>${GUIDE}</code> in the repository, "In the browser: the playground"`);
    expect(anchors(readFileSync(join(root, GUIDE), "utf8")).has("in-the-browser-the-playground")).toBe(true);
  });
});
