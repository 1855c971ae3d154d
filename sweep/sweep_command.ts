/**
 * `deno task sweep <lab> ...` runs a sweep (or continues the one the same command started),
 * `deno task sweep resume <sweep-id>` continues one by its id, and `deno task sweep report
 * <sweep-id> [--json]` ranks its settings. The manifest is written only once every value has
 * been checked; one sweep process at a time owns it.
 */
import { hostname } from "node:os";
import { didYouMean, UsageError } from "../lib/errors.ts";
import { flagName, parseFlags, type Spec } from "../lib/hparams.ts";
import { listSweeps, manifestPath, readManifest, type SweepManifest, writeManifest } from "../lib/sweep/manifest.ts";
import { ManifestQueue } from "../lib/sweep/manifest_queue.ts";
import { sweepReport } from "../lib/sweep/report.ts";
import { LABS } from "../labs/mod.ts";
import type { Lab } from "../runner/lab.ts";
import { isLiveCommand } from "../runner/live_command.ts";
import { assertWritableFolder } from "../runner/writable_folder.ts";
import { formatReport } from "./report_table.ts";
import { Scheduler } from "./scheduler.ts";
import { parseOwnFlags, parseSweepArgs, sweepFlags, sweepHelp } from "./sweep_args.ts";
import { planSweep } from "./sweep_plan.ts";

export async function runSweep(argv: string[]): Promise<void> {
  const [first, ...rest] = argv;
  if (!first || first === "--help" || first === "-h") {
    console.log(sweepHelp());
    if (!first) throw new UsageError("Name a lab to sweep (or: resume <sweep-id>, report <sweep-id>).");
    return;
  }
  if (first === "report") return await report(rest);
  if (first === "resume") return await resume(rest);
  if (rest.includes("--help") || rest.includes("-h")) return console.log(sweepHelp());
  const load = LABS[first];
  if (!load) {
    throw new UsageError(
      `Unknown lab '${first}'.${didYouMean(first, Object.keys(LABS))} Labs: ${Object.keys(LABS).join(", ")}.`,
    );
  }
  const lab = (await load()).lab as Lab<Spec>;
  const args = parseSweepArgs(first, rest);
  if (!args.flags.store && args.given.has("lease")) throw new UsageError("--lease is for sweeps queued with --store.");
  if (args.flags.store) {
    const { queueSweep } = await import("./store_sweep.ts");
    return await queueSweep(await planSweep(lab, args), args.flags);
  }
  const runsDir = args.flags.runsDir;
  await assertWritableFolder(runsDir, "--runs-dir");
  const planned = await planSweep(lab, args);
  const existing = await readManifest(runsDir, planned.id);
  if (existing) console.error(`sweep ${planned.id} exists (${manifestPath(runsDir, planned.id)}): continuing it`);
  else await writeManifest(runsDir, planned);
  await execute(existing ?? planned, runsDir, { parallel: args.flags.parallel, retries: args.flags.retries });
}

/** `resume <sweep-id> [--parallel N] [--retries N] [--runs-dir DIR]` */
async function resume(argv: string[]): Promise<void> {
  const [id, rest] = idAndFlags(argv);
  const { config, given } = parseOwnFlags(rest);
  if (config.store) {
    throw new UsageError("A --store sweep is continued by its workers: deno task worker --store URL.");
  }
  const extra = [...given].find((key) => !["parallel", "retries", "runsDir"].includes(key));
  if (extra) {
    throw new UsageError(
      `resume takes --parallel, --retries and --runs-dir only; --${flagName(extra)} is part of the sweep's definition.`,
    );
  }
  const manifest = await findSweep(id, config.runsDir);
  await execute(manifest, config.runsDir, {
    parallel: given.has("parallel") ? config.parallel : manifest.parallel,
    retries: given.has("retries") ? config.retries : manifest.retries,
  });
}

const reportFlags = {
  json: { type: "bool", default: false, help: "print the report as JSON" },
  runsDir: sweepFlags.runsDir,
  store: { type: "string", default: "", help: "the PostgreSQL database a --store sweep was queued in" },
} as const satisfies Spec;

/** `report <sweep-id> [--json] [--runs-dir DIR | --store URL]` */
async function report(argv: string[]): Promise<void> {
  const [id, rest] = idAndFlags(argv);
  const { config } = parseFlags(reportFlags, rest);
  const manifest = config.store
    ? await (await import("./store_sweep.ts")).readStoreSweep(id, config.store)
    : await findSweep(id, config.runsDir);
  const result = sweepReport(manifest);
  console.log(config.json ? JSON.stringify(result, null, 2) : `${heading(manifest)}\n${formatReport(result)}`);
}

/** `<sweep-id> [flags]`, or flags alone (the id then missing). */
const idAndFlags = (argv: string[]): [string | undefined, string[]] =>
  argv[0]?.startsWith("-") ? [undefined, argv] : [argv[0], argv.slice(1)];

async function findSweep(id: string | undefined, runsDir: string): Promise<SweepManifest> {
  const manifest = id ? await readManifest(runsDir, id) : null;
  if (manifest) return manifest;
  const known = (await listSweeps(runsDir)).map((s) => s.id);
  const listed = known.length ? ` Sweeps there: ${known.join(", ")}.` : "";
  if (!id) throw new UsageError(`Name a sweep (its id).${listed}`);
  throw new UsageError(`No sweep '${id}' in ${runsDir}/sweeps.${didYouMean(id, known)}${listed}`);
}

async function execute(
  manifest: SweepManifest,
  runsDir: string,
  { parallel, retries }: { parallel: number; retries: number },
): Promise<void> {
  if (manifest.status === "finished") {
    console.error(`sweep ${manifest.id} has finished; its report:`);
    console.log(`${heading(manifest)}\n${formatReport(sweepReport(manifest))}`);
    return;
  }
  const owner = manifest.host;
  if (owner && owner.hostname === hostname() && await isLiveCommand(owner.pid, "sweep")) {
    throw new UsageError(
      `sweep ${manifest.id} is being run by process ${owner.pid}; stop it first (kill ${owner.pid}).`,
    );
  }
  const queue = new ManifestQueue(runsDir, manifest);
  await queue.update({ status: "running", host: { hostname: hostname(), pid: Deno.pid }, parallel, retries });
  // Trials left running by a sweep process that is gone: back to the queue, to be continued.
  for (const trial of await queue.list()) if (trial.status === "running") await queue.release(trial.id);

  const trials = manifest.trials.length, open = manifest.trials.filter((t) => t.status !== "done").length;
  console.error(
    `sweep ${manifest.id}: ${manifest.settings.length} settings x ${manifest.seeds.length} seeds, ` +
      `${open} of ${trials} trials to run, ${parallel} at a time; manifest ${manifest.id}.json in ${runsDir}/sweeps`,
  );
  const started = performance.now();
  const end = await new Scheduler(queue.manifest, queue, { runsDir, parallel }).run();
  await queue.update({ status: end, host: undefined });
  const took = duration(performance.now() - started);
  console.log(`${heading(queue.manifest)}\n${formatReport(sweepReport(queue.manifest))}`);
  if (end === "interrupted") {
    console.error(`\nInterrupted after ${took}. Continue with: deno task sweep resume ${manifest.id}`);
    Deno.exitCode = 130;
    return;
  }
  const failed = queue.manifest.trials.filter((t) => t.status === "failed").length;
  console.error(
    `\nsweep ${manifest.id} finished in ${took}${failed ? `, ${failed} of ${trials} trials failed` : ""}. ` +
      `Report: deno task sweep report ${manifest.id}; dashboard: /sweeps/${manifest.id}`,
  );
}

function heading(manifest: SweepManifest): string {
  const method = manifest.halving
    ? `successive halving over --${manifest.halving.flag} ${
      manifest.halving.budgets.join(", ")
    } (eta ${manifest.halving.eta})`
    : "full budget";
  return `sweep ${manifest.id}: ${manifest.lab}, ${manifest.search.kind} search, ${method}, seeds ${
    manifest.seeds.join(",")
  }`;
}

/** "42 s", "3 min 12 s" */
function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
