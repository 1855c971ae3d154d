/**
 * The sweep's command line: `deno task sweep <lab> [sweep flags] [-- lab flags]`. The sweep's own
 * flags are declared once here as a spec (parsed and listed in --help like a lab's); `--grid` and
 * `--range` may be given many times; everything after `--` is passed to every trial unchanged.
 * A flag before `--` that the sweep does not know is refused, with where lab flags go: a typo in
 * a sweep flag is never sent to the lab by mistake.
 */
import { UsageError } from "../lib/errors.ts";
import { type Config, formatFlags, parseFlags, type Spec } from "../lib/hparams.ts";

export const sweepFlags = {
  seeds: { type: "string", default: "1", help: "the seeds every setting runs with: 1,2,3 or 1-5" },
  random: {
    type: "int",
    default: 0,
    min: 0,
    max: 10_000,
    help: "draw this many settings at random (from --grid values and --range ranges) instead of the whole grid",
  },
  sweepSeed: { type: "int", default: 1, min: 0, max: 2 ** 32 - 1, help: "seed of the random draws of --random" },
  method: {
    type: "string",
    default: "full",
    choices: ["full", "halving"],
    help: "full: every setting trains its whole budget; halving: successive halving over --budgets",
  },
  budgets: {
    type: "string",
    default: "",
    help: "halving: the budget flag's value at each rung, increasing, e.g. 1,3,9 (epochs)",
  },
  budgetFlag: {
    type: "string",
    default: "auto",
    choices: ["auto", "epochs", "max-steps"],
    help: "halving: the flag --budgets sets (auto: epochs when the lab has them, else max-steps)",
  },
  eta: { type: "int", default: 3, min: 2, max: 100, help: "halving: each rung continues the best 1/eta settings" },
  parallel: { type: "int", default: 1, min: 1, max: 64, help: "trials run at once, each a process of its own" },
  retries: {
    type: "int",
    default: 1,
    min: 0,
    max: 10,
    help: "times a failed trial is tried again before it is failed",
  },
  runsDir: { type: "string", default: "runs", help: "where the trials' runs and the sweep's manifest go" },
  store: {
    type: "string",
    default: "",
    help: "queue the trials in PostgreSQL instead of running them here: postgres://user[:password]@host[:port]/db; " +
      "workers on any machine run them (deno task worker --store URL) and write their runs there",
  },
  lease: {
    type: "int",
    default: 60,
    min: 10,
    max: 3600,
    help: "with --store: seconds a trial's worker may go silent before the trial goes back to the queue",
  },
} as const satisfies Spec;
export type SweepFlags = Config<typeof sweepFlags>;

export interface SweepArgs {
  lab: string;
  grid: string[];
  ranges: string[];
  flags: SweepFlags;
  given: Set<string>;
  /** lab arguments for every trial (after `--`) */
  fixed: string[];
}

const REPEATED = { "--grid": "grid", "--range": "ranges" } as const;

export function parseSweepArgs(lab: string, argv: readonly string[]): SweepArgs {
  const split = argv.indexOf("--");
  const own = split < 0 ? argv : argv.slice(0, split);
  const fixed = split < 0 ? [] : argv.slice(split + 1);
  const lists = { grid: [] as string[], ranges: [] as string[] };
  const rest: string[] = [];
  for (let i = 0; i < own.length; i++) {
    const [name, inline] = own[i].split(/=(.*)/s, 2) as [string, string | undefined];
    const list = REPEATED[name as keyof typeof REPEATED];
    if (!list) {
      rest.push(own[i]);
      continue;
    }
    const value = inline ?? own[++i];
    if (value === undefined) throw new UsageError(`${name} needs a value, e.g. ${name} lr=1e-3,3e-4.`);
    lists[list].push(value);
  }
  const { config, given } = parseOwnFlags(rest);
  return { lab, ...lists, flags: config, given, fixed };
}

/** The sweep's scalar flags; an unknown one is answered with where lab flags go. */
export function parseOwnFlags(argv: readonly string[]): { config: SweepFlags; given: Set<string> } {
  try {
    return parseFlags(sweepFlags, argv);
  } catch (error) {
    if (error instanceof UsageError && error.message.startsWith("Unknown flag")) {
      throw new UsageError(
        `${error.message.replace(/ Run with --help.*$/, "")} Lab flags that every trial gets go after --, ` +
          "e.g. deno task sweep vae-mnist --grid lr=1e-3,3e-4 -- --epochs 3.",
      );
    }
    throw error;
  }
}

export function sweepHelp(): string {
  return [
    "usage: deno task sweep <lab> [--grid NAME=V1,V2 ...] [--random N --range NAME=[log:|int:]LOW..HIGH ...]",
    "                             [--seeds 1,2,3] [--method halving --budgets 1,3,9] [--parallel N] [-- lab flags]",
    "       deno task sweep resume <sweep-id> [--parallel N] [--retries N] [--runs-dir DIR]",
    "       deno task sweep report <sweep-id> [--json] [--runs-dir DIR | --store URL]",
    "       deno task sweep <lab> ... --store postgres://...   (queues the trials; deno task worker --store runs them)",
    "",
    "Runs a lab once per setting and seed (each trial a process of its own, at most --parallel at once) and",
    "ranks the settings by the lab's headline metric. Every value is checked by the lab's own parser before",
    "anything runs. Stopped with Ctrl-C, the same command (or `resume`) continues where it stopped.",
    "",
    "  --grid NAME=V1,V2,...   values of one lab flag (repeat for more flags); settings are their product",
    "  --range NAME=LOW..HIGH  with --random N: draw uniformly; log:LOW..HIGH log-uniformly; int:LOW..HIGH integers",
    "                          (a flag the lab declares as an integer always gets integer draws)",
    formatFlags(sweepFlags),
    "",
    "Everything after -- is passed to every trial unchanged (e.g. -- --epochs 3).",
  ].join("\n");
}
