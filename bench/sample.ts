/**
 * `sample` against the loop a user would write by hand: 10^7 steps of InverseTimeDecay, both producing the same
 * Float64Array of steps and Float32Array of rates, measured in the same process. Prints the median time of each and
 * their ratio (the target is at most 1.3x: sample checks each value, as a call does, and the hand-written loop checks
 * nothing). Run with `npm run bench`.
 */
import { InverseTimeDecay, float32Bits } from "../src/index.js";
import { sample } from "../src/sample.js";

const N = 10_000_000;
const ROUNDS = 31;
const WARMUP = 3;
const [initialLearningRate, decaySteps, decayRate] = [0.1, 1000, 0.5];

function handWritten(n: number): { steps: Float64Array; values: Float32Array } {
  const fr = Math.fround;
  const lr0 = fr(initialLearningRate);
  const ds = fr(decaySteps);
  const rate = fr(decayRate);
  const one = fr(1);
  const steps = new Float64Array(n);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    steps[i] = i;
    const p = fr(fr(i) / ds);
    values[i] = fr(lr0 / fr(one + fr(rate * p)));
  }
  return { steps, values };
}

const schedule = new InverseTimeDecay(initialLearningRate, decaySteps, decayRate);
const viaSample = (n: number) => sample(schedule, { stop: n });

// Same answer first: a faster loop that computes something else would be no comparison.
const a = handWritten(N);
const b = viaSample(N);
for (let i = 0; i < N; i += 9973) {
  if (float32Bits(a.values[i]!) !== float32Bits(b.values[i]!) || a.steps[i] !== b.steps[i]) {
    throw new Error(`sample and the hand-written loop differ at step ${i}: ${b.values[i]} vs ${a.values[i]}`);
  }
}

// With --expose-gc (as `npm run bench` passes it), every run starts from a collected heap, so that one run's garbage
// is not billed to the next.
const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
const times = { sample: [] as number[], handWritten: [] as number[] };
let sink = 0;
for (let round = 0; round < WARMUP + ROUNDS; round++) {
  // Alternate the order each round so that neither always runs on a heap the other just filled.
  const order = round % 2 ? (["sample", "handWritten"] as const) : (["handWritten", "sample"] as const);
  for (const which of order) {
    const run = which === "sample" ? viaSample : handWritten;
    collect();
    const t0 = performance.now();
    const r = run(N);
    const t = performance.now() - t0;
    sink += r.values[N - 1]!;
    if (round >= WARMUP) times[which].push(t);
  }
}
const ms = { sample: median(times.sample), handWritten: median(times.handWritten) };
// Both loops spend most of their time faulting in 120 MB of fresh memory, which is noisy: show the spread of the
// per-round ratios next to the ratio of the medians.
const ratios = times.sample.map((t, i) => t / times.handWritten[i]!).sort((x, y) => x - y);
const quartile = (q: number) => ratios[Math.floor(q * (ratios.length - 1))]!.toFixed(2);
const ns = (t: number) => ((t * 1e6) / N).toFixed(2);
console.log(`sample(InverseTimeDecay), ${N} steps, median of ${ROUNDS} after ${WARMUP} warm-up rounds (node ${process.version})`);
console.log(`  hand-written float32 loop  ${ms.handWritten.toFixed(1).padStart(7)} ms  ${ns(ms.handWritten)} ns/step`);
console.log(`  sample                     ${ms.sample.toFixed(1).padStart(7)} ms  ${ns(ms.sample)} ns/step`);
console.log(`  ratio sample / hand-written: ${(ms.sample / ms.handWritten).toFixed(2)}x (target <= 1.3x); per round ${quartile(0.25)}x to ${quartile(0.75)}x (middle half)`);
if (!Number.isFinite(sink)) throw new Error("unreachable: keeps the results alive");
