import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  dtypes,
  itComputesBothSides,
  itRefusesBadOptions,
  itRoundTrips,
  runsChildFormulas,
} from "../../test/support/scheduleSuite.js";
import { describeTensorSteps } from "../../test/support/scheduleTensorSteps.js";
import { Constant, deserialize, InverseTimeDecay, LinearWarmup, serialize, Sequence } from "../index.js";
import { numberOps } from "../ops.js";
import { joinPieces } from "./joinPieces.js";

const f = Math.fround;

const rate = fc.double({ min: 0, max: 10, noNaN: true });
const decay = fc
  .record({ initialLearningRate: rate, decaySteps: fc.double({ min: 1e-3, max: 1e6, noNaN: true }), decayRate: rate, staircase: fc.boolean() })
  .map((o) => new InverseTimeDecay(o));
const piece = fc.oneof(decay, rate.map((v) => new Constant(v)));
/** 1 to 5 schedules with strictly increasing whole-number boundaries below 2^24 (exact in float32). */
const join = fc
  .array(piece, { minLength: 1, maxLength: 5 })
  .chain((schedules) =>
    fc
      .uniqueArray(fc.integer({ min: 1, max: 10_000_000 }), { minLength: schedules.length - 1, maxLength: schedules.length - 1 })
      .map((b) => ({ schedules, boundaries: b.sort((x, y) => x - y) })),
  );

describe("Sequence", () => {
  const decay1 = new InverseTimeDecay(0.1, 1, 0.5);
  const lr = new Sequence([new Constant(0.01), decay1, new Constant(0.001)], [10, 20]);

  it("Sequence([Constant(0.01), InverseTimeDecay(0.1, 1, 0.5), Constant(0.001)], [10, 20]) runs each piece on its own clock (worked in float32)", () => {
    expect([0, 5, 9, 9.5].map(lr)).toEqual(Array(4).fill(f(0.01)));
    // The boundary belongs to the schedule that starts there: step 10 is the decay's step 0.
    expect(lr(10)).toBe(f(0.1));
    expect(lr(11)).toBe(f(f(0.1) / 1.5));
    expect(lr(12)).toBe(0.05000000074505806);
    expect(lr(19)).toBe(decay1(9));
    expect(lr(19.75)).toBe(decay1(9.75));
    expect([20, 21, 1e9].map(lr)).toEqual(Array(3).fill(f(0.001)));
  });

  it("the positional form and the options object build equal schedules", () => {
    const schedules = [new Constant(0.01), decay1];
    const a = new Sequence(schedules, [100], "join");
    const b = new Sequence({ schedules, boundaries: [100], name: "join" });
    expect(a.getConfig()).toEqual({ schedules, boundaries: [100], name: "join" });
    expect(b.getConfig()).toEqual(a.getConfig());
    expect(Object.isFrozen(a.getConfig().schedules)).toBe(true);
  });

  it("a single schedule with no boundaries is that schedule", () => {
    fc.assert(fc.property(decay, fc.nat(), (d, s) => new Sequence([d], [])(s) === d(s)));
  });

  it("lr(boundaries[i-1] + k) equals schedules[i](k) inside piece i, and lr is schedules[0] before the first boundary", () => {
    fc.assert(
      fc.property(join, fc.nat({ max: 30 }), fc.nat(), ({ schedules, boundaries }, pick, k) => {
        const seq = new Sequence(schedules, boundaries);
        const i = pick % schedules.length;
        const start = i === 0 ? 0 : boundaries[i - 1]!;
        const end = i < boundaries.length ? boundaries[i]! : Infinity;
        // Steps stay below 2^24, where float32 holds every whole number: beyond it the step itself rounds (as in Keras).
        const local = k % Math.min(end - start, 1e7, 2 ** 24 - start);
        return seq(start + local) === schedules[i]!(local);
      }),
    );
  });

  it("a boundary belongs to the later schedule: lr(b) is the next schedule's step 0, lr(b - 1) the earlier one's", () => {
    fc.assert(
      fc.property(join, fc.nat(), ({ schedules, boundaries }, pick) => {
        fc.pre(boundaries.length > 0);
        const seq = new Sequence(schedules, boundaries);
        const i = pick % boundaries.length;
        const b = boundaries[i]!;
        const start = i === 0 ? 0 : boundaries[i - 1]!;
        return seq(b) === schedules[i + 1]!(0) && seq(b - 1) === schedules[i]!(b - 1 - start);
      }),
    );
  });

  it("the join is exact at a boundary where the pieces meet: no jump", () => {
    const peak = new Sequence([new LinearWarmup(new Constant(0.1), 100), new Constant(0.1)], [100]);
    expect(peak(99.999)).toBeCloseTo(0.1, 5);
    expect(peak(100)).toBe(f(0.1));
    const flat = new Sequence([new Constant(0.1), decay1], [50]);
    expect(flat(49)).toBe(flat(50));
  });

  it("boundaries that differ only in double precision stay apart with dtype 'float64'", () => {
    const seq = new Sequence({ schedules: [new Constant(1), new Constant(2), new Constant(3)], boundaries: [16777216, 16777217], dtype: "float64" });
    expect([16777215, 16777216, 16777217].map(seq)).toEqual([1, 2, 3]);
  });

  it("the number path runs each piece's own formula, never its checked call, and gives what calling the pieces gives, to the bit", () => {
    fc.assert(
      fc.property(join, dtypes, fc.array(fc.double({ min: 0, max: 2e7, noNaN: true }), { minLength: 1, maxLength: 20 }), ({ schedules, boundaries }, dtype, steps) => {
        const o = numberOps(dtype);
        const byCalls = (x: number) => joinPieces(o, o.constant(x), boundaries, (i, local) => schedules[i]!(local));
        return runsChildFormulas(schedules, (pieces) => new Sequence({ schedules: pieces, boundaries, dtype }), byCalls, steps, 3.5);
      }),
    );
  });

  itComputesBothSides(Sequence, join, fc.double({ min: 0, max: 2e7, noNaN: true }));

  itRoundTrips(Sequence, join, fc.nat({ max: 20_000_000 }));

  it("serialize nests each schedule's Keras JSON under `schedules`, registered as lr-schedules>Sequence", () => {
    const seq = new Sequence([new Constant(0.01), decay1], [10]);
    expect(serialize(seq)).toEqual({
      module: "lr_schedules",
      class_name: "Sequence",
      config: { schedules: [serialize(new Constant(0.01)), serialize(decay1)], boundaries: [10], name: "Sequence" },
      registered_name: "lr-schedules>Sequence",
    });
    const keras2 = serialize(seq, { format: "keras2" });
    expect(keras2.class_name).toBe("lr-schedules>Sequence");
    expect(keras2.config.schedules).toEqual([{ class_name: "lr-schedules>Constant", config: { value: 0.01, name: "Constant" } }, serialize(decay1, { format: "keras2" })]);
  });

  it("a Sequence nested in a Sequence, with a LinearWarmup inside, round-trips through JSON text in both formats", () => {
    const inner = new Sequence([new LinearWarmup(decay1, 5), new Constant(0.02)], [30]);
    const outer = new Sequence([new Constant(0.5), inner, decay1], [10, 100], "outer");
    for (const format of ["keras3", "keras2"] as const) {
      const copy = deserialize(JSON.stringify(serialize(outer, { format })));
      for (const s of [0, 9, 10, 12, 15, 39, 40, 99, 100, 150]) expect(copy(s)).toBe(outer(s));
      expect(copy.name).toBe("outer");
    }
    expect(outer(12)).toBe(f(f(f(0.1) * f(2 / 5))));
    expect(outer(15)).toBe(decay1(0));
    expect(outer(40)).toBe(f(0.02));
  });

  describe("bad options throw errors that name the option", () => {
    const c = new Constant(0.1);
    itRefusesBadOptions(Sequence, {}, [
      [{ schedules: [c, c, c], boundaries: [20, 10] }, /^Sequence: `boundaries\[1\]` must be greater than boundaries\[0\] = 20 once rounded to float32: the boundaries must increase strictly\. Received: boundaries\[1\]=10$/, RangeError, "boundaries not increasing"],
      [{ schedules: [c, c, c], boundaries: [10, 10] }, /`boundaries\[1\]` must be greater than boundaries\[0\] = 10/, RangeError, "boundaries repeated"],
      [{ schedules: [c, c, c], boundaries: [16777216, 16777217] }, /`boundaries\[1\]` must be greater than boundaries\[0\] = 16777216 once rounded to float32/, RangeError, "boundaries equal in float32"],
      [{ schedules: [c, c], boundaries: [10, 20] }, /`boundaries` must be an array of 1 numbers, one fewer than `schedules` \(2\)\. Received: boundaries=\[10, 20\]/, RangeError, "one boundary too many"],
      [{ schedules: [c, c, c], boundaries: [10] }, /`boundaries` must be an array of 2 numbers/, RangeError, "one boundary too few"],
      [{ schedules: [], boundaries: [] }, /`schedules` must be a non-empty array of LearningRateSchedule instances\. Received: schedules=\[\]/, RangeError, "no schedules"],
      [{ schedules: [c, c], boundaries: [0] }, /`boundaries\[0\]` must be a finite number > 0\. Received: boundaries\[0\]=0/, RangeError, "a boundary of 0"],
      [{ schedules: [c, c], boundaries: [-5] }, /boundaries\[0\]=-5/, RangeError, "a negative boundary"],
      [{ schedules: [c, c], boundaries: [NaN] }, /boundaries\[0\]=NaN/, RangeError, "a NaN boundary"],
      [{ schedules: [c, c], boundaries: ["10"] }, /`boundaries\[0\]` must be a finite number > 0\. Received: boundaries\[0\]="10"/, TypeError, "a string boundary"],
      [{ schedules: [c, c], boundaries: 10 }, /`boundaries` must be an array of finite numbers > 0/, TypeError, "boundaries not an array"],
      [{ schedules: [c, () => 0.1], boundaries: [10] }, /`schedules\[1\]` must be a LearningRateSchedule instance\. Received: schedules\[1\]=\[function/, TypeError, "a schedule that is a plain function"],
      [{ schedules: [0.1, c], boundaries: [10] }, /schedules\[0\]=0.1/, TypeError, "a schedule that is a number"],
      [{ schedules: c, boundaries: [] }, /`schedules` must be an array of LearningRateSchedule instances/, TypeError, "schedules not an array"],
    ]);
    it("a required option missing is named", () => {
      expect(() => new Sequence({ schedules: [c] } as never)).toThrow(/`boundaries` must be an array of finite numbers > 0 \(it is required\)/);
    });
    it("errors in nested Keras JSON are reported at their path", () => {
      const json = serialize(new Sequence([c, decay1], [10]));
      const schedules = json.config.schedules as Record<string, unknown>[];
      const badDecay = { ...serialize(decay1), config: { ...serialize(decay1).config, decay_rate: -1 } };
      expect(() => deserialize({ ...json, config: { ...json.config, schedules: [schedules[0], badDecay] } })).toThrow(
        /`config\.schedules\[1\]\.config\.decay_rate` must be a finite number >= 0/,
      );
      expect(() => deserialize({ ...json, config: { ...json.config, boundaries: [10, 5] } })).toThrow(/`config\.boundaries`/);
      expect(() => deserialize({ ...json, config: { ...json.config, schedules: [schedules[0], 3] } })).toThrow(/`config\.schedules\[1\]` must be a LearningRateSchedule/);
    });
  });

  describeTensorSteps(
    [
      new Sequence([new Constant(0.01), new InverseTimeDecay(0.1, 1, 0.5), new Constant(0.001)], [10, 20]),
      new Sequence([new LinearWarmup(new InverseTimeDecay(0.1, 3, 1), 5), new Sequence([new Constant(0.5), new Constant(0.25)], [3])], [7.5]),
    ],
    [0, 1, 5, 7.5, 9, 9.99, 10, 11, 12, 19, 20, 21, 1e6],
  );
});
