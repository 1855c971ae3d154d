/**
 * GatherV2 for tfjs's wasm backend as row copies over the heap. wasm's own kernel checks each
 * index through a closure and reshapes its operands around the C++ call: about 100 us for the 256
 * rows of a PPO minibatch's observations, against a few here (ppo_update gathers six such tensors
 * per step). The values are copies, so results are those of tfjs's kernel; batchDims other than 0
 * and string or complex tensors go to `original`.
 */
import { tf } from "../tf.ts";

type TensorInfo = tf.TensorInfo;
type HeapArray = Float32Array | Int32Array | Uint8Array;

interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): HeapArray;
}

const COPIED: tf.DataType[] = ["float32", "int32", "bool"];

export function rowGather(original: tf.KernelConfig["kernelFunc"]): tf.KernelConfig["kernelFunc"] {
  return (args) => {
    const { x, indices } = args.inputs as { x: TensorInfo; indices: TensorInfo };
    const { axis, batchDims } = args.attrs as unknown as { axis: number; batchDims: number };
    if (batchDims !== 0 || !COPIED.includes(x.dtype) || indices.dtype !== "int32") return original(args);
    const at = tf.util.parseAxisParam(axis, x.shape)[0];
    const outer = tf.util.sizeFromShape(x.shape.slice(0, at));
    const dim = x.shape[at];
    const inner = tf.util.sizeFromShape(x.shape.slice(at + 1));
    const backend = args.backend as unknown as WasmBackend;
    const index = backend.typedArrayFromHeap(indices);
    for (const i of index) {
      // tfjs's check and message
      if (!(i >= 0 && i <= dim - 1)) throw new Error(`GatherV2: the index value ${i} is not in [0, ${dim - 1}]`);
    }
    const out = backend.makeOutput([...x.shape.slice(0, at), ...indices.shape, ...x.shape.slice(at + 1)], x.dtype);
    // views after the allocation: growing the heap detaches earlier ones
    copyRows(backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(indices), backend.typedArrayFromHeap(out), {
      outer,
      dim,
      inner,
    });
    return out;
  };
}

/** out[o, j, :] = x[o, index[j], :] over x [outer, dim, inner]. */
function copyRows(
  x: HeapArray,
  index: HeapArray,
  out: HeapArray,
  { outer, dim, inner }: { outer: number; dim: number; inner: number },
): void {
  const n = index.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < n; j++) {
      const from = (o * dim + index[j]) * inner, to = (o * n + j) * inner;
      if (inner < 16) { // a subarray per row costs more than copying a short one
        for (let k = 0; k < inner; k++) out[to + k] = x[from + k];
      } else out.set(x.subarray(from, from + inner), to);
    }
  }
}
