/**
 * tfjs's wasm convolution kernels in oneDNN (./onednn.ts): Conv2D, FusedConv2D, and the two
 * gradients, Conv2DBackpropInput (also tfjs's conv2dTranspose, DCGAN's generator) and
 * Conv2DBackpropFilter. They read and write tensors where they lie in the wasm heap. A geometry
 * oneDNN has no implementation for, and what the im2col kernels leave to tfjs's own (NCHW,
 * dilation, a dy of another shape than the output's), goes to `fallback` (the im2col kernels). Tested against the
 * cpu backend, forward and gradients.
 */
import type { tf } from "../tf.ts";
import { type ConvAttrs, type ConvInfo, convInfo, covers } from "./im2col.ts";
import { backpropInputInfo } from "./wasm_conv2d_backprop.ts";
import type { ConvGeometry, ConvKind, OneDnn } from "./onednn.ts";
import type { WasmKernelBackend } from "./wasm_heap.ts";
import { fusedConv2DFrom } from "./wasm_blas_conv2d.ts";

type TensorInfo = tf.TensorInfo;
type KernelFunc = tf.KernelConfig["kernelFunc"];

export interface Conv2DKernels {
  conv2D: KernelFunc;
  fusedConv2D: KernelFunc;
  backpropInput: KernelFunc;
  backpropFilter: KernelFunc;
}

const geometry = (info: ConvInfo): ConvGeometry => ({
  batch: info.batchSize,
  inHeight: info.inHeight,
  inWidth: info.inWidth,
  inChannels: info.inChannels,
  outHeight: info.outHeight,
  outWidth: info.outWidth,
  outChannels: info.outChannels,
  filterHeight: info.filterHeight,
  filterWidth: info.filterWidth,
  strideHeight: info.strideHeight,
  strideWidth: info.strideWidth,
  padTop: info.padInfo.top,
  padLeft: info.padInfo.left,
  padBottom: info.padInfo.bottom,
  padRight: info.padInfo.right,
});

export function oneDnnConv2DKernels(onednn: OneDnn, fallback: Conv2DKernels): Conv2DKernels {
  /**
   * The oneDNN convolution of `kind` of the two inputs into a new tensor of `outShape`, or null
   * when oneDNN has none for this geometry (or it is empty).
   */
  function convolve(
    kind: ConvKind,
    info: ConvInfo,
    inputs: [TensorInfo, TensorInfo],
    outShape: number[],
    backend: unknown,
  ) {
    const empty = info.batchSize * info.outHeight * info.outWidth * info.inChannels === 0;
    const convolution = empty ? null : onednn.convolution(kind, geometry(info));
    if (!convolution) return null;
    const wasm = backend as WasmKernelBackend;
    const out = wasm.makeOutput(outShape, "float32");
    // Views after the allocation: growing the wasm heap detaches earlier ones.
    const [a, b] = inputs.map((t) => wasm.typedArrayFromHeap(t));
    convolution.run(a, b, wasm.typedArrayFromHeap(out));
    return out;
  }

  const conv2D: KernelFunc = (args) => {
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const attrs = args.attrs as unknown as ConvAttrs;
    if (!covers(attrs, x, filter)) return fallback.conv2D(args);
    const info = convInfo(x.shape, filter.shape, attrs);
    return convolve("forward", info, [x, filter], info.outShape, args.backend) ?? fallback.conv2D(args);
  };
  const backpropInput: KernelFunc = (args) => {
    const info = backpropInputInfo(args);
    if (!info) return fallback.backpropInput(args);
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const { inputShape } = args.attrs as unknown as { inputShape: number[] };
    return convolve("backwardData", info, [dy, filter], inputShape, args.backend) ?? fallback.backpropInput(args);
  };
  const backpropFilter: KernelFunc = (args) => {
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const attrs = args.attrs as unknown as ConvAttrs & { filterShape: number[] };
    if (!covers(attrs, x, dy)) return fallback.backpropFilter(args);
    const info = convInfo(x.shape, attrs.filterShape, attrs, dy.shape);
    return convolve("backwardWeights", info, [x, dy], attrs.filterShape, args.backend) ??
      fallback.backpropFilter(args);
  };
  return { conv2D, fusedConv2D: fusedConv2DFrom(conv2D, fallback.fusedConv2D), backpropInput, backpropFilter };
}
