/**
 * Counts, on the WebGPU backend, GPU-to-CPU read-backs (each stalls the GPU pipeline until the
 * copy is mapped), compute dispatches (one per kernel launch) and CPU-to-GPU uploads of tensor
 * data (a minibatch, or a constant such as the scalar of `tf.mul(x, 0.5)`), so a slow GPU run can
 * be diagnosed from its run directory: the training loops log them per step. The counting wraps
 * four methods of tfjs-backend-webgpu's WebGPUBackend instance (4.22: `read`, `readSync`,
 * `recordAndSubmit`, which records one dispatchWorkgroups, and `uploadToGPU`); on any other
 * backend nothing is wrapped and `gpuCounters()` returns null, so the CPU paths pay nothing.
 */
import { tf } from "./tf.ts";

export interface GpuCounts {
  readbacks: number;
  dispatches: number;
  uploads: number;
}

interface WebGpuBackendLike {
  tensorMap: { get(dataId: object): { values?: unknown; resource?: unknown; dtype: string } | undefined };
  read(dataId: object): Promise<unknown>;
  readSync(dataId: object): unknown;
  recordAndSubmit(...args: unknown[]): void;
  uploadToGPU(dataId: object): void;
}

const counted = new WeakMap<object, GpuCounts>();

/** The live counts of the active webgpu backend (wrapping it on first use), or null on another backend. */
export function gpuCounters(): GpuCounts | null {
  if (tf.getBackend() !== "webgpu") return null;
  const backend = tf.backend() as unknown as WebGpuBackendLike;
  let counts = counted.get(backend);
  if (counts) return counts;
  const hooks = ["read", "readSync", "recordAndSubmit", "uploadToGPU"] as const;
  if (hooks.some((hook) => typeof backend[hook] !== "function")) {
    throw new Error(
      `gpu_counters: this tfjs-backend-webgpu lacks one of ${hooks.join(", ")} to count; update the hooks`,
    );
  }
  counts = { readbacks: 0, dispatches: 0, uploads: 0 };
  const live = counts;
  // A read goes to the GPU only when the tensor has no CPU copy yet; complex64 reads recurse into
  // their real and imaginary parts, which are counted themselves.
  const fromGpu = (dataId: object) => {
    const data = backend.tensorMap.get(dataId);
    return data !== undefined && data.values == null && data.dtype !== "string" && data.dtype !== "complex64";
  };
  const { read, readSync, recordAndSubmit, uploadToGPU } = backend;
  backend.read = function (dataId) {
    if (fromGpu(dataId)) live.readbacks++;
    return read.call(this, dataId);
  };
  backend.readSync = function (dataId) {
    if (fromGpu(dataId)) live.readbacks++;
    return readSync.call(this, dataId);
  };
  backend.recordAndSubmit = function (...args) {
    live.dispatches++;
    return recordAndSubmit.apply(this, args);
  };
  // Called for every input and output of a dispatch; it copies only data that is on the CPU alone.
  backend.uploadToGPU = function (dataId) {
    const data = backend.tensorMap.get(dataId);
    if (data !== undefined && data.resource == null && data.values != null) live.uploads++;
    return uploadToGPU.call(this, dataId);
  };
  counted.set(backend, counts);
  return counts;
}

/**
 * What a log window of an RL loop costs on WebGPU, with its training work told apart from acting:
 * the optimisation steps (and the read-back of their losses) are marked, so the window logs
 * dispatches and read-backs per training step as the epoch loop does, and every read-back of the
 * window (acting included: a CPU env needs each action back) per env step. Off WebGPU it logs nothing.
 */
export class GpuWindow {
  private readonly gpu = gpuCounters();
  private start: GpuCounts | null = null;
  private startEnvStep = 0;
  private mark: GpuCounts | null = null;
  private training = { readbacks: 0, dispatches: 0, uploads: 0, steps: 0 };

  constructor(envStep: number) {
    this.restart(envStep);
  }

  /** Starts a new window at env step `envStep`, leaving out what came before (evaluation, checkpoints). */
  restart(envStep: number): void {
    this.start = this.gpu && { ...this.gpu };
    this.startEnvStep = envStep;
    this.training = { readbacks: 0, dispatches: 0, uploads: 0, steps: 0 };
  }

  /** Marks the start of training work: optimisation steps, or the read-back of their losses. */
  startTraining(): void {
    this.mark = this.gpu && { ...this.gpu };
  }

  /** Marks its end, after `steps` optimisation steps (0 for a read-back of losses). */
  endTraining(steps: number): void {
    if (!this.gpu || !this.mark) return;
    this.training.readbacks += this.gpu.readbacks - this.mark.readbacks;
    this.training.dispatches += this.gpu.dispatches - this.mark.dispatches;
    this.training.uploads += this.gpu.uploads - this.mark.uploads;
    this.training.steps += steps;
    this.mark = null;
  }

  /**
   * The window's `system/*` scalars up to env step `envStep` (none off WebGPU or before any
   * training step), then a new window.
   */
  take(envStep: number): Record<string, number> {
    const { gpu, start, startEnvStep, training } = this;
    this.restart(envStep);
    if (!gpu || !start || !training.steps) return {};
    return {
      "system/readbacks_per_step": training.readbacks / training.steps,
      "system/dispatches_per_step": training.dispatches / training.steps,
      "system/uploads_per_step": training.uploads / training.steps,
      "system/readbacks_per_env_step": (gpu.readbacks - start.readbacks) / Math.max(envStep - startEnvStep, 1),
    };
  }
}
