// @ts-check
/**
 * `npm run docs`: the API reference of every entry of package.json's `exports` (`./x` is built from src/x/index.ts,
 * as tsup builds it), into docs/api/ (git ignores it). Every warning is an error: an export without a doc comment, a
 * `{@link}` that leads nowhere, a public type that names a type the entries do not export.
 */
import { readFileSync } from "node:fs";
import { URL } from "node:url";

const { exports } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));

/** @type {Partial<import("typedoc").TypeDocOptions>} */
export default {
  entryPoints: Object.keys(exports)
    .filter((subpath) => subpath !== "./package.json")
    .map((subpath) => `src/${subpath.slice(2)}${subpath === "." ? "" : "/"}index.ts`),
  out: "docs/api",
  // The README and the guides are read on GitHub and in the package (their links are checked by test/docs.test.ts);
  // the reference's front page lists the entries.
  readme: "none",
  tsconfig: "tsconfig.json",
  treatWarningsAsErrors: true,
  // The package has no public repository yet: links to sources would lead nowhere (and a clone's remote is a path).
  disableSources: true,
  validation: { notExported: true, invalidLink: true, rewrittenLink: true, notDocumented: true },
  // Members marked @internal (the symbol-keyed methods the package's own modules call on each other) stay out.
  excludeInternal: true,
  // Named in public types, deliberately not exported: each schedule file's option table (`fields`; optax's
  // `cycleFields`, the table of one `sgdrSchedule` cycle) and positional order (`Order`), and the type machinery that
  // turns a table into the options and config types. The reference shows the names without a link.
  intentionallyNotExported: [
    "fields",
    "cycleFields",
    "Order",
    "Field",
    "Fields",
    "Option",
    "OptionArguments",
    "OptionsOf",
    "ConfigOf",
    "ValuesOf",
    "RequiredNames",
    "Declared",
    "Defaulted",
    "Flat",
    "Values",
    "Leading",
    // lr-schedules/transformers: each function's positional order, named after the function.
    "ConstantScheduleWithWarmupOrder",
    "CosineScheduleWithWarmupOrder",
    "CosineWithHardRestartsScheduleWithWarmupOrder",
    "CosineWithMinLrScheduleWithWarmupOrder",
    "CosineWithMinLrScheduleWithWarmupLrRateOrder",
    "InverseSqrtScheduleOrder",
    "LinearScheduleWithWarmupOrder",
    "PolynomialDecayScheduleWithWarmupOrder",
    "WsdScheduleOrder",
    // lr-schedules/optax: each function's positional order, named after the function.
    "ConstantScheduleOrder",
    "CosineDecayScheduleOrder",
    "CosineOnecycleScheduleOrder",
    "ExponentialDecayOrder",
    "JoinSchedulesOrder",
    "LinearOnecycleScheduleOrder",
    "LinearScheduleOrder",
    "PiecewiseConstantScheduleOrder",
    "PiecewiseInterpolateScheduleOrder",
    "PolynomialScheduleOrder",
    "SgdrScheduleOrder",
    "WarmupConstantScheduleOrder",
    "WarmupCosineDecayScheduleOrder",
    "WarmupExponentialDecayScheduleOrder",
    // Exported (the core's), but an interface merged with a class: TypeDoc links some references to it (a type
    // alias's union, PlotItem) to neither declaration, and would call it not exported.
    "LearningRateSchedule",
  ],
};
