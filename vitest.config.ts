import { defineConfig } from "vitest/config";

/** tf.js's cpu backend warns once per worker that tfjs-node would be faster; tfjs-node is not what these tests use. */
const TFJS_NODE_BANNER = /looks like you are running TensorFlow\.js in Node\.js\. To speed things up dramatically, install our node backend/i;

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // A summary a person reads: a line per test file (and per test only when it failed or took over 10 s), failures
    // in full with what they logged, then vitest's closing summary. What passing tests log stays quiet:
    // `npx vitest run --reporter=verbose --silent=false <file>` shows it.
    reporters: [["default", { summary: false }]],
    slowTestThreshold: 10_000,
    silent: "passed-only",
    onConsoleLog: (log) => !TFJS_NODE_BANNER.test(log),
  },
});
