/**
 * Normalisation, per-channel scale and shift, and an activation in one kernel for tfjs's wasm
 * backend, and its gradient in one more: y = act(gamma (x - mean) / sqrt(var + eps) + beta) for
 * x [B, ..., C]. Composed of tfjs ops, the U-Net's group norm + SiLU is about 80 kernels forward
 * and backward (2,082 -> 852 kernels per diffusion step for its 15), most of them broadcasting
 * passes over the whole activation (Sum, Mul, Add, Sub); here it is 3 passes forward and 2 backward over tfjs's wasm
 * heap, in SIMD (norm_activation.wat), for C a multiple of 4; lib/models/norm_activation.ts calls it,
 * and gives other channel counts to tfjs's composition.
 *
 * `over` says what the statistics are taken over: "image" (GroupNorm with one group: every pixel
 * and channel of one image, one mean per image) or "batch" (batch norm: every image and pixel, one
 * mean per channel). Both are moments over [groups, rows, C]: image is [B, H*W, C] pooled over rows
 * and channels, batch is [1, B*H*W, C] pooled over rows. Results are within float32 rounding of
 * tfjs's composition, not bit-identical (other orders of summation; SiLU's own exp in SIMD).
 */
import { tf } from "../tf.ts";
import { exportsIn, heapMemory, type WasmKernelBackend } from "./wasm_heap.ts";
import { NORM_ACTIVATION_WASM } from "./wasm_norm_activation_module.ts";

export const NORM_ACTIVATION = "TflabNormActivation";
export const NORM_ACTIVATION_GRAD = "TflabNormActivationGrad";

export const NORM_OVER = ["image", "batch"] as const;
export const NORM_ACTIVATIONS = ["linear", "relu", "leakyrelu", "silu"] as const;

export interface NormActivationAttrs {
  over: typeof NORM_OVER[number];
  activation: typeof NORM_ACTIVATIONS[number];
  /** leakyrelu's slope below zero */
  alpha: number;
  epsilon: number;
}

type TensorInfo = tf.TensorInfo;

/** The [groups, rows, channels] view of x and the size of one statistic's sample. */
function layout(x: TensorInfo, over: NormActivationAttrs["over"]) {
  const channels = x.shape.at(-1)!;
  const size = tf.util.sizeFromShape(x.shape);
  const groups = over === "image" ? x.shape[0] : 1;
  const rows = size / channels / groups;
  return { groups, rows, channels, count: over === "image" ? rows * channels : rows * groups };
}

/**
 * The passes over one group's data (views of the heap), per-channel arrays (C floats, in the heap
 * too) beside them; `slope` is the activation's below zero (linear 1, ReLU 0, LeakyReLU alpha).
 */
interface Passes {
  /** out[c] += x - centre[c], or its square */
  sums(x: Float32Array, centre: Float32Array, out: Float32Array, square: boolean): void;
  /** y = act((x - mean[c]) scale[c] + beta[c]) */
  forward(x: Float32Array, y: Float32Array, c: { mean: Float32Array; scale: Float32Array; beta: Float32Array }): void;
  /** dx = dy act'(z), dz[c] += dx, dzx[c] += dx xhat, for xhat = (x - mean[c]) rstd[c], z = xhat gamma[c] + beta[c] */
  gradient(dy: Float32Array, x: Float32Array, dx: Float32Array, c: Record<GradientArray, Float32Array>): void;
  /** dx = dx k1[c] + (x - mean[c]) k2[c] + k3[c] */
  gradientOut(dx: Float32Array, x: Float32Array, c: Record<"mean" | "k1" | "k2" | "k3", Float32Array>): void;
}
type GradientArray = "mean" | "rstd" | "gamma" | "beta" | "dz" | "dzx";

/** norm_activation.wat's passes: four channels at a time, so C must be a multiple of 4. */
function simdPasses(backend: unknown, silu: boolean, slope: number): Passes {
  type Pass = (...args: number[]) => void;
  const wasm = exportsIn(heapMemory(backend), NORM_ACTIVATION_WASM) as Record<string, Pass>;
  const at = (...views: Float32Array[]) => views.map((v) => v.byteOffset);
  const span = (data: Float32Array, perChannel: Float32Array) => [data.byteLength, perChannel.byteLength];
  const act = [silu ? 1 : 0, slope];
  return {
    sums: (x, centre, out, square) => wasm.sums(x.byteOffset, ...span(x, centre), ...at(centre, out), square ? 1 : 0),
    forward: (x, y, { mean, scale, beta }) =>
      wasm.forward(...at(x, y), ...span(x, mean), ...at(mean, scale, beta), ...act),
    gradient: (dy, x, dx, { mean, rstd, gamma, beta, dz, dzx }) =>
      wasm.gradient(...at(dy, x, dx), ...span(x, mean), ...at(mean, rstd, gamma, beta, dz, dzx), ...act),
    gradientOut: (dx, x, { mean, k1, k2, k3 }) =>
      wasm.gradientOut(...at(dx, x), ...span(x, mean), ...at(mean, k1, k2, k3)),
  };
}

/**
 * Outputs of `shapes` and `arrays` per-channel scratch arrays of `channels` floats, all in the heap;
 * the views are taken after every allocation (an allocation may grow the heap and move it).
 */
function allocate(backend: unknown, shapes: number[][], arrays: number, channels: number) {
  const wasm = backend as unknown as WasmKernelBackend;
  const outputs = shapes.map((shape) => wasm.makeOutput(shape, "float32"));
  const scratch = wasm.makeOutput([arrays * channels], "float32");
  const view = (t: TensorInfo) => wasm.typedArrayFromHeap(t);
  const scratchView = view(scratch);
  return {
    outputs,
    view,
    perChannel: Array.from({ length: arrays }, (_, i) => scratchView.subarray(i * channels, (i + 1) * channels)),
    free: () => wasm.disposeData(scratch.dataId),
  };
}

/** Channel counts the kernels take: norm_activation.wat reads four channels at a time. */
export const fitsNormActivationKernel = (channels: number): boolean => channels % 4 === 0;

function passesFor(backend: unknown, channels: number, { activation, alpha }: NormActivationAttrs): Passes {
  if (!fitsNormActivationKernel(channels)) {
    throw new Error(`${NORM_ACTIVATION}: expected a multiple of 4 channels (the last axis), got ${channels}`);
  }
  const silu = activation === "silu";
  const slope = activation === "relu" ? 0 : activation === "leakyrelu" ? alpha : 1;
  return simdPasses(backend, silu, slope);
}

/** inputs x [B, ..., C], gamma [C], beta [C] -> y like x, mean and rstd ([B] over images, [C] over the batch). */
export const normActivation: tf.KernelConfig["kernelFunc"] = ({ inputs, backend, attrs }) => {
  const { x, gamma, beta } = inputs as Record<string, TensorInfo>;
  const options = attrs as unknown as NormActivationAttrs;
  const { groups, rows, channels, count } = layout(x, options.over);
  const perImage = options.over === "image";
  const statsShape = [perImage ? groups : channels];
  const { outputs, view, perChannel, free } = allocate(backend, [x.shape, statsShape, statsShape], 4, channels);
  const [y, mean, rstd, xs, g, b] = [...outputs, x, gamma, beta].map(view);
  const [zero, means, squares, scale] = perChannel;
  zero.fill(0); // a new heap buffer holds whatever was there before
  const passes = passesFor(backend, channels, options);
  const pool = (sums: Float32Array) => perImage ? sums.fill(sums.reduce((s, v) => s + v, 0)) : sums;
  for (let group = 0; group < groups; group++) {
    const [xg, yg] = [xs, y].map((t) => t.subarray(group * rows * channels, (group + 1) * rows * channels));
    // Two passes, as tf.moments: the mean, then the mean squared deviation from it.
    means.fill(0);
    passes.sums(xg, zero, means, false);
    pool(means).forEach((s, c) => means[c] = s / count);
    squares.fill(0);
    passes.sums(xg, means, squares, true);
    pool(squares);
    for (let c = 0; c < channels; c++) {
      const r = 1 / Math.sqrt(squares[c] / count + options.epsilon);
      scale[c] = g[c] * r;
      mean[perImage ? group : c] = means[c];
      rstd[perImage ? group : c] = r;
    }
    passes.forward(xg, yg, { mean: means, scale, beta: b });
  }
  free();
  return outputs;
};

/**
 * inputs dy, x, gamma, beta, mean, rstd (the forward kernel's) -> dx, dgamma, dbeta. With dz the
 * gradient before the activation and xhat = (x - mean) rstd, over each statistic's sample of n:
 * dx = rstd (gamma dz - sum(gamma dz) / n - xhat sum(gamma dz xhat) / n), dgamma = sum(dz xhat),
 * dbeta = sum(dz).
 */
export const normActivationGrad: tf.KernelConfig["kernelFunc"] = ({ inputs, backend, attrs }) => {
  const { dy, x, gamma, beta, mean, rstd } = inputs as Record<string, TensorInfo>;
  const options = attrs as unknown as NormActivationAttrs;
  const { groups, rows, channels, count } = layout(x, options.over);
  const perImage = options.over === "image";
  const { outputs, view, perChannel, free } = allocate(backend, [x.shape, [channels], [channels]], 7, channels);
  const [dx, dgamma, dbeta, dys, xs, g, b, means, rstds] = [...outputs, dy, x, gamma, beta, mean, rstd].map(view);
  const [m, r, dz, dzx, k1, k2, k3] = perChannel;
  const passes = passesFor(backend, channels, options);
  // sum over the statistic's sample of gamma times a per-channel sum: over the image's channels
  // (one figure per group, taken once), or the channel's own
  const gammaWeighted = (sums: Float32Array) => sums.reduce((s, v, j) => s + v * g[j], 0);
  const [dgammaSums, dbetaSums] = [new Float64Array(channels), new Float64Array(channels)];
  for (let group = 0; group < groups; group++) {
    const [dyg, xg, dxg] = [dys, xs, dx].map((t) => t.subarray(group * rows * channels, (group + 1) * rows * channels));
    if (perImage) [m.fill(means[group]), r.fill(rstds[group])];
    else [m.set(means), r.set(rstds)];
    dz.fill(0);
    dzx.fill(0);
    passes.gradient(dyg, xg, dxg, { mean: m, rstd: r, gamma: g, beta: b, dz, dzx });
    const imageSums = perImage && [gammaWeighted(dz), gammaWeighted(dzx)];
    for (let c = 0; c < channels; c++) {
      dbetaSums[c] += dz[c];
      dgammaSums[c] += dzx[c];
      const [s1, s2] = (imageSums || [dz[c] * g[c], dzx[c] * g[c]]).map((sum) => sum / count);
      k1[c] = r[c] * g[c];
      k2[c] = -r[c] * r[c] * s2;
      k3[c] = -r[c] * s1;
    }
    passes.gradientOut(dxg, xg, { mean: m, k1, k2, k3 });
  }
  dgamma.set(dgammaSums);
  dbeta.set(dbetaSums);
  free();
  return outputs;
};
