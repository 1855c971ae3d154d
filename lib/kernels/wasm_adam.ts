/**
 * A fused Adam update for tfjs's wasm backend, as a kernel: inputs value, m, v, gradient and the
 * running beta powers; outputs the new value, m and v. The work is adam.wat's single SIMD pass in
 * tfjs's own wasm memory (no copies), in place of 13 kernels per variable. lib/adam.ts calls it.
 */
import { tf } from "../tf.ts";
import { ADAM_WASM } from "./wasm_adam_module.ts";

export const FUSED_ADAM = "TflabFusedAdam";

type TensorInfo = tf.TensorInfo;

export interface FusedAdamAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
}

interface WasmBackend {
  makeOutput(shape: number[], dtype: "float32"): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  dataIdMap: { get(dataId: unknown): { memoryOffset: number } };
  wasm: { asm: { memory: WebAssembly.Memory } };
}

type AdamFunction = (...args: number[]) => void;

// One instance per wasm heap: a new tfjs wasm backend (tests make several) brings a new memory.
const instances = new WeakMap<WebAssembly.Memory, AdamFunction>();

function adamIn(memory: WebAssembly.Memory): AdamFunction {
  let adam = instances.get(memory);
  if (!adam) {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(ADAM_WASM), { env: { memory } });
    adam = instance.exports.adam as AdamFunction;
    instances.set(memory, adam);
  }
  return adam;
}

const fusedAdam: tf.KernelConfig["kernelFunc"] = ({ inputs, backend, attrs }) => {
  const { value, m, v, gradient, beta1Power, beta2Power } = inputs as Record<string, TensorInfo>;
  const { beta1, beta2, epsilon, learningRate } = attrs as unknown as FusedAdamAttrs;
  for (const t of [value, m, v, gradient]) {
    if (t.dtype !== "float32" || t.shape.join() !== value.shape.join()) {
      throw new Error(`${FUSED_ADAM}: expected float32 tensors of shape [${value.shape}], got ${t.dtype} [${t.shape}]`);
    }
  }
  const wasm = backend as unknown as WasmBackend;
  const outputs = [value, m, v].map((t) => wasm.makeOutput(t.shape, "float32"));
  const address = (t: TensorInfo) => wasm.dataIdMap.get(t.dataId).memoryOffset;
  const f32 = Math.fround; // the scalars as tfjs makes them: float32 tensors of the JS numbers
  adamIn(wasm.wasm.asm.memory)(
    ...[value, m, v, gradient, ...outputs].map(address),
    tf.util.sizeFromShape(value.shape),
    f32(beta1),
    f32(1 - beta1),
    f32(beta2),
    f32(1 - beta2),
    f32(1 - wasm.typedArrayFromHeap(beta1Power)[0]),
    f32(1 - wasm.typedArrayFromHeap(beta2Power)[0]),
    f32(epsilon),
    f32(-learningRate),
  );
  return outputs;
};

export function installWasmFusedAdam(): void {
  tf.registerKernel({ kernelName: FUSED_ADAM, backendName: "wasm", kernelFunc: fusedAdam });
}
