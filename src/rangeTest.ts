/**
 * The learning-rate range test's arithmetic (Smith, "Cyclical Learning Rates for Training Neural Networks", 2017; the
 * rules of fastai's `lr_find`): the rates the test tries, the smoothed loss it watches, and the rules that turn a loss
 * curve into a suggested rate. Pure functions of arrays; the training loop that records the losses is
 * `findLearningRate` in `lr-schedules/tfjs`.
 */
import { ScheduleOptionError, ScheduleTypeError } from "./errors.js";
import { checkNumber } from "./options.js";

/** The rules {@link suggestLearningRate} knows, fastai's names for them. */
export const SUGGESTION_RULES = Object.freeze(["minimum", "steepest", "valley"] as const);

/** A rule that turns a range test's loss curve into a learning rate. */
export type SuggestionRule = (typeof SUGGESTION_RULES)[number];

/** What a range test recorded, and the rates it suggests: `findLearningRate`'s result, which `lr-schedules/plot` draws. */
export interface RangeTestResult {
  /** The rate each step used, in order. */
  learningRates: number[];
  /** Each step's batch loss, as `fit` reported it. */
  losses: number[];
  /** The debiased exponential moving average of the losses (see `smoothing`). */
  smoothedLosses: number[];
  /** The `'valley'` rule's suggestion (fastai's default). */
  suggestion: number;
  /** Each rule's suggestion, from the smoothed losses trimmed as fastai trims them. */
  suggestions: Record<SuggestionRule, number>;
  /** True when the test stopped before `numSteps`: the smoothed loss diverged, or a loss was not finite. */
  stoppedEarly: boolean;
}


/**
 * A rate suggested by one of fastai's rules, applied to exactly the arrays given:
 * - `'minimum'`: the rate at the lowest loss, divided by 10;
 * - `'steepest'`: the rate at which the loss falls fastest against the logarithm of the rate (the left end of the
 *   steepest segment between two neighbouring points);
 * - `'valley'` (the default, as in fastai): the longest valley, the longest run of points whose losses keep falling
 *   (not necessarily adjacent ones), and the rate about two thirds of the way down it. As in fastai, the run's start
 *   is counted one point before its first point, so a valley that starts at the very first point can end the count at
 *   index -1, which (as Python's negative index) is the last rate.
 *
 * `findLearningRate` smooths the losses and trims the curve before it applies these (see there); this function does
 * neither.
 *
 * @param learningRates - the rates, finite, > 0 and strictly increasing; at least 2.
 * @param losses - the loss at each rate, finite numbers, as many as the rates.
 * @param rule - `'minimum'`, `'steepest'` or `'valley'`. @defaultValue `'valley'`
 * @example
 * import { suggestLearningRate } from 'lr-schedules';
 * const rates = [1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10];
 * const losses = [2.3, 2.29, 2.1, 1.4, 0.7, 0.9, 6.0];
 * suggestLearningRate(rates, losses, 'minimum');  //=> 0.01   (the lowest loss is at 0.1)
 * suggestLearningRate(rates, losses, 'steepest'); //=> 0.001  (the loss falls fastest from 0.001 to 0.01)
 * suggestLearningRate(rates, losses);             //=> 0.00001 (the valley is the first five points)
 * @throws {ScheduleTypeError} an argument of the wrong kind: not an array, a rate or loss not a number, an unknown rule.
 * @throws {ScheduleOptionError} fewer than 2 points, lengths that differ, a rate not > 0 or not above the one before,
 *   a loss that is NaN or infinite.
 */
export function suggestLearningRate(
  learningRates: ArrayLike<number>,
  losses: ArrayLike<number>,
  rule: SuggestionRule = "valley",
): number {
  const owner = "suggestLearningRate";
  checkCurve(owner, learningRates, losses);
  return ruleOf(owner, rule)(learningRates, losses);
}

type Rule = (learningRates: ArrayLike<number>, losses: ArrayLike<number>) => number;

const RULES: Readonly<Record<SuggestionRule, Rule>> = {
  minimum: (rates, losses) => rates[indexOfMinimum(losses, losses.length)]! / 10,
  steepest(rates, losses) {
    const slopes = Array.from({ length: losses.length - 1 }, (_, i) => (losses[i + 1]! - losses[i]!) / (Math.log(rates[i + 1]!) - Math.log(rates[i]!)));
    return rates[indexOfMinimum(slopes, slopes.length)]!;
  },
  valley(rates, losses) {
    const [start, end] = longestValley(losses);
    const third = (end - start) / 3;
    const index = start + Math.trunc(third) + Math.trunc(third / 2);
    return rates[index < 0 ? rates.length + index : index]!;
  },
};

function ruleOf(owner: string, rule: unknown): Rule {
  if (typeof rule !== "string" || !Object.hasOwn(RULES, rule)) {
    throw new ScheduleTypeError(owner, "rule", rule, `one of ${SUGGESTION_RULES.map((r) => `'${r}'`).join(", ")}`);
  }
  return RULES[rule as SuggestionRule];
}

/** The first index of the smallest of `values[0..length)`. */
function indexOfMinimum(values: ArrayLike<number>, length: number): number {
  let best = 0;
  for (let i = 1; i < length; i++) if (values[i]! < values[best]!) best = i;
  return best;
}

/**
 * fastai's longest valley as `[start, end]`: `end` is the first point at which the longest strictly decreasing
 * subsequence of the losses ends, `start` is `end` minus that length (one before the subsequence's first point).
 * Computed with patience sorting in O(n log n) (fastai's double loop is O(n^2)); `tails[k]` is the largest last loss
 * of a strictly decreasing subsequence of length k + 1, so it decreases with k.
 */
function longestValley(losses: ArrayLike<number>): [number, number] {
  const tails: number[] = [];
  let longest = 1;
  let end = 0;
  for (let i = 0; i < losses.length; i++) {
    const loss = losses[i]!;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (tails[mid]! > loss) lo = mid + 1;
      else hi = mid;
    }
    tails[lo] = loss;
    if (lo + 1 > longest) {
      longest = lo + 1;
      end = i;
    }
  }
  return longest === 1 ? [0, 0] : [end - longest, end];
}

/** Checks a loss curve: rates finite, > 0 and increasing, losses finite, as many of each, at least 2. */
function checkCurve(owner: string, learningRates: unknown, losses: unknown): asserts learningRates is ArrayLike<number> {
  for (const [name, value] of [["learningRates", learningRates], ["losses", losses]] as const) {
    if (!isNumberList(value)) throw new ScheduleTypeError(owner, name, value, "an array of numbers");
  }
  const rates = learningRates as ArrayLike<unknown>;
  const values = losses as ArrayLike<unknown>;
  if (rates.length < 2) throw new ScheduleOptionError(owner, "learningRates.length", rates.length, "at least 2 (a curve needs two points)");
  if (values.length !== rates.length) {
    throw new ScheduleOptionError(owner, "losses.length", values.length, `the length of learningRates (${rates.length})`);
  }
  for (let i = 0; i < rates.length; i++) {
    const rate = checkNumber(rates[i], owner, `learningRates[${i}]`, "positive");
    if (i > 0 && !(rate > (rates[i - 1] as number))) {
      throw new ScheduleOptionError(owner, `learningRates[${i}]`, rate, `a rate above learningRates[${i - 1}] (${String(rates[i - 1])}): rates increase`);
    }
    checkNumber(values[i], owner, `losses[${i}]`);
  }
}

function isNumberList(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || value instanceof Float64Array || value instanceof Float32Array;
}

/** The rates a range test of `numSteps` steps tries: from `start` to `end` inclusive, evenly in log space or linearly. */
export function rangeTestRates(start: number, end: number, numSteps: number, mode: "exponential" | "linear"): number[] {
  const last = numSteps - 1;
  return Array.from({ length: numSteps }, (_, i) => {
    if (i === last) return end;
    const t = i / last;
    return mode === "exponential" ? start * Math.pow(end / start, t) : start + (end - start) * t;
  });
}

/**
 * An exponential moving average of losses, debiased as fastai's smoothed loss is: `average = smoothing * average +
 * (1 - smoothing) * loss` from 0, divided by `1 - smoothing ** k` after k losses (so the first is the loss itself).
 */
export class SmoothedLoss {
  private average = 0;
  private weight = 1;
  constructor(private readonly smoothing: number) {}

  /** Takes the next loss and returns the smoothed loss so far. */
  add(loss: number): number {
    this.average = this.smoothing * this.average + (1 - this.smoothing) * loss;
    this.weight *= this.smoothing;
    return this.average / (1 - this.weight);
  }
}

/**
 * The three suggestions for a range test that was asked for `numSteps` steps, from its smoothed losses, trimmed as
 * fastai's `lr_find` trims them: the points from the first non-finite loss on are dropped, then the first tenth of
 * `numSteps` and the last five points. Where fewer than 2 points survive the trimming, every finite point is used;
 * `null` where even those are fewer than 2.
 */
export function rangeTestSuggestions(
  learningRates: readonly number[],
  smoothedLosses: readonly number[],
  numSteps: number,
): Record<SuggestionRule, number> | null {
  const finite = smoothedLosses.findIndex((loss) => !Number.isFinite(loss));
  const usable = finite < 0 ? smoothedLosses.length : finite;
  const from = Math.floor(numSteps / 10);
  const to = usable - 5;
  const [a, b] = to - from >= 2 ? [from, to] : [0, usable];
  if (b - a < 2) return null;
  const rates = learningRates.slice(a, b);
  const losses = smoothedLosses.slice(a, b);
  return Object.fromEntries(SUGGESTION_RULES.map((rule) => [rule, RULES[rule](rates, losses)])) as Record<SuggestionRule, number>;
}
