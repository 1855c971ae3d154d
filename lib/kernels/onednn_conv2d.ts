/**
 * tfjs's wasm convolution kernels in oneDNN (./onednn.ts): Conv2D, FusedConv2D, and the two
 * gradients, Conv2DBackpropInput (also tfjs's conv2dTranspose, DCGAN's generator) and
 * Conv2DBackpropFilter. They read and write tensors where they lie in the wasm heap. A geometry
 * oneDNN has no implementation for goes to `fallback` (the im2col kernels). Tested against the
 * cpu backend, forward and gradients.
 */
import type { tf } from "../tf.ts";
import { type ConvAttrs, type ConvInfo, convInfo } from "./im2col.ts";
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
   * One oneDNN convolution of `kind` into a new tensor of `outShape`, or the fallback kernel's
   * result when oneDNN has none for this geometry (or it is empty).
   */
  const viaOneDnn =
    (kind: ConvKind, info: ConvInfo, outShape: number[], fallbackKernel: KernelFunc): KernelFunc => (args) => {
      const convolution = info.batchSize * info.outHeight * info.outWidth * info.inChannels > 0
        ? onednn.convolution(kind, geometry(info))
        : null;
      if (!convolution) return fallbackKernel(args);
      const wasm = args.backend as unknown as WasmKernelBackend;
      const [a, b] = Object.values(args.inputs) as TensorInfo[];
      const out = wasm.makeOutput(outShape, "float32");
      // Views after the allocation: growing the wasm heap detaches earlier ones.
      convolution.run(wasm.typedArrayFromHeap(a), wasm.typedArrayFromHeap(b), wasm.typedArrayFromHeap(out));
      return out;
    };

  const conv2D: KernelFunc = (args) => {
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const info = convInfo(x.shape, filter.shape, args.attrs as unknown as ConvAttrs);
    return viaOneDnn("forward", info, info.outShape, fallback.conv2D)({ ...args, inputs: { x, filter } });
  };
  const backpropInput: KernelFunc = (args) => {
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const { inputShape } = args.attrs as unknown as { inputShape: number[] };
    const info = convInfo(inputShape, filter.shape, args.attrs as unknown as ConvAttrs);
    return viaOneDnn("backwardData", info, inputShape, fallback.backpropInput)({ ...args, inputs: { dy, filter } });
  };
  const backpropFilter: KernelFunc = (args) => {
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const { filterShape } = args.attrs as unknown as { filterShape: number[] };
    const info = convInfo(x.shape, filterShape, args.attrs as unknown as ConvAttrs);
    return viaOneDnn("backwardWeights", info, filterShape, fallback.backpropFilter)({ ...args, inputs: { x, dy } });
  };
  return { conv2D, fusedConv2D: fusedConv2DFrom(conv2D, fallback.fusedConv2D), backpropInput, backpropFilter };
}
