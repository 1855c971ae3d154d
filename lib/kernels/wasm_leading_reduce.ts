/**
 * Sum and Mean over leading axes for tfjs's wasm backend, in one pass. Every bias gradient is such
 * a sum (a dense layer's over the batch, a convolution's over batch, rows and columns), and batch
 * norm's statistics are such means. tfjs's kernels first transpose the reduced axes to the end,
 * then reduce rows: 3.8 ms of the mnist_cnn's step for its conv2 bias, most of it in the
 * transpose. A block of adjacent inner axes short of the last (NHWC over H and W: the gradient of
 * a per-image, per-channel term added to a feature map, as the U-Net's time embedding) is the same
 * reduction within each slice of the axes before it. Other reductions go to tfjs's kernels.
 *
 * Each output sums its inputs in the same order as tfjs's kernel does, in float32 (dense.wat's
 * column sums: row after row, four columns at a time).
 */
import { tf } from "../tf.ts";
import { heapAddress, type WasmKernelBackend } from "./wasm_heap.ts";
import { columnSumsAt } from "./wasm_dense.ts";

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
    const { outer, reduced, inner } = block;
    if (inner === 0) return out;
    const [from, to] = [x, out].map((t) => heapAddress(wasm, t));
    for (let o = 0; o < outer; o++) {
      columnSumsAt(wasm, from + o * reduced * inner * 4, reduced, inner, to + o * inner * 4);
    }
    if (mean && reduced > 0) divide(wasm.typedArrayFromHeap(out), reduced);
    return out;
  };
}

// A function of its own: V8 optimises a hot loop inside a longer function by on-stack replacement
// and drops that code at the loop's exit.
function divide(values: Float32Array, by: number): void {
  for (let i = 0; i < values.length; i++) values[i] /= by;
}
