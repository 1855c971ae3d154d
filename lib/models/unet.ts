/**
 * A small U-Net noise predictor eps(x_t, t) for 28x28 images, after the Keras DDPM example's
 * (residual blocks with the time embedding added between their two convolutions, skip
 * connections by concatenation, a sinusoidal time embedding through a two-layer MLP, the last
 * convolution of each block and the output convolution initialised at zero) with one block per
 * level and no attention, so that it trains in minutes on two CPU cores:
 *
 *   t [B] -> sinusoid [B, w] -> dense 4w + SiLU -> dense 4w = temb [B, 4w]
 *   x [B, 28, 28, 1] -> conv 3x3 w -> res w = h1 [28, 28, w] -> conv 3x3/2 -> res 2w = h2 [14, 14, 2w]
 *     -> conv 3x3/2 -> res 2w = h3 [7, 7, 2w] -> res 2w (middle) -> res 2w on [mid, h3]
 *     -> up 2w [14, 14] -> res 2w on [up, h2] -> up w [28, 28] -> res w on [up, h1]
 *     -> norm + SiLU + conv 3x3 1 = eps [B, 28, 28, 1]
 *
 * Normalisation: tfjs has no GroupNorm layer. GroupNorm with one group (every channel and pixel
 * of an image normalised together, then a per-channel scale and shift; Wu and He, 2018, call it
 * LayerNorm) is a reduction over contiguous memory, one mean and one variance per image, which
 * is cheap on the wasm backend; more groups need a reshape to [B, H, W, G, C/G] and reductions
 * over non-adjacent axes, which tfjs runs as full transposes forward and backward. Batch norm is
 * out: it would make a sample depend on the other images of its batch.
 *
 * Upsampling is a 2x2 transposed convolution with stride 2, a learned nearest-neighbour upsampling
 * (each pixel becomes a 2x2 patch), not the Keras example's resize + 3x3 conv: tfjs's resize
 * gradient has no wasm kernel, and the 3x3 conv at the higher resolution costs 2.25 times as much.
 *
 * The weights are plain tf.Variables named by their place in the network, and `predictNoise`
 * takes them as an argument, so the same function runs the trained weights and their EMA copy.
 */
import type { Rng } from "../rng.ts";
import { type Tensor, tf } from "../tf.ts";
import { normActivation } from "./norm_activation.ts";

export interface UnetOptions {
  /** channels at 28x28 (w above); 14x14 and 7x7 have 2w */
  width: number;
  /** seeds the weight initialisers */
  rng: Rng;
}

export type UnetWeights = Record<string, Tensor>;

export interface Unet {
  width: number;
  /** every trainable weight, in a fixed order (the order of first use in the network) */
  weights: Record<string, tf.Variable>;
}

type Init = "glorot" | "zeros" | "ones";
/** Looks up (or, while building, creates) the weight `name` of `shape`. */
type Param = (name: string, shape: number[], init: Init) => Tensor;

const silu = (x: Tensor) => tf.mul(x, tf.sigmoid(x));

/** Sinusoidal embedding of steps t [B] (Vaswani et al., 2017; the Keras example's TimeEmbedding) -> [B, dim]. */
export function timeEmbedding(t: Tensor, dim: number): Tensor {
  return tf.tidy(() => {
    const half = dim / 2;
    const frequencies = Float32Array.from({ length: half }, (_, i) => Math.exp((-Math.log(10000) * i) / (half - 1)));
    const angles = tf.mul(tf.reshape(tf.cast(t, "float32"), [-1, 1]), tf.tensor2d(frequencies, [1, half])); // [B, half]
    return tf.concat([tf.sin(angles), tf.cos(angles)], 1); // [B, dim]
  });
}

function dense(p: Param, name: string, x: Tensor, units: number, init: Init = "glorot"): Tensor {
  return tf.add(tf.matMul(x, p(`${name}/kernel`, [x.shape[1]!, units], init)), p(`${name}/bias`, [units], "zeros"));
}

function conv(
  p: Param,
  name: string,
  x: Tensor,
  filters: number,
  options: { size?: number; stride?: 1 | 2; init?: Init } = {},
) {
  const { size = 3, stride = 1, init = "glorot" } = options;
  const kernel = p(`${name}/kernel`, [size, size, x.shape[3]!, filters], init) as tf.Tensor4D;
  const bias = p(`${name}/bias`, [filters], "zeros");
  // bias in the convolution's epilogue (FusedConv2D), not a broadcasting Add over its output
  return tf.fused.conv2d({ x: x as tf.Tensor4D, filter: kernel, strides: stride, pad: "same", bias });
}

/** x [B, H, W, C] -> [B, 2H, 2W, filters] by a 2x2 transposed convolution with stride 2 (each pixel -> a 2x2 patch). */
function up(p: Param, name: string, x: Tensor, filters: number): Tensor {
  const [batch, height, width, channels] = x.shape as number[];
  const kernel = p(`${name}/kernel`, [2, 2, filters, channels], "glorot") as tf.Tensor4D;
  const y = tf.conv2dTranspose(x as tf.Tensor4D, kernel, [batch, 2 * height, 2 * width, filters], 2, "same");
  return tf.add(y, p(`${name}/bias`, [filters], "zeros"));
}

/**
 * GroupNorm with one group (see the header): per image over H, W and C, then per-channel scale and
 * shift, then SiLU, which always follows it here: one kernel each way on wasm and blas.
 */
function normSilu(p: Param, name: string, x: Tensor): Tensor {
  const channels = x.shape[3]!;
  const [gamma, beta] = [p(`${name}/gamma`, [channels], "ones"), p(`${name}/beta`, [channels], "zeros")];
  return normActivation(x, gamma, beta, { over: "image", activation: "silu" });
}

/** The Keras example's ResidualBlock: norm, SiLU, conv, + dense(SiLU(temb)), norm, SiLU, conv (zero init), + skip. */
function resBlock(p: Param, name: string, x: Tensor, temb: Tensor, filters: number): Tensor {
  const skip = x.shape[3] === filters ? x : conv(p, `${name}/skip`, x, filters, { size: 1 });
  let h = conv(p, `${name}/conv1`, normSilu(p, `${name}/norm1`, x), filters); // [B, H, W, filters]
  h = tf.add(h, tf.reshape(dense(p, `${name}/time`, silu(temb), filters), [-1, 1, 1, filters]));
  h = conv(p, `${name}/conv2`, normSilu(p, `${name}/norm2`, h), filters, { init: "zeros" });
  return tf.add(h, skip);
}

/** The network on images x [B, 28, 28, 1] at steps t [B]; weights come from `p`. Returns eps [B, 28, 28, 1]. */
function network(p: Param, width: number, x: Tensor, t: Tensor): Tensor {
  const temb = dense(p, "time/dense2", silu(dense(p, "time/dense1", timeEmbedding(t, width), 4 * width)), 4 * width);
  const h1 = resBlock(p, "down1", conv(p, "input", x, width), temb, width); // [B, 28, 28, w]
  const h2 = resBlock(p, "down2", conv(p, "pool1", h1, width, { stride: 2 }), temb, 2 * width); // [B, 14, 14, 2w]
  const h3 = resBlock(p, "down3", conv(p, "pool2", h2, 2 * width, { stride: 2 }), temb, 2 * width); // [B, 7, 7, 2w]
  const middle = resBlock(p, "middle", h3, temb, 2 * width); // [B, 7, 7, 2w]
  const u3 = resBlock(p, "up3", tf.concat([middle, h3], 3), temb, 2 * width); // [B, 7, 7, 2w]
  const u2 = resBlock(p, "up2", tf.concat([up(p, "upsample2", u3, 2 * width), h2], 3), temb, 2 * width); // [B, 14, 14, 2w]
  const u1 = resBlock(p, "up1", tf.concat([up(p, "upsample1", u2, width), h1], 3), temb, width); // [B, 28, 28, w]
  return conv(p, "output", normSilu(p, "output/norm", u1), 1, { init: "zeros" }); // [B, 28, 28, 1]
}

/** Glorot-uniform (the Keras example's fan-average variance scaling, scale 1) from the seeded Rng. */
function initialValue(shape: number[], init: Init, rng: Rng): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  if (init !== "glorot") return init === "ones" ? tf.ones(shape) : tf.zeros(shape);
  const receptive = shape.length === 4 ? shape[0] * shape[1] : 1;
  const [fanIn, fanOut] = shape.length === 4 && shape[2] !== undefined
    ? [receptive * shape[2], receptive * shape[3]]
    : [shape[0], shape[1]];
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return tf.tensor(Float32Array.from({ length: size }, () => (2 * rng.uniform() - 1) * limit), shape);
}

export function buildUnet({ width, rng }: UnetOptions): Unet {
  if (!Number.isInteger(width) || width < 2 || width % 2) {
    throw new Error(`buildUnet: width must be an even integer >= 2, got ${width}`);
  }
  const weights: Record<string, tf.Variable> = {};
  const create: Param = (name, shape, init) => {
    if (weights[name]) throw new Error(`buildUnet: weight ${name} made twice`);
    const initial = initialValue(shape, init, rng);
    weights[name] = tf.variable(initial, true);
    initial.dispose();
    return weights[name];
  };
  tf.tidy(() => {
    network(create, width, tf.zeros([1, 28, 28, 1]), tf.zeros([1], "int32"));
  });
  return { width, weights };
}

/** eps(x_t, t) for images x [B, 28, 28, 1] in [-1, 1] and steps t [B] (int32), with `weights` (trained or EMA). */
export function predictNoise(unet: Unet, weights: UnetWeights, x: Tensor, t: Tensor): Tensor {
  return tf.tidy(() => network((name) => weights[name], unet.width, x, t));
}

export const parameterCount = (unet: Unet): number => Object.values(unet.weights).reduce((sum, w) => sum + w.size, 0);
