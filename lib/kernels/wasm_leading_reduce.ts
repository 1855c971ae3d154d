/**
 * Sum and Mean over leading axes for tfjs's wasm backend, in one pass. Every bias gradient is such
 * a sum (a dense layer's over the batch, a convolution's over batch, rows and columns), and batch
 * norm's statistics are such means. tfjs's kernels first transpose the reduced axes to the end,
 * then reduce rows: 3.8 ms of the mnist_cnn's step for its conv2 bias, most of it in the
 * transpose. A block of adjacent inner axes short of the last (NHWC over H and W: the gradient of
 * a per-image, per-channel term added to a feature map, as the U-Net's time embedding) is the same
 * reduction within each slice of the axes before it. Other reductions go to tfjs's kernels.
 *
 * Each output sums its inputs in the same order as tfjs's kernel does, in float32.
 */
import { tf } from "../tf.ts";
import type { WasmKernelBackend } from "./wasm_heap.ts";

type TensorInfo = tf.TensorInfo;
type KernelFunc = tf.KernelConfig["kernelFunc"];

/**
 * x as [outer, reduced, inner] when `axes` are a block of adjacent axes that leaves the last one
 * out (outer 1 when they lead), else null.
 */
function adjacentBlock(axes: number[], shape: number[]) {
  const sorted = [...axes].sort((a, b) => a - b);
  const [first, last] = [sorted[0], sorted.at(-1)!];
  if (sorted.length === 0 || last - first !== sorted.length - 1 || last >= shape.length - 1) return null;
  const size = (from: number, to: number) => tf.util.sizeFromShape(shape.slice(from, to));
  return { outer: size(0, first), reduced: size(first, last + 1), inner: size(last + 1, shape.length) };
}

/** sums[j] = x[0, j] + x[1, j] + ... over `rows` rows of `sums.length`, in that order (tfjs's). */
function sumRows(values: Float32Array, rows: number, sums: Float32Array): void {
  const width = sums.length;
  // Over no rows: 0, as on the cpu backend (tfjs's wasm kernel returns what the new buffer held).
  if (rows === 0) sums.fill(0);
  else sums.set(values.subarray(0, width));
  for (let row = 1; row < rows; row++) {
    const at = row * width;
    for (let j = 0; j < width; j++) sums[j] += values[at + j];
  }
}

/** Sum (or, with `mean`, Mean) over leading axes or a block of inner ones; `original` (tfjs's kernel) takes the rest. */
export function leadingReduce(original: KernelFunc, mean: boolean): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const block = adjacentBlock(axes, x.shape);
    if (x.dtype !== "float32" || !block) return original(args);
    const outShape = x.shape.flatMap((d, i) => (axes.includes(i) ? (keepDims ? [1] : []) : [d]));
    const wasm = args.backend as unknown as WasmKernelBackend;
    const out = wasm.makeOutput(outShape, "float32");
    const [sums, values] = [out, x].map((t) => wasm.typedArrayFromHeap(t)); // views after the allocation
    const { outer, reduced, inner } = block;
    if (inner === 0) return out;
    for (let o = 0; o < outer; o++) {
      const slice = sums.subarray(o * inner, (o + 1) * inner);
      sumRows(values.subarray(o * reduced * inner, (o + 1) * reduced * inner), reduced, slice);
      if (mean && reduced > 0) { for (let j = 0; j < inner; j++) slice[j] /= reduced; }
    }
    return out;
  };
}
