#!/usr/bin/env node
/** The `lr-schedules` executable: runs the command line against the process's streams. */
import { run } from "./run.js";
import { UsageError } from "./usage.js";

// `npm run cli -- ...` runs in the package's folder; file names on its command line are relative to where npm was run.
if (process.env.npm_lifecycle_event === "cli" && process.env.npm_package_name === "lr-schedules" && process.env.INIT_CWD) {
  process.chdir(process.env.INIT_CWD);
}

// Output piped into `head` closes early; that is the reader's choice, not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    throw new UsageError("'-' reads standard input, which is a terminal here: pipe the JSON in, as in cat schedule.json | lr-schedules plot -");
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

void run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, readStdin, env: process.env }).then((status) => {
  process.exitCode = status;
});
