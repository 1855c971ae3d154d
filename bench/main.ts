/**
 * `deno task bench`: each workload's training step on every available backend, beside the same
 * workload in PyTorch when `python3` with `torch` is present, in one run on one machine, PyTorch
 * timed right after ours workload by workload. Warm-up steps are excluded; each figure is the
 * median over repeats of the mean time per step (the fastest and slowest repeat beside it), and 3
 * steps under tf.profile say how many kernels it dispatches and which cost most; `--rounds N`
 * repeats ours-then-PyTorch N times and takes the median of the rounds' ratios. Then
 * CartPole env steps per second beside Gymnasium's (./env_steps.ts), and the time a fresh process
 * takes to its first training step beside PyTorch's (./first_step.ts). `--only dashboard` times the
 * dashboard's runs page and memory with thousands of generated runs instead (./dashboard.ts);
 * `--only labs` runs whole RL labs beside their PyTorch references in CPU seconds (./lab_cpu.ts).
 *
 *   deno task bench [--workloads vae,mnist_cnn] [--backends blas,wasm] [--rounds N] [--no-envs] [--no-first-step] [--out FILE]
 *   deno task bench --only dashboard [--runs 100,1000,5000] [--events-per-run 300]
 *   deno task bench --only labs [--labs dqn-cartpole,ppo-cartpole] [--seed 1] [--backend blas] [--env-steps N]
 *   deno task bench --only gpu-counts [--labs vae-mnist,dqn-cartpole]
 *   deno task bench --only replay-ceiling [--workloads vae,dqn_update] [--backend blas] [--repeats 9]
 *   deno task bench --only vae-lab-step [--repeats 8] [--seed 1] [--backend blas]
 *
 * `--only gpu-counts` counts, on WebGPU, the dispatches, read-backs and uploads per training step
 * of every tfjs lab instead (./gpu_counts.ts); `--only replay-ceiling` times each workload's
 * kernels alone against its whole step, what replaying a recorded step could save at most
 * (./replay_ceiling.ts); `--only vae-lab-step` times the whole vae-mnist lab per training step
 * beside PyTorch's, over alternating rounds (./vae_lab_step.ts).
 */
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { probeWebGpu, useBackend } from "../lib/backend.ts";
import { openOneDnn } from "../lib/kernels/onednn.ts";
import { openSystemBlas } from "../lib/kernels/system_blas.ts";
import { bundledMnistDir, loadMnist, type Mnist } from "../lib/data/mnist.ts";
import { UsageError } from "../lib/errors.ts";
import { exitOnError } from "../runner/exit_on_error.ts";
import { formatFlags, parseFlags } from "../lib/hparams.ts";
import { TFJS_VERSION } from "../lib/tf.ts";
import { benchDashboard, dashboardTable } from "./dashboard.ts";
import { benchEnvSteps, type EnvRow, VECTOR_ENVS } from "./env_steps.ts";
import { benchFirstStep, type FirstStepRow } from "./first_step.ts";
import { describeProfile, profileStep, type StepProfile } from "./kernel_profile.ts";
import { benchLabs, labFlags, labsToBench, labTable } from "./lab_cpu.ts";
import { PYTHONS, pythonWith } from "./python.ts";
import { benchGpuCounts, COUNTED_RUNS, gpuCountsTable } from "./gpu_counts.ts";
import { benchReplayCeiling, type ReplayRow, replayTable } from "./replay_ceiling.ts";
import { benchVaeLabStep, vaeLabTable } from "./vae_lab_step.ts";
import { type Workload, WORKLOADS } from "./workloads.ts";
import { median } from "../lib/stats/describe.ts";

const spec = {
  workloads: { type: "string", default: WORKLOADS.map((w) => w.name).join(","), help: "comma-separated workloads" },
  backends: {
    type: "string",
    default: "blas,wasm,webgpu,cpu",
    help: "comma-separated tfjs backends (absent ones are skipped)",
  },
  repeats: { type: "int", default: 5, min: 1, max: 100, help: "timed repeats per figure (the median is reported)" },
  rounds: {
    type: "int",
    default: 1,
    min: 1,
    max: 50,
    help: "rounds of ours then PyTorch's per workload; the ratio is the median of the rounds' own ratios",
  },
  seconds: { type: "float", default: 0.5, min: 0.01, max: 60, help: "target seconds per repeat" },
  torch: { type: "bool", default: true, help: "also time the PyTorch reference when python3 has torch" },
  envs: { type: "bool", default: true, help: "also time CartPole env steps (beside Gymnasium when python3 has it)" },
  firstStep: { type: "bool", default: true, help: "also time a fresh process's first vae-mnist step (and PyTorch's)" },
  out: { type: "string", default: "", help: "write the results as JSON to this file" },
  only: {
    type: "string",
    default: "training",
    choices: ["training", "dashboard", "labs", "gpu-counts", "replay-ceiling", "vae-lab-step"],
    help: "training: the workloads above; dashboard: the runs page and memory with many runs; " +
      "labs: whole RL labs beside PyTorch, in CPU seconds; " +
      "gpu-counts: dispatches, read-backs and uploads per training step of each lab on WebGPU; " +
      "replay-ceiling: each workload's kernels alone against its whole step (--backend, --repeats rounds); " +
      "vae-lab-step: the vae-mnist lab's time per step beside PyTorch's, (T460 - T60) / 400 (--backend, --seed, " +
      "--repeats rounds)",
  },
  runs: { type: "string", default: "100,1000,5000", help: "--only dashboard: comma-separated counts of runs" },
  eventsPerRun: {
    type: "int",
    default: 300,
    min: 3,
    max: 100_000,
    help: "--only dashboard: lines of each events.jsonl",
  },
  ...labFlags,
} as const;

const WARMUP_STEPS = 3;
// The pure-JS cpu backend and software WebGPU take seconds per step: a few steps say enough.
const MAX_STEPS_PER_REPEAT: Record<string, number> = { cpu: 2, webgpu: 3 };

interface Row {
  workload: string;
  backend: string;
  /** blas: the BLAS threads of the faster of 1 and all cores, as for PyTorch */
  threads?: number;
  /** the median over repeats of the mean time per step */
  msPerStep?: number;
  /** the fastest and slowest repeat */
  msSpread?: [number, number];
  samplesPerSecond?: number;
  /** one step's kernels (./kernel_profile.ts) */
  profile?: StepProfile;
  /** with --rounds: each round's ms/step over PyTorch's of the same round */
  roundRatios?: number[];
  error?: string;
}

async function timeWorkload(step: () => Promise<void>, backend: string, options: { repeats: number; seconds: number }) {
  for (let i = 0; i < WARMUP_STEPS; i++) await step();
  const t0 = performance.now();
  await step();
  const single = (performance.now() - t0) / 1000;
  const perRepeat = Math.max(
    1,
    Math.min(MAX_STEPS_PER_REPEAT[backend] ?? Infinity, Math.round(options.seconds / single)),
  );
  const repeats = backend in MAX_STEPS_PER_REPEAT ? Math.min(options.repeats, 3) : options.repeats;
  const samples: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    for (let i = 0; i < perRepeat; i++) await step();
    samples.push((performance.now() - start) / perRepeat);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], spread: [samples[0], samples.at(-1)!] as [number, number] };
}

/** One workload's row on the active backend: the faster of its BLAS thread counts, and (when asked) its kernels. */
async function timeOnBackend(
  workload: Workload,
  backend: string,
  mnist: Mnist,
  options: { repeats: number; seconds: number },
  { profile }: { profile: boolean },
): Promise<Row> {
  const row: Row = { workload: workload.name, backend };
  let built: ReturnType<typeof workload.setup> | undefined;
  try {
    built = workload.setup(mnist);
    for (const threads of threadCounts(backend)) {
      const { median, spread } = await withBlasThreads(threads, () => timeWorkload(built!.step, backend, options));
      if (row.msPerStep === undefined || median < row.msPerStep) {
        Object.assign(row, { msPerStep: median, msSpread: spread, threads });
      }
    }
    if (profile) row.profile = await withBlasThreads(row.threads, () => profileStep(built!.step));
    row.samplesPerSecond = (1000 * workload.batch) / row.msPerStep!;
  } catch (error) {
    row.error = (error instanceof Error ? error.message : String(error)).split("\n")[0].slice(0, 80);
  } finally {
    built?.dispose();
  }
  return row;
}

/**
 * One row per backend from the rounds: the median of the rounds' ms/step, the fastest and slowest
 * repeat of any round, and each round's own ratio to PyTorch's figure of the same round.
 */
function mergeRounds(rounds: { rows: Row[]; torch?: TorchFigure }[]): Row[] {
  return rounds[0].rows.map((first, b) => {
    const timed = rounds.map((r) => r.rows[b]).filter((row) => row.msPerStep !== undefined);
    if (timed.length < rounds.length) return rounds.map((r) => r.rows[b]).find((row) => row.error) ?? first;
    const msPerStep = median(timed.map((row) => row.msPerStep!));
    return {
      ...first,
      msPerStep,
      msSpread: [Math.min(...timed.map((row) => row.msSpread![0])), Math.max(...timed.map((row) => row.msSpread![1]))],
      samplesPerSecond: (first.samplesPerSecond! * first.msPerStep!) / msPerStep,
      roundRatios: rounds.flatMap((r) => r.torch ? [r.rows[b].msPerStep! / r.torch.ms] : []),
    };
  });
}

type TorchFigure = { ms: number; threads: number };

/** PyTorch's figures, or the reason there are none. Tries 1 and 2 threads and keeps the faster. */
async function torchReference(
  python: string | undefined,
  workloads: string[],
): Promise<Map<string, TorchFigure> | string> {
  if (!python) {
    return `no PyTorch reference: none of ${PYTHONS.join(", ")} can import torch (apt-get install python3-torch)`;
  }
  const script = fileURLToPath(new URL("./reference/bench_torch.py", import.meta.url));
  const best = new Map<string, TorchFigure>();
  for (const threads of ["1", "2"]) {
    const result = await new Deno.Command(python, {
      args: [script, bundledMnistDir(), ...workloads],
      env: { OMP_NUM_THREADS: threads },
      stdout: "piped",
      stderr: "piped",
    }).output().catch((error) => ({
      success: false,
      stdout: new Uint8Array(),
      stderr: new TextEncoder().encode(String(error)),
    }));
    if (!result.success) {
      const why = new TextDecoder().decode(result.stderr).trim().split("\n").at(-1);
      return `no PyTorch reference (${why})`;
    }
    for (const line of new TextDecoder().decode(result.stdout).trim().split("\n")) {
      const { workload, ms_per_step } = JSON.parse(line);
      const previous = best.get(workload);
      if (!previous || ms_per_step < previous.ms) best.set(workload, { ms: ms_per_step, threads: Number(threads) });
    }
  }
  return best;
}

/**
 * The BLAS thread counts to time on `blas`: 1 (its default on 2 cores) and every core, the two
 * PyTorch is timed with; the faster is reported. [undefined] elsewhere: nothing to vary.
 */
function threadCounts(backend: string): (number | undefined)[] {
  if (backend !== "blas" || openSystemBlas()?.threads === undefined) return [undefined];
  return [...new Set([1, navigator.hardwareConcurrency])];
}

/** Runs `body` with the BLAS (and oneDNN, when present) on `threads` threads. */
async function withBlasThreads<T>(threads: number | undefined, body: () => Promise<T>): Promise<T> {
  const libraries = [openSystemBlas(), openOneDnn()].filter((library) => library !== null);
  if (!threads || !openSystemBlas()) return await body();
  const before = libraries.map((library) => library.threads);
  for (const library of libraries) library.threads = threads;
  try {
    return await body();
  } finally {
    libraries.forEach((library, i) => library.threads = before[i]);
  }
}

function table(rows: Row[], reference: Map<string, TorchFigure> | string): string {
  const lines = [["workload", "backend", "ms/step (spread)", "samples/s", "PyTorch ms/step", "tfjs / PyTorch"]];
  for (const row of rows) {
    const torch = typeof reference === "string" ? undefined : reference.get(row.workload);
    const ms = row.msPerStep;
    lines.push([
      row.workload,
      row.threads ? `${row.backend} (${plural(row.threads, "thread")})` : row.backend,
      ms === undefined
        ? `fails: ${row.error}`
        : `${ms.toFixed(2)} (${row.msSpread!.map((x) => x.toFixed(2)).join("-")})`,
      row.samplesPerSecond === undefined ? "" : Math.round(row.samplesPerSecond).toString(),
      torch ? `${torch.ms.toFixed(2)} (${plural(torch.threads, "thread")})` : "",
      row.roundRatios && row.roundRatios.length > 1
        ? `${median(row.roundRatios).toFixed(2)}x (${Math.min(...row.roundRatios).toFixed(2)}-${
          Math.max(...row.roundRatios).toFixed(2)
        }, ${row.roundRatios.length} rounds)`
        : torch && ms !== undefined
        ? `${(ms / torch.ms).toFixed(1)}x`
        : "",
    ]);
  }
  return aligned(lines);
}

/** The workloads named in `list` (comma-separated); an unknown name is a UsageError. */
function knownWorkloads(list: string) {
  const names = list.split(",");
  const unknown = names.filter((n) => !WORKLOADS.some((w) => w.name === n));
  if (unknown.length) {
    throw new UsageError(`Unknown workload ${unknown.join(", ")}; known: ${WORKLOADS.map((w) => w.name).join(", ")}.`);
  }
  return WORKLOADS.filter((w) => names.includes(w.name));
}

const cpuLine = () => `${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores`;

/** `results` as JSON, with the machine and Deno's version, into `path` (--out); nothing when it is "". */
async function writeResults(path: string, machine: string, results: Record<string, unknown>): Promise<void> {
  if (path) {
    await Deno.writeTextFile(path, JSON.stringify({ machine, deno: Deno.version.deno, ...results }, null, 2) + "\n");
  }
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;

function aligned(lines: string[][]): string {
  const widths = lines[0].map((_, c) => Math.max(...lines.map((l) => l[c].length)));
  return lines.map((l) => l.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd()).join("\n");
}

/** Gymnasium's CartPole figures by name, or the reason there are none. */
async function gymnasiumReference(
  options: { repeats: number; seconds: number },
): Promise<Map<string, number> | string> {
  const python = await pythonWith("gymnasium");
  if (!python) {
    return `no Gymnasium reference: none of ${PYTHONS.join(", ")} can import gymnasium (pip install gymnasium)`;
  }
  const script = fileURLToPath(new URL("./reference/env_steps_gymnasium.py", import.meta.url));
  const result = await new Deno.Command(python, {
    args: [script, String(options.repeats), String(options.seconds)],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!result.success) {
    return `no Gymnasium reference (${new TextDecoder().decode(result.stderr).trim().split("\n").at(-1)})`;
  }
  const lines = new TextDecoder().decode(result.stdout).trim().split("\n").map((l) => JSON.parse(l));
  return new Map(lines.map(({ env, steps_per_second }) => [env, steps_per_second]));
}

function envTable(rows: EnvRow[], reference: Map<string, number> | string): string {
  const lines = [["env", "tflab steps/s", "Gymnasium steps/s", "ratio"]];
  const gym = (name: string) => (typeof reference === "string" ? undefined : reference.get(name));
  for (const row of rows) {
    const theirs = gym(row.name);
    lines.push([
      row.name,
      Math.round(row.stepsPerSecond).toString(),
      theirs?.toString() ?? "",
      theirs ? `${(row.stepsPerSecond / theirs).toFixed(1)}x faster` : "",
    ]);
  }
  const numpy = gym(`cartpole_vec${VECTOR_ENVS}_numpy`);
  if (numpy) lines.push([`cartpole_vec${VECTOR_ENVS} (Gymnasium's numpy-vectorised CartPole)`, "", `${numpy}`, ""]);
  return aligned(lines);
}

async function main(args: string[]) {
  if (args.includes("--help")) return console.log(`usage: deno task bench [flags]\n\n${formatFlags(spec)}`);
  const { config } = parseFlags(spec, args);
  if (config.only === "dashboard") return await dashboardOnly(config);
  if (config.only === "labs") return await labsOnly(config);
  if (config.only === "gpu-counts") return await gpuCountsOnly(config);
  if (config.only === "replay-ceiling") return await replayCeilingOnly(config);
  if (config.only === "vae-lab-step") return await vaeLabStepOnly(config);
  const workloads = knownWorkloads(config.workloads);
  const adapter = await probeWebGpu();
  const machine = `${cpuLine()}; WebGPU: ${adapter ? adapter.description : "none"}`;
  console.log(`machine: ${machine}\nDeno ${Deno.version.deno}, tfjs ${TFJS_VERSION}\n`);

  // Env steps first, on a fresh heap: after the tfjs workloads the same loops ran at half the
  // rate or less (0.9M against 2.1M CartPole steps/s), the env's cost hidden under the heap's.
  let envRows: EnvRow[] = [], gymnasium: Map<string, number> | string = "not measured (--no-envs)";
  if (config.envs) {
    envRows = benchEnvSteps(config);
    gymnasium = await gymnasiumReference(config);
  }

  const mnist = await loadMnist();
  const rows: Row[] = [];
  const torchPython = config.torch ? await pythonWith("torch") : undefined;
  let reference: Map<string, TorchFigure> | string = config.torch
    ? new Map()
    : "PyTorch reference skipped (--no-torch)";
  const announced = new Set<string>();
  // Workload by workload, PyTorch right after ours: this machine's speed drifts by up to 2x over
  // minutes, and a ratio whose two sides were timed minutes apart measured the drift as well.
  // With --rounds N, N such pairs per workload, and each round's own ratio.
  for (const workload of workloads) {
    const rounds: { rows: Row[]; torch?: TorchFigure }[] = [];
    for (let round = 0; round < config.rounds; round++) {
      const roundRows: Row[] = [];
      for (const backend of config.backends.split(",")) {
        if ((backend === "webgpu" && !adapter) || (backend === "blas" && !openSystemBlas())) continue;
        const { reason } = await useBackend(backend as "blas" | "wasm" | "webgpu" | "cpu");
        if (!announced.has(backend)) console.error(`${backend}: ${reason}`);
        announced.add(backend);
        const row = await timeOnBackend(workload, backend, mnist, config, { profile: round === 0 });
        roundRows.push(row);
        console.error(`  ${workload.name} on ${backend}: ${row.msPerStep?.toFixed(2) ?? row.error} ms/step`);
        if (row.profile) console.error(`    ${describeProfile(row.profile)}`);
      }
      let torch: TorchFigure | undefined;
      if (typeof reference !== "string") {
        const figures = await torchReference(torchPython, [workload.name]);
        if (typeof figures === "string") reference = figures;
        else torch = figures.get(workload.name);
      }
      rounds.push({ rows: roundRows, torch });
    }
    rows.push(...mergeRounds(rounds));
    const torchRounds = rounds.flatMap((r) => r.torch ? [r.torch] : []);
    if (typeof reference !== "string" && torchRounds.length) {
      reference.set(workload.name, { ms: median(torchRounds.map((t) => t.ms)), threads: torchRounds[0].threads });
    }
  }
  console.log(`\n${table(rows, reference)}`);
  if (typeof reference === "string") console.log(`\n${reference}`);
  console.log(
    "\nwhere a step's time goes (3 steps under tf.profile, per step; profiling slows every kernel, so its times " +
      "rank the kernels rather than split ms/step):",
  );
  for (const row of rows.filter((r) => r.profile)) {
    console.log(`  ${row.workload} on ${row.backend}: ${describeProfile(row.profile!)}`);
  }

  if (config.envs) {
    console.log(`\n${envTable(envRows, gymnasium)}`);
    if (typeof gymnasium === "string") console.log(`\n${gymnasium}`);
  }
  let firstStep: FirstStepRow[] = [];
  if (config.firstStep) {
    const backends = config.backends.split(",").filter((b) => b !== "cpu" && rows.some((r) => r.backend === b));
    firstStep = await benchFirstStep({ backends, python: torchPython, repeats: Math.min(config.repeats, 3) });
    const lines = [["time to first step (fresh process)", "seconds"]];
    for (const row of firstStep) lines.push([row.who, row.seconds?.toFixed(2) ?? `fails: ${row.error}`]);
    console.log(`\n${aligned(lines)}`);
  }
  await writeResults(config.out, machine, {
    tfjs: TFJS_VERSION,
    rows,
    torch: typeof reference === "string" ? reference : Object.fromEntries(reference),
    envs: envRows,
    gymnasium: typeof gymnasium === "string" ? gymnasium : Object.fromEntries(gymnasium),
    firstStep,
  });
}

async function dashboardOnly({ runs, eventsPerRun, out }: { runs: string; eventsPerRun: number; out: string }) {
  const counts = runs.split(",").map((text) => {
    const count = Number(text);
    if (!Number.isInteger(count) || count < 1) throw new UsageError(`--runs: '${text}' is not a positive whole number`);
    return count;
  });
  const machine = cpuLine();
  console.log(`machine: ${machine}\nDeno ${Deno.version.deno}\n`);
  const rows = await benchDashboard({ counts, eventsPerRun });
  console.log(aligned(dashboardTable(rows)));
  await writeResults(out, machine, { rows });
}

async function labsOnly(
  config: { labs: string; seed: number; backend: string; envSteps: number; torch: boolean; out: string },
) {
  const benches = labsToBench(config.labs);
  const python = config.torch ? await pythonWith("torch") : undefined;
  const machine = cpuLine();
  console.log(`machine: ${machine}\nDeno ${Deno.version.deno}, tfjs ${TFJS_VERSION}; PyTorch: ${python ?? "none"}\n`);
  const rows = await benchLabs(benches, { ...config, python });
  console.log(`\n${aligned(labTable(rows, config.backend))}`);
  console.log(
    "\nCPU s: user + sys of the whole process tree, start-up and evaluations included; PyTorch on one thread " +
      "(OMP_NUM_THREADS=1). CPU ratio: tflab / PyTorch.",
  );
  if (!python && config.torch) console.log(`no PyTorch reference: none of ${PYTHONS.join(", ")} can import torch`);
  await writeResults(config.out, machine, { rows });
}

async function gpuCountsOnly({ labs, out }: { labs: string; out: string }) {
  const names = (labs || Object.keys(COUNTED_RUNS).join(",")).split(",");
  const unknown = names.filter((name) => !(name in COUNTED_RUNS));
  if (unknown.length) {
    throw new UsageError(`--labs: unknown ${unknown.join(", ")}; known: ${Object.keys(COUNTED_RUNS).join(", ")}.`);
  }
  const adapter = await probeWebGpu();
  if (!adapter) throw new UsageError("--only gpu-counts: no WebGPU adapter was found (deno task doctor says why).");
  const machine = `${cpuLine()}; WebGPU: ${adapter.description}`;
  console.log(`machine: ${machine}\nDeno ${Deno.version.deno}, tfjs ${TFJS_VERSION}\n`);
  const rows = await benchGpuCounts(names, (row) => console.error(`  ${gpuCountsTable([row])[1].join(" | ")}`));
  console.log(`per training step, in each lab's last log window:\n${aligned(gpuCountsTable(rows))}`);
  await writeResults(out, machine, { rows });
}

async function replayCeilingOnly(
  config: { workloads: string; backend: string; repeats: number; seconds: number; out: string },
) {
  const workloads = knownWorkloads(config.workloads);
  if (!["blas", "wasm", "cpu"].includes(config.backend)) {
    throw new UsageError(
      `--only replay-ceiling: --backend ${config.backend} is not a CPU backend; one of blas, wasm, cpu ` +
        "(a GPU's kernels run asynchronously: timing them alone needs the GPU's own timestamps).",
    );
  }
  const { reason } = await useBackend(config.backend as "blas" | "wasm" | "cpu");
  const machine = cpuLine();
  console.log(`machine: ${machine}\nDeno ${Deno.version.deno}, tfjs ${TFJS_VERSION}; ${config.backend}: ${reason}\n`);
  const mnist = await loadMnist();
  const rows: ReplayRow[] = [];
  for (const workload of workloads) {
    const row = await benchReplayCeiling(workload, mnist, {
      rounds: config.repeats,
      seconds: config.seconds,
      label: config.backend,
    });
    console.error(`  ${aligned(replayTable([row])).split("\n")[1]}`);
    rows.push(row);
  }
  console.log(aligned(replayTable(rows)));
  console.log(
    "\nmedians over rounds that alternate the whole step with its recorded kernels called alone (same attrs, " +
      "the recorded inputs, no uploads or read-backs): what a replay of the step could save at most.",
  );
  await writeResults(config.out, machine, { rows });
}

async function vaeLabStepOnly(config: { backend: string; seed: number; repeats: number; out: string }) {
  const python = await pythonWith("torch");
  if (!python) {
    throw new UsageError(
      `--only vae-lab-step needs PyTorch: none of ${
        PYTHONS.join(", ")
      } can import torch (apt-get install python3-torch).`,
    );
  }
  const machine = cpuLine();
  console.log(`machine: ${machine}\nDeno ${Deno.version.deno}, tfjs ${TFJS_VERSION}; PyTorch: ${python}\n`);
  const rounds = await benchVaeLabStep({ rounds: config.repeats, seed: config.seed, backend: config.backend, python });
  console.log(aligned(vaeLabTable(rounds)));
  console.log(
    "\nper training step: (T460 - T60) / 400 of whole runs (vae-mnist --epochs 1 --max-steps N; " +
      "bench/reference/vae_mnist_torch.py), both on one BLAS thread; ratio: tflab / PyTorch, each round's own.",
  );
  await writeResults(config.out, machine, { rounds });
}

if (import.meta.main) await exitOnError(() => main(Deno.args));
