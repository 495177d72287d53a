import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { kerasFixture } from "../../test/support/golden.js";
import { numberTypes, pythonTypes } from "../../test/support/pythonJson.js";
import { CosineDecay, deserialize, InverseTimeDecay, LearningRateSchedule, serialize, type Ops } from "../index.js";
import { xmlElements } from "../../test/support/xml.js";
import { sample } from "../sample.js";
import { builtInScheduleClasses, scheduleCatalogue } from "../catalogue.js";
import { parseExpression } from "../expression.js";
import { run } from "./run.js";
import { printable } from "./output.js";
import { showText } from "./show.js";
import { EXAMPLES } from "../../test/support/expressionExamples.js";
import { VERSION } from "./version.js";
import { GUIDE, HELP_WIDTH } from "./help.js";
import { scheduleGroups } from "./scheduleGroups.js";

interface Fake {
  tty?: boolean;
  columns?: number;
  rows?: number;
  env?: Record<string, string>;
  stdin?: string;
}

/** Runs the CLI in this process against fake streams. */
async function cli(argv: string[], fake: Fake = {}) {
  const out: (string | Uint8Array)[] = [];
  const err: string[] = [];
  const status = await run(argv, {
    stdout: { write: (chunk) => out.push(chunk), isTTY: fake.tty, columns: fake.columns, rows: fake.rows },
    stderr: { write: (chunk) => err.push(chunk) },
    readStdin: async () => fake.stdin ?? "",
    env: fake.env ?? {},
  });
  return { status, stdout: out.map((c) => (typeof c === "string" ? c : Buffer.from(c).toString("latin1"))).join(""), stderr: err.join("") };
}

const dir = mkdtempSync(join(tmpdir(), "lr-schedules-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content?: string) => {
  const path = join(dir, name);
  if (content !== undefined) writeFileSync(path, content);
  return path;
};
// eslint-disable-next-line no-control-regex -- ANSI colour codes start with ESC
const stripAnsi = (s: string) => s.replace(/\x1b\[\d+m/g, "");

describe("lr-schedules -o FILE", () => {
  it("an extension the command cannot write is refused (exit 2, nothing written), not filled with a terminal chart", async () => {
    for (const [command, name] of [["plot", "chart.xyz"], ["values", "rates.svg"]] as const) {
      const path = file(name);
      const { status, stderr } = await cli([command, "InverseTimeDecay(0.1, 1, 0.5)", "--steps", "0:10", "-o", path]);
      expect(status).toBe(2);
      expect(stderr).toMatch(new RegExp(`-o '.*${name.replace(".", "\\.")}': ${command} cannot write a '\\.${name.split(".")[1]}' file; give --format`));
      expect(stderr.trim().split("\n")).toHaveLength(1);
      expect(existsSync(path)).toBe(false);
    }
    const plain = file("chart");
    expect((await cli(["plot", "InverseTimeDecay(0.1, 1, 0.5)", "--steps", "0:10", "-o", plain])).status).toBe(0);
    expect(readFileSync(plain, "utf8")).toMatch(/[\u2800-\u28ff]/);
  });
});

describe("lr-schedules values", () => {
  it("--format csv writes each rate as the library's number: equal to sample and to lr(step) to the bit, every class", async () => {
    const { status, stdout, stderr } = await cli(["values", ...EXAMPLES, "--steps", "0:1500:7", "--format", "csv"]);
    expect(stderr).toBe("");
    expect(status).toBe(0);
    const [header, ...rows] = stdout.trimEnd().split("\n");
    expect(header!.startsWith(`step,"${EXAMPLES[0]}",`)).toBe(true);
    const schedules = EXAMPLES.map((text) => parseExpression(text));
    const sampled = schedules.map((s) => sample(s, { start: 0, stop: 1500, step: 7 }));
    expect(rows).toHaveLength(sampled[0]!.steps.length);
    rows.forEach((row, i) => {
      const [step, ...rates] = row.split(",").map(Number);
      expect(step).toBe(i * 7);
      rates.forEach((rate, k) => {
        if (!Object.is(rate, schedules[k]!(step!)) || !Object.is(rate, sampled[k]!.values[i])) {
          expect.fail(`${EXAMPLES[k]} at step ${step}: CSV ${rate}, lr(step) ${schedules[k]!(step!)}, sample ${sampled[k]!.values[i]}`);
        }
      });
    });
  });

  it("--format json holds the same numbers; --format table the shortest float32 decimals, aligned", async () => {
    const json = JSON.parse((await cli(["values", "InverseTimeDecay(0.1, 1, 0.5)", "--steps", "0:3", "--format", "json"])).stdout);
    expect(json).toEqual({
      steps: [0, 1, 2],
      schedules: [{ label: "InverseTimeDecay(0.1, 1, 0.5)", values: [0.10000000149011612, 0.06666667014360428, 0.05000000074505806] }],
    });
    const table = (await cli(["values", "PiecewiseConstantDecay([1, 2], [0.1, 0.01, 0.001])", "Constant(0.3)", "--steps", "0:4", "--format", "table"])).stdout;
    expect(table).toBe(
      [
        "step  PiecewiseConstantDecay([1, 2], [0.1, 0.01, 0.001])  Constant(0.3)",
        "----  --------------------------------------------------  -------------",
        "   0                                                 0.1            0.3",
        "   1                                                 0.1            0.3",
        "   2                                                0.01            0.3",
        "   3                                               0.001            0.3",
        "",
      ].join("\n"),
    );
  });

  it("the format defaults to a table on a terminal, CSV otherwise, and follows the extension of -o", async () => {
    expect((await cli(["values", "Constant(0.5)", "--steps", "0:2"], { tty: true })).stdout).toMatch(/^step {2}Constant\(0\.5\)\n/);
    expect((await cli(["values", "Constant(0.5)", "--steps", "0:2"])).stdout).toBe("step,Constant(0.5)\n0,0.5\n1,0.5\n");
    const out = file("rates.json");
    expect((await cli(["values", "Constant(0.5)", "--steps", "0:2", "-o", out])).status).toBe(0);
    expect(JSON.parse(readFileSync(out, "utf8")).steps).toEqual([0, 1]);
  });

  it("reads Keras JSON in every shape: Keras 3 and 2 schedules, an optimizer, a compile config, a training_config, inline and from standard input", async () => {
    const k3 = kerasFixture<{ schedules: Record<string, object>; optimizers: Record<string, object>; compile_config: object }>("keras3-configs.json");
    const k2 = kerasFixture<{ schedules: Record<string, object>; training_config: object }>("tf-keras-legacy-configs.json");
    const docs: [object, object][] = [
      ...Object.values(k3.schedules).map((s) => [s, s] as [object, object]),
      ...Object.values(k2.schedules).map((s) => [s, s] as [object, object]),
      [k3.optimizers["SGD"]!, k3.schedules["InverseTimeDecay"]!],
      [k3.compile_config, k3.schedules["InverseTimeDecay"]!],
      [k2.training_config, k2.schedules["InverseTimeDecay"]!],
      [{ module: "keras", class_name: "Sequential", config: {}, compile_config: k3.compile_config }, k3.schedules["InverseTimeDecay"]!],
    ];
    for (const [i, [doc, schedule]] of docs.entries()) {
      const expected = sample(deserialize(schedule), { stop: 50 }).values;
      const path = file(`doc${i}.json`, JSON.stringify(doc, null, 2));
      for (const [arg, stdin] of [[path, undefined], [JSON.stringify(doc), undefined], ["-", JSON.stringify(doc)]] as const) {
        const { status, stdout, stderr } = await cli(["values", arg, "--steps", "0:50", "--format", "json"], { stdin });
        expect(stderr, `${JSON.stringify(doc).slice(0, 80)} via ${arg.slice(0, 20)}`).toBe("");
        expect(status).toBe(0);
        expect(JSON.parse(stdout).schedules[0].values).toEqual(Array.from(expected));
      }
    }
  });

  it("labels a file's schedule with the file name, and an expression in a file like one on the command line", async () => {
    const path = file("warm.txt", "linearWarmup(Constant(0.1), { warmupSteps: 2 })\n");
    const { stdout } = await cli(["values", path, "--steps", "0:3"]);
    expect(stdout).toBe("step,warm.txt\n0,0\n1,0.05000000074505806\n2,0.10000000149011612\n");
  });
});

describe("lr-schedules plot", () => {
  it("--format svg writes a well-formed SVG with one path per schedule and a legend", async () => {
    const out = file("chart.svg");
    const { status } = await cli(["plot", "CosineDecay(1e-3, 10000, { warmupTarget: 1e-2, warmupSteps: 500 })", "InverseTimeDecay(1e-2, 1000, 0.5)", "--steps", "0:12000", "--steps-per-epoch", "1000", "--title", "Two", "-o", out]);
    expect(status).toBe(0);
    const svg = readFileSync(out, "utf8");
    expect(xmlElements(svg).filter((e) => e === "path")).toHaveLength(2);
    expect(svg).toContain(">CosineDecay(1e-3, 10000, { warmupTarget: 1e-2, warmupSteps: 500 })</text>");
    expect(svg).toContain(">Two</text>");
  });

  it("--format png writes a PNG; to a terminal it is refused", async () => {
    const out = file("chart.png");
    expect((await cli(["plot", "Constant(0.1)", "--steps", "0:10", "-o", out])).status).toBe(0);
    expect(readFileSync(out).subarray(1, 4).toString()).toBe("PNG");
    const tty = await cli(["plot", "Constant(0.1)", "--format", "png"], { tty: true });
    expect(tty.status).toBe(2);
    expect(tty.stderr).toBe("lr-schedules plot: PNG is binary: write it to a file with -o FILE.png, or pipe it\n");
  });

  it("--format csv is what values prints", async () => {
    const args = ["OneCycle(0.1, 1000)", "CosineDecayRestarts(0.1, 100)", "--steps", "0:1000:3"];
    expect((await cli(["plot", ...args, "--format", "csv"])).stdout).toBe((await cli(["values", ...args, "--format", "csv"])).stdout);
  });

  it("draws in the terminal's width, 80 columns when not a terminal, with colour only on a terminal without NO_COLOR", async () => {
    const args = ["plot", "CosineDecay(1e-3, 1000)", "ExponentialDecay(1e-3, 100, 0.5)", "--steps", "0:1200"];
    const tty = await cli(args, { tty: true, columns: 100, rows: 40 });
    expect(tty.stdout).toContain("\x1b[36m");
    expect(Math.max(...stripAnsi(tty.stdout).split("\n").map((l) => [...l].length))).toBe(100);
    const noColor = await cli(args, { tty: true, columns: 100, env: { NO_COLOR: "1" } });
    expect(noColor.stdout).not.toContain("\x1b[");
    expect(noColor.stdout).toContain(" ⠒⠒⠀⠀⠒⠒ ExponentialDecay");
    const piped = await cli(args, { tty: false, columns: 100 });
    expect(piped.stdout).not.toContain("\x1b[");
    expect(Math.max(...piped.stdout.split("\n").map((l) => [...l].length))).toBe(80);
    expect((await cli(args, { env: { FORCE_COLOR: "1" } })).stdout).toContain("\x1b[36m");
    expect((await cli(args, { env: { NO_COLOR: "" }, tty: true })).stdout).toContain("\x1b[36m");
  });

  it("--log puts the rate on a log scale; --width and --height size the chart", async () => {
    const { stdout } = await cli(["plot", "ExponentialDecay(0.1, 100, 0.1)", "--steps", "0:1000", "--log", "--width", "60", "--height", "10"]);
    expect(stdout).toContain("rate (log scale)");
    expect(stdout.split("\n").filter((l) => /[┤│]/.test(l))).toHaveLength(10);
    expect(Math.max(...stdout.split("\n").map((l) => [...l].length))).toBeLessThanOrEqual(60);
  });

  it("without --steps, shows the whole schedule from its step options", async () => {
    const { stdout } = await cli(["plot", "CosineDecay(1e-3, 10000, { warmupTarget: 1e-2, warmupSteps: 500 })", "--format", "csv"]);
    const rows = stdout.trimEnd().split("\n");
    expect(rows[rows.length - 1]!.split(",")[0]).toBe("13999");
  });
});

describe("lr-schedules show", () => {
  it("prints class, config, formula and key facts: warmup end, extremes", async () => {
    const { status, stdout } = await cli(["show", "CosineDecay(1e-3, 10000, { warmupTarget: 1e-2, warmupSteps: 500 })", "--steps", "0:12000"]);
    expect(status).toBe(0);
    expect(stdout).toContain("  class      CosineDecay\n");
    expect(stdout).toContain("  formula    CosineDecay: linear from initialLearningRate to warmupTarget over warmupSteps");
    expect(stdout).toContain("  over steps 0 to 11999:\n");
    expect(stdout).toContain("  first      0.001 at step 0\n");
    expect(stdout).toContain("  maximum    0.01 at step 500\n");
    expect(stdout).toContain("  minimum    0 at step 10500\n");
    expect(stdout).toContain("  warmup     ends at step 500, at 0.01\n");
    expect(stdout).toContain("  restarts   none\n");
    const config = /^ {2}config {5}(.*)$/m.exec(stdout)![1]!;
    expect(parseExpression(config).getConfig()).toEqual(parseExpression("CosineDecay(1e-3, 10000, { warmupTarget: 1e-2, warmupSteps: 500 })").getConfig());
    expect(/^ {2}keras {6}(.*)$/m.exec(stdout)![1]).toContain('"class_name": "CosineDecay"');
  });

  it("finds restarts and describes every class of a composition", async () => {
    const restarts = (await cli(["show", "CosineDecayRestarts(0.1, 1000, { tMul: 2 })", "--steps", "0:16000"])).stdout;
    expect(restarts).toContain("  restarts   at steps 1000, 3000, 7000, 15000\n");
    expect(restarts).toContain('  class      CosineDecayRestarts (named "SGDRDecay")\n');
    const nested = (await cli(["show", "linearWarmup(Sequence([Constant(1e-3), CosineDecay(1e-3, 900)], [100]), { warmupSteps: 50 })", "--steps", "0:2000"])).stdout;
    expect(nested.match(/^ {2}formula {4}(\w+):/gm)!.map((l) => l.trim().split(/\s+/)[1])).toEqual(["LinearWarmup:", "Sequence:", "Constant:", "CosineDecay:"]);
    expect(nested).toContain("  warmup     ends at step 50, at 0.001\n");
  });

  it("prints each class's own one-line `formula`, and says so for a class without one", async () => {
    expect(builtInScheduleClasses().length).toBeGreaterThanOrEqual(12);
    for (const cls of builtInScheduleClasses()) {
      const { formula } = cls as unknown as typeof LearningRateSchedule;
      expect(typeof formula, cls.className).toBe("string");
      expect(formula, cls.className).not.toMatch(/\n/);
    }
    const { stdout } = await cli(["show", "InverseTimeDecay(0.1, 1, 0.5)", "--steps", "0:10"]);
    expect(stdout).toContain(`  formula    InverseTimeDecay: ${InverseTimeDecay.formula}\n`);
    class Halve extends LearningRateSchedule {
      static override readonly className = "Halve";
      compute<T, B>(o: Ops<T, B>, step: T): T {
        return o.div(o.constant(1), o.add(o.constant(1), step));
      }
      override getConfig() {
        return {};
      }
    }
    const text = showText("Halve", new Halve(), { label: "Halve", steps: [0, 1], values: [1, 0.5] }, { start: 0, stop: 2, step: 1 }, "");
    expect(text).toContain("  formula    Halve: (no formula on record)\n");
  });

  it("prints Keras JSON with Python's types: rates as floats, step counts as ints", async () => {
    const { stdout } = await cli(["show", "CosineDecay(1, 1000, { alpha: 0 })", "--steps", "0:10"]);
    const keras = /^ {2}keras {6}(.*)$/m.exec(stdout)![1]!;
    expect(keras).toContain('"initial_learning_rate": 1.0, "decay_steps": 1000, "alpha": 0.0');
    expect(numberTypes(pythonTypes(keras))).toEqual(
      new Map([["config.initial_learning_rate", "float"], ["config.decay_steps", "int"], ["config.alpha", "float"], ["config.warmup_steps", "int"]]),
    );
    expect(JSON.parse(keras)).toEqual(serialize(new CosineDecay(1, 1000)));
  });

  it("works on every example, naming its class", async () => {
    const { status, stdout } = await cli(["show", ...EXAMPLES, "--steps", "0:1200"]);
    expect(status).toBe(0);
    expect(stdout).not.toContain("(no formula on record)");
    expect(stdout.match(/^ {2}class /gm)).toHaveLength(EXAMPLES.length);
  });
});

describe("bad input: one line naming what and where, exit status 2, nothing written to -o", () => {
  const cases: [string[], RegExp][] = [
    [["plot", "Cosine(1e-3, 100)"], /^lr-schedules plot: 'Cosine\(1e-3, 100\)' column 1: unknown schedule `Cosine`; known: .*CosineDecay/],
    [["plot", "CosineDecay(1e-3, -5)"], /^lr-schedules plot: 'CosineDecay\(1e-3, -5\)' column 19: CosineDecay: `decaySteps` must be a finite number > 0\. Received: decaySteps=-5$/],
    [["values", "CosineDecay(1e-3, 100"], /column 22: expected ',' or '\)', found the end of the expression$/],
    [["values", "CosineDecay"], /'CosineDecay' needs its arguments, as in CosineDecay\(\.\.\.\)$/],
    [["values", "no-such-file.json"], /no such file 'no-such-file\.json'/],
    [["values", "{bad json"], /inline JSON is not valid JSON: .* at column 2$/],
    [["values", '{"class_name": "Nope", "config": {}}'], /Unknown schedule `class_name`: "Nope"/],
    [["values", '{"class_name": "Cosinedecay", "config": {}}'], /Known: .*\. Did you mean CosineDecay\?$/],
    [["values", '{"a": {"__proto__": 1}}'], /^lr-schedules values: inline JSON: `json\.a\.__proto__` must be absent: this key is refused in untrusted JSON/],
    [["values", '{"class_name": "Adam", "config": {"learning_rate": 0.001}}'], /`config\.learning_rate` is 0\.001, a fixed rate, not a schedule/],
    [["values", '{"optimizer": {"class_name": "SGD", "config": {"learning_rate": {"class_name": "InverseTimeDecay", "config": {"initial_learning_rate": 0.1, "decay_steps": 0, "decay_rate": 1}}}}}'],
      /InverseTimeDecay: `optimizer\.config\.learning_rate\.config\.decay_steps` must be a finite number > 0/],
    [["values", "ExponentialDecay(0.1, 1, 10)", "--steps", "0:100"], /^lr-schedules values: ExponentialDecay: the rate at step \d+ is Infinity, not a finite number >= 0$/],
    [["values", "Constant(0.1)", "--steps", "10:0"], /^lr-schedules values: --steps '10:0': STOP \(0\) is before START \(10\)$/],
    [["values", "Constant(0.1)", "--steps", "a:b"], /START 'a' is not a finite number/],
    [["values", "Constant(0.1)", "--steps", "0:10:0"], /STEP \(0\) must be more than 0/],
    [["values", "Constant(0.1)", "--steps", "1:2:3:4"], /must be START:STOP or START:STOP:STEP/],
    [["values", "Constant(0.1)", "--steps", "5:5"], /holds no step/],
    [["plot", "Constant(0.1)", "--steps", "0:1e12:1"], /gives 1000000000000 steps: a chart samples at most 10000000 rates; give a larger STEP, as in --steps 0:1000000000000:500000$/],
    [["plot", "Constant(0.1)", "--steps", "0:5e7:1", "--format", "png"], /gives 50000000 steps: a chart samples at most 10000000 rates/],
    [["show", "Constant(0.1)", "Constant(0.2)", "--steps", "0:6e6:1"], /gives 6000000 steps of 2 schedules: show samples at most 10000000 rates; give a larger STEP, as in --steps 0:6000000:5$/],
    [["values", "Constant(0.1)", "--steps", "0:3e7"], /^lr-schedules values: --steps '0:3e7' gives 30000000 steps: csv holds at most 2000000 rates; give a larger STEP, as in --steps 0:30000000:20$/],
    [["values", "Constant(0.1)", "--steps", "0:1e12"], /gives 1000000000000 steps: csv holds at most 2000000 rates/],
    [["values", "Constant(0.1)", "Constant(0.2)", "--steps", "0:150000", "--format", "table"], /gives 150000 steps of 2 schedules: table holds at most 200000 rates; give a larger STEP, as in --steps 0:150000:2$/],
    [["plot", "Constant(0.1)", "--steps", "0:3e6:1", "--format", "json"], /gives 3000000 steps: json holds at most 2000000 rates/],
    [["plot", "Constant(0.1)", "--height", "1e9", "--format", "term"], /^lr-schedules plot: --height 1000000000 is too large: term charts are at most 1000 rows high$/],
    [["plot", "Constant(0.1)", "--width", "1e9", "--format", "term"], /--width 1000000000 is too large: term charts are at most 1000 columns wide$/],
    [["plot", "Constant(0.1)", "--width", "20000", "--format", "png"], /--width 20000 is too large: png charts are at most 4096 pixels wide$/],
    [["plot", "Constant(0.1)", "--height", "4097", "--format", "svg"], /--height 4097 is too large: svg charts are at most 4096 pixels high$/],
    [["values", "Cosinedecay"], /'Cosinedecay' is neither a file nor a schedule expression such as CosineDecay\(\.\.\.\): did you mean CosineDecay\?$/],
    [["values", "Cosinedecay(0.1, 100)"], /column 1: unknown schedule `Cosinedecay`; did you mean CosineDecay\? known: /],
    [["values", "Constant(0.1)", "--format", "svg"], /--format 'svg' must be one of csv, json, table$/],
    [["plot", "Constant(0.1)", "--bogus"], /^lr-schedules plot: Unknown option '--bogus' \(lr-schedules plot --help lists the options\)$/],
    [["plot", "Constant(0.1)", "--steps-per-epoch", "0"], /--steps-per-epoch '0' must be a number above 0/],
    [["plot"], /no schedule given/],
    [["values", "-", "-"], /'-' \(standard input\) can be given once only/],
    [["frobnicate"], /^lr-schedules: unknown command 'frobnicate'/],
  ];
  for (const [argv, message] of cases) {
    it(`${argv.join(" ")}`, async () => {
      const out = file(`never-${Math.random().toString(36).slice(2)}.${argv[0] === "values" ? "csv" : "svg"}`);
      const { status, stdout, stderr } = await cli([...argv, "-o", out]);
      expect(status).toBe(2);
      expect(stdout).toBe("");
      expect(stderr.trimEnd()).toMatch(message);
      expect(stderr.endsWith("\n") && stderr.indexOf("\n") === stderr.length - 1).toBe(true);
      expect(existsSync(out)).toBe(false);
    });
  }

  it("the output limits hold at their edge: 2,000,000 rates of CSV, a chart 1000 columns wide", async () => {
    expect((await cli(["values", "Constant(0.1)", "Constant(0.2)", "--steps", "0:1000000"])).status).toBe(0);
    const wide = await cli(["plot", "Constant(0.1)", "--steps", "0:10", "--width", "1000", "--height", "20"]);
    expect(wide.status).toBe(0);
    expect(Math.max(...wide.stdout.split("\n").map((l) => [...l].length))).toBe(1000);
  });

  it("leaves an existing -o file as it was", async () => {
    const out = file("keep.csv", "before\n");
    expect((await cli(["values", "CosineDecay(1e-3, -5)", "-o", out])).status).toBe(2);
    expect(readFileSync(out, "utf8")).toBe("before\n");
  });

  it("an -o that cannot be written is exit status 1", async () => {
    const { status, stderr } = await cli(["values", "Constant(0.1)", "--steps", "0:2", "-o", join(dir, "missing-dir", "x.csv")]);
    expect(status).toBe(1);
    expect(stderr).toMatch(/^lr-schedules values: cannot write '.*x\.csv': ENOENT/);
  });
});

describe("a schedule with no rate past its last step (PyTorch's OneCycleLR past totalSteps)", () => {
  const both = ["getWsdSchedule(500, 2000, 10000, { learningRate: 5e-5 })", "OneCycleLR(0.01, 1000)"];

  it("a chart and show take it as far as it goes beside a longer schedule; csv, json and a table refuse the steps it has no rate at", async () => {
    // Before, each failed at step 1001 of the default range 0:16000.
    const plot = await cli(["plot", ...both, "--format", "svg"]);
    expect(plot.stderr).toBe("");
    expect(plot.stdout).toContain("OneCycleLR(0.01, 1000)");
    expect((await cli(["plot", ...both, "--width", "80"])).status).toBe(0);

    const show = await cli(["show", ...both]);
    expect(show.stderr).toBe("");
    expect(show.stdout).toContain("  over steps 0 to 15999 (the default range; choose one with --steps):\n");
    expect(show.stdout).toContain("  over steps 0 to 1000 (the default range; choose one with --steps; it has no rate from step 1001 on):\n");
    expect((await cli(["show", "OneCycleLR(0.01, 1000)", "--steps", "0:2000:7"])).stdout).toContain("  over steps 0 to 994 every 7 steps (it has no rate from step 1001 on):\n");

    const values = await cli(["values", ...both, "--format", "csv"]);
    expect(values.status).toBe(2);
    expect(values.stderr).toMatch(/^lr-schedules values: OneCycleLR: `step` must be at most totalSteps \(1000\)/);
    // Alone, its default range ends at its last step.
    const alone = await cli(["values", "OneCycleLR(0.01, 1000)", "--format", "csv"]);
    expect(alone.stdout.trim().split("\n").at(-1)).toMatch(/^1000,/);
  });
});

describe("help and version", () => {
  it("--help on every command prints its options and examples, exit status 0", async () => {
    for (const argv of [["--help"], ["plot", "--help"], ["values", "-h"], ["show", "--help"], ["help", "plot"]]) {
      const { status, stdout } = await cli(argv);
      expect(status).toBe(0);
      expect(stdout).toContain("Examples:\n  lr-schedules ");
    }
    expect((await cli(["plot", "--help"])).stdout).toContain("--steps-per-epoch N");
  });

  it("every help names the guide that explains the command, a file of the repository (and of the package)", async () => {
    expect(existsSync(fileURLToPath(new URL(`../../${GUIDE}`, import.meta.url)))).toBe(true);
    for (const argv of [["--help"], ["plot", "--help"], ["values", "--help"], ["show", "--help"]]) {
      expect((await cli(argv)).stdout.replace(/\s+/g, " "), argv.join(" ")).toContain(`The guide: ${GUIDE} in the repository, node_modules/lr-schedules/${GUIDE} where`);
    }
  });

  it("--help lists every schedule an expression may call once, grouped by entry as the playground groups them, in 80 columns", async () => {
    const { stdout } = await cli(["--help"]);
    const list = stdout.slice(stdout.indexOf("Schedules an expression may call:\n"), stdout.indexOf("\nExamples:"));
    const lines = list.trim().split("\n").slice(1);
    // Before, one line of about 1,000 characters.
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(HELP_WIDTH);
    const titles = lines.filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim().replace(/:$/, ""));
    expect(titles).toEqual(scheduleGroups().map((g) => g.title));
    expect(titles).toEqual(expect.arrayContaining(["Keras schedules", "lr-schedules/optax", "lr-schedules/torch", "lr-schedules/transformers"]));
    const listed = lines.filter((l) => l.startsWith("    ")).flatMap((l) => l.trim().split(/,\s*/).filter(Boolean));
    expect(listed).toEqual(scheduleGroups().flatMap((g) => g.classes.map((c) => c.className)));
    expect([...listed].sort()).toEqual([...builtInScheduleClasses().map((c) => c.className)].sort());
    // Each name is under its entry's title.
    const titleOf = new Map<string, string>();
    let title = "";
    for (const l of lines) {
      if (/^ {2}\S/.test(l)) title = l.trim().replace(/:$/, "");
      else for (const name of l.trim().split(/,\s*/).filter(Boolean)) titleOf.set(name, title);
    }
    for (const { cls, entry } of scheduleCatalogue()) if (entry !== "lr-schedules") expect(titleOf.get(cls.className), cls.className).toBe(entry);
    expect(titleOf.get("CosineDecay")).toBe("Keras schedules");
  });

  it("no command prints the help to stderr, exit status 2", async () => {
    const { status, stderr } = await cli([]);
    expect(status).toBe(2);
    expect(stderr).toContain("Usage:");
  });

  it("--version prints package.json's version", async () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    expect(VERSION).toBe(pkg.version);
    expect((await cli(["--version"])).stdout).toBe(`${pkg.version}\n`);
  });

  it("every help fits an 80-column terminal", async () => {
    for (const argv of [["--help"], ["plot", "--help"], ["values", "--help"], ["show", "--help"]]) {
      const { stdout } = await cli(argv);
      expect(stdout.split("\n").filter((l) => l.length > HELP_WIDTH), argv.join(" ")).toEqual([]);
    }
  });

  it("the help's examples run as written (those that write no file)", async () => {
    const helps = await Promise.all([["--help"], ["plot", "--help"], ["values", "--help"], ["show", "--help"]].map(async (argv) => (await cli(argv)).stdout));
    for (const line of helps.join("\n").split("\n").filter((l) => /^ {2}lr-schedules (plot|values|show) '/.test(l) && !/ -o /.test(l))) {
      const argv = [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!).slice(1);
      const { status, stderr } = await cli(argv);
      expect(stderr, line).toBe("");
      expect(status).toBe(0);
    }
  });
});

describe("the executable", () => {
  const main = new URL("./main.ts", import.meta.url).pathname;
  const env = { ...process.env, NO_COLOR: "", FORCE_COLOR: "" };
  const exec = (args: string[], input?: string) => spawnSync(process.execPath, ["--import", "tsx", main, ...args], { input, encoding: "utf8", env, timeout: 60_000 });
  const quote = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;
  /** Runs `lr-schedules ARGS` inside a bash command line, for redirections and pipes; LR stands for the command. */
  const shell = (line: string) =>
    spawnSync("bash", ["-c", line.replace("LR", `${quote(process.execPath)} --import tsx ${quote(main)}`)], { encoding: "utf8", env, timeout: 60_000 });
  const oneLine = (stderr: string, message: RegExp) => {
    expect(stderr.trimEnd()).toMatch(message);
    expect(stderr.endsWith("\n") && stderr.indexOf("\n") === stderr.length - 1, stderr).toBe(true);
  };
  const tooLarge = /is larger than 8388608 characters \(8 MiB\), the most a schedule is read from$/m;

  it("exits 0 with the CSV on stdout, and 2 with one line on stderr for bad input", () => {
    const good = exec(["values", "InverseTimeDecay(0.1, 1, 0.5)", "--steps", "0:3", "--format", "csv"]);
    expect(good.status).toBe(0);
    expect(good.stdout).toBe('step,"InverseTimeDecay(0.1, 1, 0.5)"\n0,0.10000000149011612\n1,0.06666667014360428\n2,0.05000000074505806\n');
    const bad = exec(["plot", "CosineDecay(1e-3, -5)"]);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe("");
    expect(bad.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("reads standard input for '-', and draws an 80-column chart when piped", () => {
    const r = exec(["plot", "-", "--steps", "0:100"], '{"class_name": "ExponentialDecay", "config": {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5}}');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("stdin: ExponentialDecay");
    expect(Math.max(...r.stdout.split("\n").map((l) => [...l].length))).toBe(80);
  });

  it("an endless standard input stops at the input limit: exit 2, one line (yes | lr-schedules plot -)", () => {
    const r = shell("yes | LR plot -");
    expect(r.status).toBe(2);
    oneLine(r.stderr, /^lr-schedules plot: standard input is larger than 8388608 characters/);
  });

  it("a file or standard input past the library's 8 MiB limit is refused, as deserialize refuses the text", () => {
    const big = file("big.json", JSON.stringify({ class_name: "Constant", config: { value: 0.1, name: "x".repeat(9 * 2 ** 20) } }));
    for (const r of [exec(["values", big]), shell(`LR values - < ${quote(big)}`)]) {
      expect(r.status).toBe(2);
      oneLine(r.stderr, tooLarge);
    }
    const multibyte = file("multibyte.txt", `Constant(0.1, { name: "${"\u00e9".repeat(4 * 2 ** 20)}" })`);
    expect(exec(["values", multibyte, "--steps", "0:1"]).status, "8 MiB of characters, 16 MiB of UTF-8").toBe(0);
  });

  it("devices, FIFOs and directories are refused before reading: no endless read, no wait for a writer", () => {
    const fifo = join(dir, "fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    for (const [path, message] of [["/dev/zero", /'\/dev\/zero' is not a regular file \(a FIFO, device or socket\): pipe it to standard input/], [fifo, /is not a regular file/], [dir, /is a directory, not a schedule file$/]] as const) {
      const r = exec(["values", path]);
      expect(r.error, "hung").toBeUndefined();
      expect(r.status).toBe(2);
      oneLine(r.stderr, message);
    }
  });

  it("a closed or unreadable standard input is one line, exit 2", () => {
    const closed = shell("LR plot - <&-");
    expect(closed.status).toBe(2);
    oneLine(closed.stderr, /^lr-schedules plot: standard input is empty/);
    const writeOnly = shell(`LR plot - 0>${quote(join(dir, "write-only"))}`);
    expect(writeOnly.status).toBe(2);
    oneLine(writeOnly.stderr, /^lr-schedules plot: cannot read standard input: EBADF/);
  });

  it("sizes the CLI cannot produce are exit 2 before any work (--height 1e9 aborted V8)", () => {
    for (const args of [["plot", "Constant(0.1)", "--height", "1e9"], ["plot", "Constant(0.1)", "--width", "1e9"], ["values", "Constant(0.1)", "--steps", "0:3e7"]]) {
      const r = exec(args);
      expect(r.status, args.join(" ")).toBe(2);
      oneLine(r.stderr, /too large|holds at most/);
    }
  });

  it("hostile expressions are exit 2 with the column, not an internal error", () => {
    for (const text of [`Constant(${"[".repeat(100_000)}`, `${"linearWarmup(".repeat(10_000)}`, `Constant(${"1,".repeat(1_000_000)})`]) {
      const path = file("hostile.txt", text);
      const r = exec(["values", path]);
      expect(r.status).toBe(2);
      oneLine(r.stderr, /column \d+: (nested more than 64 deep|more than 200000 values)/);
    }
  });

  it("a full disk is one line, exit 1; a reader that closes early (| head -1) ends it quietly, exit 0", () => {
    const full = shell("LR values 'Constant(0.1)' --steps 0:100000 > /dev/full");
    expect(full.status).toBe(1);
    oneLine(full.stderr, /^lr-schedules: cannot write standard output: ENOSPC/);
    const head = shell("LR values 'Constant(0.1)' --steps 0:1000000 | head -1; echo \"status ${PIPESTATUS[0]}\"");
    expect(head.stdout).toBe("step,Constant(0.1)\nstatus 0\n");
    expect(head.stderr).toBe("");
  });
});

describe("text from input cannot drive the terminal", () => {
  const name = "a\u001b]0;retitled\u0007b\u001b[2J\u202e\u0085\u007f\n";
  const shown = "a\\u001b]0;retitled\\u0007b\\u001b[2J\\u202e\\u0085\\u007f\\u000a";
  const json = JSON.stringify({ class_name: "InverseTimeDecay", config: { initial_learning_rate: 0.1, decay_steps: 1, decay_rate: 0.5, name } });
  // Anything a terminal acts on, once the chart's own colours (SGR sequences) are taken out.
  // eslint-disable-next-line no-control-regex -- control characters are what is looked for
  const unsafe = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
  // eslint-disable-next-line no-control-regex -- SGR sequences start with ESC
  const sgr = /\x1b\[\d+(?:;\d+)*m/g;

  it("a Keras JSON name is escaped in legends, headers, show and error lines; the chart keeps its colours", async () => {
    const chart = await cli(["plot", json, "--steps", "0:10", "--title", "T\u001b[2J"], { tty: true, columns: 100, rows: 40 });
    expect(chart.stdout).toMatch(sgr);
    expect(chart.stdout.replace(sgr, "")).not.toMatch(unsafe);
    expect(chart.stdout).toContain(shown);
    expect(chart.stdout).toContain("T\\u001b[2J");
    for (const format of ["csv", "json", "table", "svg"]) {
      const { stdout, status } = await cli(["plot", json, "--steps", "0:10", "--format", format]);
      expect(status).toBe(0);
      expect(stdout, format).not.toMatch(unsafe);
      expect(stdout, format).toContain(format !== "json" ? shown : shown.replace(/\\/g, "\\\\"));
    }
    const show = await cli(["show", json, "--steps", "0:10"]);
    expect(show.stdout).not.toMatch(unsafe);
    expect(show.stdout).toContain(shown);
    const error = await cli(["values", JSON.stringify({ class_name: `Nope${name}`, config: {} })]);
    expect(error.status).toBe(2);
    expect(error.stderr.trimEnd()).not.toMatch(unsafe);
    expect(error.stderr).toContain("Nope");
    expect(error.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("printable escapes each control character and leaves other text as it is", () => {
    expect(printable("\u001b[2J")).toBe("\\u001b[2J");
    expect(printable("é \u00a0 日本 \ud83d\ude00 \\")).toBe("é \u00a0 日本 \ud83d\ude00 \\");
    for (let c = 0; c < 0x3000; c++) {
      const char = String.fromCharCode(c);
      const bad = c < 0x20 || (c >= 0x7f && c <= 0x9f) || [0x61c, 0x200e, 0x200f, 0x2028, 0x2029].includes(c) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
      expect(printable(char), c.toString(16)).toBe(bad ? `\\u${c.toString(16).padStart(4, "0")}` : char);
    }
  });
});
