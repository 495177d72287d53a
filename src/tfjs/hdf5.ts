/**
 * The HDF5 files inside `.keras` checkpoints (`model.weights.h5`), read into a plain tree and written back, with
 * h5wasm (the HDF5 C library compiled to WebAssembly, its wasm inside its package, so it works offline in Node and in
 * browsers). h5wasm is an optional peer dependency of this package: it is loaded only here, on first use, or taken
 * from the caller. Only what Keras writes is kept: groups, string attributes, and numeric datasets.
 */
import { ScheduleOptionError, ScheduleTypeError } from "../errors.js";

/** A numeric dataset: its HDF5 type as h5wasm writes it (`'<f4'`, `'<i8'`...), its shape and its values, row-major. */
export interface H5Dataset {
  readonly kind: "dataset";
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly data: Float32Array | Float64Array | Int32Array | BigInt64Array;
}

/** A group: its string attributes (written, never read) and its members by name (HDF5 lists them by name). */
export interface H5Group {
  readonly kind: "group";
  readonly attrs: Record<string, string>;
  readonly members: Map<string, H5Group | H5Dataset>;
}

/** What this module uses of h5wasm's default export (so that the public types do not need h5wasm installed). */
export interface H5wasmModule {
  ready: Promise<{
    FS: { writeFile(path: string, data: Uint8Array): void; readFile(path: string): Uint8Array; unlink(path: string): void };
    activate_throwing_error_handler(): number;
    deactivate_throwing_error_handler(): number;
  }>;
  File: new (path: string, mode: "r" | "w") => H5File;
}

interface H5Node {
  readonly type: string;
}
interface H5GroupNode extends H5Node {
  keys(): string[];
  get(name: string): H5Node | null;
  create_group(name: string): H5GroupNode;
  create_attribute(name: string, value: string): void;
  create_dataset(args: { name: string; data: H5Dataset["data"]; shape: number[]; dtype: string }): unknown;
}
interface H5DatasetNode extends H5Node {
  readonly shape: number[] | null;
  readonly metadata: { type: number; size: number; signed: boolean; littleEndian: boolean };
  readonly value: unknown;
}
interface H5File extends H5GroupNode {
  flush(): void;
  close(): void;
}

/** The HDF5 signature, at the start of every file Keras (h5py) writes. */
const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
/** Deeper than any Keras layout; HDF5 hard links can form cycles. */
const MAX_DEPTH = 32;
/** H5T classes as h5wasm reports them. */
const H5T_INTEGER = 0;
const H5T_FLOAT = 1;

let loaded: Promise<H5wasmModule> | undefined;

/**
 * `import(specifier)`, by a name in a variable so that bundlers leave the optional package alone (in browsers, pass
 * it as options.h5wasm). First through `Function`, so that it stays an `import()` in the CommonJS build, where tsup
 * turns a written `import()` into `require()`, which cannot load h5wasm (its package exports an ES module only); then,
 * where that fails (a page's CSP forbids `Function`, a VM context has no import for it), the written one.
 */
async function importByName(specifier: string): Promise<unknown> {
  try {
    return await (new Function("specifier", "return import(specifier)") as (s: string) => Promise<unknown>)(specifier);
  } catch {
    return import(/* @vite-ignore */ specifier);
  }
}

/**
 * h5wasm, from `given` or imported on first use. Its absence is a named error that says how to install it.
 */
export async function loadH5wasm(owner: string, given?: unknown): Promise<H5wasmModule> {
  if (given !== undefined) {
    const mod = (given as { default?: unknown }).default ?? given;
    if (typeof (mod as H5wasmModule).File !== "function" || !(mod as H5wasmModule).ready) {
      throw new ScheduleTypeError(owner, "options.h5wasm", given, "h5wasm's module (`import h5wasm from 'h5wasm'`)");
    }
    return mod as H5wasmModule;
  }
  loaded ??= importByName("h5wasm").then(
    (mod) => (mod as { default?: H5wasmModule }).default ?? (mod as H5wasmModule),
    (e: unknown) => {
      loaded = undefined;
      throw new ScheduleOptionError(
        owner,
        "h5wasm",
        "not installed",
        `an installed h5wasm, the optional package that reads and writes the HDF5 file inside a .keras file ` +
          `(${(e as Error).message.split("\n")[0]}): install it with \`npm install h5wasm\`, or pass the module as options.h5wasm`,
      );
    },
  );
  return loaded;
}

let fileCount = 0;

/** HDF5's reason for an error, from the first frame of its error stack, or the message's first line. */
function reason(e: unknown): string {
  const message = String((e as Error)?.message ?? e);
  return /in (\w+\(\)): (.*)$/m.exec(message)?.slice(1).join(": ") ?? message.split("\n")[0]!;
}

/**
 * Runs `body` with HDF5's errors thrown as JavaScript errors rather than printed to the console (h5wasm's handler),
 * then puts HDF5's printing handler back.
 */
async function quietly<T>(h5wasm: H5wasmModule, body: (fs: Awaited<H5wasmModule["ready"]>["FS"]) => T): Promise<T> {
  const module = await h5wasm.ready;
  module.activate_throwing_error_handler();
  try {
    return body(module.FS);
  } finally {
    module.deactivate_throwing_error_handler();
  }
}

/**
 * Reads an HDF5 file into a tree of groups and datasets. `bytes` must start with the HDF5 signature; links other than
 * hard links, datatypes, references and non-numeric datasets are refused, and the datasets together may hold no more
 * bytes than the file (a file whose data is not stored cannot make this allocate more). Attributes are not read: Keras
 * reads none when it loads weights, and HDF5's reader can loop forever on a corrupted one (found by the property test).
 */
export async function readHdf5(h5wasm: H5wasmModule, bytes: Uint8Array, owner: string, where: string): Promise<H5Group> {
  if (bytes.length < SIGNATURE.length || SIGNATURE.some((b, i) => bytes[i] !== b)) {
    throw new ScheduleOptionError(owner, where, `[${bytes.length} bytes]`, "an HDF5 file (it lacks HDF5's signature)");
  }
  return quietly(h5wasm, (FS) => {
    const path = `/lr-schedules-read-${fileCount++}.h5`;
    FS.writeFile(path, bytes);
    let file: H5File | undefined;
    try {
      try {
        file = new h5wasm.File(path, "r");
      } catch (e) {
        throw new ScheduleOptionError(owner, where, `[${bytes.length} bytes]`, `an HDF5 file HDF5 can open (${reason(e)})`);
      }
      return new TreeReader(owner, where, bytes.length).group(file, "", 0);
    } catch (e) {
      if (e instanceof ScheduleOptionError) throw e;
      throw new ScheduleOptionError(owner, where, `[${bytes.length} bytes]`, `a whole HDF5 file (${reason(e)})`);
    } finally {
      file?.close();
      FS.unlink(path);
    }
  });
}

/** Reads groups and datasets, within a budget of bytes. */
class TreeReader {
  constructor(
    readonly owner: string,
    readonly where: string,
    private budget: number,
  ) {}

  error(at: string, received: unknown, expected: string): ScheduleOptionError {
    return new ScheduleOptionError(this.owner, `${this.where}:${at}`, received, expected);
  }

  group(group: H5GroupNode, at: string, depth: number): H5Group {
    if (depth > MAX_DEPTH) throw this.error(at, "a group", `at most ${MAX_DEPTH} levels deep`);
    const members = new Map<string, H5Group | H5Dataset>();
    for (const name of group.keys()) {
      const child = group.get(name);
      const childAt = at ? `${at}/${name}` : name;
      if (child?.type === "Group") members.set(name, this.group(child as H5GroupNode, childAt, depth + 1));
      else if (child?.type === "Dataset") members.set(name, this.dataset(child as H5DatasetNode, childAt));
      else throw this.error(childAt, child?.type ?? null, "a group or a dataset (Keras writes no links, types or references)");
    }
    return { kind: "group", attrs: {}, members };
  }

  dataset(node: H5DatasetNode, at: string): H5Dataset {
    const { type, size, signed } = node.metadata;
    const wide = size === 4 || size === 8;
    const dtype = type === H5T_FLOAT && wide ? `<f${size}` : type === H5T_INTEGER && signed && wide ? `<i${size}` : null;
    if (dtype === null) throw this.error(at, `HDF5 type class ${type} of ${size} bytes`, "float32, float64, int32 or int64 values");
    const shape = node.shape ?? [];
    const count = shape.reduce((a, b) => a * b, 1);
    this.budget -= count * size;
    if (this.budget < 0) throw this.error(at, `[${shape.join(", ")}]`, "values the file stores (its datasets hold more bytes than the file)");
    // A scalar comes back as a number (a bigint for int64), an array as a typed array.
    const value = node.value;
    const values = (typeof value === "number" || typeof value === "bigint" ? [value] : value) as ArrayLike<number> & ArrayLike<bigint>;
    const data =
      dtype === "<f4" ? Float32Array.from(values)
      : dtype === "<f8" ? Float64Array.from(values)
      : dtype === "<i4" ? Int32Array.from(values)
      : BigInt64Array.from(values);
    if (data.length !== count) throw this.error(at, `${data.length} values`, `${count} values for shape [${shape.join(", ")}]`);
    return { kind: "dataset", dtype, shape, data };
  }
}

/** Writes a tree as an HDF5 file (groups in the tree's order, attributes, datasets) and returns its bytes. */
export async function writeHdf5(h5wasm: H5wasmModule, root: H5Group): Promise<Uint8Array> {
  return quietly(h5wasm, (FS) => {
    const path = `/lr-schedules-write-${fileCount++}.h5`;
    let file: H5File | undefined = new h5wasm.File(path, "w");
    try {
      const write = (node: H5GroupNode, group: H5Group) => {
        for (const [key, value] of Object.entries(group.attrs)) node.create_attribute(key, value);
        for (const [name, member] of group.members) {
          if (member.kind === "group") write(node.create_group(name), member);
          else node.create_dataset({ name, data: member.data, shape: [...member.shape], dtype: member.dtype });
        }
      };
      write(file, root);
      file.flush();
      file.close();
      file = undefined;
      return FS.readFile(path).slice();
    } finally {
      file?.close();
      FS.unlink(path);
    }
  });
}
