/**
 * Unfolding image patches into matrix rows (im2col, Chellapilla et al. 2006) and folding row
 * gradients back, so that convolutions and their gradients become single matrix products.
 *
 *   patches [n, kh*kw*cin]     n = batch*outH*outW; row r holds output position r's receptive field,
 *                              taps in (kh, kw, cin) order, which is the NHWC filter's [kh, kw, cin, cout] order
 *
 * NHWC and dilation 1 only (`covers` says when a kernel must hand a convolution to tfjs's own). The loops are WebAssembly (im2col.wat) working in tfjs's wasm heap.
 */
import { tf } from "../tf.ts";
import { IM2COL_WASM } from "./wasm_im2col_module.ts";
import { allFloat32, exportsIn } from "./wasm_heap.ts";
import { assertHolds } from "./native_bounds.ts";

export type ConvInfo = ReturnType<typeof tf.backend_util.computeConv2DInfo>;

export interface ConvAttrs {
  strides: number | [number, number];
  pad: "valid" | "same" | number;
  dataFormat: "NHWC" | "NCHW";
  dilations?: number | [number, number];
  dimRoundingMode?: "floor" | "round" | "ceil";
}

/**
 * Why the project's convolution kernels (im2col + BLAS, oneDNN) leave a convolution with these
 * attributes to tfjs's own kernel, or null when they take it: they are NHWC, dilation 1.
 */
function notCovered(attrs: ConvAttrs): string | null {
  if (attrs.dataFormat !== "NHWC") return `data format ${attrs.dataFormat}`;
  const dilations = attrs.dilations ?? 1;
  const ones = dilations === 1 || (Array.isArray(dilations) && dilations.every((d) => d === 1));
  return ones ? null : `dilation ${dilations}`;
}

/** Whether the project's convolution kernels take a convolution with `attrs` of these tensors. */
export const covers = (attrs: ConvAttrs, ...tensors: tf.TensorInfo[]): boolean =>
  notCovered(attrs) === null && allFloat32(...tensors);

/**
 * The geometry of an NHWC convolution of `xShape` with a [kh, kw, cin, cout] filter, checked as
 * tfjs checks it: rank 4, matching input depths, and, given `dyShape` (a gradient's), that it is
 * the output's shape. Throws a tfjs-style error otherwise.
 */
export function convInfo(xShape: number[], filterShape: number[], attrs: ConvAttrs, dyShape?: number[]): ConvInfo {
  const covered = notCovered(attrs);
  if (covered) throw new Error(`im2col convolutions do not support ${covered}`);
  tf.util.assert(
    xShape.length === 4 && filterShape.length === 4,
    () => `Error in conv2d: input [${xShape}] and filter [${filterShape}] must be rank 4.`,
  );
  tf.util.assert(
    xShape[3] === filterShape[2],
    () => `Error in conv2d: depth of input (${xShape[3]}) must match input depth for filter ${filterShape[2]}.`,
  );
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  tf.util.assert(
    !dyShape || tf.util.arraysEqual(dyShape, info.outShape),
    () => `Error in conv2d gradient: dy [${dyShape}] does not match the output shape [${info.outShape}].`,
  );
  return info;
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

const inputFloats = (info: ConvInfo) => info.batchSize * info.inHeight * info.inWidth * info.inChannels;

/** The byte offset of `view` in `memory`, which it must lie in. */
function addressIn(memory: WebAssembly.Memory, view: Float32Array): number {
  if (view.buffer !== memory.buffer) throw new Error("im2col: the arrays must be views of the wasm memory");
  return view.byteOffset;
}

/**
 * Fills `patches` [n, kh*kw*cin] from the NHWC `input`, both views of the wasm `memory` (the
 * kernel runs in it). Taps in the padding are zero.
 */
export function unfold(info: ConvInfo, memory: WebAssembly.Memory, input: Float32Array, patches: Float32Array): void {
  assertHolds(input, inputFloats(info), `im2col unfold: input [${info.inShape}]`);
  assertHolds(patches, patchRows(info) * patchLength(info), `im2col unfold: patches`);
  if (patchRows(info) === 0) return;
  const kernel = exportsIn(memory, IM2COL_WASM).unfold as Im2colFunction;
  kernel(addressIn(memory, input), addressIn(memory, patches), ...windowArgs(info));
}

/**
 * Adds each row of `patches` back onto the NHWC `out` positions it was unfolded from (the
 * adjoint of unfold); both are views of the wasm `memory`. `out` is zeroed first.
 */
export function foldAdd(info: ConvInfo, memory: WebAssembly.Memory, patches: Float32Array, out: Float32Array): void {
  assertHolds(patches, patchRows(info) * patchLength(info), `im2col foldAdd: patches`);
  assertHolds(out, inputFloats(info), `im2col foldAdd: output [${info.inShape}]`);
  out.fill(0, 0, inputFloats(info));
  if (patchRows(info) === 0) return;
  const kernel = exportsIn(memory, IM2COL_WASM).foldAdd as Im2colFunction;
  kernel(addressIn(memory, patches), addressIn(memory, out), ...windowArgs(info));
}
