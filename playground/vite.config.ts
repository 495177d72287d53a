import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The page imports the library from ../src (no build step between an edit and the page), and reuses the CLI's
// Keras-document reader, whose module also imports node:fs and node:path for reading files: those resolve to a
// stub here, so that nothing Node-only reaches the browser.
export default defineConfig({
  root: here("."),
  base: "./",
  resolve: {
    alias: {
      "node:fs": here("src/node-stub.ts"),
      "node:path": here("src/node-stub.ts"),
    },
  },
  server: { fs: { allow: [here("..")] } },
  build: { outDir: here("dist"), emptyOutDir: true, target: "es2022" },
});
