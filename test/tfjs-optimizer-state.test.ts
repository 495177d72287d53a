/**
 * Every Keras-faithful optimizer, read from the registry's barrel file (so that none is left out), runs the shared
 * state checks: atomic updates, restore validation and the `iterations` setter (see `describeOptimizerState`); a
 * MultiOptimizer over two of them the same checks (`describeMultiOptimizerState`).
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll } from "vitest";
import type { KerasOptimizerClass } from "../src/tfjs/index.js";
import * as optimizers from "../src/tfjs/optimizerClasses.js";
import { describeMultiOptimizerState, describeOptimizerState } from "./support/optimizerSuite.js";

/** The classes built from an options object: every one but MultiOptimizer, which wraps other optimizers. */
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
describeMultiOptimizerState(classes);
