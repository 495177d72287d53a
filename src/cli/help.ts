/** The help texts: what each command does, its options and examples that run as written. */
import { EXPRESSION_LIMITS } from "../expression.js";
import { wrap } from "../plot/data.js";
import { MAX_INPUT } from "./inputs.js";
import { OUTPUT_LIMITS } from "./output.js";
import type { ScheduleGroup } from "./scheduleGroups.js";

const { rates, columns, rows, pixels } = OUTPUT_LIMITS;
const thousands = (n: number) => n.toLocaleString("en-US");

const schedules = `A SCHEDULE is one of:
  an expression, as in the TypeScript API:
      'CosineDecay(1e-3, 10000, { warmupSteps: 500, warmupTarget: 1e-2 })'
      'linearWarmup(ExponentialDecay(0.1, 1000, 0.5), { warmupSteps: 200 })'
  Keras JSON, inline: '{"class_name": "InverseTimeDecay", "config": {...}}'
  a file of Keras JSON (or an expression): schedule.json (a regular file:
      pipes and devices go through -)
  -: Keras JSON on standard input
Keras JSON may be Keras 3's or Keras 2's: a schedule, an optimizer whose
learning_rate is a schedule, a model's compile config, or an HDF5 model's
training_config. Each is read up to ${thousands(MAX_INPUT)} characters (${MAX_INPUT / 2 ** 20} MiB); an
expression nests at most ${EXPRESSION_LIMITS.maxDepth} deep, holds at most ${thousands(EXPRESSION_LIMITS.maxValues)} values and a call
${EXPRESSION_LIMITS.maxArguments} arguments.`;

/**
 * The guide that explains the command, the charts and the playground: the same path in a clone and in the installed
 * package (package.json's `files` ships docs/*.md).
 */
export const GUIDE = "docs/seeing.md";
const guide = `The guide: ${GUIDE} in the repository,
node_modules/lr-schedules/${GUIDE} where the package is installed.`;

const steps = `  --steps START:STOP[:STEP]  the steps START, START+STEP, ... before STOP
                             (STOP alone means 0:STOP). Default: from 0 past
                             the schedule's own step options (decaySteps,
                             warmupSteps, boundaries...)`;

/** The width every help text fits in: an 80-column terminal's. */
export const HELP_WIDTH = 80;

/** The schedules an expression may call, group by group (as the playground's picker), each group's names wrapped. */
function scheduleList(groups: readonly ScheduleGroup[]): string {
  const names = (g: ScheduleGroup) => wrap(g.classes.map((c) => c.className).join(", "), HELP_WIDTH - 4).map((line) => `    ${line}`);
  return groups.map((g) => [`  ${g.title}:`, ...names(g)].join("\n")).join("\n");
}

export const mainHelp = (groups: readonly ScheduleGroup[]) => `lr-schedules: see a learning-rate schedule before training with it.

Usage:
  lr-schedules plot SCHEDULE... [options]
      chart schedules in the terminal, or as SVG, PNG, CSV, JSON, a table
  lr-schedules values SCHEDULE... [options]
      the sampled steps and rates as CSV, JSON or a table
  lr-schedules show SCHEDULE... [options]
      class, config, formula, and key facts over the range
  lr-schedules COMMAND --help
      a command's options, with examples
  lr-schedules --version

${schedules}

Schedules an expression may call:
${scheduleList(groups)}

Examples:
  lr-schedules plot 'CosineDecay(1e-3, 10000, { warmupSteps: 500 })'
  lr-schedules values 'InverseTimeDecay(0.1, 1, 0.5)' --steps 0:10 --format csv
  lr-schedules show keras_optimizer.json

Exit status: 0 done, 2 bad input (one line on stderr says what and where), 1 the
output could not be written.
${guide}
`;

export const plotHelp = `Usage: lr-schedules plot SCHEDULE... [options]

Draws one or more schedules over the same steps, overlaid, with a legend.

${schedules}

Options:
${steps}
  --steps-per-epoch N        mark where each epoch ends
  --log                      a log-scale rate axis
  --format FORMAT            term (a braille chart, the default), svg, png,
                             csv, json or table; with -o, taken from the
                             file's extension when not given
  -o, --output FILE          write to FILE instead of standard output (nothing
                             is written if anything fails)
  --title TEXT               a title above the chart
  --width N, --height N      the chart's size: columns and rows in the terminal
                             (default: the terminal's width, or 80 columns when
                             not a terminal), pixels for svg and png (default
                             720 by 400)
  -h, --help                 this help
The terminal chart is in colour on a terminal unless NO_COLOR is set
(FORCE_COLOR=1 forces colour).
Limits: a terminal chart is at most ${columns} by ${rows}, svg and png at most ${pixels} by
${pixels} pixels, and a chart samples at most ${thousands(rates.chart)} rates (steps times
schedules); csv and json hold at most ${thousands(rates.csv)}, a table ${thousands(rates.table)}.

Examples:
  lr-schedules plot 'CosineDecay(1e-3, 10000, { warmupSteps: 500 })'
  lr-schedules plot 'ExponentialDecay(0.1, 1000, 0.5, true)' --log
  lr-schedules plot 'CosineDecayRestarts(0.1, 1000)' -o restarts.svg
  lr-schedules plot keras_optimizer.json --format png -o schedule.png
  cat schedule.json | lr-schedules plot - --format csv

${guide}
`;

export const valuesHelp = `Usage: lr-schedules values SCHEDULE... [options]

Prints the rate at each step: one column per schedule. CSV and JSON write each
rate as the number the library returns (lr(step): a float32 widened to a
double, or a double for PyTorch's and transformers' schedules and dtype
'float64'), so reading it back gives the same number to the bit; the table
writes the shortest decimal that rounds to the same float32 (or double).

${schedules}

Options:
${steps}
  --format FORMAT            csv, json or table (default: table on a terminal,
                             csv otherwise; with -o, taken from the file's
                             extension). csv and json hold at most ${thousands(rates.csv)}
                             rates (steps times schedules), a table ${thousands(rates.table)}:
                             give --steps a STEP for longer ranges
  -o, --output FILE          write to FILE instead of standard output (nothing
                             is written if anything fails)
  -h, --help                 this help

Examples:
  lr-schedules values 'InverseTimeDecay(0.1, 1, 0.5)' --steps 0:10 --format csv
  lr-schedules values 'PiecewiseConstantDecay([100, 200], [0.1, 0.01, 0.001])'
  lr-schedules values keras_optimizer.json --steps 0:1000:100 --format json

${guide}
`;

export const showHelp = `Usage: lr-schedules show SCHEDULE... [options]

Describes each schedule: its class, its config (as an expression to paste into
code, and as Keras JSON), its formula, and over the range its first and last
rate, minimum and maximum, where a warmup ends and where restarts begin.

${schedules}

Options:
${steps}
  -o, --output FILE          write to FILE instead of standard output
  -h, --help                 this help
show samples at most ${thousands(rates.chart)} rates (steps times schedules).

Examples:
  lr-schedules show keras_optimizer.json
  lr-schedules show 'CosineDecayRestarts(0.1, 1000, { tMul: 2 })' --steps 16000
  lr-schedules show 'Sequence([Constant(1e-3), CosineDecay(1e-3, 9e3)], [1e3])'

${guide}
`;
