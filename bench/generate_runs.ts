/**
 * Run folders as the labs write them, made up fast, for the dashboard's benchmark and its
 * browser test: what a night of sweeps leaves behind. Four labs take turns (their real specs and
 * defaults in run.json); each lab's runs are settings of its learning rate times seeds; most
 * finished (with a summary.json), some failed or interrupted, a few still running. Each run has
 * an events.jsonl of `eventsPerRun` lines: losses every few steps, an evaluation now and then,
 * status events; as long and as keyed as a short real run's.
 */
import { join } from "node:path";
import { defaults } from "../lib/hparams.ts";
import type { NewEvent, RunEvent, RunInfo, RunStatus } from "../lib/run/types.ts";
import { LABS } from "../labs/mod.ts";
import { fullSpec, type Lab } from "../runner/lab.ts";
import type { Spec } from "../lib/hparams.ts";

const LAB_IDS = ["vae-mnist", "ppo-cartpole", "dqn-cartpole", "gan-mnist"];
export const LEARNING_RATES = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2];
const SEEDS = 10;
const START = Date.UTC(2026, 11, 1);

export interface GenerateOptions {
  /** lines of each events.jsonl (default 300) */
  eventsPerRun?: number;
}

/** Writes `count` run folders into runsDir; returns their ids, newest first. */
export async function generateRuns(
  runsDir: string,
  count: number,
  { eventsPerRun = 300 }: GenerateOptions = {},
): Promise<string[]> {
  const labs = await Promise.all(LAB_IDS.map(async (id) => (await LABS[id]()).lab as unknown as Lab<Spec>));
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    const lab = labs[n % labs.length];
    const setting = Math.floor(n / labs.length / SEEDS) % LEARNING_RATES.length;
    const seed = (Math.floor(n / labs.length) % SEEDS) + 1;
    const created = START + n * 60_000;
    const id = `${lab.id}-${stamp(created)}-${n.toString(16).padStart(4, "0")}`;
    const status: RunStatus = n >= count - 3
      ? "running"
      : n % 23 === 7
      ? "failed"
      : n % 31 === 5
      ? "interrupted"
      : "finished";
    const spec = fullSpec(lab);
    const config = { ...defaults(spec), lr: LEARNING_RATES[setting], seed, runsDir };
    const totalSteps = 1000;
    const events = eventsOf(lab.headline, { created, eventsPerRun, seed, lr: LEARNING_RATES[setting], status });
    const info: RunInfo = {
      id,
      lab: lab.id,
      title: lab.title,
      status,
      createdAt: new Date(created).toISOString(),
      updatedAt: new Date(events.at(-1)!.time).toISOString(),
      config,
      spec,
      backend: { name: "blas", reason: "auto: measured" },
      headline: lab.headline,
      totalSteps,
      versions: { deno: Deno.version.deno, tfjs: "4.22.0" },
      host: { os: "linux", arch: "x86_64", hostname: "bench", pid: 1 },
      resumes: [],
      ...(status === "failed" ? { error: "loss became NaN" } : {}),
    };
    const dir = join(runsDir, id);
    await Deno.mkdir(join(dir, "media"), { recursive: true });
    await Deno.writeTextFile(join(dir, "run.json"), JSON.stringify(info, null, 2) + "\n");
    await Deno.writeTextFile(join(dir, "events.jsonl"), events.map((e) => JSON.stringify(e) + "\n").join(""));
    if (status === "finished") {
      const last = events.findLast((e) => e.kind === "scalar" && e.key === lab.headline);
      const summary = { lab: lab.id, [lab.headline]: last?.kind === "scalar" ? last.value : null, wallSeconds: 60 };
      await Deno.writeTextFile(join(dir, "summary.json"), JSON.stringify(summary, null, 2) + "\n");
    }
    ids.push(id);
  }
  return ids.reverse();
}

function eventsOf(
  headline: string,
  { created, eventsPerRun, seed, lr, status }: {
    created: number;
    eventsPerRun: number;
    seed: number;
    lr: number;
    status: RunStatus;
  },
): RunEvent[] {
  const events: RunEvent[] = [];
  let seq = 0;
  const push = (event: NewEvent) => events.push({ seq: ++seq, time: created + seq * 200, ...event } as RunEvent);
  push({ kind: "status", step: 0, status: "running" });
  const steps = Math.max(1, eventsPerRun - 2);
  for (let i = 1; i <= steps; i++) {
    const step = i * 3;
    const loss = 100 * Math.exp(-i * lr * 10) + seed / 10;
    if (i % 10 === 0) push({ kind: "scalar", step, key: headline, value: loss + 5 });
    else if (i % 3 === 0) push({ kind: "scalar", step, key: "system/ms_per_step", value: 6 + seed / 10 });
    else push({ kind: "scalar", step, key: "train/loss", value: loss });
  }
  if (status !== "running") push({ kind: "status", step: steps * 3, status });
  return events;
}

/** 20261201-000000, as run ids carry their start. */
const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
