/**
 * The kernel sets that tfjs's op specs run under: tfjs's wasm backend as shipped (the baseline),
 * and the three the project gives it (lib/kernels/wasm_kernels.ts): portable wasm, wasm with the
 * system BLAS (im2col convolutions), and with BLAS and oneDNN. The two native sets are null where
 * their libraries are missing.
 */
import { openOneDnn } from "../../../../lib/kernels/onednn.ts";
import { openSystemBlas } from "../../../../lib/kernels/system_blas.ts";
import { configureWasmKernels, useStockWasmKernels } from "../../../../lib/kernels/wasm_kernels.ts";
import type { KernelSet } from "./run_specs.ts";

const wasmSet = (name: string, install: () => void): KernelSet => ({
  name,
  backendName: "wasm",
  isDataSync: true,
  install,
});

const blas = openSystemBlas();
const onednn = blas && openOneDnn();

export const STOCK_WASM = wasmSet("stock wasm", useStockWasmKernels);
export const PROJECT_KERNEL_SETS: Record<string, KernelSet | null> = {
  wasm: wasmSet("wasm", () => configureWasmKernels({ blas: null })),
  "blas (im2col)": blas && wasmSet("blas (im2col)", () => configureWasmKernels({ blas, onednn: null })),
  "blas (oneDNN)": onednn ? wasmSet("blas (oneDNN)", () => configureWasmKernels({ blas, onednn })) : null,
};
