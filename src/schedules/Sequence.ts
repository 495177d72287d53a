import type { Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
// eslint-disable-next-line import-x/no-cycle -- the registry lists this class: see src/keras/schedules.ts
import { readNestedScheduleJson } from "../keras/schedules.js";
import { checkedJoinFormula, computeJoin, JOIN_FORMULA } from "./joinPieces.js";
import { LearningRateSchedule, type ScheduleExamples } from "../schedule.js";

/** Options of {@link Sequence}. */
const fields = declareOptions({
  /** The schedules, in the order they run; each runs on its own clock, from its own step 0. */
  schedules: option.schedules(),
  /** The steps where each next schedule takes over: strictly increasing numbers > 0, one fewer than `schedules`. */
  boundaries: option.numbers({ rule: "positive", steps: true }),
  /** The schedule's name. @defaultValue 'Sequence' */
  name: option.name("Sequence"),
  /** `'float32'` compares and shifts the step in float32 as Keras would; `'float64'` in doubles. @defaultValue 'float32' */
  dtype: option.dtype,
});

/** The positional arguments: each option's name, `?` where it has a default. */
type Order = [schedules: "schedules", boundaries: "boundaries", name?: "name"];

/** The options of a {@link Sequence}: the declaration's, those with a default optional. */
export type SequenceOptions = OptionsOf<typeof fields>;

/** The validated options of a {@link Sequence}, every default filled in. */
export type SequenceConfig = ConfigOf<typeof fields>;

/**
 * Schedules run one after another, each on its own clock: optax's `join_schedules`. Schedule `i` runs from
 * `boundaries[i - 1]` and sees the step counted from there.
 *
 * ```text
 * b[-1] = 0
 * b[i-1] <= step < b[i]:  lr = schedules[i](step - b[i-1])
 * step >= b[n-1]:         lr = schedules[n](step - b[n-1])        (n = boundaries.length)
 * ```
 * A boundary belongs to the schedule that starts there, as in optax (which switches at `step >= boundary`):
 * `lr(b[i]) === schedules[i + 1](0)`. Keras's `PiecewiseConstantDecay` does the opposite and keeps the earlier value
 * at the boundary. The rate is continuous at a boundary only where the earlier schedule ends at the later one's first
 * rate; otherwise it jumps there. The step and the boundaries are rounded to float32, and the step shifted in
 * float32 (or not, with `dtype: 'float64'`); each schedule computes in its own dtype.
 *
 * @example
 * import { Constant, InverseTimeDecay, Sequence } from 'lr-schedules';
 * const decay = new InverseTimeDecay(0.1, 1, 0.5);
 * const lr = new Sequence([new Constant(0.01), decay], [100]);   // or new Sequence({ schedules, boundaries })
 * lr(99); //=> 0.009999999776482582 (0.01 in float32)
 * lr(100) === decay(0); //=> true
 * lr(102) === decay(2); //=> true
 * @throws {ScheduleOptionError} `schedules` empty, `boundaries` not one fewer than `schedules`, not > 0, or not
 *   strictly increasing; schedules nested more than `JSON_LIMITS.maxDepth` deep.
 * @throws {ScheduleTypeError} a schedule that is not a LearningRateSchedule, a boundary that is not a number.
 * @see optax `optax.join_schedules`; PyTorch `SequentialLR` (whose `milestones` play the part of `boundaries`).
 */
export class Sequence extends LearningRateSchedule<SequenceConfig> {
  static override readonly className = "Sequence";
  /** Registered as `lr-schedules>Sequence`, Keras's `registered_name` form for a class Keras lacks. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  /** Its nested schedules, given to `fromConfig` as Keras JSON, are read as `deserialize` reads them. */
  static override readonly readNestedJson = readNestedScheduleJson;
  /** What it computes, in one line, as `lr-schedules show` prints it. */
  static override readonly formula = JOIN_FORMULA;
  /** What this class's chart in docs/seeing.md draws, as `lr-schedules` expressions. */
  static override readonly examples: ScheduleExamples = {
    steps: 10000,
    expressions: [
      "Sequence([Constant(1e-3), CosineDecay(1e-2, 6000)], [2000])",
    ],
  };

  constructor(options: SequenceOptions);
  constructor(...args: OptionArguments<SequenceOptions, Order>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<SequenceConfig>("Sequence", fields, args);
    super(c, checkedJoinFormula("Sequence", c));
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return computeJoin(o, step, this.config);
  }
}
