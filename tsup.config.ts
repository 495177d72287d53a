import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Plugin } from "esbuild";
import { defineConfig } from "tsup";

/** The file, beside the built entries, that carries the licence of every package bundled into them. */
const thirdPartyLicenses = "THIRD-PARTY-LICENSES.txt";

/**
 * d3-scale and d3-shape (and the d3 packages they import) are devDependencies, so tsup bundles them into the chunks of
 * lr-schedules/plot and the CLI, as fflate (the zip of .keras files) into lr-schedules/tfjs, and installing
 * lr-schedules installs nothing else (h5wasm, large, is an optional peer that lr-schedules/tfjs imports on first use).
 * Their licences (ISC, MIT) ask that the notice travel with every copy: after each build this writes the licence text
 * of every package the bundle took code from (esbuild's inputs that left bytes in an output) to `thirdPartyLicenses`.
 */
const bundledLicenses: Plugin = {
  name: "bundled-licenses",
  setup(build) {
    build.onEnd(({ metafile }) => {
      const outDir = build.initialOptions.outdir;
      if (!metafile || !outDir) return;
      const packageDirs = new Set<string>();
      for (const output of Object.values(metafile.outputs)) {
        for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
          const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
          if (match && bytesInOutput > 0) packageDirs.add(match[1]!);
        }
      }
      const notices = [...packageDirs].sort().map((dir) => {
        const { name, version, license } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Record<string, string>;
        const file = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
        if (!file) throw new Error(`${name} is bundled into dist but has no licence file to carry`);
        return `${name}@${version} (${license})\n\n${readFileSync(join(dir, file), "utf8").trim()}\n`;
      });
      const header = "lr-schedules bundles code from the packages below into dist/plot, dist/tfjs and the CLI; their licences follow.\n";
      mkdirSync(outDir, { recursive: true });
      writeFileSync(join(outDir, thirdPartyLicenses), [header, ...notices].join(`\n${"-".repeat(80)}\n\n`));
    });
  },
};

export default defineConfig({
  entry: { index: "src/index.ts", "tfjs/index": "src/tfjs/index.ts", "plot/index": "src/plot/index.ts", "optax/index": "src/optax/index.ts", "torch/index": "src/torch/index.ts", "transformers/index": "src/transformers/index.ts", cli: "src/cli/main.ts" },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  splitting: true,
  sourcemap: true,
  // Keep class names (`CosineDecay.name`, stack traces) and static fields as written, in both formats.
  target: "es2022",
  keepNames: true,
  // tf.js stays a peer dependency (one copy per process); everything else not in `dependencies` (none) is bundled.
  external: [/^@tensorflow\//],
  esbuildPlugins: [bundledLicenses],
});
