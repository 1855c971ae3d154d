/**
 * The system's BLAS through Deno's FFI: OpenBLAS on Linux (Debian's libopenblas0-pthread), the
 * Accelerate framework on macOS. Its single-precision GEMM runs several times faster than the
 * wasm backend's XNNPACK on the same CPU (multi-threaded, wide SIMD). Found at start or not at
 * all: callers fall back to the wasm kernels when `openSystemBlas()` returns null.
 */
import { assertHolds } from "./native_bounds.ts";

const CANDIDATES: Record<string, string[]> = {
  linux: [
    "libopenblas.so.0",
    "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
    "/usr/lib/aarch64-linux-gnu/libopenblas.so.0",
    "libopenblas.so",
  ],
  darwin: ["/System/Library/Frameworks/Accelerate.framework/Accelerate"],
};

// CBLAS enums (cblas.h)
const ROW_MAJOR = 101;
const NO_TRANS = 111;
const TRANS = 112;

const symbols = {
  cblas_sgemm: {
    // order, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc
    parameters: [
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      "f32",
      "buffer",
      "i32",
      "buffer",
      "i32",
      "f32",
      "buffer",
      "i32",
    ],
    result: "void",
  },
  // OpenBLAS only (optional: absent from Accelerate): the thread count, set per product below.
  openblas_set_num_threads: { parameters: ["i32"], result: "void", optional: true },
} as const;

/**
 * Threads. A multi-threaded product waits for all its threads, and when another process holds a
 * core, OpenBLAS's threads wait out its time slices: with two other trainings on this 2-core
 * machine, a DQN update took 64 to 84 ms instead of 3 to 4 ms, a VAE step up to 73 ms instead of
 * 12 ms. So the BLAS gets at most half the cores (1 here), unless OPENBLAS_NUM_THREADS says
 * otherwise, and products below MULTITHREAD_MIN_MACS multiply-adds (m * n * k) run on one thread:
 * OpenBLAS's own cut-off (262,144) spreads a DQN update's 64x256x256 products over every thread.
 */
export function blasThreads(cores = navigator.hardwareConcurrency, explicit = Deno.env.get("OPENBLAS_NUM_THREADS")) {
  const requested = Number(explicit);
  return Number.isInteger(requested) && requested > 0 ? requested : Math.max(1, Math.floor(cores / 2));
}

const MULTITHREAD_MIN_MACS = 1 << 24;

export interface SystemBlas {
  /** the library that was opened */
  path: string;
  /** the most threads a product runs on (see blasThreads); the bench tries others */
  threads: number;
  /**
   * C [m, n] = op(A) . op(B) (row-major), op(X) = X or X^T; A is [m, k] or [k, m] when
   * transposed, B is [k, n] or [n, k]. `beta` 1 accumulates into C. Throws a RangeError, before
   * calling BLAS, when a buffer is smaller than its matrix.
   */
  sgemm(
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    shape: { m: number; n: number; k: number; transposeA: boolean; transposeB: boolean; beta?: number },
  ): void;
}

let opened: SystemBlas | null | undefined;

/** Opens the system BLAS once; null when there is none (or FFI is not allowed). */
export function openSystemBlas(): SystemBlas | null {
  if (opened !== undefined) return opened;
  opened = null;
  for (const path of CANDIDATES[Deno.build.os] ?? []) {
    try {
      const library = Deno.dlopen(path, symbols);
      const setThreads = library.symbols.openblas_set_num_threads;
      let threads = 0; // as last set in OpenBLAS; not set yet
      const blas: SystemBlas = {
        path,
        threads: setThreads ? blasThreads() : 1,
        sgemm(a, b, c, { m, n, k, transposeA, transposeB, beta = 0 }) {
          assertHolds(a, m * k, `sgemm: A [${transposeA ? [k, m] : [m, k]}]`);
          assertHolds(b, k * n, `sgemm: B [${transposeB ? [n, k] : [k, n]}]`);
          assertHolds(c, m * n, `sgemm: C [${[m, n]}]`);
          const wanted = m * n * k < MULTITHREAD_MIN_MACS ? 1 : blas.threads;
          if (setThreads && wanted !== threads) setThreads(threads = wanted);
          library.symbols.cblas_sgemm(
            ROW_MAJOR,
            transposeA ? TRANS : NO_TRANS,
            transposeB ? TRANS : NO_TRANS,
            m,
            n,
            k,
            1,
            a,
            transposeA ? m : k,
            b,
            transposeB ? k : n,
            beta,
            c,
            n,
          );
        },
      };
      opened = blas;
      break;
    } catch {
      // not this one; try the next name
    }
  }
  return opened;
}
