/**
 * The tf.js half of the hand-back fixtures (test/fixtures/keras-resume/handback/): each Keras-written `.keras` file of
 * test/fixtures/keras-resume is restored into tf.js, trained one more epoch, and saved with `saveKerasCheckpoint`;
 * `scripts/keras-resume.py handback` then has Keras load each one and continue. Never run by the tests: run with
 * `npx tsx scripts/keras-handback.ts` (the README of that folder gives the whole sequence).
 */
import * as tf from "@tensorflow/tfjs";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { FinalizeVariableValues, restoreKerasCheckpoint, saveKerasCheckpoint } from "../src/tfjs/index.js";
import { fitTrainer, resumeModel, type DataCase } from "../test/support/kerasFit.js";

const folder = fileURLToPath(new URL("../test/fixtures/keras-resume/", import.meta.url));
/** Epochs tf.js trains before saving, and epochs Keras trains after loading. */
const TFJS_EPOCHS = 1;
const KERAS_EPOCHS = 2;

interface Case extends DataCase {
  name: string;
  keras_file: string;
}

await tf.setBackend("cpu");
const cases = ["keras-resume-golden.json", "keras-resume-extra-golden.json", "keras-resume-multi-golden.json"].flatMap(
  (file) => (JSON.parse(readFileSync(`${folder}${file}`, "utf8")) as { cases: Case[] }).cases,
);
mkdirSync(`${folder}handback`, { recursive: true });
const manifest = [];
for (const c of cases) {
  const model = resumeModel(c);
  const optimizer = await restoreKerasCheckpoint(model, new Uint8Array(readFileSync(`${folder}${c.keras_file}`)));
  const trainer = fitTrainer(c);
  // As Keras's fit ends: the moving averages written into the weights, where the optimizer keeps them.
  await trainer.fit(model, TFJS_EPOCHS, [new FinalizeVariableValues()]);
  const file = `${c.name}.keras`;
  writeFileSync(`${folder}handback/${file}`, await saveKerasCheckpoint(model));
  const { name, architecture, n, d, classes, hidden, a, b, batch_size } = c;
  manifest.push({ name, architecture, file, n, d, classes, hidden, a, b, batch_size, tfjs_epochs: TFJS_EPOCHS, iterations_at_save: optimizer.iterations, epochs: KERAS_EPOCHS });
  console.log(`${file}: saved after ${optimizer.iterations} iterations`);
  trainer.dispose();
  model.dispose();
  optimizer.dispose();
}
writeFileSync(`${folder}handback/manifest.json`, `${JSON.stringify({ cases: manifest }, null, 1)}\n`);
