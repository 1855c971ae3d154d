/**
 * Identity for tfjs's wasm backend without the copy: the output shares the input's buffer, which
 * the backend counts references to, as its own Reshape does and as the cpu backend's Identity
 * does. Tensors are immutable, so sharing is safe, string tensors' included (the backend counts
 * their references the same way). tfjs clones every tensor it saves for the
 * backward pass through Identity, and wasm's kernel copied each one: 61 copies per VAE training
 * step, 7% of its CPU time.
 *
 * A Cast to the dtype the tensor already has is the same identity: tfjs's Mul gradient casts both
 * operands to float32 (`mul(dy, cast(b, 'float32'))`), and wasm's Cast copied each of them, 137
 * copies per diffusion step.
 */
import { tf } from "../tf.ts";

interface WasmBackend {
  incRef(dataId: unknown): void;
}

export const identity: tf.KernelConfig["kernelFunc"] = ({ inputs, backend }) => {
  const { x } = inputs as { x: tf.TensorInfo };
  (backend as unknown as WasmBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

/** Cast that shares when the dtype does not change; `original` (tfjs's kernel) converts. */
export function sharingCast(original: tf.KernelConfig["kernelFunc"]): tf.KernelConfig["kernelFunc"] {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    return (args.attrs as unknown as { dtype: string }).dtype === x.dtype ? identity(args) : original(args);
  };
}
