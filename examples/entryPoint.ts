import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** True when Node runs the module at `moduleUrl` itself (`npm run demo`), not when a test imports it. */
export function isEntryPoint(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
