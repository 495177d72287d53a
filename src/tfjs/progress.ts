/**
 * `ProgbarLogger`: Keras's progress output (`fit(..., verbose=1)` and `verbose=2`) for tf.js `model.fit`, which in
 * Node prints nothing without tfjs-node. The layout is Keras 3's (keras/src/utils/progbar.py), written anew here.
 */
import { Callback } from "@tensorflow/tfjs-layers";
import { ScheduleOptionError, ScheduleTypeError } from "../errors.js";
import { declareOptions, option, resolveOptions, type Option } from "../options.js";
import { readLogs, type EpochLogs } from "./callbacks.js";

/** Where a {@link ProgbarLogger} writes: Node's `process.stdout`, or any object with `write`. */
export interface ProgressStream {
  /** Writes the text as it is (no newline added). */
  write(text: string): unknown;
  /** True for a terminal: `verbose: 'auto'` then redraws a bar in place. */
  readonly isTTY?: boolean;
}

/** Options of {@link ProgbarLogger}. */
export interface ProgbarLoggerOptions {
  /**
   * Keras's `verbose` of `fit`: `1` draws a bar redrawn in place at each batch (carriage returns, colours); `2` writes
   * one plain line per epoch; `'auto'` is `1` when `stream.isTTY` is true and `2` otherwise (a pipe, a CI log, a
   * browser's console). @defaultValue 'auto'
   */
  verbose?: "auto" | 1 | 2;
  /**
   * Where to write. @defaultValue `process.stdout` in Node; elsewhere (a browser) the console, one `console.log` per
   * line
   */
  stream?: ProgressStream;
  /** With `verbose: 1`, the shortest time between two redraws of the bar, in seconds, as Keras's `Progbar`. @defaultValue 0.05 */
  interval?: number;
}

const verboseChoices = ["auto", 1, 2] as const;
const progbarFields = declareOptions({
  verbose: {
    expected: "'auto', 1 or 2",
    default: "auto",
    check(value: unknown, owner: string, option: string) {
      if ((verboseChoices as readonly unknown[]).includes(value)) return value as "auto" | 1 | 2;
      const Kind = typeof value === "number" || typeof value === "string" ? ScheduleOptionError : ScheduleTypeError;
      throw new Kind(owner, option, value, "'auto', 1 or 2");
    },
  },
  stream: {
    expected: "an object with a write(text) method, such as process.stdout",
    default: null as ProgressStream | null,
    check(value: unknown, owner: string, option: string) {
      if (typeof (value as ProgressStream | null)?.write !== "function") {
        throw new ScheduleTypeError(owner, option, value, "an object with a write(text) method, such as process.stdout");
      }
      return value as ProgressStream;
    },
  },
  interval: option.number({ rule: "nonNegative" }, 0.05),
} satisfies Record<keyof ProgbarLoggerOptions, Option>);

/** `process.stdout` where there is one (Node, Deno, Bun); otherwise the console, which takes whole lines. */
function defaultStream(): ProgressStream {
  const stdout = (globalThis as { process?: { stdout?: ProgressStream } }).process?.stdout;
  if (typeof stdout?.write === "function") return stdout;
  return { write: (text: string) => console.log(text.replace(/\n$/, "")) };
}

/** Python's `'%.{digits}f' % x`: as `toFixed`, but a tie goes to the even digit (`0.03125` gives `0.0312`), and `nan`, `inf`. */
export function fixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
  // A double halfway between two candidates is an odd multiple of 2^-(digits+1); toFixed rounds those away from 0.
  const halves = x * 2 ** (digits + 1);
  if (!(Number.isInteger(halves) && halves % 2 !== 0)) return x.toFixed(digits);
  const scaled = x * 10 ** digits; // exact: an integer plus one half
  const below = Math.floor(scaled);
  const even = below % 2 === 0 ? below : below + 1;
  return `${even === 0 && x < 0 ? "-" : ""}${(even / 10 ** digits).toFixed(digits)}`;
}

/**
 * A metric as Keras's progress bar writes it: `%.4f`, or `%.4e` at magnitudes up to 1e-3. (A tie in `%.4e` needs six
 * significant digits ending in 5 exactly, which no double below 1e-3 has, so `toExponential` is exact there.)
 */
export function formatValue(x: number): string {
  if (Math.abs(x) > 1e-3) return fixed(x, 4);
  if (Number.isNaN(x)) return "nan";
  return x.toExponential(4).replace(/e([+-])(\d)$/, "e$10$2");
}

/** A duration per step as Keras writes it: ` 2s/step`, ` 5ms/step`, ` 80us/step`. */
function perStep(seconds: number): string {
  if (seconds >= 1 || seconds === 0) return ` ${fixed(seconds, 0)}s/step`;
  if (seconds >= 1e-3) return ` ${fixed(seconds * 1e3, 0)}ms/step`;
  return ` ${fixed(seconds * 1e6, 0)}us/step`;
}

/** The time left as Keras writes it: `42s`, `3:07`, `1:02:03`. */
function eta(seconds: number): string {
  const two = (n: number) => String(Math.floor(n)).padStart(2, "0");
  if (seconds > 3600) return `${Math.floor(seconds / 3600)}:${two((seconds % 3600) / 60)}:${two(seconds % 60)}`;
  if (seconds > 60) return `${Math.floor(seconds / 60)}:${two(seconds % 60)}`;
  return `${Math.floor(seconds)}s`;
}

/** A piece of a terminal line, with the SGR code Keras paints it with (1 bold, 32 green, 37 white). */
type Segment = readonly [text: string, sgr?: number];
const BAR_WIDTH = 20;
/** tf.js's batch-log entries that are not values to show. */
const BOOKKEEPING = new Set(["batch", "size"]);

/**
 * Keras's progress output for tf.js `model.fit`, `fit(..., verbose=1)` or `verbose=2`, in Node (where tf.js prints
 * nothing without tfjs-node) and in browsers. Give it `verbose: 0` in `fit` too, so that tfjs-node, if installed, does
 * not print its own.
 *
 * Each epoch starts with `Epoch 3/5` (when there is more than one epoch), as in Keras. Then:
 * - `verbose: 1` (a terminal): one line redrawn in place (carriage return) after each batch, at most every
 *   `interval` seconds, with the batches done, a 20-wide bar, the time left, the time per step and the values so
 *   far, then redrawn a last time when the epoch ends, with the time it took:
 *   `5/5 ━━━━━━━━━━━━━━━━━━━━ 0s 3ms/step - loss: 0.8921 - acc: 0.6200 - learning_rate: 0.0074`.
 *   While the epoch runs, the metrics shown are the epoch's running means, weighted by batch size as tf.js averages
 *   the epoch; other values of the batch logs (a `LearningRateLogger`'s per-batch rate) are shown as they are.
 * - `verbose: 2` (a pipe, a log file, a browser's console): one plain line per epoch, without control characters:
 *   `5/5 - 0s - 3ms/step - loss: 0.8921 - acc: 0.6200 - learning_rate: 0.0074`.
 *
 * The epoch's line shows its logs as `history.history` records them, whatever the order of the callbacks: it is written
 * once every callback's `onEpochEnd` has run, so a `LearningRateLogger` or `ReduceLROnPlateau` anywhere in the list
 * shows its `learning_rate`. Values print as Keras prints them (`%.4f`, or `%.4e` at magnitudes up to 1e-3). The
 * logs' keys are tf.js's (`acc` for `metrics: ['accuracy']`), in the order: the loss and metrics (then their `val_`
 * counterparts), then the others.
 *
 * Differences from Keras: `verbose: 'auto'` is 2 when the output is not a terminal (Keras 3 draws the bar into log
 * files too); `stream` and `interval` are options (Keras writes to `sys.stdout` every 0.05 s).
 *
 * @example
 * import * as tf from '@tensorflow/tfjs';
 * import { LearningRateLogger, ProgbarLogger } from 'lr-schedules/tfjs';
 *
 * let text = '';
 * const stream = { write: (chunk: string) => { text += chunk; } };  // not a terminal: plain lines
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1], kernelInitializer: 'zeros' })] });
 * model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
 * await model.fit(tf.ones([8, 1]), tf.ones([8, 1]), {
 *   epochs: 2, batchSize: 4, verbose: 0, callbacks: [new ProgbarLogger({ stream }), new LearningRateLogger()],
 * });
 * const lines = text.split('\n');
 * lines[0]; //=> 'Epoch 1/2'
 * lines[2]; //=> 'Epoch 2/2'
 * // lines[3] is '2/2 - 0s - 3ms/step - loss: 0.0881 - learning_rate: 0.1000', timings aside
 * /^2\/2 - \d+s - \d+(s|ms|us)\/step - loss: 0\.0881 - learning_rate: 0\.1000$/.test(lines[3]); //=> true
 * @throws {ScheduleOptionError} `verbose` is not `'auto'`, 1 or 2, or `interval` is negative.
 * @throws {ScheduleTypeError} `stream` has no `write` method, an option of the wrong kind, or an unknown option.
 * @see Keras `keras.callbacks.ProgbarLogger` and `keras.utils.Progbar`
 */
export class ProgbarLogger extends Callback {
  /** `'auto'`: a bar on a terminal, lines elsewhere; 1: the bar; 2: a line per epoch. */
  readonly verbose: "auto" | 1 | 2;
  /** Where the progress is written. */
  readonly stream: ProgressStream;
  /** The least time between two redraws of the bar, in seconds. */
  readonly interval: number;

  /** This fit's: 1 or 2, from `verbose` and the stream. */
  #mode: 1 | 2 = 2;
  #epochs = 1;
  /** Batches per epoch, when tf.js knows them; otherwise learnt at the first epoch's end. */
  #target: number | null = null;
  #metrics: readonly string[] = [];
  /** This epoch's: times in ms, batches done, running sums (value × size, size) of the metrics, the other values. */
  #start = 0;
  #afterFirstStep: number | null = null;
  #lastDrawn = -Infinity;
  #previousWidth = 0;
  #seen = 0;
  #sums = new Map<string, [number, number]>();
  #latest = new Map<string, number>();
  /** The epoch's logs and end time, written when the next epoch begins or the fit ends: all callbacks have run then. */
  #pending: { logs: EpochLogs; now: number } | null = null;

  constructor(options?: ProgbarLoggerOptions) {
    super();
    const c = resolveOptions<{ verbose: "auto" | 1 | 2; stream: ProgressStream | null; interval: number }>(
      "ProgbarLogger",
      progbarFields,
      options === undefined ? [] : [options],
    );
    this.verbose = c.verbose;
    this.stream = c.stream ?? defaultStream();
    this.interval = c.interval;
  }

  /** Reads the metrics' names and picks the bar or the lines for this `fit`. */
  override async onTrainBegin(): Promise<void> {
    const { epochs, steps, samples, batchSize, metrics } = this.params as Record<string, unknown>;
    this.#mode = this.verbose === "auto" ? (this.stream.isTTY ? 1 : 2) : this.verbose;
    this.#epochs = typeof epochs === "number" ? epochs : 1;
    if (typeof steps === "number") this.#target = steps;
    else if (typeof samples === "number" && typeof batchSize === "number") this.#target = Math.ceil(samples / batchSize);
    else this.#target = null;
    this.#metrics = Array.isArray(metrics) ? (metrics as string[]) : [];
    this.#pending = null;
  }

  /** Writes `Epoch i/n`. */
  override async onEpochBegin(epoch: number): Promise<void> {
    await this.#writePending();
    this.#start = performance.now();
    this.#afterFirstStep = null;
    this.#lastDrawn = -Infinity;
    this.#previousWidth = 0;
    this.#seen = 0;
    this.#sums.clear();
    this.#latest.clear();
    if (this.#epochs > 1) this.stream.write(`Epoch ${epoch + 1}/${this.#epochs}\n`);
  }

  /** Redraws the bar with the running means (at most every `interval`). */
  override async onBatchEnd(batch: number, logs?: EpochLogs): Promise<void> {
    this.#seen = batch + 1;
    const now = performance.now();
    if (this.#seen === 1) this.#afterFirstStep = now;
    if (this.#mode === 2) return; // nothing to show before the epoch ends: the batch's scalars stay unread
    const values = await readLogs(logs ?? {});
    const size = values.size ?? 1;
    for (const [key, value] of Object.entries(values)) {
      if (BOOKKEEPING.has(key)) continue;
      if (!this.#metrics.includes(key)) {
        this.#latest.set(key, value);
        continue;
      }
      const sum = this.#sums.get(key) ?? [0, 0];
      this.#sums.set(key, [sum[0] + value * size, sum[1] + size]);
    }
    if ((now - this.#lastDrawn) / 1000 < this.interval) return;
    this.#lastDrawn = now;
    const shown = new Map([...this.#sums].map(([key, [sum, count]]) => [key, sum / count]));
    for (const [key, value] of this.#latest) shown.set(key, value);
    this.#draw(this.#seen, now, shown, false);
  }

  /** Keeps the epoch's logs, to be written once every callback has added to them. */
  override async onEpochEnd(_epoch: number, logs?: EpochLogs): Promise<void> {
    this.#pending = { logs: logs ?? {}, now: performance.now() };
  }

  /** Writes what is still pending. */
  override async onTrainEnd(): Promise<void> {
    await this.#writePending();
  }

  async #writePending(): Promise<void> {
    const pending = this.#pending;
    if (pending === null) return;
    this.#pending = null;
    const values = await readLogs(pending.logs);
    this.#target ??= this.#seen;
    this.#draw(this.#target, pending.now, new Map(Object.entries(values)), true);
  }

  /** Keras's estimate of a step's duration in seconds: the first step, often slow, left out once there are others. */
  #stepSeconds(current: number, now: number): number {
    if (current === 0) return 0;
    const ms = this.#afterFirstStep !== null && current > 1 ? (now - this.#afterFirstStep) / (current - 1) : (now - this.#start) / current;
    return ms / 1000;
  }

  #draw(current: number, now: number, values: ReadonlyMap<string, number>, final: boolean): void {
    const target = this.#target !== null && this.#target > 0 ? this.#target : null;
    const count = target === null ? `${String(current).padStart(7)}/Unknown` : `${String(current).padStart(String(target).length)}/${target}`;
    const elapsed = `${fixed((now - this.#start) / 1000, 0)}s`;
    const step = this.#stepSeconds(current, now);
    const shown = [...this.#metrics.filter((key) => values.has(key)), ...[...values.keys()].filter((key) => !this.#metrics.includes(key))];
    const metrics = shown.map((key) => ` - ${key}: ${formatValue(values.get(key)!)}`).join("");
    if (this.#mode === 2) {
      if (final) this.stream.write(`${count} - ${elapsed} -${perStep(step)}${metrics}\n`);
      return;
    }
    const segments: Segment[] = [];
    if (target === null) segments.push([count]);
    else {
      const filled = Math.floor((BAR_WIDTH * current) / target);
      segments.push([count, 1], [" "], ["━".repeat(filled), 32], ["━".repeat(BAR_WIDTH - filled), 37]);
    }
    const time = target !== null && !final ? eta(step * (target - current)) : elapsed;
    segments.push([" "], [time, 1], [`${perStep(step)}${metrics}`]);
    const width = segments.reduce((n, [text]) => n + text.length, 0);
    const line = segments.map(([text, sgr]) => (sgr === undefined || text === "" ? text : `\x1b[${sgr}m${text}\x1b[0m`)).join("");
    const padding = " ".repeat(Math.max(this.#previousWidth - width, 0));
    this.#previousWidth = width;
    this.stream.write(`\r${line}${padding}${final ? "\n" : ""}`);
  }
}
