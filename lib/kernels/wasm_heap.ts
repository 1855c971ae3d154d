/**
 * The project's own WebAssembly kernels (the .wat files here) run in tfjs's wasm heap: each module
 * imports the backend's memory, so it reads and writes tensors where they lie, with no copies.
 * A module is instantiated once per memory (a new tfjs wasm backend, as tests make, brings a new one).
 */
import type { tf } from "../tf.ts";

interface WasmBackend {
  wasm: { asm: { memory: WebAssembly.Memory } };
  dataIdMap: { get(dataId: unknown): { memoryOffset: number } };
}

const instances = new WeakMap<WebAssembly.Memory, Map<Uint8Array<ArrayBuffer>, WebAssembly.Exports>>();

/** The exports of `module` (its bytes) instantiated over `memory`. */
export function exportsIn(memory: WebAssembly.Memory, module: Uint8Array<ArrayBuffer>): WebAssembly.Exports {
  let modules = instances.get(memory);
  if (!modules) instances.set(memory, modules = new Map());
  let exports = modules.get(module);
  if (!exports) {
    exports = new WebAssembly.Instance(new WebAssembly.Module(module), { env: { memory } }).exports;
    modules.set(module, exports);
  }
  return exports;
}

/** The parts of tfjs's wasm backend that the project's kernels use to make and read tensors. */
export interface WasmKernelBackend {
  makeOutput(shape: number[], dtype: "float32"): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
  disposeData(dataId: unknown): void;
}

/**
 * Whether every given tensor is float32: the project's kernels read tensors as Float32Array views
 * of the heap, so any other dtype goes to tfjs's own kernel. Absent (optional) inputs pass.
 */
export const allFloat32 = (...tensors: (tf.TensorInfo | undefined)[]): boolean =>
  tensors.every((t) => !t || t.dtype === "float32");

/** The memory of a tfjs wasm backend. */
export const heapMemory = (backend: unknown): WebAssembly.Memory => (backend as WasmBackend).wasm.asm.memory;

/** A tensor's byte offset in its wasm backend's heap. */
export const heapAddress = (backend: unknown, tensor: tf.TensorInfo): number =>
  (backend as WasmBackend).dataIdMap.get(tensor.dataId).memoryOffset;
