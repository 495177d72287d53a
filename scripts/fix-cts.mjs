/**
 * Runs after tsup (`npm run build`). tsup writes the CommonJS type declarations (.d.cts) with the ESM path of a
 * module augmentation kept as written, `declare module "../index.js"`: that augments the ESM declarations, and a
 * CommonJS user of `lr-schedules/tfjs` would not see the tensor-step signature on schedules. This points each such
 * augmentation in a .d.cts file at the .cjs module beside it.
 *
 * Usage: node scripts/fix-cts.mjs [outDir]    (outDir defaults to dist)
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { argv, stdout } from "node:process";

const outDir = argv[2] ?? "dist";
const augmentation = /(declare module\s+)(["'])(\.{1,2}\/[^"']*)\.js\2/g;

/** Every .d.cts file under `dir`. */
function declarations(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return declarations(path);
    return d.name.endsWith(".d.cts") ? [path] : [];
  });
}

let fixed = 0;
for (const file of declarations(outDir)) {
  const text = readFileSync(file, "utf8");
  const next = text.replace(augmentation, (_, keyword, quote, path) => {
    fixed++;
    return `${keyword}${quote}${path}.cjs${quote}`;
  });
  if (next !== text) writeFileSync(file, next);
}
stdout.write(`fix-cts: ${fixed} module augmentation${fixed === 1 ? "" : "s"} in ${outDir}/**/*.d.cts now name .cjs modules\n`);
