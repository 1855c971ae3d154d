/**
 * `deno task soak`: every registered lab for 1,000 steps on each backend, tiny models, in this
 * process; prints the live tfjs tensors (system/num_tensors) at step 100 and at step 1,000 and
 * exits with 1 if any count grew (issue 6: "no tfjs memory growth over 1,000 steps of any lab, on
 * any backend"). Not part of the test suite: on blas and wasm it takes minutes.
 *
 * A step is the lab's unit of training: an optimisation step (epoch labs; the epoch of 938 steps
 * ends, with its evaluation and checkpoint, before step 1,000), an env step with one gradient step
 * each (DQN), an update (PPO: the logged step is env steps, 32 per update) or an episode (REINFORCE).
 *
 *   deno task soak [--backends blas,wasm] [--labs vae-mnist,dqn-cartpole]
 */
import { join } from "node:path";
import { LABS } from "../labs/mod.ts";
import { probeWebGpu } from "../lib/backend.ts";
import { UsageError } from "../lib/errors.ts";
import { exitOnError } from "../runner/exit_on_error.ts";
import { formatFlags, parseFlags } from "../lib/hparams.ts";
import { openSystemBlas } from "../lib/kernels/system_blas.ts";
import { readEvents } from "../lib/run/run_reader.ts";

const spec = {
  backends: { type: "string", default: "blas,wasm", help: "comma-separated backends (absent ones are skipped)" },
  labs: { type: "string", default: Object.keys(LABS).join(","), help: "comma-separated lab ids" },
} as const;

/**
 * Flags for 1,000 steps of a tiny model, and the logged steps that are step 100 and step 1,000.
 * `slowBatch`: the batch on cpu and webgpu for the labs whose step takes seconds there at batch 64
 * (the tensors a step leaves behind do not depend on the batch; the epoch's end then falls after
 * step 1,000, so its evaluation is soaked on blas and wasm only).
 */
interface Soak {
  flags: string[];
  at: [number, number];
  slowBatch?: number;
}

const SLOW_BACKENDS = ["cpu", "webgpu"];

/** `soak`'s flags on `backend`. */
function flagsOn(backend: string, { flags, slowBatch }: Soak): string[] {
  if (!slowBatch || !SLOW_BACKENDS.includes(backend)) return flags;
  return flags.map((flag, i) => (flags[i - 1] === "--batch-size" ? String(slowBatch) : flag));
}

const EPOCH = ["--max-steps", "1000", "--batch-size", "64", "--log-every", "100", "--checkpoint-every", "500"];
const DQN = [
  ...["--total-timesteps", "1000", "--learning-starts", "64", "--train-frequency", "1", "--gradient-steps", "1"],
  ...["--hidden-size", "16", "--batch-size", "32", "--log-every", "100", "--eval-every", "1000"],
  ...["--eval-episodes", "2", "--checkpoint-every", "500"],
];
const PPO = [
  ...["--num-envs", "2", "--num-steps", "16", "--num-minibatches", "1", "--update-epochs", "1", "--hidden", "16"],
  ...["--total-timesteps", "32000", "--eval-every", "500", "--eval-episodes", "2", "--checkpoint-every", "500"],
];

export const SOAK: Record<string, Soak | "no tfjs"> = {
  "vae-mnist": { flags: [...EPOCH, "--hidden", "16", "--eval-images", "20", "--sample-count", "0"], at: [100, 1000] },
  "classifier-mnist": { flags: [...EPOCH, "--eval-images", "20"], at: [100, 1000], slowBatch: 8 },
  "ae-mnist": { flags: [...EPOCH, "--width", "4", "--latent", "8", "--eval-images", "20"], at: [100, 1000] },
  "gan-mnist": { flags: [...EPOCH, "--width", "4", "--latent", "8", "--sample-count", "0"], at: [100, 1000] },
  "diffusion-mnist": {
    flags: [...EPOCH, "--width", "4", "--sample-steps", "2", "--sample-count", "0", "--sample-batch", "8"],
    at: [100, 1000],
    slowBatch: 8,
  },
  // 1,000 pretraining steps (the pretraining epoch of 478 steps ends in between), then short cells.
  "transfer-mnist": {
    flags: [
      ...["--max-steps", "1000", "--batch-size", "64", "--log-every", "100", "--filters", "2", "--hidden", "8"],
      ...["--eval-images", "20", "--labels-per-class", "2", "--pretrain-epochs", "3", "--cell-steps", "100"],
    ],
    at: [100, 1000],
  },
  "dqn-cartpole": { flags: DQN, at: [100, 1000] },
  "dqn-acrobot": { flags: DQN, at: [100, 1000] },
  "qlearning-frozenlake": "no tfjs",
  "reinforce-cartpole": {
    flags: ["--episodes", "1000", "--hidden", "16", "--eval-every", "500", "--eval-episodes", "2"],
    at: [100, 1000],
  },
  "ppo-cartpole": { flags: PPO, at: [3200, 32000] },
  "ppo-pendulum": { flags: PPO, at: [3200, 32000] },
};

interface Row {
  lab: string;
  backend: string;
  at100?: number;
  at1000?: number;
  seconds?: number;
  /** the batch, where it is not the lab's soak default (see Soak.slowBatch) */
  batch?: number;
  note?: string;
}

async function soak(id: string, backend: string, settings: Soak): Promise<Row> {
  const runsDir = await Deno.makeTempDir({ prefix: "tflab-soak-" });
  const t0 = performance.now();
  const flags = flagsOn(backend, settings);
  try {
    const { main } = await LABS[id]();
    await main(["--no-dashboard", "--runs-dir", runsDir, "--backend", backend, ...flags]);
    const [entry] = await Array.fromAsync(Deno.readDir(runsDir));
    const events = await readEvents(join(runsDir, entry.name));
    const counts = new Map(
      events.flatMap((e) => (e.kind === "scalar" && e.key === "system/num_tensors" ? [[e.step, e.value]] : [])),
    );
    return {
      lab: id,
      backend,
      at100: counts.get(settings.at[0]),
      at1000: counts.get(settings.at[1]),
      seconds: (performance.now() - t0) / 1000,
      batch: flags === settings.flags ? undefined : settings.slowBatch,
    };
  } catch (error) {
    return { lab: id, backend, note: `failed: ${String(error).split("\n")[0].slice(0, 100)}` };
  } finally {
    await Deno.remove(runsDir, { recursive: true });
  }
}

async function available(backend: string): Promise<boolean> {
  if (backend === "blas") return openSystemBlas() !== null;
  if (backend === "webgpu") return (await probeWebGpu()) !== null;
  return backend === "wasm" || backend === "cpu";
}

const grew = (row: Row) => row.note?.startsWith("failed") || row.at100 === undefined || row.at100 !== row.at1000;

async function main(args: string[]): Promise<void> {
  if (args.includes("--help")) return console.log(`deno task soak [flags]\n${formatFlags(spec)}`);
  const { config } = parseFlags(spec, args);
  const ids = config.labs.split(",");
  const unknown = ids.filter((id) => !(id in SOAK));
  if (unknown.length) {
    throw new UsageError(`--labs: no soak settings for ${unknown.join(", ")}; known: ${Object.keys(SOAK)}`);
  }
  const rows: Row[] = [];
  for (const backend of config.backends.split(",")) {
    if (!(await available(backend))) {
      console.error(`skipping ${backend}: not available on this machine`);
      continue;
    }
    for (const id of ids) {
      const settings = SOAK[id];
      const row = settings === "no tfjs" ? { lab: id, backend, note: "no tfjs" } : await soak(id, backend, settings);
      console.error(`soak: ${id} on ${backend}: ${row.note ?? `${row.at100} -> ${row.at1000} tensors`}`);
      rows.push(row);
    }
  }
  const failed = rows.filter((row) => row.note !== "no tfjs" && grew(row));
  console.log("\n| lab | backend | num_tensors at step 100 | at step 1000 | seconds | |");
  console.log("|---|---|---|---|---|---|");
  for (const r of rows) {
    const verdict = (r.note ?? (failed.includes(r) ? "GREW" : "flat")) + (r.batch ? ` (batch ${r.batch})` : "");
    console.log(
      `| ${r.lab} | ${r.backend} | ${r.at100 ?? "-"} | ${r.at1000 ?? "-"} | ${
        r.seconds?.toFixed(0) ?? "-"
      } | ${verdict} |`,
    );
  }
  console.log(`\n${rows.length - failed.length} flat, ${failed.length} grew or failed`);
  if (failed.length) Deno.exit(1);
}

if (import.meta.main) await exitOnError(() => main(Deno.args));
