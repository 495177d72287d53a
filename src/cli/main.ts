#!/usr/bin/env node
/** The `lr-schedules` executable: runs the command line against the process's streams. */
import { BoundedText } from "./inputs.js";
import { run } from "./run.js";
import { UsageError } from "./usage.js";

// `npm run cli -- ...` runs in the package's folder; file names on its command line are relative to where npm was run.
if (process.env.npm_lifecycle_event === "cli" && process.env.npm_package_name === "lr-schedules" && process.env.INIT_CWD) {
  process.chdir(process.env.INIT_CWD);
}

// Output piped into `head` closes early; that is the reader's choice, not an error: end quietly, as Unix tools do.
// Any other write error (a full disk) is one line and exit status 1, as run reports an -o file it cannot write.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  process.stderr.write(`lr-schedules: cannot write standard output: ${e.message}\n`);
  process.exit(1);
});

/** Standard input up to the input limit; reading stops at the limit. */
async function readStdin(): Promise<string> {
  const text = new BoundedText("standard input");
  try {
    if (process.stdin.isTTY) {
      throw new UsageError("'-' reads standard input, which is a terminal here: pipe the JSON in, as in cat schedule.json | lr-schedules plot -");
    }
    for await (const chunk of process.stdin) text.add(chunk as Buffer);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    // A closed descriptor (`<&-`) and the like: the input's fault, not an internal error.
    throw new UsageError(`cannot read standard input: ${(e as Error).message}`);
  } finally {
    process.stdin.destroy();
  }
  return text.end();
}

void run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, readStdin, env: process.env }).then((status) => {
  process.exitCode = status;
});
