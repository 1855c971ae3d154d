/**
 * The embedded TrialQueue: the trials live in the sweep's manifest, rewritten atomically after
 * each change, so a sweep stopped at any moment (even kill -9) restarts from the last change
 * written. One sweep process owns the manifest; its changes are applied one at a time.
 */
import { type Attempt, type SweepManifest, type Trial, writeManifest } from "./manifest.ts";
import type { QueuedTrial, TrialQueue } from "./trial_queue.ts";

export class ManifestQueue implements TrialQueue {
  private writes: Promise<void> = Promise.resolve();

  constructor(readonly runsDir: string, private current: SweepManifest) {}

  /** The manifest as last written (a copy: changes go through the methods). */
  get manifest(): SweepManifest {
    return structuredClone(this.current);
  }

  /** Changes sweep-level fields (status, host, parallel, retries) and writes the manifest. */
  update(patch: Partial<Pick<SweepManifest, "status" | "host" | "parallel" | "retries">>): Promise<void> {
    return this.change(() => void Object.assign(this.current, patch));
  }

  enqueue(trials: QueuedTrial[]): Promise<void> {
    return this.change(() => {
      for (const queued of trials) {
        const trial = this.current.trials.find((t) => t.id === queued.id);
        if (trial) Object.assign(trial, { status: "pending", budget: queued.budget, error: undefined });
        else this.current.trials.push({ ...queued, status: "pending", results: [], attempts: [] });
      }
    });
  }

  async claim(): Promise<Trial | null> {
    let claimed: Trial | null = null;
    await this.change(() => {
      const trial = this.current.trials.find((t) => t.status === "pending");
      if (!trial) return;
      trial.status = "running";
      trial.attempts.push({ startedAt: now(), ...(trial.budget === undefined ? {} : { budget: trial.budget }) });
      claimed = structuredClone(trial);
    });
    return claimed;
  }

  started(id: string, { run, resumed }: { run: string; resumed: boolean }): Promise<void> {
    return this.change(() => {
      const trial = this.trial(id);
      trial.run = run;
      Object.assign(lastAttempt(trial), { run, resumed });
    });
  }

  complete(id: string, metric: number | null): Promise<void> {
    return this.change(() => {
      const trial = this.trial(id);
      trial.status = "done";
      trial.results.push({ ...(trial.budget === undefined ? {} : { budget: trial.budget }), metric });
      end(trial, "finished");
    });
  }

  async fail(id: string, error: string): Promise<{ retrying: boolean }> {
    let retrying = false;
    await this.change(() => {
      const trial = this.trial(id);
      end(trial, "failed", error);
      const failures = trial.attempts.filter((a) => a.outcome === "failed" && a.budget === trial.budget).length;
      retrying = failures <= this.current.retries;
      trial.status = retrying ? "pending" : "failed";
      if (!retrying) trial.error = error;
    });
    return { retrying };
  }

  release(id: string): Promise<void> {
    return this.change(() => {
      const trial = this.trial(id);
      trial.status = "pending";
      end(trial, "interrupted");
    });
  }

  list(): Promise<Trial[]> {
    return Promise.resolve(structuredClone(this.current.trials));
  }

  private trial(id: string): Trial {
    const trial = this.current.trials.find((t) => t.id === id);
    if (!trial) throw new Error(`sweep ${this.current.id} has no trial ${id}`);
    return trial;
  }

  /** Applies one change and writes the manifest, after the changes queued before it. */
  private change(apply: () => void): Promise<void> {
    const next = this.writes.then(async () => {
      apply();
      this.current.updatedAt = now();
      await writeManifest(this.runsDir, this.current);
    });
    this.writes = next.catch(() => {}); // a failed write fails its caller, not the changes after it
    return next;
  }
}

const now = () => new Date().toISOString();

function lastAttempt(trial: Trial): Attempt {
  const attempt = trial.attempts.at(-1);
  if (!attempt) throw new Error(`trial ${trial.id} has not been claimed`);
  return attempt;
}

function end(trial: Trial, outcome: NonNullable<Attempt["outcome"]>, error?: string): void {
  Object.assign(lastAttempt(trial), { endedAt: now(), outcome, ...(error ? { error } : {}) });
}
