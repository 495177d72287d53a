import { numberOps, type Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, readdressed, resolveOptions } from "../options.js";
import { LearningRateSchedule } from "../schedule.js";
import { joinPieces } from "../schedules/joinPieces.js";
import { ScheduleOptionError } from "../errors.js";
import { checkCycle, cycleFields, type CycleConfig, warmupCosine } from "./warmupCosineDecaySchedule.js";

/** One cycle as given (its config, read back, has every default filled in): `warmupCosineDecaySchedule`'s options (or optax's snake_case keys), those with a default optional. */
export type SgdrCycle = OptionsOf<typeof cycleFields>;

const fields = declareOptions({
  /**
   * The cycles, one after another (optax's `cosine_kwargs`): each the options of a `warmupCosineDecaySchedule`
   * (`initValue`, `peakValue`, `warmupSteps`, `decaySteps`, `endValue`, `exponent`; optax's `init_value`... too).
   * A non-empty array.
   */
  cosineKwargs: option.optionList<SgdrCycle>(cycleFields),
  /** `'float32'` computes as optax (jax, x64 off); `'float64'` the same formula in doubles. @defaultValue 'float32' */
  dtype: option.dtype,
});

/** The positional arguments, in optax's order. */
export type SgdrScheduleOrder = [cosineKwargs: "cosineKwargs"];
/** The options of {@link sgdrSchedule}. */
export type SgdrScheduleOptions = OptionsOf<typeof fields>;
/** The validated options of {@link sgdrSchedule}. */
export type SgdrScheduleConfig = ConfigOf<typeof fields>;

/** Where each cycle but the first starts: the running sum of the cycles' `decaySteps`. */
function starts(cycles: readonly CycleConfig[]): number[] {
  const out: number[] = [];
  let at = 0;
  for (const cycle of cycles.slice(0, -1)) out.push((at += cycle.decaySteps));
  return out;
}

function sgdr<T, B>(o: Ops<T, B>, step: T, cycles: readonly CycleConfig[]): T {
  return joinPieces(o, step, starts(cycles), (i, local) => warmupCosine(o, local, cycles[i]!));
}

/** optax's `sgdr_schedule`, built by `sgdrSchedule` of 'lr-schedules/optax' (documented there). */
export class SgdrSchedule extends LearningRateSchedule<SgdrScheduleConfig> {
  static override readonly className = "sgdrSchedule";
  /** Registered as `lr-schedules>sgdrSchedule`. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  static override readonly formula = "lr = warmupCosineDecaySchedule(cosineKwargs[i])(step - start[i]),  start[i] = sum of the earlier decaySteps";
  static override readonly examples = {
    steps: 1000,
    expressions: [
      "sgdrSchedule([{ initValue: 0, peakValue: 0.01, warmupSteps: 50, decaySteps: 300 }, { initValue: 0, peakValue: 0.005, warmupSteps: 50, decaySteps: 700 }])",
    ],
  };

  constructor(options: SgdrScheduleOptions);
  constructor(...args: OptionArguments<SgdrScheduleOptions, SgdrScheduleOrder>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<SgdrScheduleConfig>("sgdrSchedule", fields, args);
    const cycles = c.cosineKwargs as readonly CycleConfig[];
    if (cycles.length === 0) throw new ScheduleOptionError("sgdrSchedule", "cosineKwargs", cycles, "a non-empty array of cycles");
    cycles.forEach((cycle, i) => readdressed(`cosineKwargs[${i}]`, () => checkCycle("sgdrSchedule", cycle)));
    const o = numberOps(c.dtype);
    super(c, (step) => sgdr(o, o.constant(step), cycles));
  }

  compute<T, B>(o: Ops<T, B>, step: T): T {
    return sgdr(o, step, this.config.cosineKwargs as readonly CycleConfig[]);
  }
}
