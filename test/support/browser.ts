/**
 * Finding and launching a Chromium for the tests that run in a browser (the playground, tf.js's webgl backend) and
 * for `npm run bench`: a browser the machine already has, never a downloaded one.
 *
 * Where it looks, in order: the file named by `LR_SCHEDULES_CHROMIUM` (when set, that file and nothing else), then
 * `chromium`, `chromium-browser`, `google-chrome`, `google-chrome-stable` on `PATH`, then the usual install paths
 * (Debian's `/usr/bin/chromium`, Chrome and Chromium on macOS). Without one, the browser tests skip with one line
 * saying how to get one; with `CI` set they fail instead (`.ci/run` installs Debian's `chromium`).
 */
import { accessSync, constants, statSync } from "node:fs";
import { createServer } from "node:http";
import { delimiter, join } from "node:path";
import { build } from "esbuild";
import { chromium, type Browser, type LaunchOptions } from "playwright-core";
import { beforeAll, beforeEach } from "vitest";

/** The environment variable naming a Chrome or Chromium binary, looked up before `PATH` and the usual paths. */
export const CHROMIUM_VARIABLE = "LR_SCHEDULES_CHROMIUM";

const NAMES_ON_PATH = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];
const USUAL_PATHS = [
  "/usr/bin/chromium",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
];

/** A browser binary to launch, or why there is none (one line, saying how to get one). */
export type ChromiumLookup = { executablePath: string } | { missing: string };

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Where this machine's Chromium is, from `env` (the process's environment unless given). */
export function findChromium(env: NodeJS.ProcessEnv = process.env): ChromiumLookup {
  const howToGet = `install one (apt-get install chromium) or name a Chrome/Chromium binary in ${CHROMIUM_VARIABLE}`;
  const named = env[CHROMIUM_VARIABLE];
  if (named) {
    return isExecutableFile(named) ? { executablePath: named } : { missing: `${CHROMIUM_VARIABLE}=${named} is not an executable file: ${howToGet}` };
  }
  const onPath = (env.PATH ?? "").split(delimiter).filter(Boolean).flatMap((dir) => NAMES_ON_PATH.map((name) => join(dir, name)));
  const found = [...onPath, ...USUAL_PATHS].find(isExecutableFile);
  return found ? { executablePath: found } : { missing: `no Chrome or Chromium found: ${howToGet}` };
}

/** Whether `env` says this is CI (where the browser tests are mandatory). */
export const isCI = (env: NodeJS.ProcessEnv = process.env): boolean => !!env.CI && env.CI !== "false" && env.CI !== "0";

/**
 * For a test file that needs a browser: returns the binary to launch, or, without one, makes every test of the file
 * skip with one line saying how to get one, and returns undefined. Under CI the file fails instead. Call it at the
 * top level of the file.
 */
export function chromiumForTests(): string | undefined {
  const lookup = findChromium();
  if ("executablePath" in lookup) return lookup.executablePath;
  if (isCI()) {
    beforeAll(() => {
      throw new Error(`the browser tests are mandatory in CI (CI=${process.env.CI}): ${lookup.missing}`);
    });
  } else {
    beforeAll(() => void process.stderr.write(`browser tests skipped: ${lookup.missing}\n`));
    beforeEach((context) => context.skip(lookup.missing));
  }
  return undefined;
}

/**
 * Launches headless Chromium. With `webgl`, on SwiftShader (WebGL2 with float32 textures, without a GPU), with
 * `window.gc` exposed; without, with the GPU off.
 */
export function launchChromium(executablePath: string, options: { webgl?: boolean } = {}): Promise<Browser> {
  const args = ["--headless", "--no-sandbox", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
  args.push(...(options.webgl ? ["--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--js-flags=--expose-gc"] : ["--disable-gpu"]));
  const launch: LaunchOptions = { executablePath, args };
  return chromium.launch(launch);
}

/**
 * Bundles `entry` (a TypeScript module) for the browser with esbuild and serves it on 127.0.0.1 as the script of an
 * empty page. Returns the page's address and a function that stops the server.
 */
export async function servePage(entry: string): Promise<{ url: string; close(): Promise<void> }> {
  const bundled = await build({ entryPoints: [entry], bundle: true, platform: "browser", format: "esm", write: false, logLevel: "error" });
  const script = bundled.outputFiles[0]!.contents;
  const html = '<!doctype html><meta charset="utf-8"><script type="module" src="/main.js"></script>';
  const server = createServer((request, response) => {
    if (request.url === "/main.js") response.writeHead(200, { "content-type": "text/javascript" }).end(script);
    else if (request.url === "/") response.writeHead(200, { "content-type": "text/html" }).end(html);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("the page server has no port");
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
