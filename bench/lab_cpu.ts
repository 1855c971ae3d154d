/**
 * `deno task bench --only labs`: whole RL labs beside their PyTorch references, what a student
 * pays for a run rather than for one step. Each side runs start to finish as a child process with
 * the same env steps and seed: the lab as `deno task lab <id> --no-dashboard` into a temporary runs
 * folder (removed afterwards), the reference as `python3 bench/reference/<script> SEED STEPS` with
 * OMP_NUM_THREADS=1. Each is timed in CPU seconds (user + sys of the child and of every process it
 * waited for, from the POSIX shell's `times`: start-up, training and evaluation, every thread) and
 * wall seconds, one after the other, never side by side on the shared cores. Both final
 * evaluations are printed beside the times, so a reader sees that the two did the same work.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BACKENDS } from "../lib/backend.ts";
import { UsageError } from "../lib/errors.ts";

export interface LabBench {
  lab: string;
  /** env steps of both runs: the lab's --total-timesteps and the reference's TOTAL_STEPS */
  envSteps: number;
  /** the PyTorch reference in bench/reference/, same algorithm and settings */
  script: string;
}

export const LAB_BENCHES: LabBench[] = [
  { lab: "dqn-cartpole", envSteps: 50_000, script: "dqn_cartpole_torch.py" },
  { lab: "ppo-cartpole", envSteps: 100_000, script: "ppo_cartpole_torch.py" },
];

/** The flags of `--only labs`, spread into bench/main.ts's spec. */
export const labFlags = {
  labs: {
    type: "string",
    default: "",
    help: `--only labs and gpu-counts: comma-separated labs (default: ${
      LAB_BENCHES.map((b) => b.lab).join(",")
    } for labs, every tfjs lab for gpu-counts)`,
  },
  seed: {
    type: "int",
    default: 1,
    min: 0,
    max: 2 ** 32 - 1,
    help: "--only labs and vae-lab-step: the seed of both sides' runs",
  },
  backend: {
    type: "string",
    default: "blas",
    choices: BACKENDS,
    help: "--only labs and vae-lab-step: the lab's backend (auto would also time its probe runs); " +
      "--only replay-ceiling: the backend timed",
  },
  envSteps: {
    type: "int",
    default: 0,
    min: 0,
    help: `--only labs: env steps of both runs, 0 for each lab's own (${
      LAB_BENCHES.map((b) => `${b.lab} ${b.envSteps}`).join(", ")
    })`,
  },
} as const;

/** The benches named in `list` (comma-separated), in its order, or all for ""; an unknown name is a UsageError. */
export function labsToBench(list: string): LabBench[] {
  if (list === "") return LAB_BENCHES;
  const names = list.split(",").map((name) => name.trim()).filter((name) => name);
  const unknown = names.filter((name) => !LAB_BENCHES.some((b) => b.lab === name));
  if (unknown.length || !names.length) {
    throw new UsageError(
      `--labs: ${unknown.length ? `unknown lab ${unknown.join(", ")}` : "no lab given"}; ` +
        `known: ${LAB_BENCHES.map((b) => b.lab).join(", ")}.`,
    );
  }
  return [...new Set(names)].map((name) => LAB_BENCHES.find((b) => b.lab === name)!);
}

export interface Timed {
  /** user + sys seconds of the command and every process it waited for */
  cpuSeconds: number;
  wallSeconds: number;
  /** the command's standard output */
  stdout: string;
}

/**
 * Runs `command` under `sh`, whose `times` then prints the user and sys time of its children: the
 * command and, recursively, every process that was waited for. The shell's own time is left out.
 */
export async function timeCommand(command: string[], options: { env?: Record<string, string> } = {}): Promise<Timed> {
  const start = performance.now();
  const result = await new Deno.Command("sh", {
    args: ["-c", '"$@"; status=$?; times; exit $status', "sh", ...command],
    env: options.env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const wallSeconds = (performance.now() - start) / 1000;
  const lines = new TextDecoder().decode(result.stdout).trimEnd().split("\n");
  if (!result.success) {
    const why = new TextDecoder().decode(result.stderr).trim().split("\n").at(-1) ?? "";
    throw new Error(`'${command.join(" ")}' exited with status ${result.code}: ${why}`);
  }
  // times: a line for the shell (user sys), then one for its children, each like 1m2.345678s.
  const children = [...(lines.at(-1) ?? "").matchAll(/(\d+)m([\d.]+)s/g)].map((m) => 60 * Number(m[1]) + Number(m[2]));
  if (children.length !== 2) throw new Error(`sh's times printed '${lines.slice(-2).join("\\n")}', not user and sys`);
  return { cpuSeconds: children[0] + children[1], wallSeconds, stdout: lines.slice(0, -2).join("\n") };
}

export type Evaluation = { mean: number; std: number; episodes: number };
export type Side = (Omit<Timed, "stdout"> & { eval: Evaluation }) | { error: string };

export interface LabRow {
  lab: string;
  envSteps: number;
  tflab: Side;
  pytorch: Side;
}

const CLI = fileURLToPath(new URL("../cli.ts", import.meta.url));

/**
 * Times `deno task lab <lab> --no-dashboard <flags>` run into a temporary runs folder, which is
 * removed afterwards; `read` gets the run's directory first, for what the caller needs of it.
 */
export async function timeLab<T>(
  lab: string,
  flags: string[],
  read: (timed: Timed, runDir: string) => Promise<T>,
  options: { env?: Record<string, string> } = {},
): Promise<T> {
  const runsDir = await Deno.makeTempDir({ prefix: "tflab-bench-labs-" });
  try {
    const timed = await timeCommand(
      [Deno.execPath(), "run", "-A", CLI, "lab", lab, "--no-dashboard", "--runs-dir", runsDir, ...flags],
      options,
    );
    const [run] = await Array.fromAsync(Deno.readDir(runsDir));
    return await read(timed, join(runsDir, run.name));
  } finally {
    await Deno.remove(runsDir, { recursive: true });
  }
}

/** The lab, start to finish; its final evaluation from summary.json. */
function runLab(bench: LabBench, o: { seed: number; backend: string; envSteps: number }): Promise<Side> {
  const flags = ["--seed", `${o.seed}`, "--backend", o.backend, "--total-timesteps", `${o.envSteps}`];
  return timeLab(bench.lab, flags, async ({ cpuSeconds, wallSeconds }, runDir) => {
    const summary = JSON.parse(await Deno.readTextFile(join(runDir, "summary.json")));
    const evaluation = { mean: summary["eval/mean_return"], std: summary["eval/std_return"] };
    return { cpuSeconds, wallSeconds, eval: { ...evaluation, episodes: summary.evalEpisodes } };
  });
}

/** The PyTorch reference, start to finish, on one thread; its final evaluation from its last JSON line. */
async function runReference(bench: LabBench, o: { seed: number; envSteps: number; python: string }): Promise<Side> {
  const script = fileURLToPath(new URL(`./reference/${bench.script}`, import.meta.url));
  const timed = await timeCommand([o.python, script, `${o.seed}`, `${o.envSteps}`], { env: { OMP_NUM_THREADS: "1" } });
  const final = JSON.parse(timed.stdout.trim().split("\n").at(-1)!);
  const evaluation = { mean: final.eval_mean_100, std: final.eval_std_100, episodes: 100 };
  return { cpuSeconds: timed.cpuSeconds, wallSeconds: timed.wallSeconds, eval: evaluation };
}

const failed = (error: unknown): Side => ({
  error: (error instanceof Error ? error.message : String(error)).slice(0, 200),
});

/** Each bench's lab, then its reference (when `python` has torch), one at a time. */
export async function benchLabs(
  benches: LabBench[],
  o: { seed: number; backend: string; envSteps: number; python?: string },
): Promise<LabRow[]> {
  const rows: LabRow[] = [];
  const load = () => `load ${Deno.loadavg().map((l) => l.toFixed(2)).join(" ")}`;
  for (const bench of benches) {
    const envSteps = o.envSteps || bench.envSteps;
    console.error(`${bench.lab}, ${envSteps} env steps, seed ${o.seed}: tflab on ${o.backend} (${load()})`);
    const tflab = await runLab(bench, { ...o, envSteps }).catch(failed);
    console.error(`  tflab: ${describeSide(tflab)}; now PyTorch (${load()})`);
    const pytorch = o.python
      ? await runReference(bench, { ...o, envSteps, python: o.python }).catch(failed)
      : { error: "not run (--no-torch, or no python3 with torch)" };
    console.error(`  PyTorch: ${describeSide(pytorch)} (${load()})`);
    rows.push({ lab: bench.lab, envSteps, tflab, pytorch });
  }
  return rows;
}

function describeSide(side: Side): string {
  if ("error" in side) return `fails: ${side.error}`;
  return `${side.cpuSeconds.toFixed(1)} CPU s, ${side.wallSeconds.toFixed(1)} wall s, final eval ${
    evalText(side.eval)
  }`;
}

const evalText = ({ mean, std, episodes }: Evaluation) => `${mean.toFixed(1)} ± ${std.toFixed(1)} (${episodes} ep.)`;

/** The table's lines: a header, then one row per lab. */
export function labTable(rows: LabRow[], backend: string): string[][] {
  const lines = [[
    "lab",
    "env steps",
    `tflab CPU s (${backend})`,
    "PyTorch CPU s",
    "CPU ratio",
    "tflab wall s",
    "PyTorch wall s",
    "tflab final eval",
    "PyTorch final eval",
  ]];
  for (const { lab, envSteps, tflab, pytorch } of rows) {
    const cell = (side: Side, value: (ok: Exclude<Side, { error: string }>) => string) =>
      "error" in side ? "fails" : value(side);
    const ratio = "error" in tflab || "error" in pytorch
      ? ""
      : `${(tflab.cpuSeconds / pytorch.cpuSeconds).toFixed(2)}x`;
    lines.push([
      lab,
      envSteps.toLocaleString("en-US"),
      cell(tflab, (s) => s.cpuSeconds.toFixed(1)),
      cell(pytorch, (s) => s.cpuSeconds.toFixed(1)),
      ratio,
      cell(tflab, (s) => s.wallSeconds.toFixed(1)),
      cell(pytorch, (s) => s.wallSeconds.toFixed(1)),
      cell(tflab, (s) => evalText(s.eval)),
      cell(pytorch, (s) => evalText(s.eval)),
    ]);
  }
  return lines;
}
