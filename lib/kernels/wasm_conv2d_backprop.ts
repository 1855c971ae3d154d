/**
 * Convolution gradients for tfjs's wasm backend, as matrix products over unfolded patches
 * (im2col, Chellapilla et al. 2006), so that the heavy work runs in the wasm BatchMatMul
 * (XNNPACK). The backend ships no Conv2DBackpropFilter at all, so no conv net could train on it,
 * and its Conv2DBackpropInput is a scalar loop about ten times slower than this.
 *
 *   patches [n, kh*kw*cin]     n = batch*outH*outW; one row per output position
 *   dW^T    [cout, kh*kw*cin] = dy^T [cout, n] . patches
 *   dPatch  [n, kh*kw*cin]    = dy [n, cout] . W^T [cout, kh*kw*cin];  dx = fold(dPatch)
 *
 * NHWC and dilation 1 only: all that tfjs's conv2d gradient asks for. Other input gradients, and
 * one whose dy does not have the output's shape (tfjs's conv2dTranspose allows that), go to
 * wasm's own Conv2DBackpropInput; the filter gradient, which wasm lacks, refuses them. Tested
 * against the cpu backend's kernels and tfjs's op specs.
 */
import { tf } from "../tf.ts";
import { type ConvAttrs, type ConvInfo, convInfo, covers, foldAdd, patchLength, patchRows, unfold } from "./im2col.ts";
import { heapMemory, type WasmKernelBackend } from "./wasm_heap.ts";

type TensorInfo = tf.TensorInfo;
type KernelFunc = tf.KernelConfig["kernelFunc"];

function matMul(backend: unknown, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo {
  const kernel = tf.getKernel("BatchMatMul", "wasm")!.kernelFunc;
  return kernel({
    inputs: { a, b },
    backend: backend as tf.KernelBackend,
    attrs: { transposeA, transposeB },
  }) as TensorInfo;
}

const as3d = (t: TensorInfo, shape: number[]): TensorInfo => ({ dataId: t.dataId, shape, dtype: "float32" });

const backpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { filterShape } = attrs as unknown as { filterShape: number[] };
  const info = convInfo(x.shape, filterShape, attrs as unknown as ConvAttrs, dy.shape);
  const wasm = backend as unknown as WasmKernelBackend;
  const n = patchRows(info), rowLength = patchLength(info);

  // Allocate first: growing the wasm heap detaches earlier views of it.
  const patches = wasm.makeOutput([1, n, rowLength], "float32");
  unfold(info, heapMemory(backend), wasm.typedArrayFromHeap(x), wasm.typedArrayFromHeap(patches));

  const gradT = matMul(backend, as3d(dy, [1, n, info.outChannels]), patches, true, false); // [1, cout, rows]
  wasm.disposeData(patches.dataId);
  const transpose = tf.getKernel("Transpose", "wasm")!.kernelFunc;
  const grad = transpose({
    inputs: { x: as3d(gradT, [info.outChannels, rowLength]) },
    backend,
    attrs: { perm: [1, 0] },
  });
  wasm.disposeData(gradT.dataId);
  return { dataId: (grad as TensorInfo).dataId, shape: filterShape, dtype: "float32" };
};

/**
 * The geometry of a Conv2DBackpropInput the kernels here cover, or null: one of a convolution
 * `covers` takes whose dy has the output's shape.
 */
export function backpropInputInfo(args: Parameters<KernelFunc>[0]): ConvInfo | null {
  const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
  const attrs = args.attrs as unknown as ConvAttrs & { inputShape: number[] };
  if (!covers(attrs, dy, filter)) return null;
  const info = convInfo(attrs.inputShape, filter.shape, attrs);
  return tf.util.arraysEqual(dy.shape, info.outShape) ? info : null;
}

function backpropInput({ inputs, backend, attrs }: Parameters<KernelFunc>[0], info: ConvInfo) {
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { inputShape } = attrs as unknown as { inputShape: number[] };
  const wasm = backend as unknown as WasmKernelBackend;
  const n = patchRows(info), rowLength = patchLength(info);

  const patchGrads = matMul(
    backend,
    as3d(dy, [1, n, info.outChannels]),
    as3d(filter, [1, rowLength, info.outChannels]),
    false,
    true,
  ); // [1, n, rows]
  const dx = wasm.makeOutput(inputShape, "float32");
  foldAdd(info, heapMemory(backend), wasm.typedArrayFromHeap(patchGrads), wasm.typedArrayFromHeap(dx));
  wasm.disposeData(patchGrads.dataId);
  return dx;
}

/** The two gradients; `originalBackpropInput` (wasm's own) takes the input gradients not covered here. */
export function im2colConv2DBackprop(originalBackpropInput: KernelFunc) {
  return {
    backpropFilter,
    backpropInput: (args: Parameters<KernelFunc>[0]) => {
      const info = backpropInputInfo(args);
      return info ? backpropInput(args, info) : originalBackpropInput(args);
    },
  };
}
