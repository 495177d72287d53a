import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", "tfjs/index": "src/tfjs/index.ts", "plot/index": "src/plot/index.ts", cli: "src/cli/main.ts" },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  splitting: true,
  sourcemap: true,
  // Keep class names (`CosineDecay.name`, stack traces) and static fields as written, in both formats.
  target: "es2022",
  keepNames: true,
  external: [/^@tensorflow\//],
});
