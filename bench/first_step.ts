/**
 * Time to first step: from starting a fresh process to the end of its first training step, the
 * wait a student sees before anything happens. For tfjs, `deno task lab vae-mnist` in a child
 * process (Deno start, module loading, backend start-up, MNIST from disk, model build, one step),
 * timed until its first `train/loss` event is in events.jsonl. For PyTorch,
 * bench/reference/first_step_torch.py (import torch, MNIST from disk, model build, one step),
 * timed until it prints. Module caches are warm: each is run once before the timed runs. The lab
 * runs with --sample-count 0, as the PyTorch script measures no samples: with sample metrics on,
 * the yardstick's reference statistics (20,000 images through the classifier) come first, about
 * 5 s on 2 cores.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundledMnistDir } from "../lib/data/mnist.ts";

const CLI = fileURLToPath(new URL("../cli.ts", import.meta.url));
const POLL_MS = 5;

async function firstTrainEvent(runsDir: string): Promise<boolean> {
  for await (const entry of Deno.readDir(runsDir)) {
    const text = await Deno.readTextFile(join(runsDir, entry.name, "events.jsonl")).catch(() => "");
    if (text.includes('"train/loss"')) return true;
  }
  return false;
}

/** Seconds from spawning a lab to its first logged training step; the child is killed then. */
async function labFirstStep(backend: string): Promise<number> {
  const runsDir = await Deno.makeTempDir({ prefix: "tflab-bench-" });
  try {
    const start = performance.now();
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CLI, "lab", "vae-mnist", "--no-dashboard", "--backend", backend, "--log-every", "1"]
        .concat(["--max-steps", "2", "--sample-count", "0", "--runs-dir", runsDir]),
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const stderr = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    let log = "";
    (async () => {
      for (let r = await stderr.read(); !r.done; r = await stderr.read()) log += r.value;
    })();
    let exited = false;
    const status = child.status.then((s) => (exited = true, s));
    while (!(await firstTrainEvent(runsDir))) {
      if (exited) throw new Error(`vae-mnist exited before its first step: ${log.trim().split("\n").at(-1)}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const seconds = (performance.now() - start) / 1000;
    if (!exited) child.kill("SIGKILL");
    await status;
    return seconds;
  } finally {
    await Deno.remove(runsDir, { recursive: true });
  }
}

/** Seconds from spawning `python` on the PyTorch script to its "first step" line. */
async function torchFirstStep(python: string): Promise<number> {
  const script = fileURLToPath(new URL("./reference/first_step_torch.py", import.meta.url));
  const start = performance.now();
  const result = await new Deno.Command(python, {
    args: [script, bundledMnistDir()],
    env: { OMP_NUM_THREADS: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!result.success) throw new Error(new TextDecoder().decode(result.stderr).trim().split("\n").at(-1));
  return (performance.now() - start) / 1000;
}

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function medianOf(repeats: number, measure: () => Promise<number>): Promise<number> {
  await measure(); // warm the module caches
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) times.push(await measure());
  return median(times);
}

export interface FirstStepRow {
  who: string;
  seconds?: number;
  error?: string;
}

export async function benchFirstStep(
  { backends, python, repeats }: { backends: string[]; python?: string; repeats: number },
): Promise<FirstStepRow[]> {
  const rows: FirstStepRow[] = [];
  const attempt = async (who: string, measure: () => Promise<number>) => {
    try {
      rows.push({ who, seconds: await medianOf(repeats, measure) });
    } catch (error) {
      rows.push({ who, error: (error instanceof Error ? error.message : String(error)).slice(0, 100) });
    }
    console.error(`  first step, ${who}: ${rows.at(-1)!.seconds?.toFixed(2) ?? rows.at(-1)!.error} s`);
  };
  for (const backend of backends) await attempt(`vae-mnist --backend ${backend}`, () => labFirstStep(backend));
  if (python) await attempt("PyTorch", () => torchFirstStep(python));
  return rows;
}
