/** README.md and the guides (docs/*.md), as Markdown: which they are, and what they link to. */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { root } from "./runExample.js";

/** README.md, then every docs/*.md: a new guide is one of them as soon as it exists. */
export const documents = ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`)];

/** The text outside fenced blocks. */
export function outsideBlocks(text: string): string {
  return text.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, "");
}

/** The relative links of a Markdown text: `[text](target)`, `![alt](target)`, `src="target"`, `href="target"`. */
export function links(text: string): string[] {
  const body = outsideBlocks(text).replace(/`[^`\n]*`/g, "");
  const targets = [
    ...[...body.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!),
    ...[...body.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!),
  ];
  return targets.filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t));
}
