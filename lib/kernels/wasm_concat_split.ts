/**
 * Concat and SplitV of float32 tensors for tfjs's wasm backend, as plain copy loops. Both see a
 * tensor as rows (the axes before the concatenated one) of pieces, and tfjs's kernels copy each
 * piece of each row with `subarray` + `set`: for the U-Net's skip connections (NHWC, concatenated
 * along channels) that is a call pair per pixel for 16 to 32 floats, 8% of a diffusion step with
 * the gradient's SplitV. Strings and the other dtypes go to tfjs's kernels.
 */
import { tf } from "../tf.ts";
import type { WasmKernelBackend } from "./wasm_heap.ts";

type TensorInfo = tf.TensorInfo;
type KernelFunc = tf.KernelConfig["kernelFunc"];

/** Piece `piece` of every row: `width` floats at `offset` in rows of `rowWidth` in `joined`, into or out of it. */
function copyPiece(joined: Float32Array, piece: Float32Array, rowWidth: number, offset: number, toJoined: boolean) {
  const width = piece.length / (joined.length / rowWidth);
  for (let from = 0, at = offset; from < piece.length; from += width, at += rowWidth) {
    if (toJoined) { for (let j = 0; j < width; j++) joined[at + j] = piece[from + j]; }
    else for (let j = 0; j < width; j++) piece[from + j] = joined[at + j];
  }
}

/** Copies each row's pieces (widths[i] floats of pieces[i]) into the joined rows (concat) or out of them (split). */
function copyRows(joined: Float32Array, pieces: Float32Array[], widths: number[], toJoined: boolean): void {
  const rowWidth = widths.reduce((a, b) => a + b, 0);
  if (joined.length === 0) return;
  let offset = 0;
  pieces.forEach((piece, i) => {
    copyPiece(joined, piece, rowWidth, offset, toJoined);
    offset += widths[i];
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
    copyRows(wasm.typedArrayFromHeap(out), nonEmpty.map((t) => wasm.typedArrayFromHeap(t)), widths, true);
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
    copyRows(wasm.typedArrayFromHeap(x), outputs.map((t) => wasm.typedArrayFromHeap(t)), widths, false);
    return outputs;
  };
}
