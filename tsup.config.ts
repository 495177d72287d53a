import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", "tfjs/index": "src/tfjs/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  splitting: true,
  sourcemap: true,
  external: [/^@tensorflow\//],
});
