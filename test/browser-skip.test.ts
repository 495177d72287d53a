/**
 * The skip rule of the browser tests (test/support/browser.ts): where the browser is looked up, and what a machine
 * without one sees. The second part runs vitest for real on test/browser.test.ts with the browser hidden
 * (`LR_SCHEDULES_CHROMIUM` naming a missing file, `PATH` empty): skipped with one line and exit 0 outside CI, a
 * failure under `CI=true`.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { CHROMIUM_VARIABLE, findChromium, isCI } from "./support/browser.js";

const dir = mkdtempSync(join(tmpdir(), "lr-schedules-browser-skip-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A directory of its own under `dir` holding an executable file `name`; returns the directory. */
function fakeBrowser(sub: string, name: string): string {
  const at = join(dir, sub);
  mkdirSync(at, { recursive: true });
  writeFileSync(join(at, name), "#!/bin/sh\n");
  chmodSync(join(at, name), 0o755);
  return at;
}

describe("findChromium", () => {
  it(`takes the file named by ${CHROMIUM_VARIABLE} before PATH, and nothing else when that file is missing`, () => {
    const onPath = fakeBrowser("path", "chromium");
    const named = join(fakeBrowser("named", "my-chrome"), "my-chrome");
    expect(findChromium({ PATH: onPath })).toEqual({ executablePath: join(onPath, "chromium") });
    expect(findChromium({ PATH: onPath, [CHROMIUM_VARIABLE]: named })).toEqual({ executablePath: named });
    const missing = findChromium({ PATH: onPath, [CHROMIUM_VARIABLE]: join(dir, "none") });
    expect(missing).toEqual({ missing: expect.stringMatching(new RegExp(`^${CHROMIUM_VARIABLE}=.*none is not an executable file: .*apt-get install chromium`)) });
  });

  it("looks on PATH for chromium, chromium-browser, google-chrome, google-chrome-stable, in the PATH's order", () => {
    const first = fakeBrowser("first", "google-chrome");
    const second = fakeBrowser("second", "chromium");
    expect(findChromium({ PATH: [join(dir, "empty"), first, second].join(delimiter) })).toEqual({ executablePath: join(first, "google-chrome") });
  });

  it("reads CI as set unless it is empty, false or 0", () => {
    expect([undefined, "", "false", "0", "true", "1"].map((CI) => isCI({ CI }))).toEqual([false, false, false, false, true, true]);
  });
});

describe("test/browser.test.ts on a machine without a browser", () => {
  const hidden = (ci: boolean) => {
    const env: NodeJS.ProcessEnv = { HOME: process.env.HOME, [CHROMIUM_VARIABLE]: join(dir, "no-such-chromium"), PATH: "", NO_COLOR: "1" };
    if (ci) env.CI = "true";
    const root = fileURLToPath(new URL("..", import.meta.url));
    return spawnSync(process.execPath, [join(root, "node_modules/vitest/vitest.mjs"), "run", "test/browser.test.ts"], { cwd: root, env, encoding: "utf8" });
  };

  it("skips every test with one line saying how to get a browser, and exits 0", () => {
    const run = hidden(false);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const said = (run.stdout + run.stderr).split("\n").filter((line) => line.includes("browser tests skipped"));
    expect(said).toEqual([expect.stringMatching(/apt-get install chromium.*LR_SCHEDULES_CHROMIUM/)]);
    expect(run.stdout).toMatch(/Tests +\d+ skipped \(\d+\)/);
  });

  it("fails under CI=true, naming what is missing", () => {
    const run = hidden(true);
    expect(run.status).toBe(1);
    expect(run.stdout + run.stderr).toMatch(/the browser tests are mandatory in CI \(CI=true\): LR_SCHEDULES_CHROMIUM=.*no-such-chromium is not an executable file/);
  });
});
