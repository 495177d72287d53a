/**
 * The package as npm ships it: `npm run build` (tsup, then scripts/fix-cts.mjs) runs once into a scratch folder, then
 * each entry is loaded the way users load it, ESM and CommonJS, its imports are listed, and the built type
 * declarations are type-checked the way a user's TypeScript reads them.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  scripts: Record<string, string>;
  exports: Record<string, string | Record<string, Record<string, string>>>;
};
const require = createRequire(import.meta.url);
let out = "";

/** Runs a command in the repository; its output becomes the error when it fails. */
function sh(command: string, args: string[]): string {
  const result = spawnSync(command, args, { cwd: root, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** The package-relative path `./dist/x` of the exports map, in the scratch build. */
const built = (path: string) => join(out, path.replace(/^\.\/dist\//, ""));
const esm = (path: string) => import(pathToFileURL(join(out, path)).href) as Promise<Record<string, unknown>>;
const cjs = (path: string) => require(join(out, path)) as Record<string, unknown>;

/** The modules outside the package that a built file loads, its chunks followed through (esbuild reads both formats). */
async function externals(path: string): Promise<string[]> {
  const { metafile } = await build({
    entryPoints: [join(out, path)],
    bundle: true,
    write: false,
    metafile: true,
    platform: "neutral",
    packages: "external",
    logLevel: "silent",
  });
  const names = Object.values(metafile.inputs).flatMap((input) => input.imports.filter((i) => i.external).map((i) => i.path));
  // esbuild's own helper for a CommonJS dynamic import, not a module.
  return [...new Set(names)].filter((name) => name !== "<runtime>").sort();
}

beforeAll(() => {
  // Inside node_modules, so that the built files find d3 and tf.js as an installed package does.
  const cache = join(root, "node_modules", ".cache");
  mkdirSync(cache, { recursive: true });
  out = mkdtempSync(join(cache, "lr-schedules-package-"));
  expect(pkg.scripts.build).toBe("tsup && node scripts/fix-cts.mjs");
  sh("npx", ["tsup", "--out-dir", out, "--silent"]);
  expect(sh("node", ["scripts/fix-cts.mjs", out])).toMatch(/^fix-cts: [1-9]\d* module augmentations? /);
});

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

describe("the built package (npm run build)", () => {
  it("writes every file the exports map names", () => {
    const targets = Object.values(pkg.exports).flatMap((e) => (typeof e === "string" ? [e] : Object.values(e).flatMap((c) => Object.values(c))));
    const files = targets.filter((t) => t.startsWith("./dist/"));
    expect(files.length).toBe(12);
    for (const file of files) expect(existsSync(built(file)), file).toBe(true);
  });

  it("the core loads with import and with require, each entry exporting the same names in both", async () => {
    for (const entry of ["index", "plot/index", "tfjs/index"]) {
      expect(Object.keys(await esm(`${entry}.js`)).sort(), entry).toEqual(Object.keys(cjs(`${entry}.cjs`)).sort());
    }
    for (const core of [await esm("index.js"), cjs("index.cjs")]) {
      const InverseTimeDecay = core.InverseTimeDecay as new (...args: number[]) => (step: number) => number;
      expect(new InverseTimeDecay(0.1, 1, 0.5)(2)).toBe(0.05000000074505806);
      expect(typeof core.deserialize).toBe("function");
    }
  });

  it("two copies in one process (import and require) each serialize and build their own schedules", async () => {
    type Core = {
      InverseTimeDecay: new (...args: number[]) => (step: number) => number;
      serialize: (s: unknown) => { class_name: string };
      deserialize: (json: unknown) => unknown;
      LearningRateSchedule: unknown;
    };
    const copies = [(await esm("index.js")) as Core, cjs("index.cjs") as Core];
    expect(copies[0]!.InverseTimeDecay).not.toBe(copies[1]!.InverseTimeDecay);
    for (const core of copies) {
      const json = core.serialize(new core.InverseTimeDecay(0.1, 1, 0.5));
      expect(json.class_name).toBe("InverseTimeDecay");
      expect(core.deserialize(json) instanceof core.InverseTimeDecay).toBe(true);
      for (const other of copies) expect(core.deserialize(json) instanceof (other.LearningRateSchedule as never)).toBe(true);
    }
  });

  it("class names survive the CommonJS and ESM builds (bundlers must not rename them)", async () => {
    for (const core of [await esm("index.js"), cjs("index.cjs")]) {
      expect((core.CosineDecay as { name: string }).name).toBe("CosineDecay");
      expect((core.ScheduleOptionError as { name: string }).name).toBe("ScheduleOptionError");
      const lr = new (core.InverseTimeDecay as new (...args: number[]) => object)(0.1, 1, 0.5);
      expect(Object.getPrototypeOf(lr).constructor.name).toBe("InverseTimeDecay");
    }
  });

  it("the plot entry draws with import and with require", async () => {
    const { InverseTimeDecay } = cjs("index.cjs") as { InverseTimeDecay: new (...args: number[]) => unknown };
    for (const plot of [await esm("plot/index.js"), cjs("plot/index.cjs")]) {
      const svg = (plot.toSVG as (s: unknown, o: object) => string)(new InverseTimeDecay(0.1, 1, 0.5), { stop: 10 });
      expect(svg.match(/<path /g)).toHaveLength(1);
    }
  });

  it("the tfjs entry, imported or required, lets a schedule take a tensor step", async () => {
    const tf = await import("@tensorflow/tfjs");
    for (const [core, tfjs] of [[await esm("index.js"), await esm("tfjs/index.js")], [cjs("index.cjs"), cjs("tfjs/index.cjs")]] as const) {
      expect(typeof tfjs.tensorOps).toBe("object");
      const lr = new (core.InverseTimeDecay as new (...args: number[]) => (step: unknown) => unknown)(0.1, 1, 0.5);
      const rate = lr(tf.scalar(2)) as { dataSync(): Float32Array; dispose(): void };
      expect(rate.dataSync()[0]).toBe(lr(2));
      rate.dispose();
    }
  });

  it("the core imports nothing: no d3, no tf.js, no Node module, in either format; plot needs only d3, tfjs only tf.js", async () => {
    const node = (name: string) => name.startsWith("node:") || builtinModules.includes(name);
    expect(["fs", "node:fs"].every(node)).toBe(true);
    for (const format of ["js", "cjs"]) {
      expect(await externals(`index.${format}`)).toEqual([]);
      expect(await externals(`plot/index.${format}`)).toEqual(["d3-scale", "d3-shape"]);
      const tfjs = await externals(`tfjs/index.${format}`);
      expect(tfjs.length).toBeGreaterThan(0);
      expect(tfjs.filter((name) => !name.startsWith("@tensorflow/") || node(name))).toEqual([]);
    }
  });

  it("the CommonJS and the ESM declarations of lr-schedules/tfjs both give schedules their tensor signature", () => {
    expect(readFileSync(join(out, "tfjs/index.d.cts"), "utf8")).toContain('declare module "../index.cjs"');
    expect(readFileSync(join(out, "tfjs/index.d.ts"), "utf8")).toContain('declare module "../index.js"');
    const consumer = (ext: string) => [
      'import * as tf from "@tensorflow/tfjs-core";',
      `import { InverseTimeDecay } from "./index.${ext}";`,
      `import "./tfjs/index.${ext}";`,
      "const lr = new InverseTimeDecay(0.1, 1, 0.5);",
      "export const rate: tf.Scalar = lr(tf.scalar(2));",
      "export const value: number = lr(2);",
      "",
    ].join("\n");
    writeFileSync(join(out, "consumer.cts"), consumer("cjs"));
    writeFileSync(join(out, "consumer.mts"), consumer("js"));
    const flags = ["--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--skipLibCheck", "--types", "node"];
    sh("npx", ["tsc", ...flags, join(out, "consumer.cts"), join(out, "consumer.mts")]);
  });
});
