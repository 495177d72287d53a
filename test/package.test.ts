/**
 * The package as npm ships it: `npm run build` (tsup, then scripts/fix-cts.mjs) runs once into a scratch folder, then
 * each entry is loaded the way users load it, ESM and CommonJS, its imports are listed, and the built type
 * declarations are type-checked the way a user's TypeScript reads them. Then that build is packed with `npm pack` and
 * the tarball installed offline into a scratch project outside the repository, as a user installs it: what
 * node_modules gets, what importing each entry loads, the CLI, and the types under each `moduleResolution`.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, normalize, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GUIDE } from "../src/cli/help.js";
import { documents, links } from "./support/markdown.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  scripts: Record<string, string>;
  exports: Record<string, string | Record<string, Record<string, string>>>;
};
const require = createRequire(import.meta.url);
/** The entries the exports map names, as built files without extension: `index`, `tfjs/index`... */
const distEntries = Object.keys(pkg.exports)
  .filter((subpath) => subpath !== "./package.json")
  .map((subpath) => (subpath === "." ? "index" : `${subpath.slice(2)}/index`));
let out = "";

/** Runs a command (in the repository unless `cwd` says otherwise); its output becomes the error when it fails. */
function sh(command: string, args: string[], cwd = root): string {
  const result = spawnSync(command, args, { cwd, encoding: "utf8" });
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
  packAndInstall();
});

afterAll(() => {
  for (const dir of [out, staging, consumer]) if (dir) rmSync(dir, { recursive: true, force: true });
});

let staging = "";
let consumer = "";
let packed: string[] = [];

/**
 * Packs the scratch build as `npm pack` packs the repository (package.json's `files`, README, LICENSE), before any
 * test writes into the build folder, and installs the tarball offline into a fresh project outside the repository,
 * where nothing of the repository's node_modules can be found.
 */
function packAndInstall(): void {
  staging = mkdtempSync(join(tmpdir(), "lr-schedules-pack-"));
  for (const file of ["package.json", "README.md", "LICENSE", "docs"]) cpSync(join(root, file), join(staging, file), { recursive: true });
  cpSync(out, join(staging, "dist"), { recursive: true });
  const [tarball] = JSON.parse(sh("npm", ["pack", "--json", "--silent", "--ignore-scripts"], staging)) as { filename: string; files: { path: string }[] }[];
  packed = tarball!.files.map((f) => f.path).sort();
  consumer = mkdtempSync(join(tmpdir(), "lr-schedules-consumer-"));
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
  sh("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", join(staging, tarball!.filename)], consumer);
}

describe("the built package (npm run build)", () => {
  it("writes every file the exports map names", () => {
    const targets = Object.values(pkg.exports).flatMap((e) => (typeof e === "string" ? [e] : Object.values(e).flatMap((c) => Object.values(c))));
    const files = targets.filter((t) => t.startsWith("./dist/"));
    // Each entry: ESM and CommonJS code, each with its declarations.
    expect(files.length).toBe(4 * distEntries.length);
    for (const file of files) expect(existsSync(built(file)), file).toBe(true);
  });

  it("the core loads with import and with require, each entry exporting the same names in both", async () => {
    for (const entry of distEntries) {
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

  it("the tfjs entry, imported or required, imports the optional h5wasm on first use and restores a .keras file", async () => {
    const tf = await import("@tensorflow/tfjs");
    const bytes = new Uint8Array(readFileSync(join(root, "test", "fixtures", "keras-resume", "seed-sgd-inverse-time.keras")));
    for (const tfjs of [await esm("tfjs/index.js"), cjs("tfjs/index.cjs")]) {
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 8, activation: "relu", inputShape: [5] }), tf.layers.dense({ units: 3, activation: "softmax" })] });
      const restore = tfjs.restoreKerasCheckpoint as (m: unknown, b: Uint8Array) => Promise<{ iterations: number; dispose(): void }>;
      const save = tfjs.saveKerasCheckpoint as (m: unknown) => Promise<Uint8Array>;
      const optimizer = await restore(model, bytes);
      expect(optimizer.iterations).toBe(6);
      expect((await restore(model, await save(model))).iterations).toBe(6);
      model.dispose();
    }
  });

  it("the core, plot, optax, torch and transformers import nothing (d3 is bundled into plot), the CLI only Node's modules, tfjs only tf.js", async () => {
    const node = (name: string) => name.startsWith("node:") || builtinModules.includes(name);
    expect(["fs", "node:fs"].every(node)).toBe(true);
    for (const format of ["js", "cjs"]) {
      expect(await externals(`index.${format}`)).toEqual([]);
      for (const entry of distEntries.filter((e) => e !== "index" && e !== "tfjs/index")) expect(await externals(`${entry}.${format}`), entry).toEqual([]);
      expect((await externals(`cli.${format}`)).filter((name) => !node(name))).toEqual([]);
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

/**
 * Scripts that use each entry, bundled by esbuild (tree-shaken and minified, as an application's bundler does) from
 * the sources and from the installed build, whose package.json `sideEffects` says what may be dropped. Each bundle
 * imports only what its script uses, so nothing the script does may depend on a module it does not import: a
 * schedule nested as Keras JSON read by `fromConfig` with `LinearWarmup` alone imported, and `deserialize(serialize(x))`.
 * tf.js stays outside the bundles, a peer dependency found in the repository's node_modules.
 */
describe("each entry bundled by esbuild, from the sources and from the installed build", () => {
  const nested = "{ schedule: { class_name: 'Constant', registered_name: 'lr-schedules>Constant', config: { value: 0.1 } }, warmup_steps: 4 }";
  const scripts: Record<string, string> = {
    "lr-schedules": [
      "import { LinearWarmup } from 'lr-schedules';",
      `const lr = LinearWarmup.fromConfig(${nested});`,
      "console.log(JSON.stringify([lr(2), lr(5), lr.getConfig().schedule.className]));",
    ].join("\n"),
    "lr-schedules (deserialize)": [
      "import { deserialize, InverseTimeDecay, LinearWarmup, Sequence, serialize } from 'lr-schedules';",
      "const x = new LinearWarmup(new Sequence([new InverseTimeDecay(0.1, 1, 0.5), LinearWarmup.fromConfig(" + nested + ")], [3]), 4);",
      "const back = deserialize(serialize(x));",
      "console.log(JSON.stringify([back(2), back(5), JSON.stringify(serialize(back)) === JSON.stringify(serialize(x))]));",
    ].join("\n"),
    "lr-schedules/tfjs": [
      "import '@tensorflow/tfjs-backend-cpu';",
      "import * as tf from '@tensorflow/tfjs-core';",
      "import { LinearWarmup } from 'lr-schedules';",
      "import { optimizerFromKeras, optimizerToKeras, SGD } from 'lr-schedules/tfjs';",
      `const lr = LinearWarmup.fromConfig(${nested});`,
      "const sgd = new SGD({ learningRate: lr });",
      "const back = optimizerFromKeras(optimizerToKeras(sgd));",
      "const loaded = SGD.fromConfig(SGD, JSON.parse(JSON.stringify(sgd.getConfig())));",
      "const rate = lr(tf.scalar(5));",
      "console.log(JSON.stringify([rate.dataSync()[0], back.getClassName(), JSON.stringify(loaded.getConfig()) === JSON.stringify(sgd.getConfig())]));",
    ].join("\n"),
    "lr-schedules/plot": [
      "import { LinearWarmup } from 'lr-schedules';",
      "import { toSVG } from 'lr-schedules/plot';",
      `const svg = toSVG(LinearWarmup.fromConfig(${nested}), { stop: 10 });`,
      "console.log(JSON.stringify([(svg.match(/<path /g) ?? []).length, 0.1, 'Constant']));",
    ].join("\n"),
    // The other frameworks' entries: a composition written as Keras JSON and read back by the core's deserialize.
    "lr-schedules/optax": [
      "import { deserialize, serialize } from 'lr-schedules';",
      "import { constantSchedule, joinSchedules, linearSchedule } from 'lr-schedules/optax';",
      "const lr = joinSchedules([linearSchedule(0, 1, 10), constantSchedule(0.1)], [10]);",
      "const back = deserialize(JSON.parse(JSON.stringify(serialize(lr))));",
      "console.log(JSON.stringify([lr(5), back(15), serialize(back).registered_name]));",
    ].join("\n"),
    "lr-schedules/torch": [
      "import { deserialize, serialize } from 'lr-schedules';",
      "import { CosineAnnealingLR, LinearLR, SequentialLR } from 'lr-schedules/torch';",
      "const lr = new SequentialLR([new LinearLR(0.5, 1, 4), new CosineAnnealingLR(10)], [4], { lr: 0.1 });",
      "const back = deserialize(JSON.parse(JSON.stringify(serialize(lr))));",
      "console.log(JSON.stringify([lr(2), back(9), serialize(back).class_name]));",
    ].join("\n"),
    "lr-schedules/transformers": [
      "import { deserialize, serialize } from 'lr-schedules';",
      "import { getCosineScheduleWithWarmup } from 'lr-schedules/transformers';",
      "const lr = getCosineScheduleWithWarmup(10, 100, { learningRate: 0.1 });",
      "const back = deserialize(JSON.parse(JSON.stringify(serialize(lr))));",
      "console.log(JSON.stringify([lr(5), back(55), serialize(back).class_name]));",
    ].join("\n"),
  };
  const expected: Record<string, unknown[]> = {
    "lr-schedules": [0.05000000074505806, 0.10000000149011612, "Constant"],
    // As the sources compute it unbundled.
    "lr-schedules (deserialize)": [0.05000000074505806, 0.06666667014360428, true],
    "lr-schedules/tfjs": [0.10000000149011612, "lr-schedules>SGD", true],
    "lr-schedules/plot": [1, 0.1, "Constant"],
    // As the sources compute them unbundled.
    "lr-schedules/optax": [0.5, 0.10000000149011612, "lr-schedules>joinSchedules"],
    "lr-schedules/torch": [0.075, 0.05000000000000001, "SequentialLR"],
    "lr-schedules/transformers": [0.05, 0.05, "getCosineScheduleWithWarmup"],
  };
  /** The source of an entry: `lr-schedules/x` is built from src/x/index.ts. */
  const source = (entry: string) => join("src", entry.slice("lr-schedules".length), "index.ts");

  /** The script bundled with its `lr-schedules` imports resolved by `resolve`, run by Node; what it printed. */
  async function run(name: string, origin: "source" | "build"): Promise<unknown> {
    const file = join(out, `bundle-${origin}-${name.replace(/\W+/g, "-")}.mjs`);
    const contents = origin === "build" ? scripts[name]! : scripts[name]!.replace(/'(lr-schedules(?:\/\w+)?)'/g, (_, entry: string) => JSON.stringify(join(root, source(entry))));
    await build({
      stdin: { contents, resolveDir: origin === "build" ? consumer : root, loader: "ts" },
      bundle: true,
      minify: true,
      format: "esm",
      platform: "node",
      external: ["@tensorflow/*"],
      outfile: file,
      logLevel: "silent",
    });
    return JSON.parse(sh("node", [file], out));
  }

  it("has a script for every entry of the exports map", () => {
    for (const entry of distEntries) expect(scripts, entry).toHaveProperty(entry === "index" ? "lr-schedules" : `lr-schedules/${entry.slice(0, -"/index".length)}`);
  });

  for (const origin of ["source", "build"] as const) {
    for (const name of Object.keys(scripts)) {
      it(`${name}, from the ${origin === "source" ? "sources" : "installed build"}`, async () => {
        expect(await run(name, origin)).toEqual(expected[name]);
      });
    }
  }
});

/** The installed package's own folder in the scratch project. */
const installed = (path = "") => join(consumer, "node_modules", "lr-schedules", path);

/**
 * The packages whose code built files of the installed package hold, read from their source maps: a source is a path
 * relative to where the file was built (the scratch build, inside the repository), and a bundled package's sources
 * lie under the repository's `node_modules/<name>/`.
 */
function bundledPackages(files: readonly string[]): string[] {
  const names = files.flatMap((file) => {
    const builtAt = dirname(join(out, relative(installed("dist"), file)));
    const map = JSON.parse(readFileSync(`${file}.map`, "utf8")) as { sources: string[] };
    return map.sources
      .map((source) => resolve(builtAt, source))
      .filter((source) => !source.startsWith(out))
      .flatMap((source) => /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(relative(root, source).split(sep).join("/"))?.[1] ?? []);
  });
  return [...new Set(names)].sort();
}

/** The files of the installed package that `require(specifier)` loads in a fresh Node process in the scratch project. */
function requiredFiles(specifier: string): string[] {
  const script = `require(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(require.cache)))`;
  return JSON.parse(sh("node", ["-e", script], consumer)) as string[];
}

/** The files that `import specifier` loads in the scratch project, static imports followed through by esbuild. */
async function importedFiles(specifier: string): Promise<string[]> {
  const { metafile } = await build({
    stdin: { contents: `import ${JSON.stringify(specifier)};`, resolveDir: consumer },
    bundle: true,
    write: false,
    metafile: true,
    platform: "node",
    format: "esm",
    logLevel: "silent",
  });
  return Object.keys(metafile.inputs).filter((input) => input !== "<stdin>").map((input) => join(process.cwd(), input));
}

describe("the packed tarball (npm pack), installed offline into a fresh project", () => {
  it("carries the build, the README, the guides with the charts they show, the LICENSE and the bundled packages' licences", () => {
    // The core's charts, and each other entry's in its folder (docs/charts/optax/...): scripts/charts.ts.
    const charts = readdirSync(join(root, "docs", "charts"), { withFileTypes: true })
      .flatMap((item) => (item.isDirectory() ? readdirSync(join(root, "docs", "charts", item.name)).map((f) => `${item.name}/${f}`) : [item.name]))
      .filter((f) => f.endsWith(".svg"))
      .map((f) => `docs/charts/${f}`);
    expect(charts.filter((f) => f.split("/").length === 4).length, "the charts of the other entries").toBeGreaterThan(0);
    expect(packed.filter((path) => !path.startsWith("dist/"))).toEqual(["LICENSE", ...documents, ...charts, "package.json"].sort());
    // What the README and the guides show or link to inside the package is in it (test/docs.test.ts checks that every
    // link leads somewhere in the repository; links out of the package, to its tests, are not followed here).
    for (const page of documents) {
      for (const link of links(readFileSync(join(root, page), "utf8"))) {
        const [target] = link.split("#");
        const path = normalize(join(dirname(page), target!));
        if (target && !path.startsWith("..")) expect(packed, `${page}: ${link}`).toContain(path);
      }
    }
    // The CLI's --help names its guide by its path in the installed package.
    expect(packed).toContain(GUIDE);
    expect(packed).toContain("dist/THIRD-PARTY-LICENSES.txt");
    expect(readFileSync(installed("LICENSE"), "utf8")).toMatch(/^MIT License\n\nCopyright \(c\) 2026 lr-schedules contributors\n/);
  });

  it("installs lr-schedules and nothing else", () => {
    const modules = readdirSync(join(consumer, "node_modules")).filter((name) => !name.startsWith("."));
    expect(modules).toEqual(["lr-schedules"]);
  });

  it("importing or requiring the core loads no d3 and no other package's code; plot and the CLI hold d3's, tfjs fflate's, their licences shipped", async () => {
    const ownFiles = (files: string[]) => files.filter((file) => file.startsWith(installed()) && /\.c?js$/.test(file));
    for (const files of [requiredFiles("lr-schedules"), await importedFiles("lr-schedules")]) {
      expect(files.length).toBeGreaterThan(1);
      expect(files.every((file) => file.startsWith(installed("dist"))), files.join("\n")).toBe(true);
      expect(bundledPackages(files)).toEqual([]);
    }
    const plot = [requiredFiles("lr-schedules/plot"), await importedFiles("lr-schedules/plot")].map(ownFiles);
    const cli = [installed("dist/cli.js"), ...(await importedFiles(installed("dist/cli.js")))];
    // fflate is used by lr-schedules/tfjs only, so it sits in the entry's own files, not in a shared chunk.
    const tfjs = [installed("dist/tfjs/index.js"), installed("dist/tfjs/index.cjs")];
    const bundled = bundledPackages([...plot.flat(), ...cli, ...tfjs]);
    expect(bundled).toEqual(expect.arrayContaining(["d3-scale", "d3-shape", "fflate"]));
    expect(bundledPackages(tfjs)).toEqual(["fflate"]);
    const notice = readFileSync(installed("dist/THIRD-PARTY-LICENSES.txt"), "utf8");
    const listed = [...notice.matchAll(/^((?:@[^/\s]+\/)?[^@\s]+)@\S+ \((ISC|MIT)\)$/gm)].map((m) => [m[1], m[2]]);
    expect(listed.map(([name]) => name)).toEqual(bundled);
    expect(notice.match(/Permission to use, copy, modify, and\/or distribute this software/g)).toHaveLength(listed.filter(([, l]) => l === "ISC").length);
    expect(notice.match(/Permission is hereby granted, free of charge/g)).toHaveLength(listed.filter(([, l]) => l === "MIT").length);
  });

  it("lr-schedules, lr-schedules/plot and the lr-schedules command work from the installed package", () => {
    const script = [
      "import { InverseTimeDecay } from 'lr-schedules';",
      "import { toSVG } from 'lr-schedules/plot';",
      "const lr = new InverseTimeDecay(0.1, 1, 0.5);",
      "console.log(lr(2), (toSVG(lr, { stop: 10 }).match(/<path /g) ?? []).length);",
    ].join("\n");
    expect(sh("node", ["--input-type=module", "-e", script], consumer)).toBe("0.05000000074505806 1\n");
    const { toSVG } = require(installed("dist/plot/index.cjs")) as { toSVG: (s: unknown, o: object) => string };
    const { InverseTimeDecay } = require(installed("dist/index.cjs")) as { InverseTimeDecay: new (...a: number[]) => unknown };
    expect(toSVG(new InverseTimeDecay(0.1, 1, 0.5), { stop: 10 })).toMatch(/^<svg /);
    const bin = join(consumer, "node_modules", ".bin", "lr-schedules");
    expect(sh(bin, ["values", "InverseTimeDecay(0.1, 1, 0.5)", "--steps", "0:3", "--format", "csv"], consumer)).toContain("2,0.05000000074505806");
    expect(sh(bin, ["plot", "InverseTimeDecay(0.1, 1, 0.5)", "--steps", "0:10", "--format", "svg"], consumer)).toMatch(/^<svg /);
    expect(sh(bin, ["--help"], consumer)).toContain(`node_modules/lr-schedules/${GUIDE} where the package is installed`);
    expect(existsSync(installed(GUIDE))).toBe(true);
    // PNG needs the optional peer @resvg/resvg-js, which installing lr-schedules does not bring: a named hint, exit 1.
    const png = spawnSync(bin, ["plot", "InverseTimeDecay(0.1, 1, 0.5)", "--format", "png", "-o", join(consumer, "x.png")], { cwd: consumer, encoding: "utf8" });
    expect(png.stderr).toContain("npm install @resvg/resvg-js");
  });

  it("TypeScript finds every entry and its types with moduleResolution node, node16, nodenext and bundler", () => {
    // tf.js's types, for the tensor signature that lr-schedules/tfjs adds (a peer dependency the user installs).
    symlinkSync(join(root, "node_modules", "@tensorflow"), join(consumer, "node_modules", "@tensorflow"), "dir");
    const source = [
      'import * as tf from "@tensorflow/tfjs-core";',
      'import { InverseTimeDecay } from "lr-schedules";',
      'import { SGD } from "lr-schedules/tfjs";',
      'import { toSVG } from "lr-schedules/plot";',
      "const lr = new InverseTimeDecay(0.1, 1, 0.5);",
      "export const rate: tf.Scalar = lr(tf.scalar(2));",
      "export const value: number = lr(2);",
      "export const svg: string = toSVG(lr, { stop: 10 });",
      "export const optimizer: tf.Optimizer = new SGD({ learningRate: lr });",
      "",
    ].join("\n");
    for (const ext of ["ts", "cts", "mts"]) writeFileSync(join(consumer, `consumer.${ext}`), source);
    const settings = [
      ["commonjs", "node", ["consumer.ts"]],
      ["node16", "node16", ["consumer.cts", "consumer.mts"]],
      ["nodenext", "nodenext", ["consumer.cts", "consumer.mts"]],
      ["esnext", "bundler", ["consumer.ts"]],
    ] as const;
    const tsc = join(root, "node_modules", ".bin", "tsc");
    for (const [module, moduleResolution, files] of settings) {
      const flags = ["--noEmit", "--strict", "--module", module, "--moduleResolution", moduleResolution, "--target", "es2022", "--skipLibCheck"];
      const result = spawnSync(tsc, [...flags, ...files], { cwd: consumer, encoding: "utf8" });
      expect(result.stdout, `moduleResolution ${moduleResolution}`).toBe("");
      expect(result.status).toBe(0);
    }
  });
});
