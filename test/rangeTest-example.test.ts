/** `npm run range-test` (examples/rangeTest.ts): the range test's suggestion, used as a one-cycle peak, trains Iris better than poor fixed rates. */
import { describe, expect, it } from "vitest";
import { rangeTestThenTrain } from "../examples/rangeTest.js";

describe("examples/rangeTest.ts", () => {
  it("suggests a rate whose one-cycle run beats the fixed rates beside it, and reports all three", async () => {
    const lines: string[] = [];
    const { rangeTest, runs } = await rangeTestThenTrain({ output: { write: (t: string) => lines.push(t) } });
    expect(rangeTest.losses).toHaveLength(100);
    expect(rangeTest.suggestion).toBeGreaterThan(1e-3);
    expect(rangeTest.suggestion).toBeLessThan(1);
    const [oneCycle, tooSmall, tooLarge] = runs;
    expect(oneCycle!.accuracy).toBeGreaterThan(0.95);
    expect(oneCycle!.loss).toBeLessThan(tooSmall!.loss / 5);
    expect(oneCycle!.loss).toBeLessThan(tooLarge!.loss / 5);
    const text = lines.join("");
    expect(text).toContain(`OneCycle peaking at ${rangeTest.suggestion.toPrecision(3)}`);
    expect(text).toMatch(/fixed 0\.0001 +loss \d\.\d{4} +accuracy \d\.\d{4}/);
    // The range test's chart, in braille, the suggestions labelled.
    expect(text).toMatch(/learning rate \(log scale\)\n/);
    expect(text).toContain(`valley suggestion: `);
    expect(text).toMatch(/[\u2801-\u28ff]/);
  });
});
