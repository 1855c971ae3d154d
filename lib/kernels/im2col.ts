/**
 * Unfolding image patches into matrix rows (im2col, Chellapilla et al. 2006) and folding row
 * gradients back, so that convolutions and their gradients become single matrix products.
 *
 *   patches [n, kh*kw*cin]     n = batch*outH*outW; row r holds output position r's receptive field,
 *                              taps in (kh, kw, cin) order, which is the NHWC filter's [kh, kw, cin, cout] order
 *
 * NHWC and dilation 1 only: all that tfjs's conv2d and its gradients ask for here. The loops are
 * WebAssembly (im2col.wat) working in tfjs's wasm heap.
 */
import { tf } from "../tf.ts";
import { IM2COL_WASM } from "./wasm_im2col_module.ts";
import { exportsIn } from "./wasm_heap.ts";

export type ConvInfo = ReturnType<typeof tf.backend_util.computeConv2DInfo>;

export interface ConvAttrs {
  strides: number | [number, number];
  pad: "valid" | "same" | number;
  dataFormat: "NHWC" | "NCHW";
  dilations?: number | [number, number];
  dimRoundingMode?: "floor" | "round" | "ceil";
}

export function convInfo(xShape: number[], filterShape: number[], attrs: ConvAttrs): ConvInfo {
  if (attrs.dataFormat !== "NHWC") throw new Error(`im2col convolutions support NHWC only, got ${attrs.dataFormat}`);
  const dilations = attrs.dilations ?? 1;
  if (dilations !== 1 && !(Array.isArray(dilations) && dilations.every((d) => d === 1))) {
    throw new Error(`im2col convolutions support dilation 1 only, got ${dilations}`);
  }
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
}

export const patchRows = (info: ConvInfo) => info.batchSize * info.outHeight * info.outWidth;
export const patchLength = (info: ConvInfo) => info.filterHeight * info.filterWidth * info.inChannels;

/**
 * The window geometry that the project's .wat kernels take after their addresses (im2col.wat,
 * max_pool_grad.wat): pooling's info has the same fields as a convolution's.
 */
export const windowArgs = (info: ConvInfo) => [
  info.batchSize,
  info.inHeight,
  info.inWidth,
  info.inChannels,
  info.outHeight,
  info.outWidth,
  info.filterHeight,
  info.filterWidth,
  info.strideHeight,
  info.strideWidth,
  info.padInfo.top,
  info.padInfo.left,
];

type Im2colFunction = (input: number, patches: number, ...shape: number[]) => void;

/**
 * Fills the patches [n, kh*kw*cin] from the NHWC input, in one wasm heap: `input` and `patches`
 * are byte offsets in `memory`. Taps in the padding are zero.
 */
export function unfold(info: ConvInfo, memory: WebAssembly.Memory, input: number, patches: number): void {
  if (patchRows(info) === 0) return;
  (exportsIn(memory, IM2COL_WASM).unfold as Im2colFunction)(input, patches, ...windowArgs(info));
}

/**
 * Adds each patch row's values back onto the NHWC `out` positions they were unfolded from (the
 * adjoint of unfold), in one wasm heap: `patches` and `out` are byte offsets in `memory`. `out`
 * is zeroed first.
 */
export function foldAdd(info: ConvInfo, memory: WebAssembly.Memory, patches: number, out: number): void {
  const { batchSize, inHeight, inWidth, inChannels } = info;
  new Float32Array(memory.buffer, out, batchSize * inHeight * inWidth * inChannels).fill(0);
  if (patchRows(info) === 0) return;
  (exportsIn(memory, IM2COL_WASM).foldAdd as Im2colFunction)(patches, out, ...windowArgs(info));
}
