import fc from "fast-check";
import { describe } from "vitest";
import { itComputesBothSides, itRoundTrips } from "../../test/support/scheduleSuite.js";
import { HalvingDecay } from "../index.js";

const options = fc.record({ initialLearningRate: fc.double({ min: 0, max: 10, noNaN: true }), halfLife: fc.double({ min: 1, max: 1e4, noNaN: true }) });
const step = fc.nat({ max: 1e6 });

describe("HalvingDecay", () => {
  itComputesBothSides(HalvingDecay, options, step);
  itRoundTrips(HalvingDecay, options, step);
});
