/**
 * The shared TrialQueue: sweeps across machines, in the PostgreSQL database that holds their
 * runs. What a sweep is and where each trial stands live in two tables beside the runs
 * (`tflab.sweeps`: the manifest without its trials; `tflab.sweep_trials`: each trial as the
 * manifest's Trial, and the pg-boss job that carries it), so the report reads as for a local sweep.
 * The leases are pg-boss's: one queue per sweep, one job per trial, a worker heartbeats the job
 * it holds (`touch`) and a job whose heartbeat stops for `lease` seconds goes back to the queue
 * (a retry), up to the sweep's `retries`. The trial's row is written before its job is settled,
 * and a job that is not the one the row names is stale: claiming it settles it and moves on, so
 * a worker that dies between the two never makes a trial run twice.
 */
import { hostname } from "node:os";
import { type JobWithMetadata, PgBoss } from "pg-boss";
import type pg from "pg";
import { inTransaction, PostgresStore } from "../run/postgres_store.ts";
import { withReconnect } from "../run/reconnect.ts";
import type { StoreUrl } from "../run/store_url.ts";
import type { Attempt, SweepManifest, Trial } from "./manifest.ts";
import { withTrials } from "./stored_sweeps.ts";
import type { QueuedTrial, TrialQueue } from "./trial_queue.ts";

const SWEEP_SCHEMA_SQL = `
create table if not exists tflab.sweeps (
  id text primary key,
  sweep jsonb not null,
  created_at timestamptz not null default now()
);
create table if not exists tflab.sweep_trials (
  sweep_id text not null references tflab.sweeps (id) on delete cascade,
  id text not null,
  trial jsonb not null,
  job text,
  primary key (sweep_id, id)
);`;

/** A trial longer than pg-boss's largest expiry (24 hours) would be taken from its worker. */
const EXPIRE_SECONDS = 24 * 3600;
type Job = JobWithMetadata<{ trial: string }>;
/** A sweep as stored: its manifest (trials aside) and the lease its queue was made with. */
type StoredSweep = SweepManifest & { lease?: number };
const DEFAULT_LEASE = 60;
const queueName = (sweepId: string) => `tflab-trials/${sweepId}`;
const now = () => new Date().toISOString();

/** The sweeps of one database: their definitions, trials and pg-boss queues. */
export class PostgresSweeps {
  private constructor(readonly store: PostgresStore, readonly boss: PgBoss) {}

  /** Connects (a server that cannot be used is a UsageError naming host and database) and creates what is missing. */
  static async connect(url: StoreUrl): Promise<PostgresSweeps> {
    const store = await PostgresStore.connect(url, { moreSchema: SWEEP_SCHEMA_SQL });
    // Supervision every 2 s: a dead worker's lease is noticed within lease + 2 s.
    const boss = new PgBoss({ connectionString: url.secret, superviseIntervalSeconds: 2, monitorIntervalSeconds: 2 });
    boss.on("error", () => {}); // connections cut by a server restart: pg-boss reconnects, calls are retried
    await withReconnect(() => boss.start());
    return new PostgresSweeps(store, boss);
  }

  /** Writes a new sweep, after its pg-boss queue (created unless there); false when the id is taken. */
  async create(manifest: SweepManifest, { lease }: { lease: number }): Promise<boolean> {
    await this.boss.createQueue(queueName(manifest.id), {
      heartbeatSeconds: lease,
      retryLimit: manifest.retries,
      retryDelay: 0,
      expireInSeconds: EXPIRE_SECONDS,
    });
    const { trials: _, ...sweep } = manifest;
    const { rowCount } = await this.store.pool.query(
      "insert into tflab.sweeps (id, sweep) values ($1, $2) on conflict (id) do nothing",
      [manifest.id, { ...sweep, lease }],
    );
    return rowCount === 1;
  }

  /** A sweep with its trials, status "finished" once every trial is done or failed; null when there is none. */
  async read(id: string): Promise<SweepManifest | null> {
    const { rows } = await withReconnect(() =>
      this.store.pool.query<{ sweep: SweepManifest }>("select sweep from tflab.sweeps where id = $1", [id])
    );
    if (!rows.length) return null;
    return withTrials(rows[0].sweep, await this.queue(rows[0].sweep).list());
  }

  /** The ids of every sweep, newest first; with `open`, only those with a trial pending or running. */
  async ids({ open = false } = {}): Promise<string[]> {
    const openOnly = "where exists (select 1 from tflab.sweep_trials t " +
      "where t.sweep_id = s.id and t.trial->>'status' in ('pending', 'running'))";
    const { rows } = await withReconnect(() =>
      this.store.pool.query<{ id: string }>(
        `select id from tflab.sweeps s ${open ? openOnly : ""} order by created_at desc, id`,
      )
    );
    return rows.map((row) => row.id);
  }

  /** The queue of one sweep, as `worker` (recorded in each attempt it claims). */
  queue(sweep: SweepManifest, options: { worker?: string; onLost?: (trialId: string) => void } = {}): PostgresQueue {
    return new PostgresQueue(this, sweep, { ...options, worker: options.worker ?? `${hostname()}-${Deno.pid}` });
  }

  async close(): Promise<void> {
    await this.boss.stop({ graceful: false, close: true }).catch(() => {});
    await this.store.close().catch(() => {});
  }
}

export class PostgresQueue implements TrialQueue {
  private readonly name: string;
  private held = new Map<string, { job: Job; heartbeat: ReturnType<typeof setInterval> }>();

  constructor(
    private readonly db: PostgresSweeps,
    readonly sweep: SweepManifest,
    private readonly options: { worker: string; onLost?: (trialId: string) => void },
  ) {
    this.name = queueName(sweep.id);
  }

  private get pool(): pg.Pool {
    return this.db.store.pool;
  }

  /**
   * Adds the trials' rows and their jobs in one transaction (pg-boss sends through our client),
   * so that no job is ever claimed before its row exists, and no row waits for a job never sent.
   */
  enqueue(trials: QueuedTrial[]): Promise<void> {
    return this.transaction(async (client) => {
      const db = { executeSql: (text: string, values?: unknown[]) => client.query(text, values) };
      for (const queued of trials) {
        const job = crypto.randomUUID();
        await client.query(
          `insert into tflab.sweep_trials (sweep_id, id, trial, job) values ($1, $2, $3, $4)
           on conflict (sweep_id, id) do update
           set trial = sweep_trials.trial || jsonb_build_object('status', 'pending', 'budget', $5::jsonb), job = $4`,
          [
            this.sweep.id,
            queued.id,
            { ...queued, status: "pending", results: [], attempts: [] },
            job,
            queued.budget ?? null,
          ],
        );
        await this.db.boss.send(this.name, { trial: queued.id }, { id: job, db });
      }
    });
  }

  async claim(): Promise<Trial | null> {
    while (true) {
      const [job] = await withReconnect(() =>
        this.db.boss.fetch<{ trial: string }>(this.name, { includeMetadata: true })
      );
      if (!job) return null;
      const trial = await this.change((trial, row) => {
        if (row.job !== job.id || trial.status === "done" || trial.status === "failed") return false;
        const open = trial.attempts.at(-1);
        if (open && !open.endedAt) { // its worker stopped answering: the lease expired and pg-boss retried the job
          Object.assign(open, { endedAt: now(), outcome: "interrupted", error: "its worker was lost (lease expired)" });
        }
        trial.status = "running";
        trial.attempts.push({
          startedAt: now(),
          worker: this.options.worker,
          ...(trial.budget === undefined ? {} : { budget: trial.budget }),
        });
      }, jobTrial(job));
      if (!trial) { // stale: a job the trial no longer counts on
        await withReconnect(() => this.db.boss.complete(this.name, job));
        continue;
      }
      this.hold(trial.id, job);
      return trial;
    }
  }

  /** Heartbeats the job every third of the lease; a heartbeat the job no longer takes means another worker may have it. */
  private hold(trialId: string, job: Job): void {
    const lease = (this.sweep as StoredSweep).lease ?? DEFAULT_LEASE;
    const heartbeat = setInterval(async () => {
      // A restart: tried at the next beat. `settled` lists the jobs still ours (pg-boss fences touch to the attempt).
      const touched = await this.db.boss.touch(this.name, job).catch(() => null) as { settled?: string[] } | null;
      if (touched?.settled && !touched.settled.includes(job.id) && this.held.get(trialId)?.job === job) {
        this.forget(trialId);
        this.options.onLost?.(trialId);
      }
    }, (lease * 1000) / 3);
    this.held.set(trialId, { job, heartbeat });
  }

  /**
   * Whether the trial's current attempt is this worker's: a worker that lost its lease unnoticed
   * (cut off from the server longer than the lease) must not settle the attempt of the worker that took it over.
   */
  private mine(trial: Trial): boolean {
    return trial.attempts.at(-1)?.worker === this.options.worker;
  }

  /** Stops holding a trial (its heartbeat ends) and returns its job; the job itself is left as it is. */
  forget(trialId: string): Job {
    const held = this.held.get(trialId);
    if (!held) throw new Error(`sweep ${this.sweep.id}: trial ${trialId} is not held by this worker`);
    clearInterval(held.heartbeat);
    this.held.delete(trialId);
    return held.job;
  }

  async started(id: string, { run, resumed }: { run: string; resumed: boolean }): Promise<void> {
    await this.change((trial) => {
      if (!this.mine(trial)) return false;
      trial.run = run;
      Object.assign(trial.attempts.at(-1)!, { run, resumed });
    }, id);
  }

  async complete(id: string, metric: number | null): Promise<void> {
    const job = this.forget(id);
    await this.change((trial) => {
      if (!this.mine(trial)) return false;
      trial.status = "done";
      trial.results.push({ ...(trial.budget === undefined ? {} : { budget: trial.budget }), metric });
      end(trial, "finished");
    }, id);
    await withReconnect(() => this.db.boss.complete(this.name, job));
  }

  async fail(id: string, error: string): Promise<{ retrying: boolean }> {
    const job = this.forget(id);
    const retrying = job.retryCount < job.retryLimit;
    await this.change((trial) => {
      if (!this.mine(trial)) return false;
      end(trial, "failed", error);
      trial.status = retrying ? "pending" : "failed";
      if (!retrying) trial.error = error;
    }, id);
    await withReconnect(() => this.db.boss.fail(this.name, job, { error }));
    return { retrying };
  }

  /** Back to the queue without counting as a failure: a new job carries the trial, the held one is dropped. */
  async release(id: string): Promise<void> {
    const job = this.forget(id);
    const next = await withReconnect(() => this.db.boss.send(this.name, { trial: id }));
    await this.change((trial, row) => {
      if (!this.mine(trial)) return false;
      trial.status = "pending";
      row.job = next;
      end(trial, "interrupted");
    }, id);
    await withReconnect(() => this.db.boss.deleteJob(this.name, job));
  }

  /**
   * Every trial in id order. A trial still running whose job pg-boss has failed (its worker lost
   * with no retries left) is failed here, with why.
   */
  async list(): Promise<Trial[]> {
    const { rows } = await withReconnect(() =>
      this.pool.query<{ trial: Trial; job: string | null }>(
        "select trial, job from tflab.sweep_trials where sweep_id = $1 order by id",
        [this.sweep.id],
      )
    );
    for (const row of rows.filter((r) => r.trial.status === "running" && r.job)) {
      const [job] = await withReconnect(() => this.db.boss.findJobs(this.name, { id: row.job! }));
      if (job?.state !== "failed") continue;
      row.trial = (await this.change((trial, current) => {
        if (trial.status !== "running" || current.job !== row.job) return false;
        trial.status = "failed";
        trial.error = "its worker was lost (lease expired) and no retries were left";
        end(trial, "interrupted", trial.error);
      }, row.trial.id)) ?? row.trial;
    }
    return rows.map((row) => row.trial);
  }

  /**
   * Reads a trial's row under a lock, applies `apply` and writes it back, in one transaction.
   * `apply` returning false leaves the row as it was (and the call returns null).
   */
  private async change(apply: (trial: Trial, row: { job: string | null }) => false | void, trialId: string) {
    return await this.transaction(async (client) => {
      const { rows } = await client.query<{ trial: Trial; job: string | null }>(
        "select trial, job from tflab.sweep_trials where sweep_id = $1 and id = $2 for update",
        [this.sweep.id, trialId],
      );
      const row = rows[0];
      if (!row || apply(row.trial, row) === false) return null;
      await client.query("update tflab.sweep_trials set trial = $3, job = $4 where sweep_id = $1 and id = $2", [
        this.sweep.id,
        trialId,
        row.trial,
        row.job,
      ]);
      return row.trial;
    });
  }

  /** `work` in one transaction, tried again whole after a cut connection (a rollback leaves nothing behind). */
  private transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return withReconnect(() => inTransaction(this.pool, work));
  }
}

const jobTrial = (job: Job) => job.data.trial;

function end(trial: Trial, outcome: NonNullable<Attempt["outcome"]>, error?: string): void {
  const attempt = trial.attempts.at(-1);
  if (attempt) Object.assign(attempt, { endedAt: now(), outcome, ...(error ? { error } : {}) });
}
