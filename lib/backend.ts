/**
 * Picks the tfjs backend once, at start, and says why. `auto` takes WebGPU only on a real GPU
 * adapter: Deno also finds Mesa's software rasteriser (llvmpipe) on machines without a GPU, and
 * tfjs on it is slower than the wasm CPU path.
 */
import { UsageError } from "./errors.ts";
import type { BackendInfo } from "./run/types.ts";
import { installWasmConv2DBackprop, wasmConv2DBackpropInstalled } from "./kernels/wasm_conv2d_backprop.ts";
import { installWasmTransposedMatMul } from "./kernels/wasm_transposed_matmul.ts";
import { tf } from "./tf.ts";

export const BACKENDS = ["auto", "webgpu", "wasm", "cpu"] as const;
export type BackendChoice = (typeof BACKENDS)[number];

export interface AdapterFacts {
  description: string;
  isSoftware: boolean;
}

/** The WebGPU adapter Deno finds, if any, and whether it is a software fallback. */
export async function probeWebGpu(): Promise<AdapterFacts | null> {
  const adapter = await navigator.gpu?.requestAdapter().catch(() => null);
  if (!adapter) return null;
  const info = adapter.info;
  const description = [info.vendor, info.description || info.device].filter(Boolean).join(" ") ||
    "unnamed adapter";
  const software = adapter.info.isFallbackAdapter ||
    /llvmpipe|lavapipe|swiftshader|softpipe/i.test(description);
  return { description, isSoftware: software };
}

/** Decides which backend `choice` means on this machine, without switching to it. */
export async function resolveBackend(choice: BackendChoice): Promise<BackendInfo> {
  if (choice === "wasm" || choice === "cpu") {
    return { name: choice, reason: `asked for with --backend ${choice}` };
  }
  const adapter = await probeWebGpu();
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
  return { name: "wasm", reason: `auto: ${why}, so the fastest CPU path (wasm) is used` };
}

/** Resolves `choice` and makes it tfjs's active backend. */
export async function useBackend(choice: BackendChoice): Promise<BackendInfo> {
  const info = await resolveBackend(choice);
  if (info.name === "wasm") {
    // tfjs's wasm backend lacks or slows down the kernels that training needs; see lib/kernels/.
    installWasmTransposedMatMul();
    if (!wasmConv2DBackpropInstalled()) installWasmConv2DBackprop();
  }
  if (!(await tf.setBackend(info.name))) {
    throw new Error(`tfjs could not initialise the ${info.name} backend (${info.reason}).`);
  }
  await tf.ready();
  return info;
}
