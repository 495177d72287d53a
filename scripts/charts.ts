/**
 * The README's charts: one SVG per schedule class in docs/charts/, each drawn by the CLI's own `plot` command, and
 * the command printed beside its file so that the README shows how each chart was made. Run with `npm run charts`.
 */
import { statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { run } from "../src/cli/run.js";

interface Chart {
  /** The class the chart shows; the file is docs/charts/<name>.svg. */
  name: string;
  /** The schedules drawn over each other, as CLI expressions; strings inside are double-quoted for the shell. */
  schedules: string[];
  /** The range, as `--steps` reads it. */
  steps: string;
}

const charts: Chart[] = [
  { name: "InverseTimeDecay", schedules: ["InverseTimeDecay(0.1, 1000, 1)", "InverseTimeDecay(0.1, 1000, 1, true)"], steps: "0:10000" },
  { name: "ExponentialDecay", schedules: ["ExponentialDecay(0.1, 1000, 0.5)", "ExponentialDecay(0.1, 1000, 0.5, true)"], steps: "0:8000" },
  { name: "PiecewiseConstantDecay", schedules: ["PiecewiseConstantDecay([3000, 6000, 9000], [0.1, 0.05, 0.01, 0.001])"], steps: "0:12000" },
  { name: "PolynomialDecay", schedules: ["PolynomialDecay(0.1, 8000, 0.001)", "PolynomialDecay(0.1, 8000, 0.001, 2)", "PolynomialDecay(0.1, 3000, 0.001, 2, true)"], steps: "0:10000" },
  { name: "CosineDecay", schedules: ["CosineDecay(1e-3, 10000, { warmupTarget: 1e-2, warmupSteps: 500 })", "CosineDecay(1e-2, 10000, 0.1)"], steps: "0:12000" },
  { name: "CosineDecayRestarts", schedules: ["CosineDecayRestarts(0.01, 1000, { mMul: 0.8 })"], steps: "0:15000" },
  { name: "Constant", schedules: ["Constant(0.01)"], steps: "0:1000" },
  { name: "LinearWarmup", schedules: ["LinearWarmup(ExponentialDecay(0.01, 1000, 0.5), { warmupSteps: 1000 })"], steps: "0:6000" },
  { name: "Sequence", schedules: ["Sequence([Constant(1e-3), CosineDecay(1e-2, 6000)], [2000])"], steps: "0:10000" },
  { name: "OneCycle", schedules: ["OneCycle(0.01, 10000)", 'OneCycle(0.01, 10000, { annealStrategy: "linear", threePhase: true })'], steps: "0:10000" },
  { name: "InverseSqrtDecay", schedules: ["InverseSqrtDecay(1e-3, 4000)"], steps: "0:40000" },
  {
    name: "WarmupStableDecay",
    schedules: ["WarmupStableDecay(0.01, 1000, 6000, 3000)", 'WarmupStableDecay(0.01, 1000, 6000, 3000, { decayType: "1-sqrt" })'],
    steps: "0:11000",
  },
];

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
for (const chart of charts) {
  const file = `docs/charts/${chart.name}.svg`;
  const argv = ["plot", ...chart.schedules, "--steps", chart.steps, "-o", file];
  if ((await run(argv, io)) !== 0) {
    process.exitCode = 1;
    break;
  }
  console.log(`${file} (${(statSync(file).size / 1024).toFixed(1)} KB)\n  npx lr-schedules ${argv.map(quote).join(" ")}`);
}
