/**
 * MaxPoolGrad for tfjs's wasm backend: each output gradient goes to the input that won its
 * window (the first maximum, as tfjs's cpu kernel picks), in one pass over the windows. tfjs's
 * own wasm kernel walks every input position over every window that might contain it and took
 * about as long as the mnist_cnn's whole convolution gradient.
 */
import { tf } from "../tf.ts";

type TensorInfo = tf.TensorInfo;

interface WasmBackend {
  makeOutput(shape: number[], dtype: "float32"): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

interface PoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: "valid" | "same" | number;
  dimRoundingMode?: "floor" | "round" | "ceil";
}

const maxPoolGrad: tf.KernelConfig["kernelFunc"] = ({ inputs, backend, attrs }) => {
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as PoolAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const wasm = backend as unknown as WasmBackend;
  const out = wasm.makeOutput(input.shape, "float32");
  // Views after the allocation: growing the wasm heap detaches earlier ones.
  const [dx, x, dys] = [out, input, dy].map((t) => wasm.typedArrayFromHeap(t));
  dx.fill(0);
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth, filterHeight, filterWidth } = info;
  // Per window, the channels run innermost, contiguous in memory: each window position is one
  // pass over `c` neighbouring floats, keeping every channel's running maximum and its place.
  const best = new Float32Array(c);
  const winner = new Int32Array(c);
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const top = oh * info.strideHeight - info.padInfo.top;
      const [rowStart, rowEnd] = [Math.max(top, 0), Math.min(top + filterHeight, inHeight)];
      for (let ow = 0; ow < outWidth; ow++) {
        const left = ow * info.strideWidth - info.padInfo.left;
        const [colStart, colEnd] = [Math.max(left, 0), Math.min(left + filterWidth, inWidth)];
        best.fill(-Infinity);
        winner.fill(-1);
        for (let r = rowStart; r < rowEnd; r++) {
          for (let col = colStart; col < colEnd; col++) {
            const at = ((b * inHeight + r) * inWidth + col) * c;
            for (let d = 0; d < c; d++) {
              if (x[at + d] > best[d]) { // strictly greater: a tie keeps the first maximum
                best[d] = x[at + d];
                winner[d] = at + d;
              }
            }
          }
        }
        const dyAt = ((b * outHeight + oh) * outWidth + ow) * c;
        for (let d = 0; d < c; d++) if (winner[d] >= 0) dx[winner[d]] += dys[dyAt + d];
      }
    }
  }
  return out;
};

export function installWasmMaxPoolGrad(): void {
  tf.unregisterKernel("MaxPoolGrad", "wasm");
  tf.registerKernel({ kernelName: "MaxPoolGrad", backendName: "wasm", kernelFunc: maxPoolGrad });
}
