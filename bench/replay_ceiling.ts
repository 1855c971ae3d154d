/**
 * What replaying a recorded training step could save, at most (as CUDA graphs replay a captured
 * stream): a step whose shapes do not change dispatches the same kernels every time, so a replay
 * could call them without tfjs's engine (no tensor objects, scopes, tape,
 * gradient bookkeeping or saved-tensor clones). Here each workload's step is recorded once at the
 * backend's kernel functions, then those functions are called directly, in order, with the same
 * attributes on the recorded step's own inputs, alternating with the full step in one process (this
 * machine's speed drifts too much for figures taken minutes apart).
 *
 * An upper bound, not a replay: the kernels read the recorded inputs (the numbers are not a
 * step's), nothing is uploaded (the batch, the noise) or read back, and no check that the step would
 * dispatch the same kernels is paid for. What it measures is the time of the kernels alone against
 * the whole step; the difference is all that a replay could remove.
 *
 *   deno task bench --only replay-ceiling [--workloads vae,dqn_update] [--backend blas] [--repeats 9]
 */
import { tf } from "../lib/tf.ts";
import type { Mnist } from "../lib/data/mnist.ts";
import type { Workload } from "./workloads.ts";
import { median } from "../lib/stats/describe.ts";

type KernelFunc = tf.KernelConfig["kernelFunc"];
type CpuBackend = tf.KernelBackend & { incRef(dataId: tf.DataId): void };

interface RecordedCall {
  kernelFunc: KernelFunc;
  /** as the engine passed them (named, or an array for Pack, Concat and the like), as they were then */
  inputs: tf.NamedTensorInfoMap;
  attrs?: tf.NamedAttrMap;
  /** the data the recording keeps alive */
  kept: tf.DataId[];
}

/**
 * The engine passes tensors themselves, and a variable's tensor takes another dataId at each
 * assignment: the call's inputs are copied as they were at the call.
 */
function snapshot(inputs: tf.NamedTensorInfoMap): tf.NamedTensorInfoMap {
  const copy = (info: tf.TensorInfo | undefined) =>
    info && { dataId: info.dataId, shape: info.shape, dtype: info.dtype };
  return (Array.isArray(inputs) ? inputs.map(copy) : Object.fromEntries(
    Object.entries(inputs).map(([name, info]) => [name, copy(info)]),
  )) as tf.NamedTensorInfoMap;
}

export interface ReplayRow {
  workload: string;
  backend: string;
  /** kernel calls of one step (those the engine makes; a kernel's own inner calls not counted again) */
  kernels: number;
  /** medians over the rounds, ms per step */
  fullMs: number;
  kernelsMs: number;
  /** median over the rounds of each round's kernels-alone / full */
  ratio: number;
  /** that ratio's lowest and highest round */
  ratioRange: [number, number];
  rounds: number;
}

/**
 * Runs `step` once with every kernel of `backendName` wrapped to record its top-level calls, then
 * restores the kernels. Each recorded input gets a reference, so that it outlives the step.
 */
async function recordStep(backendName: string, backend: CpuBackend, step: () => Promise<void>) {
  const calls: RecordedCall[] = [];
  const configs = tf.getKernelsForBackend(backendName);
  let depth = 0;
  for (const config of configs) {
    tf.unregisterKernel(config.kernelName, backendName);
    tf.registerKernel({
      ...config,
      kernelFunc: (args) => {
        // A kernel that runs tfjs ops inside is replayed whole: its inner kernels are not recorded again.
        const top = depth++ === 0;
        try {
          if (top) {
            const inputs = snapshot(args.inputs);
            const kept = Object.values(inputs).filter((input) => input !== undefined).map((input) => input.dataId);
            for (const dataId of kept) backend.incRef(dataId);
            calls.push({ kernelFunc: config.kernelFunc, inputs, attrs: args.attrs, kept });
          }
          return config.kernelFunc(args);
        } finally {
          depth--;
        }
      },
    });
  }
  try {
    await step();
  } finally {
    for (const config of configs) {
      tf.unregisterKernel(config.kernelName, backendName);
      tf.registerKernel(config);
    }
  }
  return calls;
}

/** Calls the recorded kernels in order, then frees what they made. */
function replay(calls: RecordedCall[], backend: CpuBackend): void {
  const made: tf.TensorInfo[] = [];
  for (const { kernelFunc, inputs, attrs } of calls) {
    const out = kernelFunc({ inputs, attrs, backend });
    made.push(...(Array.isArray(out) ? out : [out]));
  }
  for (const info of made) backend.disposeData(info.dataId);
}

/**
 * Times `workload` on the active backend, which must be a CPU one (`blas`, `wasm` or `cpu`);
 * `label` names it in the row (`blas` is tfjs's wasm backend with the project's kernels).
 */
export async function benchReplayCeiling(
  workload: Workload,
  mnist: Mnist,
  { rounds, seconds, label }: { rounds: number; seconds: number; label: string },
): Promise<ReplayRow> {
  const backendName = tf.getBackend();
  const backend = tf.backend() as CpuBackend;
  const built = workload.setup(mnist);
  try {
    for (let i = 0; i < 5; i++) await built.step();
    const calls = await recordStep(backendName, backend, built.step);
    try {
      for (let i = 0; i < 5; i++) replay(calls, backend);
      const t0 = performance.now();
      await built.step();
      const perRound = Math.max(2, Math.round((seconds * 1000) / (performance.now() - t0)));
      const full: number[] = [], alone: number[] = [], ratios: number[] = [];
      for (let r = 0; r < rounds; r++) {
        let start = performance.now();
        for (let i = 0; i < perRound; i++) await built.step();
        full.push((performance.now() - start) / perRound);
        start = performance.now();
        for (let i = 0; i < perRound; i++) replay(calls, backend);
        alone.push((performance.now() - start) / perRound);
        ratios.push(alone.at(-1)! / full.at(-1)!);
      }
      return {
        workload: workload.name,
        backend: label,
        kernels: calls.length,
        fullMs: median(full),
        kernelsMs: median(alone),
        ratio: median(ratios),
        ratioRange: [Math.min(...ratios), Math.max(...ratios)],
        rounds,
      };
    } finally {
      for (const { kept } of calls) for (const dataId of kept) backend.disposeData(dataId);
    }
  } finally {
    built.dispose();
  }
}

export function replayTable(rows: ReplayRow[]): string[][] {
  const lines = [["workload", "backend", "kernels/step", "full step ms", "kernels alone ms", "kernels / full (range)"]];
  for (const row of rows) {
    lines.push([
      row.workload,
      row.backend,
      String(row.kernels),
      row.fullMs.toFixed(2),
      row.kernelsMs.toFixed(2),
      `${row.ratio.toFixed(2)} (${row.ratioRange.map((r) => r.toFixed(2)).join("-")})`,
    ]);
  }
  return lines;
}
