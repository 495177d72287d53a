/**
 * The charts of the guides: one SVG per built-in schedule (every class of `scheduleCatalogue()`), of the class's own
 * `examples`, each drawn by the CLI's own `plot` command, and the command printed beside its file so that the guides
 * show how each chart was made. The core's charts are docs/charts/<Class>.svg (docs/seeing.md, docs/schedules.md);
 * another entry's are in a folder of their own, docs/charts/optax/exponentialDecay.svg (docs/optax.md...), so that
 * no two names that differ only in case (optax's `exponentialDecay`, Keras's `ExponentialDecay`) share a folder.
 * Run with `npm run charts`.
 */
import { mkdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { scheduleCatalogue } from "../src/catalogue.js";
import { run } from "../src/cli/run.js";

/** An argument as a POSIX shell reads it back: bare when it is plain, else in single quotes. */
function quote(arg: string): string {
  return /^[\w./:=-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The folder of an entry's charts: docs/charts for `'lr-schedules'`, docs/charts/optax for `'lr-schedules/optax'`. */
function chartFolder(entry: string): string {
  return ["docs/charts", ...entry.split("/").slice(1)].join("/");
}

process.chdir(fileURLToPath(new URL("..", import.meta.url)));
const io = {
  stdout: process.stdout,
  stderr: process.stderr,
  readStdin: () => Promise.reject(new Error("the charts read no standard input")),
  env: process.env,
};
for (const { cls, entry } of scheduleCatalogue()) {
  // Every built-in class has examples (test/class-examples.test.ts); one without would have nothing to draw.
  if (!cls.examples) throw new Error(`${entry}: ${cls.className} has no examples to draw`);
  const folder = chartFolder(entry);
  mkdirSync(folder, { recursive: true });
  const file = `${folder}/${cls.className}.svg`;
  const argv = ["plot", ...cls.examples.expressions, "--steps", `0:${cls.examples.steps}`, "-o", file];
  if ((await run(argv, io)) !== 0) {
    process.exitCode = 1;
    break;
  }
  console.log(`${file} (${(statSync(file).size / 1024).toFixed(1)} KB)\n  npx lr-schedules ${argv.map(quote).join(" ")}`);
}
