/**
 * Writes one run through the run store (run_store.ts; the run folder by default): run.json, the
 * append-only events, media and checkpoints. Every file that is replaced is replaced atomically;
 * events are appended one whole line at a time, and a checkpoint records the seq of the last
 * event before it, so a resumed run drops the events written after its checkpoint and never logs
 * them twice.
 */
import { hostname } from "node:os";
import type { CheckpointState } from "../checkpoint.ts";
import type { Spec } from "../hparams.ts";
import { TFJS_VERSION } from "../tf.ts";
import { jsonFileText } from "./atomic_write.ts";
import { FolderRun, FolderStore } from "./folder_store.ts";
import type { RunFiles, RunStore } from "./run_store.ts";
import type { BackendInfo, EpisodeRecord, HeadlineDirection, NewEvent, RunEvent, RunInfo, RunStatus } from "./types.ts";

export interface NewRunOptions {
  runsDir: string;
  /** where the run goes; default: a folder under runsDir */
  store?: RunStore;
  lab: string;
  title: string;
  config: Record<string, unknown>;
  /** the spec the config was parsed by, recorded beside it */
  spec: Spec;
  backend: BackendInfo;
  headline: string;
  better?: HeadlineDirection;
  /** the sweep and trial this run is, when a sweep started it */
  sweep?: RunInfo["sweep"];
  /** the sweep worker running it (`deno task worker`), recorded in run.json's host */
  worker?: string;
  totalSteps: number;
}

export class RunWriter {
  private lastSeq: number;
  /** The step of the latest event, for the status event that a signal writes. */
  private lastStep = 0;
  private removeSignalHandlers: () => void = () => {};
  /**
   * Set by a training loop that checks `stopRequested` (trainers/epoch_loop.ts, or stopIfRequested in
   * the RL labs) to where it stops, for the message: "at the next log boundary". A first Ctrl-C or
   * kill then asks it to checkpoint and stop, so no work since the last checkpoint is lost;
   * without one (or at a second signal) the run stops at once, resumable from its last checkpoint.
   */
  gracefulStop: string | null = null;
  stopRequested = false;
  private closeHooks: (() => Promise<void>)[] = [];

  private constructor(readonly files: RunFiles, private info: RunInfo, lastSeq: number) {
    this.lastSeq = lastSeq;
    this.handleSignals();
  }

  /** Where the run is, for messages and `--resume`: its folder, or the store's URL (no password) and its id. */
  get dir(): string {
    return this.files.location;
  }

  get id(): string {
    return this.info.id;
  }
  get seq(): number {
    return this.lastSeq;
  }

  static async create(options: NewRunOptions): Promise<RunWriter> {
    const now = new Date();
    const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
    const id = `${options.lab}-${stamp}-${crypto.randomUUID().slice(0, 4)}`;
    const info: RunInfo = {
      id,
      lab: options.lab,
      title: options.title,
      status: "running",
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      config: options.config,
      spec: options.spec,
      backend: options.backend,
      headline: options.headline,
      ...(options.better ? { better: options.better } : {}),
      ...(options.sweep ? { sweep: options.sweep } : {}),
      totalSteps: options.totalSteps,
      versions: { ...Deno.version, tfjs: TFJS_VERSION },
      host: thisHost(options.worker),
      resumes: [],
    };
    const files = await (options.store ?? new FolderStore(options.runsDir)).create(info);
    const run = new RunWriter(files, info, 0);
    run.event({ kind: "status", step: 0, status: "running" });
    return run;
  }

  /** Reopens a run (its folder, or its files in a store) to continue after `checkpoint`: drops the events logged after it. */
  static async resume(
    run: string | RunFiles,
    checkpoint: CheckpointState,
    { backend, totalSteps, budget = {}, worker }: {
      backend: BackendInfo;
      totalSteps: number;
      budget?: Record<string, unknown>;
      worker?: string;
    },
  ): Promise<RunWriter> {
    const files = typeof run === "string" ? new FolderRun(run) : run;
    const info = await files.readInfo();
    Object.assign(info.config, budget); // a resume may give a new --epochs or --max-steps: record what the run now trains to
    await files.truncateEvents(checkpoint.eventSeq);
    const now = new Date().toISOString();
    // The machine (and worker) that continues it may not be the one that started it: the host is the latest, each resume names its own.
    info.host = thisHost(worker);
    info.resumes.push({
      at: now,
      fromStep: checkpoint.step,
      backend: backend.name,
      hostname: info.host.hostname,
      ...(worker ? { worker } : {}),
    });
    Object.assign(info, { status: "running", updatedAt: now, backend, totalSteps, error: undefined });
    await files.writeInfo(info);
    const writer = new RunWriter(files, info, checkpoint.eventSeq);
    writer.event({ kind: "status", step: checkpoint.step, status: "resumed", message: `from step ${checkpoint.step}` });
    return writer;
  }

  /** Appends one event; returns its seq. */
  event(event: NewEvent): number {
    // Once closed (a signal stops the run while the training loop still runs until the exit), events are dropped.
    if (this.closed) return this.lastSeq;
    const full = { seq: ++this.lastSeq, time: Date.now(), ...event } as RunEvent;
    this.lastStep = event.step;
    this.files.appendEvent(full.seq, JSON.stringify(full) + "\n");
    return full.seq;
  }

  scalars(step: number, values: Record<string, number>): void {
    for (const [key, value] of Object.entries(values)) this.event({ kind: "scalar", step, key, value });
  }

  /** Every event logged so far (of every session of a resumed run). */
  readEvents(): Promise<RunEvent[]> {
    return this.files.readEvents();
  }

  /** Writes a file of the run (atomically) and returns its run-relative path. */
  async putArtifact(relativePath: string, bytes: Uint8Array): Promise<string> {
    await this.files.putFile(relativePath, bytes);
    return relativePath;
  }

  async image(step: number, key: string, png: { bytes: Uint8Array; width: number; height: number }) {
    const path = mediaPath(key, step, "png");
    await this.putArtifact(path, png.bytes);
    this.event({ kind: "image", step, key, path, width: png.width, height: png.height });
  }

  /** Writes an episode's render states for replay, and its event. */
  async episode(step: number, key: string, record: EpisodeRecord, rewardThreshold?: number): Promise<void> {
    const path = mediaPath(key, step, "json");
    await this.putArtifact(path, new TextEncoder().encode(JSON.stringify(record)));
    const total = record.rewards.reduce((a, b) => a + b, 0);
    this.event({
      kind: "episode",
      step,
      key,
      env: record.env,
      path,
      return: total,
      length: record.rewards.length,
      ...(rewardThreshold === undefined ? {} : { rewardThreshold }),
    });
  }

  /** Saves a checkpoint that covers every event logged so far. */
  async checkpoint(state: Omit<CheckpointState, "eventSeq">): Promise<string | undefined> {
    if (this.closed) return; // stopped by a signal: the run resumes from its last checkpoint
    this.event({ kind: "checkpoint", step: state.step, epoch: state.epoch, path: "checkpoints/" });
    await this.files.flushEvents();
    return await this.files.saveCheckpoint({ ...state, eventSeq: this.lastSeq });
  }

  async finish(step: number, summary: Record<string, unknown>): Promise<void> {
    await this.files.putFile("summary.json", new TextEncoder().encode(jsonFileText(summary)));
    await this.close(step, "finished");
  }

  /** Runs `hook` when the run ends, however it ends (finished, failed, interrupted). */
  onClose(hook: () => Promise<void>): void {
    this.closeHooks.push(hook);
  }

  /** Marks the run failed at its latest step, with the error's message in run.json. */
  fail(message: string): Promise<void> {
    return this.close(this.lastStep, "failed", message);
  }

  async close(step: number, status: RunStatus, message?: string): Promise<void> {
    if (this.closed) return;
    this.removeSignalHandlers();
    this.event({ kind: "status", step, status, ...(message ? { message } : {}) });
    this.closed = true;
    await this.files.flushEvents();
    Object.assign(this.info, { status, updatedAt: new Date().toISOString() });
    if (message && status === "failed") this.info.error = message;
    await this.files.writeInfo(this.info);
    await this.files.close();
    for (const hook of this.closeHooks.splice(0)) await hook();
  }

  private lastYield = performance.now();
  private closed = false;

  /**
   * Gives Ctrl-C and kill a turn of the event loop, at most every 100 ms. Training loops call it
   * between steps: on the CPU backends a step's read-backs resolve without such a turn, so the
   * signal handlers would otherwise wait for the next checkpoint's file write.
   */
  async yieldToSignals(): Promise<void> {
    if (performance.now() - this.lastYield < 100) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
    this.lastYield = performance.now();
  }

  /**
   * For loops that can resume exactly only at certain points (an episode's end, an update's end):
   * call it at each. After a first Ctrl-C or kill it writes a checkpoint there (unless the loop
   * just wrote one) and exits as interrupt() does.
   */
  async stopIfRequested(step: number, checkpoint: () => Promise<unknown>, { justSaved = false } = {}): Promise<void> {
    if (!this.stopRequested) return;
    if (!justSaved) await checkpoint();
    await this.interrupt(step);
  }

  /** Marks the run interrupted (resumable) at `step`, says how to continue, and exits. */
  async interrupt(step = this.lastStep): Promise<never> {
    await this.close(step, "interrupted", "stopped by a signal");
    console.error(`\nInterrupted. Continue with: deno task lab ${this.info.lab} --resume ${this.dir}`);
    Deno.exit(130);
  }

  /** Ctrl-C or a polite kill: a graceful stop if the loop takes one (see gracefulStop), else at once. */
  private handleSignals(): void {
    const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
    const onSignal = async () => {
      if (this.gracefulStop && !this.stopRequested) {
        this.stopRequested = true;
        console.error(`\nStopping ${this.gracefulStop}, with a checkpoint (a second Ctrl-C stops at once).`);
        return;
      }
      await this.interrupt();
    };
    for (const signal of signals) Deno.addSignalListener(signal, onSignal);
    this.removeSignalHandlers = () => signals.forEach((s) => Deno.removeSignalListener(s, onSignal));
  }
}

/** "samples/prior" at step 469 -> "media/samples-prior-step-000000469.png" */
const mediaPath = (key: string, step: number, extension: string) =>
  `media/${key.replaceAll("/", "-")}-step-${String(step).padStart(9, "0")}.${extension}`;

function thisHost(worker?: string): RunInfo["host"] {
  return {
    os: Deno.build.os,
    arch: Deno.build.arch,
    hostname: hostname(),
    pid: Deno.pid,
    ...(worker ? { worker } : {}),
  };
}
