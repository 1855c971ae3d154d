/**
 * Sum and Mean over leading axes for tfjs's wasm backend, in one pass. Every bias gradient is such
 * a sum (a dense layer's over the batch, a convolution's over batch, rows and columns), and batch
 * norm's statistics are such means. tfjs's kernels first transpose the reduced axes to the end,
 * then reduce rows: 3.8 ms of the mnist_cnn's step for its conv2 bias, most of it in the
 * transpose. Other reductions go to tfjs's kernels.
 *
 * Each output sums its inputs in the same order as tfjs's kernel does, in float32.
 */
import { tf } from "../tf.ts";
import type { WasmKernelBackend } from "./wasm_heap.ts";

type TensorInfo = tf.TensorInfo;
type KernelFunc = tf.KernelConfig["kernelFunc"];

/** How many leading axes `axes` reduce (0 when they are not a leading block short of all axes). */
function leadingAxes(axes: number[], rank: number): number {
  const sorted = [...axes].sort((a, b) => a - b);
  const leading = sorted.every((axis, i) => axis === i);
  return leading && sorted.length < rank ? sorted.length : 0;
}

/** Sum (or, with `mean`, Mean) over leading axes; `original` (tfjs's kernel) takes the rest. */
export function leadingReduce(original: KernelFunc, mean: boolean): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const reduced = leadingAxes(axes, x.shape.length);
    if (x.dtype !== "float32" || reduced === 0) return original(args);
    const kept = x.shape.slice(reduced);
    const outShape = keepDims ? [...x.shape.slice(0, reduced).map(() => 1), ...kept] : kept;
    const wasm = args.backend as unknown as WasmKernelBackend;
    const out = wasm.makeOutput(outShape, "float32");
    const [sums, values] = [out, x].map((t) => wasm.typedArrayFromHeap(t)); // views after the allocation
    const width = tf.util.sizeFromShape(kept);
    if (width === 0) return out;
    const rows = values.length / width;
    // Over no rows: 0, as on the cpu backend (tfjs's wasm kernel returns what the new buffer held).
    if (rows === 0) sums.fill(0);
    else sums.set(values.subarray(0, width));
    for (let row = 1; row < rows; row++) {
      const at = row * width;
      for (let j = 0; j < width; j++) sums[j] += values[at + j];
    }
    if (mean && rows > 0) { for (let j = 0; j < width; j++) sums[j] /= rows; }
    return out;
  };
}
