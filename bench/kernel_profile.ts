/**
 * Where a training step's time goes, without a profiler: a few steps run under tf.profile give the
 * kernels it dispatches (forward, gradients and optimizer alike) and each kernel's own time as the
 * backend measures it. Profiling slows every kernel (its summed time can exceed an unprofiled step's
 * on an idle machine), so the times rank the kernels against each other; they do not split the
 * step. On webgpu the backend cannot time kernels without timestamp queries: the counts are still
 * exact, the times absent.
 */
import { tf } from "../lib/tf.ts";

export interface KernelCost {
  name: string;
  /** dispatches of this kernel in one step */
  count: number;
  /** their summed time in ms, or undefined where the backend does not time kernels */
  ms?: number;
}

export interface StepProfile {
  /** kernels dispatched by one step */
  kernels: number;
  /** the summed time of those kernels, ms (undefined where the backend does not time them) */
  kernelMs?: number;
  /** the costliest kernels, by summed time (by count where untimed) */
  top: KernelCost[];
}

const TOP = 3;
/** steps profiled together, the figures being their mean: one step alone is at the mercy of a busy machine */
const STEPS = 3;

/** Profiles STEPS calls of `step`, per step; `step` must not be inside a tidy (it awaits). */
export async function profileStep(step: () => Promise<void>): Promise<StepProfile> {
  const info = await tf.profile(async () => {
    for (let i = 0; i < STEPS; i++) await step();
    return [];
  });
  const byName = new Map<string, KernelCost>();
  let timed = true;
  // An op with a custom gradient (tf.customGrad: fused matMul and conv2d among them) is recorded
  // as "<name>__op" around the kernels it runs: counting it too would count those twice.
  for (const kernel of info.kernels.filter((k) => !k.name.endsWith("__op"))) {
    const ms = typeof kernel.kernelTimeMs === "number" ? kernel.kernelTimeMs : undefined;
    if (ms === undefined) timed = false;
    const cost = byName.get(kernel.name) ?? { name: kernel.name, count: 0, ms: 0 };
    cost.count++;
    cost.ms! += ms ?? 0;
    byName.set(kernel.name, cost);
  }
  const costs = [...byName.values()].map(({ name, count, ms }) => ({
    name,
    count: count / STEPS,
    ms: timed ? ms! / STEPS : undefined,
  }));
  costs.sort((a, b) => (timed ? b.ms! - a.ms! : b.count - a.count));
  return {
    kernels: costs.reduce((sum, c) => sum + c.count, 0),
    kernelMs: timed ? costs.reduce((sum, c) => sum + c.ms!, 0) : undefined,
    top: costs.slice(0, TOP),
  };
}

/** "87 kernels/step, 4.57 ms in kernels while profiled; costliest: _FusedMatMul 0.92 ms (12x), ..." */
export function describeProfile(profile: StepProfile): string {
  const inKernels = profile.kernelMs === undefined
    ? "kernels not timed on this backend"
    : `${profile.kernelMs.toFixed(2)} ms in kernels while profiled`;
  const top = profile.top.map((k) => `${k.name} ${k.ms === undefined ? "" : `${k.ms.toFixed(2)} ms `}(${k.count}x)`);
  return `${profile.kernels} kernels/step, ${inKernels}; costliest: ${top.join(", ")}`;
}
