/**
 * `--backend auto` by measurement. A small model on a GPU through WebGPU can train slower than
 * on the CPU (each dispatch costs tens of microseconds, each read-back milliseconds), and a
 * software adapter (llvmpipe) always does, so the adapter's name cannot decide. Instead a few
 * real training steps of this lab with this run's flags are timed on each candidate (webgpu,
 * blas, wasm: lib/backend.ts autoCandidates; the probe: ./backend_probe.ts), the fastest is
 * taken, and the timings and the choice are printed and recorded in run.json (backend.measured).
 * The decision is cached per machine, lab and config shape (./backend_cache.ts), so later runs
 * start at once. The shape is the lab's flags that change what a step computes: its whole-number,
 * text and on/off flags (sizes, architectures, switches), not its rates and coefficients (float
 * flags), the seed, or how long and how often it trains, evaluates and checkpoints.
 */
import { cpus } from "node:os";
import { type AdapterFacts, autoCandidates, resolveBackend } from "../lib/backend.ts";
import type { Spec } from "../lib/hparams.ts";
import type { BackendInfo, BackendMeasurement } from "../lib/run/types.ts";
import { BackendCache, type ChoiceKey, defaultCacheFile, keyText } from "./backend_cache.ts";
import { probeArgs, probeLab, type ProbeLimits, type ProbeResult } from "./backend_probe.ts";

/** Flags that set how long and how often a run trains, evaluates or checkpoints: not the work of a step. */
const NOT_STEP_WORK = new Set([
  "epochs",
  "totalTimesteps",
  "episodes",
  "checkpointEvery",
  "evalEvery",
  "evalEpisodes",
  "evalImages",
  "sampleCount",
]);
export const PROBE_WINDOWS = 3;
/**
 * How long a candidate may take from its start-up to its first training step: a minute while
 * none has been timed; then twice what the fastest took for its warm-up and timed windows
 * together, from 5 to 30 s. A backend that has not finished its warm-up by then would need a
 * faster steady state than any seen yet, and a long run, to win back its compilation.
 */
const warmupLimitMs = (fastestTrainingMs?: number) =>
  fastestTrainingMs === undefined ? 60_000 : Math.min(30_000, Math.max(5_000, 2 * fastestTrainingMs));

type Candidate = Awaited<ReturnType<typeof autoCandidates>>[number];

export interface AutoOptions {
  labId: string;
  /** the lab's own hyperparameters (not the run flags) */
  spec: Spec;
  config: Record<string, unknown>;
  /** default: lib/backend.ts autoCandidates() */
  candidates?: Candidate[];
  /** default: the lab in a child process (./backend_probe.ts); tests inject their own */
  probe?: (backend: string, limits: ProbeLimits) => Promise<ProbeResult>;
  /** default: backend-choices.json in the cache folder; null: no cache */
  cacheFile?: string | null;
}

export async function measuredBackend(options: AutoOptions): Promise<BackendInfo> {
  const candidates = options.candidates ?? await autoCandidates();
  if (candidates.length === 1) return await resolveBackend("auto", () => Promise.resolve(null)); // wasm: nothing to time
  const adapter = candidates.find((c) => c.adapter)?.adapter;
  const key: ChoiceKey = { machine: machineOf(candidates, adapter), lab: options.labId, shape: shapeOf(options) };
  const cacheFile = options.cacheFile === undefined ? defaultCacheFile() : options.cacheFile;
  const measure = () => timeCandidates(candidates, options);
  if (!cacheFile) return await decide(await measure(), adapter, "");
  try {
    return await new BackendCache(cacheFile).withLock(async (entries, save) => {
      const cached = entries.get(keyText(key));
      if (cached) return await decide({ ...cached, cached: true }, adapter, cacheFile);
      const measured = await measure();
      if (measured.chosen) save({ ...measured, key });
      return await decide(measured, adapter, cacheFile);
    });
  } catch (error) {
    console.error(`backend: the cache ${cacheFile} cannot be used (${error}); measuring without it`);
    return await decide(await measure(), adapter, "");
  }
}

/** Times every candidate in turn (the likely fastest first, so that the slower ones can be stopped early). */
async function timeCandidates(candidates: Candidate[], options: AutoOptions): Promise<BackendMeasurement> {
  const args = [...probeArgs(options.spec, options.config), "--seed", String(options.config.seed ?? 1)];
  const probe = options.probe ??
    ((backend: string, limits: ProbeLimits) => probeLab(options.labId, args, backend, limits));
  console.error(
    `backend: auto: timing ${PROBE_WINDOWS} training windows (after a warm-up) of ${options.labId} on ` +
      `${candidates.map((c) => c.name).join(", ")}, once for this machine, lab and config shape`,
  );
  const measurement: BackendMeasurement = {
    candidates: {},
    notes: {},
    chosen: "",
    cached: false,
    measuredAt: new Date().toISOString(),
  };
  let fastest: ProbeLimits["fastest"], fastestTrainingMs: number | undefined;
  for (const { name } of candidates) {
    const result = await probe(name, { windows: PROBE_WINDOWS, warmupMs: warmupLimitMs(fastestTrainingMs), fastest });
    measurement.candidates[name] = result.msPerStep;
    if (result.note) measurement.notes![name] = result.note;
    console.error(
      `  ${name}: ${result.msPerStep === null ? result.note : `${result.msPerStep.toPrecision(3)} ms/step`}`,
    );
    if (
      result.msPerStep !== null && result.timed &&
      (!fastest || result.timed.ms / result.timed.steps < fastest.ms / fastest.steps)
    ) {
      fastest = { name, ...result.timed };
      fastestTrainingMs = result.trainingMs;
      measurement.chosen = name;
    }
  }
  if (!Object.keys(measurement.notes!).length) delete measurement.notes;
  return measurement;
}

/** The backend info for the measured (or cached) choice; the fixed rule when nothing could be timed. */
async function decide(measurement: BackendMeasurement, adapter: AdapterFacts | undefined, cacheFile: string) {
  const timings = Object.entries(measurement.candidates)
    .map(([name, ms]) => `${name} ${ms === null ? `(${measurement.notes?.[name] ?? "no figure"})` : ms.toPrecision(3)}`)
    .join(", ");
  if (!measurement.chosen) {
    const fallback = await resolveBackend("auto", () => Promise.resolve(adapter ?? null));
    return {
      ...fallback,
      reason: `${fallback.reason}; no candidate could be timed (${timings})`,
      measured: measurement,
    };
  }
  const name = measurement.chosen;
  const when = measurement.cached ? ` (measured ${measurement.measuredAt.slice(0, 10)}, cached in ${cacheFile})` : "";
  // blas says which native libraries it runs on, as it does when asked for by name.
  const libraries = name === "blas" ? `; ${(await resolveBackend("blas")).reason.replace(/^[^:]*: /, "")}` : "";
  return {
    name,
    reason: `auto: the fastest when timed, in ms per training step: ${timings}${when}${libraries}`,
    ...(name === "webgpu" && adapter ? { adapter: adapter.description } : {}),
    measured: measurement,
  };
}

/** The CPU, the WebGPU adapter, the candidates and Deno: what the timings depend on besides the lab. */
function machineOf(candidates: Candidate[], adapter: AdapterFacts | undefined): string {
  const cpu = `${cpus()[0]?.model ?? "unknown CPU"} x${cpus().length}`;
  const gpu = adapter ? `${adapter.description}${adapter.isSoftware ? " (software)" : ""}` : "no WebGPU adapter";
  return `${cpu}; ${gpu}; ${candidates.map((c) => c.name).join(",")}; deno ${Deno.version.deno}`;
}

function shapeOf({ spec, config }: AutoOptions): Record<string, unknown> {
  const shaping = Object.keys(spec).filter((key) => spec[key].type !== "float" && !NOT_STEP_WORK.has(key));
  return Object.fromEntries(shaping.map((key) => [key, config[key]]));
}
