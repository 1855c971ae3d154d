/**
 * What every lab shares: the run flags every lab takes, `--help`, `--resume`, backend choice
 * (`auto`: timed, ./auto_backend.ts) and the run directory. A lab declares its own hyperparameters; `startLab` parses both, checks
 * everything it can before anything is written, and reports which backend it picked and why.
 */
import { hostname } from "node:os";
import { dirname } from "node:path";
import { activateBackend, BACKENDS, useBackend } from "../lib/backend.ts";
import { measuredBackend } from "./auto_backend.ts";
import type { CheckpointState } from "../lib/checkpoint.ts";
import { detachLab, printDetached, runsDirOf } from "./detach.ts";
import { UsageError } from "../lib/errors.ts";
import { type Config, flagName, formatFlags, parseFlags, type Spec } from "../lib/hparams.ts";
import { guideFile } from "./guide_file.ts";
import { labHooks } from "./lab_hooks.ts";
import { isLiveCommand } from "./live_command.ts";
import { assertWritableFolder, refusedWrite } from "./writable_folder.ts";
import { FolderStore } from "../lib/run/folder_store.ts";
import { openStore } from "../lib/run/open_store.ts";
import type { RunFiles, RunStore } from "../lib/run/run_store.ts";
import { RunWriter } from "../lib/run/run_writer.ts";
import { isStoreUrl, parseStoreUrl, redactPasswords } from "../lib/run/store_url.ts";
import type { BackendInfo, HeadlineDirection, RunInfo } from "../lib/run/types.ts";

export const runFlags = {
  seed: { type: "int", default: 1, min: 0, max: 2 ** 32 - 1, help: "seed of every random stream in the run" },
  backend: {
    type: "string",
    default: "auto",
    choices: BACKENDS,
    help: "tfjs backend; auto = the fastest of webgpu, blas and wasm, timed on a few training steps (cached)",
  },
  maxSteps: {
    type: "int",
    default: 0,
    min: 0,
    help: "stop after this many steps (optimisation steps; env steps in RL labs), 0 for no cap",
  },
  runsDir: { type: "string", default: "runs", help: "folder that holds the run directories" },
  store: {
    type: "string",
    default: "",
    help: "write the run to PostgreSQL instead of the runs folder: postgres://user[:password]@host[:port]/database " +
      "(the password may come from PGPASSWORD or ~/.pgpass instead; it is never printed or recorded)",
  },
  resume: {
    type: "string",
    default: "",
    help: "continue the run in this directory from its last checkpoint (runs in PostgreSQL: the run with this id; " +
      "or postgres://...#<run-id>)",
  },
  dashboard: { type: "bool", default: true, help: "serve the live dashboard while training" },
  detach: {
    type: "bool",
    default: false,
    help: "run in the background, surviving the terminal; the log goes to the run directory",
  },
  notes: {
    type: "string",
    default: "",
    help: "a few words on what this run tries, shown and searched in the dashboard's runs list",
  },
  sweepTrial: {
    type: "string",
    default: "",
    help: "the sweep trial this run is, as <sweep-id>/<trial-id> (deno task sweep sets it; run.json records it)",
  },
  worker: {
    type: "string",
    default: "",
    help: "the sweep worker running this trial (deno task worker sets it; run.json records it); the run stops " +
      "at once if that worker's process goes",
  },
} as const satisfies Spec;
export type RunFlags = typeof runFlags;

/** Flags that may change when a run is resumed; the rest must match the recorded config. */
const RESUMABLE = new Set([
  "backend",
  "maxSteps",
  "epochs",
  "dashboard",
  "resume",
  "runsDir",
  "store",
  "detach",
  "worker",
]);
/** The flags that set how far a run trains: a resume may change them, and run.json records the new values. */
export const BUDGET = ["epochs", "maxSteps"] as const;

/** What a sweep's successive halving grows by default: the lab's epochs when it has them, else its step cap. */
export const defaultBudgetFlag = (spec: Spec): (typeof BUDGET)[number] =>
  BUDGET.find((key) => key in spec) ?? "maxSteps";

export interface Lab<S extends Spec> {
  /** "vae-mnist": the name on the command line */
  id: string;
  /** one line: what it trains, on what */
  title: string;
  /** a few lines for --help: the paper, the reference it matches */
  description: string;
  /** the lab's own hyperparameters; the run flags are added to them */
  spec: S;
  /** the scalar key that sums a run up, e.g. "eval/nelbo" */
  headline: string;
  /** which way the headline improves: what a sweep ranks its settings by */
  better: HeadlineDirection;
  /** false for a lab that computes without tfjs (a table): `--backend auto` then has nothing to time */
  usesTfjs?: boolean;
}

export interface LabStart<S extends Spec> {
  /** the config as run.json records it: connection URLs without their password */
  config: Config<S & RunFlags>;
  backend: BackendInfo;
  /** where the run goes: the --store database (connected), else folders under --runs-dir */
  store?: RunStore;
  /** set when --resume was given: the run (dir: where it is, for messages) and the verified checkpoint to continue from */
  resumeFrom?: { dir: string; files: RunFiles; checkpoint: CheckpointState & { path: string } };
}

export function fullSpec<S extends Spec>(lab: Lab<S>): S & RunFlags {
  return { ...lab.spec, ...runFlags };
}

export function helpText<S extends Spec>(lab: Lab<S>): string {
  return [
    `${lab.id}: ${lab.title}`,
    "",
    lab.description,
    "",
    `usage: deno task lab ${lab.id} [--flag value ...]`,
    "",
    "Hyperparameters:",
    formatFlags(lab.spec),
    "",
    "Run options (every lab):",
    formatFlags(runFlags),
    "",
    `Guide: ${guideFile(lab.id)} (the equations, where the code computes them, what to watch for), also shown`,
    "beside the charts of each of its runs in the dashboard.",
  ].join("\n");
}

/**
 * Parses the command line, loads and verifies the checkpoint when resuming, and switches tfjs to
 * the chosen backend. Returns null after printing --help, or after starting the lab in the
 * background with --detach (runner/detach.ts). Writes nothing else.
 */
export async function startLab<S extends Spec>(lab: Lab<S>, argv: readonly string[]): Promise<LabStart<S> | null> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(helpText(lab));
    return null;
  }
  for (const check of labHooks.beforeStart) await check(lab.id); // a student copy names its unwritten exercises
  const spec = fullSpec(lab);
  const { config, given } = parseFlags(spec, argv);
  sweepOf(config.sweepTrial as string); // checked before anything is written
  if (config.worker) stopWithParent(config.worker as string);
  const resumeByUrl = isStoreUrl(config.resume as string); // --resume postgres://...#<run-id>
  const storeArg = resumeByUrl ? config.resume as string : config.store as string;
  if (storeArg && config.detach) {
    throw new UsageError("--detach writes to --runs-dir only; run a --store lab in the foreground.");
  }
  if (!config.resume && !storeArg) await assertWritableFolder(config.runsDir as string, "--runs-dir");
  if (config.detach) {
    const runsDir = runsDirOf(config.resume as string, config.runsDir as string);
    printDetached(await detachLab(lab.id, argv, { runsDir, dashboard: config.dashboard as boolean }), runsDir);
    return null;
  }
  const flag = resumeByUrl ? "--resume" : "--store";
  const store = await openStore(storeArg, { runsDir: config.runsDir as string, flag });
  // Only now, connected, the URLs lose their password: the config is what run.json records.
  Object.assign(config, {
    store: redactPasswords(config.store as string),
    resume: redactPasswords(config.resume as string),
  });
  let resumeFrom: LabStart<S>["resumeFrom"];
  if (config.resume) {
    const ref = resumeByUrl ? parseStoreUrl(storeArg, flag).runId : config.resume as string;
    if (!ref) throw new UsageError(`--resume ${config.resume}: name the run, as postgres://...#<run-id>.`);
    const files = await store.open(ref);
    const dir = files.location;
    const recorded = await readRecordedRun(files, lab.id, { extending: BUDGET.some((key) => given.has(key)) });
    if (store instanceof FolderStore) await assertWritableFolder(dir, "--resume");
    const changed = [...given].filter((key) => !RESUMABLE.has(key) && recorded.config[key] !== config[key]);
    if (changed.length) {
      throw new UsageError(
        `--resume continues ${dir} with its recorded hyperparameters; ` +
          `${changed.map((k) => "--" + flagName(k)).join(", ")} cannot change. Start a new run instead.`,
      );
    }
    for (const key of Object.keys(spec)) {
      if (!given.has(key) && key in recorded.config) (config as Record<string, unknown>)[key] = recorded.config[key];
    }
    Object.assign(config, { resume: dir, store: redactPasswords(config.store as string) });
    resumeFrom = { dir, files, checkpoint: await files.loadLatestCheckpoint() };
    console.error(`resuming ${dir} from step ${resumeFrom.checkpoint.step} (${resumeFrom.checkpoint.path})`);
  }
  const backend = config.backend === "auto" && lab.usesTfjs !== false
    ? await activateBackend(await measuredBackend({ labId: lab.id, spec: lab.spec, config }))
    : await useBackend(config.backend as (typeof BACKENDS)[number]);
  console.error(`backend: ${backend.name}${backend.adapter ? ` (${backend.adapter})` : ""} - ${backend.reason}`);
  return { config, backend, store, resumeFrom };
}

/**
 * run.json of the run to resume. A finished run continues only with a new budget (--epochs or
 * --max-steps): its last checkpoint is the state an uninterrupted longer run would have had there.
 * A run whose process is still alive on this machine is refused, so that two processes never
 * write one run directory.
 */
async function readRecordedRun(
  files: RunFiles,
  labId: string,
  { extending }: { extending: boolean },
): Promise<RunInfo> {
  const dir = files.location;
  let info: RunInfo;
  try {
    info = await files.readInfo();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const why = error instanceof Deno.errors.NotFound ? "it has no run.json" : `its run.json is unreadable (${error})`;
    throw new UsageError(`--resume ${dir}: not a run directory: ${why}.`);
  }
  if (info.lab !== labId) {
    throw new UsageError(`--resume ${dir}: that run is of lab ${info.lab}, not ${labId}.`);
  }
  if (info.status === "finished" && !extending) {
    throw new UsageError(
      `--resume ${dir}: that run has already finished; give it a larger --epochs (or --max-steps) to train it ` +
        "further, or start a new run.",
    );
  }
  if (info.status === "running" && info.host.hostname === hostname() && await isLiveCommand(info.host.pid, "lab")) {
    throw new UsageError(
      `--resume ${dir}: that run is still being written by process ${info.host.pid}; stop it first ` +
        `(kill ${info.host.pid}), then resume.`,
    );
  }
  return info;
}

/**
 * Creates the run directory, or reopens it after the checkpoint when resuming, and serves the
 * dashboard on it (unless --no-dashboard, or no dashboard is installed: lab_hooks.ts) until the
 * run ends.
 */
export async function openRun<S extends Spec>(
  lab: Lab<S>,
  start: LabStart<S>,
  { totalSteps }: { totalSteps: number },
): Promise<RunWriter> {
  const { config, backend, resumeFrom } = start;
  const store = start.store ?? new FolderStore(config.runsDir as string);
  const run = resumeFrom
    ? await RunWriter.resume(resumeFrom.files, resumeFrom.checkpoint, {
      backend,
      totalSteps,
      budget: Object.fromEntries(BUDGET.filter((key) => key in config).map((key) => [key, config[key]])),
      worker: config.worker as string || undefined,
    })
    : await RunWriter.create({
      runsDir: config.runsDir as string,
      store,
      lab: lab.id,
      title: lab.title,
      config: config as Record<string, unknown>,
      spec: fullSpec(lab),
      backend,
      headline: lab.headline,
      better: lab.better,
      sweep: sweepOf(config.sweepTrial as string),
      worker: config.worker as string || undefined,
      totalSteps,
    }).catch((error) => { // a folder that passed the check at start but still refuses (a read-only mount, say)
      throw refusedWrite(config.runsDir as string, "--runs-dir", error);
    });
  console.error(`run: ${run.dir}`);
  if (!(store instanceof FolderStore)) {
    run.onClose(() => store.close());
    if (config.dashboard) console.error("dashboard: not served for a --store run yet; training goes on");
  } else if (config.dashboard && labHooks.serveDashboard) {
    const dashboard = await labHooks.serveDashboard(dirname(run.dir), run.id).catch((error) => {
      console.error(`dashboard: not started (${error.message}); training goes on`);
    });
    if (dashboard) {
      console.error(`dashboard: ${dashboard.url}  (stops when the run ends; \`deno task dashboard\` keeps serving)`);
      run.onClose(dashboard.stop);
    }
  }
  return run;
}

/**
 * A worker's trial ends with its worker: when the worker process dies (kill -9, a lost machine)
 * its lease on the trial expires and another worker resumes the run from its last stored
 * checkpoint, so this process must not write on. Orphaned, it is adopted by another process,
 * which its parent id shows within a second. The timer is unref'd: it never keeps a finished lab alive.
 */
function stopWithParent(worker: string): void {
  const parent = Deno.ppid;
  const timer = setInterval(() => {
    if (Deno.ppid === parent) return;
    console.error(`error: the worker ${worker} that started this trial is gone; stopping at once`);
    Deno.exit(137);
  }, 1000);
  Deno.unrefTimer(timer);
}

/** `--sweep-trial <sweep-id>/<trial-id>` as run.json records it; undefined when the run is no sweep's. */
function sweepOf(value: string): RunInfo["sweep"] {
  if (!value) return undefined;
  const match = value.match(/^([A-Za-z0-9_][\w.-]*)\/([A-Za-z0-9_][\w.-]*)$/);
  if (!match) {
    throw new UsageError(`Invalid value '${value}' for --sweep-trial: expected <sweep-id>/<trial-id>.`);
  }
  return { id: match[1], trial: match[2] };
}

/**
 * Runs the body of a lab with its run open: an exception marks the run failed (and is
 * rethrown), so a crashed run never looks as if it were still running.
 */
export async function withRun<T>(run: RunWriter, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    await run.fail(error instanceof Error ? error.message : String(error)).catch(() => {});
    throw error;
  }
}
