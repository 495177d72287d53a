/**
 * Every Keras-faithful optimizer, read from the registry's barrel file (so that none is left out), runs the shared
 * state checks: atomic updates, restore validation and the `iterations` setter (see `describeOptimizerState`).
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll } from "vitest";
import type { KerasOptimizerClass } from "../src/tfjs/index.js";
import * as optimizers from "../src/tfjs/optimizerClasses.js";
import { describeOptimizerState } from "./support/optimizerSuite.js";

/**
 * The classes built from an options object: every one but MultiOptimizer, which wraps other optimizers and checks its
 * restores through theirs (src/tfjs/MultiOptimizer.test.ts).
 */
const classes = Object.values(optimizers).filter((cls) => cls !== optimizers.MultiOptimizer) as KerasOptimizerClass[];

/** Each class's own options that change its slots (their number or kinds). */
const slotVariants: Readonly<Record<string, readonly Record<string, unknown>[]>> = {
  SGD: [{ momentum: 0.9 }],
  Adam: [{ amsgrad: true }],
  AdamW: [{ amsgrad: true }],
  RMSprop: [{ momentum: 0.9 }, { centered: true }],
};

beforeAll(async () => {
  await tf.setBackend("cpu");
});

for (const cls of classes) describeOptimizerState(cls, classes, slotVariants[cls.kerasName]);
