/**
 * One line per schedule class saying what it computes, for `show`: the formula of each class's TSDoc, condensed.
 * A class that carries its own static `formula` string is described by it instead.
 */
import type { ScheduleClass } from "../schedule.js";

const formulas: Readonly<Record<string, string>> = {
  InverseTimeDecay: "lr = initialLearningRate / (1 + decayRate * p),  p = step / decaySteps (floor(p) when staircase)",
  ExponentialDecay: "lr = initialLearningRate * decayRate ^ p,  p = step / decaySteps (floor(p) when staircase)",
  PiecewiseConstantDecay: "lr = values[i] for the first i with step <= boundaries[i], values[n] after the last boundary",
  PolynomialDecay:
    "lr = (initialLearningRate - endLearningRate) * (1 - min(step, decaySteps) / decaySteps) ^ power + endLearningRate  (cycle: decaySteps stretched to the next multiple past step)",
  CosineDecay:
    "linear from initialLearningRate to warmupTarget over warmupSteps, then lr = peak * ((1 - alpha) * (1 + cos(pi * min(s, decaySteps) / decaySteps)) / 2 + alpha),  s = step - warmupSteps,  peak = warmupTarget (initialLearningRate without warmup)",
  CosineDecayRestarts:
    "lr = initialLearningRate * ((1 - alpha) * mMul^i * (1 + cos(pi * frac)) / 2 + alpha),  period i lasts firstDecaySteps * tMul^i, frac = how far into it",
  Constant: "lr = value",
  LinearWarmup:
    "lr = initialLearningRate + (schedule(0) - initialLearningRate) * step / warmupSteps  while step < warmupSteps,  then schedule(step - warmupSteps)",
  Sequence: "lr = schedules[i](step - boundaries[i-1])  for boundaries[i-1] <= step < boundaries[i]  (boundaries[-1] = 0)",
  OneCycle:
    "from maxLearningRate / divFactor up to maxLearningRate by step pctStart * totalSteps, then annealStrategy ('cos' or 'linear') down to that / finalDivFactor at totalSteps - 1  (threePhase: back to the start first)",
  InverseSqrtDecay: "lr = peakLearningRate * min(step / warmupSteps, sqrt(warmupSteps / max(step, warmupSteps)))",
  WarmupStableDecay:
    "linear from initialLearningRate to peakLearningRate over warmupSteps, flat for stableSteps, then down to finalLearningRate over decaySteps (decayType 'linear', 'cosine' or '1-sqrt')",
};

/** The one-line formula of a class, or undefined for a class described nowhere. */
export function formulaText(cls: ScheduleClass): string | undefined {
  const own = (cls as { formula?: unknown }).formula;
  if (typeof own === "string") return own;
  return Object.hasOwn(formulas, cls.className) ? formulas[cls.className] : undefined;
}
