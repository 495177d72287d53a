import { numberOps, type Ops } from "../ops.js";
import { type ConfigOf, type OptionArguments, type OptionsOf, declareOptions, option, resolveOptions } from "../options.js";
// eslint-disable-next-line import-x/no-cycle -- the registry lists this class: see src/keras/schedules.ts
import { readNestedScheduleJson } from "../keras/schedules.js";
import { checkNesting } from "../nesting.js";
import { evaluatorOf, LearningRateSchedule, type ScheduleExamples } from "../schedule.js";

/** Options of {@link LinearWarmup}. */
const fields = declareOptions({
  /** The schedule that runs after the warmup, on its own clock (it sees step 0 at `warmupSteps`). */
  schedule: option.schedule(),
  /** How many steps the ramp lasts (config key `warmup_steps`). A finite number >= 0; 0 means no warmup. */
  warmupSteps: option.number({ rule: "nonNegative", steps: true }),
  /** The rate at step 0, where the ramp starts (config key `initial_learning_rate`). @defaultValue 0 */
  initialLearningRate: option.number({ rule: "nonNegative" }, 0),
  /** The schedule's name. @defaultValue 'LinearWarmup' */
  name: option.name("LinearWarmup"),
  /** `'float32'` computes the ramp as Keras computes; `'float64'` in doubles. @defaultValue 'float32' */
  dtype: option.dtype,
});

/** The positional arguments: each option's name, `?` where it has a default. */
type Order = [
  schedule: "schedule",
  warmupSteps: "warmupSteps",
  initialLearningRate?: "initialLearningRate",
  name?: "name",
];

/** The options of a {@link LinearWarmup}: the declaration's, those with a default optional. */
export type LinearWarmupOptions = OptionsOf<typeof fields>;

/** The validated options of a {@link LinearWarmup}, every default filled in. */
export type LinearWarmupConfig = ConfigOf<typeof fields>;

/**
 * The warmup over any arithmetic. `run` evaluates the wrapped schedule at a step of the same kind: numbers go through
 * its own number formula (so that it computes in its own dtype), tensors through its `compute`. `first` gives the
 * wrapped schedule's rate at its step 0, where the ramp arrives (by default `run` at step 0).
 */
export function linearWarmup<T, B>(o: Ops<T, B>, step: T, c: LinearWarmupConfig, run: (step: T) => T, first = () => run(o.constant(0))): T {
  const warmupSteps = o.constant(c.warmupSteps);
  return o.cond(
    o.less(step, warmupSteps),
    () => {
      const from = o.constant(c.initialLearningRate);
      return o.add(o.mul(o.sub(first(), from), o.div(step, warmupSteps)), from);
    },
    () => run(o.sub(step, warmupSteps)),
  );
}

/**
 * A linear warmup in front of any schedule: the rate climbs in a straight line from `initialLearningRate` to the
 * schedule's first rate, then the schedule runs, shifted so that it starts at its own step 0.
 *
 * ```text
 * step <  warmupSteps:  lr = (schedule(0) - initialLearningRate) * (step / warmupSteps) + initialLearningRate
 * step >= warmupSteps:  lr = schedule(step - warmupSteps)
 * ```
 * The step `warmupSteps` itself belongs to the schedule: `lr(warmupSteps) === schedule(0)`, where the ramp arrives,
 * so the rate is continuous there. The ramp is written in the order of Keras's `CosineDecay` warmup, each operation
 * rounded to float32 (or not, with `dtype: 'float64'`); the wrapped schedule computes in its own dtype. In front of a
 * `CosineDecay`, it is Keras's `CosineDecay` with `warmupTarget`: the same doubles with `dtype: 'float64'`, and within
 * 2 float32 ulps of the larger rate by default (Keras fuses the multiply-add inside its `cond`).
 *
 * @example
 * import { InverseTimeDecay, LinearWarmup } from 'lr-schedules';
 * const decay = new InverseTimeDecay(0.1, 1, 0.5);
 * const lr = new LinearWarmup(decay, { warmupSteps: 4 });   // also new LinearWarmup({ schedule: decay, warmupSteps: 4 })
 * lr(0); //=> 0
 * lr(2); //=> 0.05000000074505806 (halfway up the ramp)
 * lr(4); //=> 0.10000000149011612 (where the decay starts)
 * lr(6) === decay(2); //=> true
 * @throws {ScheduleOptionError} `warmupSteps` or `initialLearningRate` negative or not finite; schedules nested more
 * than `JSON_LIMITS.maxDepth` deep.
 * @throws {ScheduleTypeError} `schedule` not a LearningRateSchedule, or a required option missing.
 * @see optax `optax.join_schedules` with `optax.linear_schedule`; PyTorch `LinearLR` followed by `SequentialLR`.
 */
export class LinearWarmup extends LearningRateSchedule<LinearWarmupConfig> {
  static override readonly className = "LinearWarmup";
  /** Registered as `lr-schedules>LinearWarmup`, Keras's `registered_name` form for a class Keras lacks. */
  static readonly package = "lr-schedules";
  static override readonly fields = fields;
  /** Its nested schedules, given to `fromConfig` as Keras JSON, are read as `deserialize` reads them. */
  static override readonly readNestedJson = readNestedScheduleJson;
  /** What it computes, in one line, as `lr-schedules show` prints it. */
  static override readonly formula =
    "lr = initialLearningRate + (schedule(0) - initialLearningRate) * step / warmupSteps  while step < warmupSteps,  then schedule(step - warmupSteps)";
  /** What this class's chart in docs/seeing.md draws, as `lr-schedules` expressions. */
  static override readonly examples: ScheduleExamples = {
    steps: 6000,
    expressions: [
      "LinearWarmup(ExponentialDecay(0.01, 1000, 0.5), { warmupSteps: 1000 })",
    ],
  };

  constructor(options: LinearWarmupOptions);
  constructor(...args: OptionArguments<LinearWarmupOptions, Order>);
  constructor(...args: unknown[]) {
    const c = resolveOptions<LinearWarmupConfig>("LinearWarmup", fields, args);
    checkNesting("LinearWarmup", "schedule", [c.schedule]);
    const o = numberOps(c.dtype);
    // The steps handed on are never negative (the step minus warmupSteps, once it is past them): no need to check them.
    const inner = evaluatorOf(c.schedule);
    super(c, (step) => linearWarmup(o, o.constant(step), c, inner));
  }

  // Tensors evaluate both branches of a `cond`: computing the first rate with them too would run the
  // wrapped schedule twice per level, 2^depth times for warmups nested in warmups. Its number path gives the same
  // float32 (the tensor path equals the number path to the bit), once per level.
  compute<T, B>(o: Ops<T, B>, step: T): T {
    const { schedule } = this.config;
    return linearWarmup(o, step, this.config, (s) => schedule.compute(o, s), () => o.constant(evaluatorOf(schedule)(0)));
  }
}
