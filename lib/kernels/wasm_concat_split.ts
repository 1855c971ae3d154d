/**
 * Concat and SplitV of float32 tensors for tfjs's wasm backend, as strided copies. Both see a
 * tensor as rows (the axes before the concatenated one) of pieces, and tfjs's kernels copy each
 * piece of each row with `subarray` + `set`: for the U-Net's skip connections (NHWC, concatenated
 * along channels) that is a call pair per pixel for 16 to 32 floats, 8% of a diffusion step with
 * the gradient's SplitV. Strings and the other dtypes go to tfjs's kernels.
 */
import { tf } from "../tf.ts";
import { exportsIn, heapAddress, heapMemory, type WasmKernelBackend } from "./wasm_heap.ts";
import { STRIDED_COPY_WASM } from "./wasm_strided_copy_module.ts";

type TensorInfo = tf.TensorInfo;
type KernelFunc = tf.KernelConfig["kernelFunc"];

/**
 * Copies each row's pieces (widths[i] floats of pieces[i]) into the joined rows (concat) or out of
 * them (split), in strided_copy.wat.
 */
function copyRows(backend: unknown, joined: TensorInfo, pieces: TensorInfo[], widths: number[], toJoined: boolean) {
  const rowWidth = widths.reduce((a, b) => a + b, 0);
  const rows = tf.util.sizeFromShape(joined.shape) / rowWidth;
  if (!rows) return;
  const copy = exportsIn(heapMemory(backend), STRIDED_COPY_WASM).copyRows as (...args: number[]) => void;
  const joinedAt = heapAddress(backend, joined);
  let offset = 0;
  pieces.forEach((piece, i) => {
    const [at, width] = [heapAddress(backend, piece), widths[i] * 4];
    if (toJoined) copy(at, width, joinedAt + offset, rowWidth * 4, rows, width);
    else copy(joinedAt + offset, rowWidth * 4, at, width, rows, width);
    offset += width;
  });
}

export function concatKernel(original: KernelFunc): KernelFunc {
  return (args) => {
    const inputs = args.inputs as unknown as TensorInfo[];
    const nonEmpty = inputs.filter((t) => tf.util.sizeFromShape(t.shape) > 0);
    if (nonEmpty.length < 2 || nonEmpty.some((t) => t.dtype !== "float32")) return original(args);
    const axis = tf.util.parseAxisParam((args.attrs as unknown as { axis: number }).axis, inputs[0].shape)[0];
    tf.backend_util.assertParamsConsistent(inputs.map((t) => t.shape), axis);
    const wasm = args.backend as unknown as WasmKernelBackend;
    const out = wasm.makeOutput(tf.backend_util.computeOutShape(inputs.map((t) => t.shape), axis), "float32");
    const widths = nonEmpty.map((t) => tf.util.sizeFromShape(t.shape.slice(axis)));
    copyRows(wasm, out, nonEmpty, widths, true);
    return out;
  };
}

export function splitVKernel(original: KernelFunc): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype !== "float32") return original(args);
    const { numOrSizeSplits, axis } = args.attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
    const $axis = tf.util.parseAxisParam(axis, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, $axis);
    const wasm = args.backend as unknown as WasmKernelBackend;
    const outputs = sizes.map((size) => wasm.makeOutput(x.shape.map((d, i) => (i === $axis ? size : d)), "float32"));
    const inner = tf.util.sizeFromShape(x.shape.slice($axis + 1));
    const widths = sizes.map((size) => size * inner);
    copyRows(wasm, x, outputs, widths, false);
    return outputs;
  };
}
