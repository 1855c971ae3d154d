/**
 * From a sweep command to its manifest: the settings, seeds, fixed flags and rungs, every value
 * checked by the lab's parser and every trial's whole command line parsed once, all before
 * anything is written. The sweep's id is the lab and a hash of what it runs, so the same command
 * names the same sweep, and running it again continues it.
 */
import { UsageError } from "../lib/errors.ts";
import { flagName, parseFlags, type Spec } from "../lib/hparams.ts";
import type { Setting, SweepManifest, Trial } from "../lib/sweep/manifest.ts";
import { defaultBudgetFlag, fullSpec, type Lab } from "../runner/lab.ts";
import {
  checkedValue,
  gridDimension,
  gridSettings,
  labSays,
  randomSettings,
  rangeDimension,
  sweepableKey,
} from "./search_space.ts";
import type { SweepArgs } from "./sweep_args.ts";

export async function planSweep(lab: Lab<Spec>, args: SweepArgs): Promise<SweepManifest> {
  const spec = fullSpec(lab);
  const { flags } = args;
  const dimensions = [
    ...args.grid.map((text) => gridDimension(spec, text)),
    ...args.ranges.map((text) => rangeDimension(spec, text)),
  ];
  const twice = dimensions.find((d, i) => dimensions.findIndex((e) => e.flag === d.flag) !== i);
  if (twice) throw new UsageError(`--${twice.flag} is swept twice; give all its values in one --grid or --range.`);
  const settings = flags.random > 0
    ? randomSettings(spec, dimensions, flags.random, flags.sweepSeed)
    : gridSettings(spec, dimensions);
  const seeds = parseSeeds(spec, flags.seeds);
  const halving = flags.method === "halving" ? planHalving(spec, args) : undefined;
  if (!halving && args.given.has("budgets")) throw new UsageError("--budgets is for --method halving.");
  checkFixed(spec, args.fixed, [...dimensions.map((d) => d.flag), ...(halving ? [halving.flag] : [])]);
  // Each setting's whole command line, as its trials will get it: what is left for the lab's parser to refuse.
  for (const setting of settings) {
    labSays(
      `setting ${setting.id}`,
      () => parseFlags(spec, labArgs({ fixed: args.fixed, halving }, setting, seeds[0])),
    );
  }

  const search = flags.random > 0
    ? { kind: "random" as const, dimensions, count: flags.random, sweepSeed: flags.sweepSeed }
    : { kind: "grid" as const, dimensions };
  const now = new Date().toISOString();
  const definition = { lab: lab.id, search, method: flags.method, halving, seeds, fixed: args.fixed };
  return {
    version: 1,
    id: `${lab.id}-${(await sha256Hex(JSON.stringify(definition))).slice(0, 8)}`,
    lab: lab.id,
    headline: lab.headline,
    better: lab.better,
    status: "running",
    createdAt: now,
    updatedAt: now,
    search,
    method: flags.method,
    ...(halving ? { halving } : {}),
    seeds,
    fixed: args.fixed,
    parallel: flags.parallel,
    retries: flags.retries,
    settings,
    trials: trials(settings, seeds, halving?.budgets[0]),
  };
}

/** The lab arguments of a trial's first process: fixed flags, its setting, its seed, and the first budget. */
export function labArgs(
  sweep: { fixed: string[]; halving?: SweepManifest["halving"] },
  setting: Setting,
  seed: number,
  budget = sweep.halving?.budgets[0],
): string[] {
  const budgetArgs = sweep.halving ? [`--${sweep.halving.flag}`, String(budget)] : [];
  return [...sweep.fixed, ...setting.args, "--seed", String(seed), ...budgetArgs];
}

/** "1,2,3", "1-5" or both ("1-3,7"), each checked as the lab's --seed. */
export function parseSeeds(spec: Spec, text: string): number[] {
  const seeds: number[] = [];
  for (const part of text.split(",").map((p) => p.trim())) {
    const range = part.match(/^(\d+)-(\d+)$/);
    const [from, to] = (range ? [range[1], range[2]] : [part, part])
      .map((raw) => checkedValue(spec, "seed", raw, `--seeds ${text}`).value as number);
    if (to < from) throw new UsageError(`--seeds ${text}: ${part} runs backwards; write ${to}-${from}.`);
    if (to - from >= 1000) throw new UsageError(`--seeds ${text}: ${part} is more than 1000 seeds.`);
    for (let seed = from; seed <= to; seed++) seeds.push(seed);
  }
  if (new Set(seeds).size !== seeds.length) throw new UsageError(`--seeds ${text}: a seed is given twice.`);
  return seeds;
}

function planHalving(spec: Spec, { flags }: SweepArgs): NonNullable<SweepManifest["halving"]> {
  const key = flags.budgetFlag === "auto"
    ? defaultBudgetFlag(spec)
    : sweepableKey(spec, flags.budgetFlag, "--budget-flag");
  const flag = flagName(key);
  if (!flags.budgets) throw new UsageError(`--method halving needs --budgets, the --${flag} of each rung, e.g. 1,3,9.`);
  const budgets = flags.budgets.split(",").map((raw) =>
    checkedValue(spec, key, raw.trim(), `--budgets ${flags.budgets} (--${flag})`).value as number
  );
  if (budgets.length < 2 || budgets.some((b, i) => i > 0 && b <= budgets[i - 1])) {
    throw new UsageError(`--budgets ${flags.budgets}: expected two or more increasing values of --${flag}.`);
  }
  return { flag, budgets, eta: flags.eta };
}

/** Flags after `--`: none the sweep sets itself or sweeps, and all of them valid for the lab. */
function checkFixed(spec: Spec, fixed: string[], swept: string[]): void {
  const flags = new Set(Object.keys(spec).map(flagName));
  for (const arg of fixed.filter((a) => a.startsWith("--"))) {
    const name = arg.slice(2).split("=")[0];
    const flag = !flags.has(name) && name.startsWith("no-") ? name.slice(3) : name;
    if (swept.includes(flag)) throw new UsageError(`--${flag} is given after -- and also swept; give it in one place.`);
    if (flags.has(flag)) sweepableKey(spec, flag, `after --, ${arg}`);
  }
  labSays("after --", () => parseFlags(spec, fixed));
}

function trials(settings: Setting[], seeds: number[], budget?: number): Trial[] {
  return settings.flatMap((setting, i) =>
    seeds.map((seed, j) => ({
      id: `t${String(i * seeds.length + j + 1).padStart(3, "0")}`,
      setting: setting.id,
      seed,
      status: "pending" as const,
      ...(budget === undefined ? {} : { budget }),
      results: [],
      attempts: [],
    }))
  );
}

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
