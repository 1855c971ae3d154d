/**
 * A fused Adam update for tfjs's wasm backend, as a kernel: inputs value, m, v, gradient and the
 * running beta powers; outputs the new value, m and v. The work is adam.wat's single SIMD pass in
 * tfjs's own wasm memory (wasm_heap.ts), in place of 13 kernels per variable. lib/adam.ts calls it.
 */
import { tf } from "../tf.ts";
import { ADAM_WASM } from "./wasm_adam_module.ts";
import { exportsIn, heapAddress, heapMemory, type WasmKernelBackend } from "./wasm_heap.ts";

export const FUSED_ADAM = "TflabFusedAdam";

type TensorInfo = tf.TensorInfo;

export interface FusedAdamAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
}

export const fusedAdam: tf.KernelConfig["kernelFunc"] = ({ inputs, backend, attrs }) => {
  const { value, m, v, gradient, beta1Power, beta2Power } = inputs as Record<string, TensorInfo>;
  const { beta1, beta2, epsilon, learningRate } = attrs as unknown as FusedAdamAttrs;
  for (const t of [value, m, v, gradient]) {
    if (t.dtype !== "float32" || t.shape.join() !== value.shape.join()) {
      throw new Error(`${FUSED_ADAM}: expected float32 tensors of shape [${value.shape}], got ${t.dtype} [${t.shape}]`);
    }
  }
  const wasm = backend as unknown as WasmKernelBackend;
  const outputs = [value, m, v].map((t) => wasm.makeOutput(t.shape, "float32"));
  const f32 = Math.fround; // the scalars as tfjs makes them: float32 tensors of the JS numbers
  const adam = exportsIn(heapMemory(backend), ADAM_WASM).adam as (...args: number[]) => void;
  adam(
    ...[value, m, v, gradient, ...outputs].map((t) => heapAddress(backend, t)),
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
