/**
 * The zip container of `.keras` files, with fflate (bundled into this package's build). Reading refuses what a hostile
 * archive could do: more bytes than a bound once inflated (declared or actual), names that climb out of a folder
 * (zip-slip), repeated names.
 */
// The browser build: the same code without Node's worker threads, so lr-schedules/tfjs imports no Node module.
import { unzipSync, zipSync, type UnzipFileInfo } from "fflate/browser";
import { ScheduleOptionError, ScheduleTypeError } from "../errors.js";

/** A name that could write outside the folder it is extracted to, or that no zip tool writes. */
function unsafeName(name: string): boolean {
  return (
    name.length === 0 ||
    name.startsWith("/") ||
    name.includes("\\") ||
    name.includes("\0") ||
    /^[A-Za-z]:/.test(name) ||
    name.split("/").some((part) => part === "..")
  );
}

/**
 * The files of a zip archive by name. `maxBytes` bounds the inflated size of all files together, checked on what each
 * entry declares before inflating and on what it inflated to.
 */
export function readZip(bytes: Uint8Array, owner: string, option: string, maxBytes: number): Map<string, Uint8Array> {
  const described = `[${bytes.length} bytes]`;
  // A zip ends with its central directory's end record, which starts with PK\x05\x06.
  if (bytes.length < 22 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) {
    throw new ScheduleOptionError(owner, option, described, "a .keras file (a zip archive; this is not one)");
  }
  const names = new Set<string>();
  let declared = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter(file: UnzipFileInfo) {
        if (unsafeName(file.name)) throw new ScheduleOptionError(owner, option, file.name, "an archive whose names stay inside it (no absolute path, `..`, backslash or drive letter)");
        if (names.has(file.name)) throw new ScheduleOptionError(owner, option, file.name, "an archive that names each file once");
        names.add(file.name);
        declared += file.originalSize;
        if (declared > maxBytes) throw new ScheduleOptionError(owner, option, `${declared} bytes once inflated`, `at most ${maxBytes} bytes once inflated (options.maxBytes)`);
        return true;
      },
    });
  } catch (e) {
    if (e instanceof ScheduleOptionError) throw e;
    throw new ScheduleOptionError(owner, option, described, `a whole, readable zip archive (${String((e as Error)?.message ?? e)})`);
  }
  const out = new Map<string, Uint8Array>();
  let total = 0;
  for (const name of names) {
    const data = files[name];
    if (!data) throw new ScheduleOptionError(owner, option, name, "an archive whose every entry can be read");
    total += data.length;
    if (total > maxBytes) throw new ScheduleOptionError(owner, option, `more than ${maxBytes} bytes once inflated`, `at most ${maxBytes} bytes once inflated (options.maxBytes)`);
    out.set(name, data);
  }
  return out;
}

/** A zip archive of `files`, in their order. */
export function writeZip(files: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const [name, data] of files) {
    if (unsafeName(name)) throw new ScheduleTypeError("writeZip", "name", name, "a relative name inside the archive");
    Object.defineProperty(entries, name, { value: data, enumerable: true, writable: true, configurable: true });
  }
  return zipSync(entries);
}
