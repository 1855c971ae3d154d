/**
 * `deno task bench --only gpu-counts`: what one training step of every tfjs lab costs the GPU, as
 * counts, not times: kernel dispatches, read-backs (each stalls the pipeline) and uploads per
 * step, and in the RL labs the read-backs per env step, acting included (a CPU env needs each
 * action back). Each lab runs in a process of its own on `--backend webgpu` at its default model
 * and logging, with a small budget (few steps, small batches, tiny evaluations: counts do not
 * depend on the batch size); the figures are the ones the run logged for its last log window
 * (lib/gpu_counters.ts), which leaves out one-off work such as creating the optimizer's moments.
 * Where the machine has no GPU, Deno's software adapter (Mesa's llvmpipe) gives the same counts,
 * slowly: on 2 busy cores, 5 to 15 minutes a lab, and dqn-acrobot's 1,000 gradient steps longer still
 * (`--labs` picks some).
 */
import { fileURLToPath } from "node:url";
import { readEvents } from "../lib/run/run_reader.ts";

/** What one lab's counts are per, and the flags of its small run. */
interface CountedRun {
  /** what a training step is in this lab */
  per: string;
  flags: string[];
}

// Two log windows of the default 10 steps, of 2 images each: the counts are those of any batch size
// (vae-mnist: the same at 2, 16 and 128), and llvmpipe takes minutes per step of the conv labs at 16.
const EPOCH = ["--max-steps", "20", "--batch-size", "2"];

export const COUNTED_RUNS: Record<string, CountedRun> = {
  "vae-mnist": {
    per: "Adam step",
    flags: [...EPOCH, "--eval-images", "10", "--sample-count", "0", "--reference-images", "200"],
  },
  "classifier-mnist": { per: "Adam step", flags: [...EPOCH, "--eval-images", "20"] },
  "ae-mnist": { per: "Adam step", flags: [...EPOCH, "--eval-images", "20"] },
  "gan-mnist": { per: "D step + G step", flags: [...EPOCH, "--sample-count", "0"] },
  "diffusion-mnist": {
    per: "Adam step",
    flags: [...EPOCH, "--sample-steps", "1", "--sample-count", "0", "--sample-batch", "16"],
  },
  // The pretraining's steps; the cells, one step each here, train the same network.
  "transfer-mnist": {
    per: "pretraining Adam step",
    flags: [...EPOCH, "--eval-images", "20", "--labels-per-class", "10", "--cell-steps", "1"],
  },
  // Gradient steps at env steps 512 and 768 (128 each), in the log window that ends at 1000.
  "dqn-cartpole": {
    per: "gradient step",
    flags: ["--max-steps", "1000", "--learning-starts", "300", "--eval-every", "1000", "--eval-episodes", "1"],
  },
  "dqn-acrobot": {
    per: "gradient step",
    flags: ["--max-steps", "1000", "--eval-every", "1000", "--eval-episodes", "1"],
  },
  "reinforce-cartpole": {
    per: "update (one episode)",
    flags: ["--episodes", "10", "--eval-every", "10", "--eval-episodes", "1"],
  },
  "ppo-cartpole": {
    per: "minibatch step",
    flags: ["--total-timesteps", "512", "--eval-every", "2", "--eval-episodes", "1"],
  },
  "ppo-pendulum": {
    per: "minibatch step",
    flags: ["--total-timesteps", "4096", "--eval-every", "1", "--eval-episodes", "1"],
  },
};

export interface GpuCountRow {
  lab: string;
  per: string;
  dispatches?: number;
  readbacks?: number;
  uploads?: number;
  /** RL labs: every read-back of the window, acting included, per env step */
  readbacksPerEnvStep?: number;
  error?: string;
}

const CLI = fileURLToPath(new URL("../cli.ts", import.meta.url));

/** Runs `lab` on WebGPU with its small budget and returns the counts of its last log window. */
async function countLab(lab: string, runsDir: string): Promise<GpuCountRow> {
  const { per, flags } = COUNTED_RUNS[lab];
  const row: GpuCountRow = { lab, per };
  const args = ["run", "-A", CLI, "lab", lab, "--backend", "webgpu", "--no-dashboard", "--runs-dir", runsDir, ...flags];
  const result = await new Deno.Command(Deno.execPath(), { args, stdout: "null", stderr: "piped" }).output();
  if (!result.success) {
    const why = new TextDecoder().decode(result.stderr).trim().split("\n").at(-1) ?? "";
    return { ...row, error: why.slice(0, 120) };
  }
  const [dir] = await Array.fromAsync(Deno.readDir(runsDir));
  const last = new Map<string, number>();
  for (const event of await readEvents(`${runsDir}/${dir.name}`)) {
    if (event.kind === "scalar" && event.key.startsWith("system/")) last.set(event.key, Number(event.value));
  }
  if (!last.has("system/dispatches_per_step")) return { ...row, error: "the run logged no system/dispatches_per_step" };
  return {
    ...row,
    dispatches: last.get("system/dispatches_per_step"),
    readbacks: last.get("system/readbacks_per_step"),
    uploads: last.get("system/uploads_per_step"),
    readbacksPerEnvStep: last.get("system/readbacks_per_env_step"),
  };
}

/** Counts every lab of `labs` in turn (one process each), reporting each as it ends. */
export async function benchGpuCounts(labs: string[], onRow: (row: GpuCountRow) => void): Promise<GpuCountRow[]> {
  const rows: GpuCountRow[] = [];
  for (const lab of labs) {
    const runsDir = await Deno.makeTempDir({ prefix: "tflab-gpu-counts-" });
    try {
      rows.push(await countLab(lab, runsDir));
    } finally {
      await Deno.remove(runsDir, { recursive: true });
    }
    onRow(rows.at(-1)!);
  }
  return rows;
}

const figure = (value: number | undefined, digits: number) => value === undefined ? "" : value.toFixed(digits);

/** The rows as a table's lines, header first. */
export function gpuCountsTable(rows: GpuCountRow[]): string[][] {
  const lines = [["lab", "per", "dispatches", "read-backs", "uploads", "read-backs per env step"]];
  for (const r of rows) {
    lines.push(
      r.error === undefined
        ? [
          r.lab,
          r.per,
          figure(r.dispatches, 1),
          figure(r.readbacks, 3),
          figure(r.uploads, 1),
          figure(r.readbacksPerEnvStep, 3),
        ]
        : [r.lab, r.per, `fails: ${r.error}`, "", "", ""],
    );
  }
  return lines;
}
