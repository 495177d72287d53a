// eslint-disable-next-line import-x/no-cycle -- the registry lists this class: see src/keras/schedules.ts
import { readNestedScheduleJson } from "../keras/schedules.js";
import type { Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
import { LearningRateSchedule } from "../schedule.js";
import { checkedJoinFormula, computeJoin, JOIN_FORMULA } from "../schedules/joinPieces.js";


const fields = declareOptions({
  /** The schedules, in the order they run (optax's `schedules`); each sees the step counted from its boundary. */
  schedules: option.schedules(),
  /**
   * The steps where each next schedule takes over (`boundaries`): increasing numbers >= 0, one fewer than
   * `schedules`. At a boundary the next schedule runs (optax's `step < boundary` keeps the earlier one).
   */
  boundaries: option.numbers({ rule: "nonNegative", steps: true }),
  /** `'float32'` compares and shifts the step in float32, as optax; `'float64'` in doubles. @defaultValue 'float32' */
  dtype: option.dtype,
});

/** The positional arguments, in optax's order. */
export type JoinSchedulesOrder = [schedules: "schedules", boundaries: "boundaries"];
/** The options of {@link joinSchedules}. */
export type JoinSchedulesOptions = OptionsOf<typeof fields>;
/** The validated options of {@link joinSchedules}. */
export type JoinSchedulesConfig = ConfigOf<typeof fields>;

const owner = "joinSchedules";

/** optax's `join_schedules`, built by `joinSchedules` of 'lr-schedules/optax' (documented there). */
export class JoinSchedules extends LearningRateSchedule<JoinSchedulesConfig> {
  static override readonly className = "joinSchedules";
  /** Registered as `lr-schedules>joinSchedules`. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  /** Its nested schedules, given to `fromConfig` as Keras JSON, are read as `deserialize` reads them. */
  static override readonly readNestedJson = readNestedScheduleJson;
  static override readonly formula = JOIN_FORMULA;
  static override readonly examples = {
    steps: 1000,
    expressions: ["joinSchedules([linearSchedule(0, 0.01, 100), cosineDecaySchedule(0.01, 900)], [100])"],
  };

  constructor(options: JoinSchedulesOptions);
  constructor(...args: OptionArguments<JoinSchedulesOptions, JoinSchedulesOrder>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<JoinSchedulesConfig>(owner, fields, args);
    // optax joins any boundaries; where they do not increase, its chain of `where`s is no sequence: refused.
    super(c, checkedJoinFormula(owner, c));
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return computeJoin(o, step, this.config);
  }
}
