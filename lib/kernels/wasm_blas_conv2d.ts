/**
 * The convolution forward pass in the system BLAS: unfold the input's patches (./im2col.ts), then
 * one product with the filter, whose [kh, kw, cin, cout] layout is already the [rows, cout]
 * matrix; the [n, cout] result is the NHWC output. Conv2D (training, where tfjs applies bias and
 * activation as separate ops) and FusedConv2D (inference: bias and activation folded in).
 * wasm's XNNPACK convolution runs on one thread without the BLAS's wide kernels; this path was
 * about 4 times faster on the mnist_cnn's second layer. Tested against the cpu backend.
 */
import { tf } from "../tf.ts";
import { type ConvAttrs, convInfo, covers, patchLength, unfold } from "./im2col.ts";
import { heapMemory, type WasmKernelBackend } from "./wasm_heap.ts";
import type { SystemBlas } from "./system_blas.ts";
import { biasAndActivation, fusedActivation } from "./activations.ts";

type TensorInfo = tf.TensorInfo;
type KernelFunc = tf.KernelConfig["kernelFunc"];

// Patches are unfolded a few images at a time, so that a large inference batch never needs
// them all at once (a batch of 500 through a 3x3x32 conv at 24x24 would take 330 MB).
const MAX_PATCH_FLOATS = 1 << 22;

interface FusedAttrs extends ConvAttrs {
  activation?: string;
  leakyreluAlpha?: number;
}

/** Conv2D and FusedConv2D on `blas`; `originals` (wasm's own) take the convolutions they don't cover. */
export function blasConv2DKernels(blas: SystemBlas, originals: { conv2D: KernelFunc; fusedConv2D: KernelFunc }) {
  const convolve = (x: TensorInfo, filter: TensorInfo, attrs: ConvAttrs, wasm: WasmKernelBackend) => {
    const info = convInfo(x.shape, filter.shape, attrs);
    const rowLength = patchLength(info);
    const rowsPerImage = info.outHeight * info.outWidth, cout = info.outChannels;
    const imagesPerChunk = Math.max(
      1,
      Math.min(info.batchSize, Math.floor(MAX_PATCH_FLOATS / (rowsPerImage * rowLength))),
    );
    const out = wasm.makeOutput(info.outShape, "float32");
    const patches = wasm.makeOutput([imagesPerChunk * rowsPerImage * rowLength], "float32");
    // Views after both allocations: growing the wasm heap detaches earlier ones.
    const [xs, w, ys, cols] = [x, filter, out, patches].map((t) => wasm.typedArrayFromHeap(t));
    const memory = heapMemory(wasm);
    const imageFloats = info.inHeight * info.inWidth * info.inChannels;
    for (let first = 0; first < info.batchSize; first += imagesPerChunk) {
      const count = Math.min(imagesPerChunk, info.batchSize - first);
      const rows = count * rowsPerImage;
      const chunkCols = cols.subarray(0, rows * rowLength);
      unfold({ ...info, batchSize: count }, memory, xs.subarray(first * imageFloats), chunkCols);
      const y = ys.subarray(first * rowsPerImage * cout, (first * rowsPerImage + rows) * cout);
      blas.sgemm(chunkCols, w, y, { m: rows, n: cout, k: rowLength, transposeA: false, transposeB: false });
    }
    wasm.disposeData(patches.dataId);
    return out;
  };

  const conv2D: KernelFunc = (args) => {
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const attrs = args.attrs as unknown as ConvAttrs;
    if (!covers(attrs, x, filter)) return originals.conv2D(args);
    return convolve(x, filter, attrs, args.backend as unknown as WasmKernelBackend);
  };
  return { conv2D, fusedConv2D: fusedConv2DFrom(conv2D, originals.fusedConv2D) };
}

/**
 * FusedConv2D (inference: bias and activation folded in) as `conv2D` followed by the epilogue, in
 * place; PReLU, broadcast biases, unknown activations and what `covers` leaves out (NCHW, dilation)
 * go to `fallback`.
 */
export function fusedConv2DFrom(conv2D: KernelFunc, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
    const attrs = args.attrs as unknown as FusedAttrs;
    const applied = fusedActivation(attrs.activation ?? "linear");
    const simpleBias = !bias || tf.util.sizeFromShape(bias.shape) === filter!.shape[3];
    if (!applied || preluActivationWeights || !simpleBias || !covers(attrs, x!, filter!)) return fallback(args);
    const wasm = args.backend as unknown as WasmKernelBackend;
    const out = conv2D({ ...args, inputs: { x: x!, filter: filter! } }) as TensorInfo;
    biasAndActivation(wasm, out, filter!.shape[3], bias, attrs.activation ?? "linear", attrs.leakyreluAlpha ?? 0.2);
    return out;
  };
}
