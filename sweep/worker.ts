/**
 * `deno task worker --store URL [--parallel N] [--forever]`: one machine's share of the sweeps
 * queued in a PostgreSQL database (`deno task sweep <lab> ... --store URL`). It claims trials,
 * oldest sweep first, and runs each as a lab process writing its run to the same database: a
 * trial whose run has a stored checkpoint (its last worker died or stopped) resumes from it, one
 * whose run finished is only recorded. It stops once no trial of any sweep is pending or running
 * (with --forever it waits for more). Ctrl-C stops each trial at its next checkpoint and hands it
 * back to the queue; a worker killed outright loses its leases, and another worker resumes its trials.
 */
import { hostname } from "node:os";
import { join } from "node:path";
import { UsageError } from "../lib/errors.ts";
import { formatValue } from "../lib/format_value.ts";
import { parseFlags, type Spec } from "../lib/hparams.ts";
import type { Trial } from "../lib/sweep/manifest.ts";
import type { PostgresQueue, PostgresSweeps } from "../lib/sweep/postgres_queue.ts";
import { parseStoreUrl, type StoreUrl } from "../lib/run/store_url.ts";
import { labArgs } from "./sweep_plan.ts";
import { readStoreHeadline, readStoreRunState } from "./store_run_state.ts";
import { startTrialProcess, type TrialProcess } from "./trial_process.ts";
import { withStopSignals } from "./stop_signals.ts";

export const workerFlags = {
  store: {
    type: "string",
    default: "",
    help:
      "the PostgreSQL database the sweeps were queued in and the runs go to: postgres://user[:password]@host[:port]/db",
  },
  parallel: { type: "int", default: 1, min: 1, max: 64, help: "trials run at once on this machine" },
  forever: { type: "bool", default: false, help: "wait for new trials when none is left, instead of stopping" },
  name: { type: "string", default: "", help: "this worker's id in run.json and the sweep (default: hostname-pid)" },
  runsDir: {
    type: "string",
    default: "runs",
    help: "where each trial's log goes: <runs-dir>/sweeps/<sweep>/<trial>.log",
  },
} as const satisfies Spec;

const POLL_MS = 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runWorker(argv: string[]): Promise<void> {
  const { config } = parseFlags(workerFlags, argv);
  if (!config.store) throw new UsageError("Name the database the sweeps are queued in: --store postgres://...");
  const url = parseStoreUrl(config.store, "--store");
  const { PostgresSweeps } = await import("../lib/sweep/postgres_queue.ts");
  const sweeps = await PostgresSweeps.connect(url);
  const name = config.name || `${hostname()}-${Deno.pid}`;
  console.error(`worker ${name}: taking trials from ${url.shown}, ${config.parallel} at a time`);
  try {
    const end = await new Worker(sweeps, url, { ...config, name }).run();
    if (end === "interrupted") Deno.exitCode = 130;
  } finally {
    await sweeps.close();
  }
}

class Worker {
  private children = new Map<string, TrialProcess>();
  private queues = new Map<string, PostgresQueue>();
  /** trials whose lease this worker lost (its heartbeat refused): their processes are stopped, the queue left alone */
  private lost = new Set<string>();
  private stopRequests = 0;

  constructor(
    private sweeps: PostgresSweeps,
    private url: StoreUrl,
    private options: { parallel: number; forever: boolean; name: string; runsDir: string },
  ) {}

  run(): Promise<"finished" | "interrupted"> {
    return withStopSignals(() => this.stop(), () => this.loop());
  }

  private stop(): void {
    this.stopRequests++;
    console.error(
      this.stopRequests === 1
        ? `\nStopping ${this.children.size} trials at their next checkpoint; they go back to the queue.`
        : "\nStopping the trials at once.",
    );
    for (const child of this.children.values()) child.signal("SIGTERM");
  }

  private async loop(): Promise<"finished" | "interrupted"> {
    const running = new Map<string, Promise<void>>();
    while (true) {
      while (!this.stopRequests && running.size < this.options.parallel) {
        const claimed = await this.claim();
        if (!claimed) break;
        const key = `${claimed.queue.sweep.id}/${claimed.trial.id}`;
        running.set(key, this.runTrial(claimed.queue, claimed.trial).finally(() => running.delete(key)));
      }
      if (running.size) {
        await Promise.race([...running.values(), sleep(POLL_MS)]); // also polls for trials while slots are free
        continue;
      }
      if (this.stopRequests) return "interrupted";
      if (!this.options.forever && !(await this.anyOpen())) return "finished";
      await sleep(POLL_MS);
    }
  }

  /** Whether any sweep has a trial pending or running (listing each first fails trials whose lease ran out for good). */
  private async anyOpen(): Promise<boolean> {
    for (const id of await this.sweeps.ids({ open: true })) await (await this.queue(id)).list();
    return (await this.sweeps.ids({ open: true })).length > 0;
  }

  private async claim(): Promise<{ queue: PostgresQueue; trial: Trial } | null> {
    for (const id of (await this.sweeps.ids({ open: true })).reverse()) {
      const queue = await this.queue(id);
      const trial = await queue.claim();
      if (trial) return { queue, trial };
    }
    return null;
  }

  private async queue(sweepId: string): Promise<PostgresQueue> {
    let queue = this.queues.get(sweepId);
    if (!queue) {
      const sweep = await this.sweeps.read(sweepId);
      if (!sweep) throw new Error(`sweep ${sweepId} vanished from ${this.url.shown}`);
      queue = this.sweeps.queue(sweep, {
        worker: this.options.name,
        onLost: (trialId) => {
          const key = `${sweepId}/${trialId}`;
          console.error(`${key}: this worker's lease ran out (another worker may have it); stopping its process`);
          this.lost.add(key);
          this.children.get(key)?.signal("SIGKILL");
        },
      });
      this.queues.set(sweepId, queue);
    }
    return queue;
  }

  private async runTrial(queue: PostgresQueue, trial: Trial): Promise<void> {
    const key = `${queue.sweep.id}/${trial.id}`;
    try {
      await this.attempt(queue, trial, key);
    } catch (error) { // the process could not start, or its run could not be read: a failed attempt
      if (this.lost.delete(key)) return;
      const message = error instanceof Error ? error.message : String(error);
      const { retrying } = await queue.fail(trial.id, message);
      console.error(`${key}: failed (${message}); ${retrying ? "back to the queue" : "gives up"}`);
    }
  }

  private async attempt(queue: PostgresQueue, trial: Trial, key: string): Promise<void> {
    const { sweep } = queue;
    const store = this.sweeps.store;
    const state = trial.run ? await readStoreRunState(store, trial.run) : null;
    if (trial.run && state?.status === "finished") {
      return await this.finished(queue, trial, trial.run, "finished earlier");
    }
    const resume = trial.run !== undefined && state?.hasCheckpoint === true;
    const labCommand = resume ? [sweep.lab, "--resume", `${this.url.shown}#${trial.run}`] : [
      ...[sweep.lab, ...labArgs(sweep, sweep.settings.find((s) => s.id === trial.setting)!, trial.seed, trial.budget)],
      ...["--store", this.url.shown, "--sweep-trial", key],
    ];
    const logDir = join(this.options.runsDir, "sweeps", sweep.id);
    await Deno.mkdir(logDir, { recursive: true });
    const started = performance.now();
    const args = [...labCommand, "--no-dashboard", "--worker", this.options.name];
    const child = await startTrialProcess(args, join(logDir, `${trial.id}.log`), { env: passwordEnv(this.url) });
    this.children.set(key, child);
    if (this.stopRequests) child.signal("SIGTERM"); // stopped while it was starting
    const named = child.runDir.then(async (location) => {
      if (!location) return null;
      const run = location.slice(location.lastIndexOf("#") + 1);
      await queue.started(trial.id, { run, resumed: resume });
      console.error(`${key} seed ${trial.seed}: ${resume ? "resumed" : "started"} ${run}`);
      return run;
    });
    const { code, error } = await child.exited;
    this.children.delete(key);
    const run = await named;
    if (this.lost.delete(key)) return;
    const seconds = `${((performance.now() - started) / 1000).toFixed(1)} s`;
    if (code === 0 && run && (await readStoreRunState(store, run))?.status === "finished") {
      return await this.finished(queue, trial, run, `finished in ${seconds}`);
    }
    if (this.stopRequests) {
      console.error(`${key}: stopped after ${seconds}; back to the queue`);
      return await queue.release(trial.id);
    }
    const { retrying } = await queue.fail(trial.id, error || "the lab exited without finishing its run");
    console.error(`${key}: failed (${error}); ${retrying ? "back to the queue" : "gives up"}`);
  }

  private async finished(queue: PostgresQueue, trial: Trial, run: string, how: string): Promise<void> {
    const metric = await readStoreHeadline(this.sweeps.store, run, queue.sweep.headline);
    await queue.complete(trial.id, metric);
    const value = metric === null ? "not logged" : formatValue(metric);
    console.error(`${queue.sweep.id}/${trial.id} seed ${trial.seed}: ${how}, ${queue.sweep.headline} ${value}`);
  }
}

/** The password goes to the lab by environment (node-postgres reads PGPASSWORD), never on its command line or in its log. */
function passwordEnv(url: StoreUrl): Record<string, string> {
  const password = decodeURIComponent(new URL(url.secret).password);
  return password ? { PGPASSWORD: password } : {};
}
