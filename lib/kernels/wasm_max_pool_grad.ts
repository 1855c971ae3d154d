/**
 * MaxPoolGrad for tfjs's wasm backend: each output gradient goes to the input that won its
 * window (the first maximum, as tfjs's cpu kernel picks), in one pass over the windows, four
 * channels at a time (max_pool_grad.wat). tfjs's own wasm kernel walks every input position over
 * every window that might contain it (137 ms of the mnist_cnn's step in a profile; this one 4.4 ms).
 */
import { tf } from "../tf.ts";
import { MAX_POOL_GRAD_WASM } from "./wasm_max_pool_grad_module.ts";
import { exportsIn, heapAddress, heapMemory, type WasmKernelBackend } from "./wasm_heap.ts";
import { windowArgs } from "./im2col.ts";

type TensorInfo = tf.TensorInfo;

interface PoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: "valid" | "same" | number;
  dimRoundingMode?: "floor" | "round" | "ceil";
}

export const maxPoolGrad: tf.KernelConfig["kernelFunc"] = ({ inputs, backend, attrs }) => {
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as PoolAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  // The wasm loop reads dy at the pooled positions: dy must have the pooled shape.
  tf.util.assert(
    tf.util.arraysEqual(dy.shape, info.outShape) && input.dtype === "float32" && dy.dtype === "float32",
    () => `MaxPoolGrad: dy ${dy.dtype} [${dy.shape}] must be float32 of the pooled shape [${info.outShape}]`,
  );
  const wasm = backend as unknown as WasmKernelBackend;
  const out = wasm.makeOutput(input.shape, "float32");
  wasm.typedArrayFromHeap(out).fill(0);
  const route = exportsIn(heapMemory(backend), MAX_POOL_GRAD_WASM).maxPoolGrad as (...args: number[]) => void;
  route(
    ...[input, dy, out].map((t) => heapAddress(backend, t)),
    ...windowArgs(info),
  );
  return out;
};
