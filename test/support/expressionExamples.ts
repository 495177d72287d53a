import { builtInScheduleClasses } from "../../src/catalogue.js";

/**
 * Test data shared by the sample, CLI and plot tests: every built-in class's own examples (`static examples`, so a new
 * class is covered with nothing to add here), then variants that exercise more of each class's options.
 */
export const EXAMPLES: readonly string[] = [
  ...builtInScheduleClasses().flatMap((cls) => cls.examples?.expressions ?? []),
  "InverseTimeDecay(0.1, 1, 0.5)",
  "InverseTimeDecay(0.1, 10, 1, true)",
  "ExponentialDecay(0.1, 100, 0.5)",
  "ExponentialDecay(0.1, 100, 0.5, true)",
  "PiecewiseConstantDecay([100, 200], [0.1, 0.01, 0.001])",
  "PolynomialDecay(0.1, 100)",
  "PolynomialDecay(0.1, 100, 0.001, 2, true)",
  "CosineDecay(0.1, 500, 0.1)",
  "CosineDecay(1e-3, 1000, { warmupTarget: 1e-2, warmupSteps: 100 })",
  "CosineDecayRestarts(0.1, 100)",
  "CosineDecayRestarts(0.1, 100, 1, 0.5, 0.1)",
  "Constant(0.1)",
  "linearWarmup(CosineDecay(1e-3, 1000), { warmupSteps: 100 })",
  "Sequence([Constant(1e-3), ExponentialDecay(1e-3, 100, 0.5)], [200])",
  "OneCycle(0.1, 1000)",
  "OneCycle({ peakLearningRate: 0.1, totalSteps: 1000, annealStrategy: 'linear', threePhase: true })",
  "InverseSqrtDecay(1e-3, 100)",
  "WarmupStableDecay(1e-3, 100, 500, 300)",
  "WarmupStableDecay({ peakLearningRate: 1e-3, warmupSteps: 100, stableSteps: 500, decaySteps: 300, decayType: '1-sqrt' })",
  "InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 3, decayRate: 0.5, dtype: 'float64' })",
  "linearWarmup(InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 3, decayRate: 0.5, dtype: 'float64' }), { warmupSteps: 10 })",
];
