/**
 * Picks the tfjs backend once, at start, and says why. A lab's `--backend auto` times a few
 * training steps on each of `autoCandidates` (runner/auto_backend.ts); `resolveBackend("auto")`
 * is the rule for when nothing can be timed (and what `deno task doctor` reports): WebGPU only on
 * a real GPU adapter, since Deno also finds Mesa's software rasteriser (llvmpipe) on machines
 * without a GPU and tfjs on it is slower than the CPU paths; else blas, else wasm.
 */
import { UsageError } from "./errors.ts";
import type { BackendInfo } from "./run/types.ts";
import { openSystemBlas, type SystemBlas } from "./kernels/system_blas.ts";
import { oneDnnAbsence, openOneDnn } from "./kernels/onednn.ts";
import { configureWasmKernels } from "./kernels/wasm_kernels.ts";
import { installWebGpuAddN } from "./kernels/webgpu_add_n.ts";
import { installWebGpuAdam } from "./kernels/webgpu_adam.ts";
import { installWebGpuNormActivation } from "./kernels/webgpu_norm_activation.ts";
import { tf } from "./tf.ts";

/**
 * `blas` is tfjs's wasm backend with its matrix products sent to the system BLAS (OpenBLAS,
 * Accelerate) through FFI; `wasm` is the portable path, the same without BLAS.
 */
export const BACKENDS = ["auto", "webgpu", "blas", "wasm", "cpu"] as const;
export type BackendChoice = (typeof BACKENDS)[number];

export interface AdapterFacts {
  description: string;
  isSoftware: boolean;
}

/** The WebGPU adapter Deno finds, if any, and whether it is a software fallback. */
export async function probeWebGpu(): Promise<AdapterFacts | null> {
  const adapter = await navigator.gpu?.requestAdapter().catch(() => null);
  return adapter ? adapterFacts(adapter.info) : null;
}

/** Names an adapter and tells a software rasteriser (llvmpipe, lavapipe, SwiftShader) from a GPU. */
export function adapterFacts(info: GPUAdapterInfo): AdapterFacts {
  const description = [info.vendor, info.description || info.device].filter(Boolean).join(" ") ||
    "unnamed adapter";
  const software = info.isFallbackAdapter || /llvmpipe|lavapipe|swiftshader|softpipe/i.test(description);
  return { description, isSoftware: software };
}

/**
 * Decides which backend `choice` means on this machine, without switching to it. `probe` stands
 * in for the adapter lookup (`deno task doctor` passes the adapter it already has; tests simulate).
 */
export async function resolveBackend(
  choice: BackendChoice,
  probe: () => Promise<AdapterFacts | null> = probeWebGpu,
): Promise<BackendInfo> {
  if (choice === "wasm" || choice === "cpu") {
    return { name: choice, reason: `asked for with --backend ${choice}` };
  }
  if (choice === "blas") {
    const blas = openSystemBlas();
    if (!blas) {
      throw new UsageError(
        "--backend blas: no system BLAS was found (on Debian or Ubuntu: apt-get install libopenblas0-pthread); " +
          "--backend wasm runs without it.",
      );
    }
    return { name: "blas", reason: `asked for with --backend blas: wasm with ${nativeLibraries(blas)}` };
  }
  const adapter = await probe();
  if (choice === "webgpu") {
    if (!adapter) {
      throw new UsageError(
        "--backend webgpu: no WebGPU adapter was found. Run `deno task doctor` to see why " +
          "(on Linux a missing Vulkan loader, libvulkan1, is the usual cause), or use --backend wasm.",
      );
    }
    const note = adapter.isSoftware ? " (a software adapter: expect it to be slow)" : "";
    return { name: "webgpu", reason: `asked for with --backend webgpu${note}`, adapter: adapter.description };
  }
  if (adapter && !adapter.isSoftware) {
    return { name: "webgpu", reason: `auto: a GPU adapter was found`, adapter: adapter.description };
  }
  const why = adapter
    ? `only a software WebGPU adapter (${adapter.description}) was found`
    : "no WebGPU adapter was found";
  const blas = openSystemBlas();
  if (blas) {
    return {
      name: "blas",
      reason: `auto: ${why}, so the fastest CPU path is used: wasm with ${nativeLibraries(blas)}`,
    };
  }
  return {
    name: "wasm",
    reason: `auto: ${why} and no system BLAS (libopenblas0-pthread), so the portable CPU path (wasm) is used`,
  };
}

/** Resolves `choice` and makes it tfjs's active backend. */
export async function useBackend(choice: BackendChoice): Promise<BackendInfo> {
  return await activateBackend(await resolveBackend(choice));
}

/**
 * The backends `--backend auto` times on this machine, the likely fastest first: WebGPU on any
 * adapter, a software one included (measurement, not the adapter's name, tells whether it is
 * worth it; it comes last), blas when the system BLAS is found, and wasm always.
 */
export async function autoCandidates(
  probe: () => Promise<AdapterFacts | null> = probeWebGpu,
): Promise<{ name: "webgpu" | "blas" | "wasm"; adapter?: AdapterFacts }[]> {
  const adapter = await probe();
  const gpu = adapter ? [{ name: "webgpu" as const, adapter }] : [];
  const cpu = [...(openSystemBlas() ? [{ name: "blas" as const }] : []), { name: "wasm" as const }];
  return adapter && !adapter.isSoftware ? [...gpu, ...cpu] : [...cpu, ...gpu];
}

/** Makes a resolved backend tfjs's active one. */
export async function activateBackend(info: BackendInfo): Promise<BackendInfo> {
  const tfjsBackend = info.name === "blas" ? "wasm" : info.name;
  if (tfjsBackend === "wasm") {
    // tfjs's wasm backend lacks or slows down the kernels that training needs; see lib/kernels/.
    const native = info.name === "blas";
    configureWasmKernels({ blas: native ? openSystemBlas() : null, onednn: native ? openOneDnn() : null });
  }
  if (tfjsBackend === "webgpu") {
    installWebGpuAddN(); // tfjs's AddN is wrong past 7 inputs on WebGPU
    installWebGpuAdam(); // 3 shaders per variable in place of 14
    installWebGpuNormActivation(); // 3 shaders forward and 4 backward in place of dozens
  }
  if (!(await tf.setBackend(tfjsBackend))) {
    throw new Error(`tfjs could not initialise the ${info.name} backend (${info.reason}).`);
  }
  await tf.ready();
  return info;
}

/** The native libraries the `blas` backend uses, for the backend line. */
function nativeLibraries(blas: SystemBlas): string {
  const threads = `${blas.threads} BLAS thread${blas.threads === 1 ? "" : "s"}`;
  const onednn = openOneDnn();
  return onednn
    ? `${blas.path} (${threads}) and ${onednn.description} for convolutions`
    : `${blas.path} (${threads}); convolutions as im2col + BLAS: ${oneDnnAbsence()}`;
}
