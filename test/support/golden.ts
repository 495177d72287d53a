import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Reads a copy of Keras's reference output from test/fixtures/keras (see its README). */
export function kerasFixture<T = unknown>(file: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../fixtures/keras/${file}`, import.meta.url)), "utf8")) as T;
}

/** One case of keras-schedules-golden.json. */
export interface GoldenScheduleCase {
  keras: { class_name: string; config: Record<string, unknown> };
  steps: number[];
  float32_bits: number[];
  numpy_backend_float32_bits: number[];
  values: number[];
}

/** The golden cases of one Keras class. */
export function goldenCases(className: string): GoldenScheduleCase[] {
  const all = kerasFixture<{ cases: GoldenScheduleCase[] }>("keras-schedules-golden.json").cases;
  return all.filter((c) => c.keras.class_name === className);
}

/** Distance in units in the last place between two float32 bit patterns of the same sign. */
export function ulpDistance(aBits: number, bBits: number): number {
  const signed = (b: number) => (b & 0x80000000 ? -(b & 0x7fffffff) : b);
  return Math.abs(signed(aBits) - signed(bBits));
}
