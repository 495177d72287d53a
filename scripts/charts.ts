/**
 * The charts of docs/seeing.md (and docs/schedules.md): one SVG per schedule class in docs/charts/, of the class's own
 * `examples`, each drawn by the CLI's own `plot` command, and the command printed beside its file so that the guide
 * shows how each chart was made.
 * Run with `npm run charts`.
 */
import { statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { run } from "../src/cli/run.js";
import * as scheduleClasses from "../src/schedules/index.js";

/** An argument as a POSIX shell reads it back: bare when it is plain, else in single quotes. */
function quote(arg: string): string {
  return /^[\w./:=-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

process.chdir(fileURLToPath(new URL("..", import.meta.url)));
const io = {
  stdout: process.stdout,
  stderr: process.stderr,
  readStdin: () => Promise.reject(new Error("the charts read no standard input")),
  env: process.env,
};
for (const cls of Object.values(scheduleClasses)) {
  const file = `docs/charts/${cls.className}.svg`;
  const argv = ["plot", ...cls.examples.expressions, "--steps", `0:${cls.examples.steps}`, "-o", file];
  if ((await run(argv, io)) !== 0) {
    process.exitCode = 1;
    break;
  }
  console.log(`${file} (${(statSync(file).size / 1024).toFixed(1)} KB)\n  npx lr-schedules ${argv.map(quote).join(" ")}`);
}
