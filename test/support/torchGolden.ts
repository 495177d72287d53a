/** Builds the schedule a case of test/fixtures/torch/torch-golden.json describes (PyTorch's arguments, camelCased). */
import type { LearningRateSchedule } from "../../src/index.js";
import * as torch from "../../src/torch/index.js";

/** One case of the fixture. */
export interface TorchCase {
  framework: string;
  class?: string;
  fn?: string;
  args: Record<string, unknown>;
  base_lr: number;
  steps: number[];
  observed: (number | null)[];
  closed_form?: (number | null)[] | null;
  metrics?: number[];
}

/** PyTorch's lambdas of the fixture, as JavaScript. */
const lambdas: Record<string, torch.LrLambda> = {
  "lambda epoch: 0.95 ** epoch": (epoch) => 0.95 ** epoch,
  "lambda epoch: epoch // 10 + 1": (epoch) => Math.floor(epoch / 10) + 1,
  "lambda epoch: 0.95": () => 0.95,
  "lambda epoch: 1.0 / (epoch + 1)": (epoch) => 1.0 / (epoch + 1),
  "lambda x: 1 / x": (x) => 1 / x,
  "lambda x: 0.97 ** x": (x) => 0.97 ** x,
};

/** PyTorch's argument names in camelCase, as this package names them (`T_max` is `tMax`, `T_0` is `t0`). */
const camel = (name: string) => name.replace(/^T_/, "t_").replace(/_([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());

function options(args: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(args).map(([k, v]) => {
      if (k === "lr_lambda" || k === "scale_fn") return [camel(k), lambdas[v as string]];
      if (k === "schedulers") return ["schedulers", (v as [string, Record<string, unknown>][]).map(([cls, a]) => build(cls, options(a)))];
      return [camel(k), v];
    }),
  );
}

function build(cls: string, o: Record<string, unknown>): LearningRateSchedule {
  const C = (torch as unknown as Record<string, new (o: Record<string, unknown>) => LearningRateSchedule>)[cls]!;
  return new C(o);
}

/** The case's schedule, with the optimizer's rate as `lr`. */
export function torchCase(c: TorchCase): LearningRateSchedule {
  return build(c.class!, { ...options(c.args), lr: c.base_lr });
}
