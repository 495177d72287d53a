import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The page imports the library from ../src, so that there is no build step between an edit and the page.
export default defineConfig({
  root: here("."),
  base: "./",
  server: { fs: { allow: [here("..")] } },
  build: { outDir: here("dist"), emptyOutDir: true, target: "es2022" },
});
