/**
 * DCGAN (Radford, Metz and Chintala, 2016) sized for 28x28 MNIST: the architecture rules of the
 * paper and of the PyTorch DCGAN example (transposed convolutions up, strided convolutions down,
 * batch norm everywhere but the generator's output and the discriminator's input, ReLU in G,
 * LeakyReLU 0.2 in D, tanh output, weights N(0, 0.02), batch-norm scales N(1, 0.02)), with two
 * upsamplings from 7x7 instead of four from 4x4. `width` plays the PyTorch example's ngf = ndf.
 *
 *   G: z [B, latent] -> dense 7*7*2w -> reshape [B, 7, 7, 2w] -> BN + ReLU
 *        -> transposed conv 4x4/2 w + BN + ReLU [B, 14, 14, w] -> transposed conv 4x4/2 1 + tanh [B, 28, 28, 1]
 *   refine "28x28" (the gan-mnist lab's default): the last upsampling gives w/2 channels + BN + ReLU
 *        [B, 28, 28, w/2] -> transposed conv 3x3/1 1 + tanh [B, 28, 28, 1]: neighbouring pixels are
 *        mixed after the last stride-2 step (meant against beaded strokes); refine "7x7": transposed
 *        conv kxk/1 2w + BN + ReLU at 7x7 before the upsamplings, as the TF DCGAN tutorial's 5x5/1.
 *   D: x [B, 28, 28, 1] -> conv 4x4/2 w + LeakyReLU [B, 14, 14, w]
 *        -> conv 4x4/2 2w + BN + LeakyReLU [B, 7, 7, 2w] -> flatten [B, 98w] -> dense 1 = logit [B, 1]
 *
 * Batch norm (./batch_norm.ts) normalises per channel, after the reshape, as BatchNorm2d does after
 * the example's first transposed conv (per-feature BN of the dense output, 3136 features each
 * normalised over 64 images, gave blotchier samples: FID-MNIST 197 against 190 after two epochs);
 * it always uses the statistics of the batch at hand, when sampling too: the PyTorch example never
 * switches its generator to eval mode either.
 */
import type { Rng } from "../rng.ts";
import { layers, type Tensor, tf } from "../tf.ts";
import { BatchNorm } from "./batch_norm.ts";

export interface DcganOptions {
  /** dimensions of the noise z */
  latent: number;
  /** channels of the widest-resolution feature map (ngf = ndf) */
  width: number;
  /** seeds every weight initialiser */
  rng: Rng;
  /** side of every (transposed) convolution's kernel: 4 in the PyTorch example, 5 in the paper and the TF tutorial */
  kernel?: number;
  /**
   * One more stride-1 transposed conv + BN + ReLU in G: "7x7" at 7x7 before the upsamplings, as
   * the TF DCGAN tutorial (7x7x256 -> 5x5/1 -> /2 -> /2); "28x28" at full resolution, the last
   * upsampling then giving w/2 channels and a 3x3/1 transposed conv the image; "none" (default).
   */
  refine?: Refine;
}

export const REFINES = ["none", "7x7", "28x28"] as const;
export type Refine = typeof REFINES[number];

export interface Dcgan {
  generator: layers.LayersModel;
  discriminator: layers.LayersModel;
  latent: number;
}

type Init = () => ReturnType<typeof layers.initializers.randomNormal>;

function generatorNetwork(
  { latent, width, kernel = 4, refine = "none" }: DcganOptions,
  weights: Init,
  scales: Init,
) {
  const transposed = (filters: number, strides: number, kernelSize: number, useBias: boolean) =>
    layers.layers.conv2dTranspose({
      filters,
      kernelSize,
      strides,
      padding: "same",
      useBias,
      kernelInitializer: weights(),
    });
  // A layer whose output batch norm follows needs no bias: BN's shift replaces it. BN + ReLU is one layer.
  const normalised = () => [new BatchNorm({ scales: scales(), activation: "relu" })];
  const last = refine === "28x28"
    ? [
      transposed(Math.max(1, width >> 1), 2, kernel, false), // [B, 28, 28, w/2]
      ...normalised(),
      transposed(1, 1, 3, true), // [B, 28, 28, 1]
    ]
    : [transposed(1, 2, kernel, true)]; // [B, 28, 28, 1]
  return layers.sequential({
    name: "generator",
    layers: [
      layers.layers.dense({
        units: 7 * 7 * 2 * width,
        useBias: false,
        inputShape: [latent],
        kernelInitializer: weights(),
      }),
      layers.layers.reshape({ targetShape: [7, 7, 2 * width] }),
      ...normalised(),
      ...(refine === "7x7" ? [transposed(2 * width, 1, kernel, false), ...normalised()] : []), // [B, 7, 7, 2w]
      transposed(width, 2, kernel, false), // [B, 14, 14, w]
      ...normalised(),
      ...last,
      layers.layers.activation({ activation: "tanh" }),
    ],
  });
}

function discriminatorNetwork({ width, kernel = 4 }: DcganOptions, weights: Init, scales: Init) {
  const down = (filters: number, options: { useBias: boolean; inputShape?: number[] }) =>
    layers.layers.conv2d({
      filters,
      kernelSize: kernel,
      strides: 2,
      padding: "same",
      kernelInitializer: weights(),
      ...options,
    });
  const leaky = () => layers.layers.leakyReLU({ alpha: 0.2 });
  return layers.sequential({
    name: "discriminator",
    layers: [
      down(width, { useBias: true, inputShape: [28, 28, 1] }),
      leaky(),
      down(2 * width, { useBias: false }),
      new BatchNorm({ scales: scales(), activation: "leakyrelu", alpha: 0.2 }), // BN + LeakyReLU is one layer
      layers.layers.flatten(),
      layers.layers.dense({ units: 1, kernelInitializer: weights() }),
    ],
  });
}

export function buildDcgan(options: DcganOptions): Dcgan {
  const { latent, width, rng, kernel = 4, refine = "none" } = options;
  for (const [name, value] of Object.entries({ latent, width, kernel })) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`buildDcgan: ${name} must be a positive integer, got ${value}`);
    }
  }
  if (!REFINES.includes(refine)) {
    throw new Error(`buildDcgan: refine must be one of ${REFINES.join(", ")}, got ${refine}`);
  }
  const weights = () => layers.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: rng.nextUint32() });
  const scales = () => layers.initializers.randomNormal({ mean: 1, stddev: 0.02, seed: rng.nextUint32() });
  const generator = generatorNetwork(options, weights, scales);
  const discriminator = discriminatorNetwork(options, weights, scales);
  return { generator, discriminator, latent };
}

export const trainableVariables = (model: layers.LayersModel): tf.Variable[] =>
  model.trainableWeights.map((w) => w.read() as tf.Variable);

/** G(z): images in [-1, 1], z [B, latent] -> [B, 28, 28, 1]. */
export const generate = (gan: Dcgan, z: Tensor): Tensor => gan.generator.apply(z) as Tensor;

/** D(x) as a logit, x [B, 28, 28, 1] in [-1, 1] -> [B, 1]. */
export const discriminate = (gan: Dcgan, x: Tensor): Tensor => gan.discriminator.apply(x) as Tensor;

/**
 * The discriminator's loss, binary cross-entropy on real images labelled 1 - smoothing (one-sided
 * label smoothing, Salimans et al. 2016) and fakes labelled 0: mean over each batch, summed, as
 * the PyTorch example's errD_real + errD_fake.
 *
 * Exercise gan-discriminator-loss: return, as a scalar, the binary cross-entropy of D's logits on
 * real images against the label 1 - smoothing, averaged over the batch, plus that on fakes against
 * the label 0.
 * Hints:
 * - tf.losses.sigmoidCrossEntropy(labels, logits) takes logits (D ends without a sigmoid) and
 *   averages over the batch by default; tf.fill and tf.zerosLike make the labels.
 * - One-sided smoothing: only the real images' label moves (to 1 - smoothing); fakes stay at 0.
 * - Check yourself: logits of 0 everywhere give 2 ln 2 = 1.386, whatever the smoothing.
 */
export function discriminatorLoss(realLogits: Tensor, fakeLogits: Tensor, smoothing = 0): tf.Scalar {
  // @exercise gan-discriminator-loss 10
  return tf.tidy(() => {
    const real = tf.losses.sigmoidCrossEntropy(tf.fill(realLogits.shape, 1 - smoothing), realLogits);
    const fake = tf.losses.sigmoidCrossEntropy(tf.zerosLike(fakeLogits), fakeLogits);
    return tf.add(real, fake) as tf.Scalar;
  });
  // @end-exercise
}

/** The generator's non-saturating loss, -mean log D(G(z)): fakes labelled real (Goodfellow et al., 2014, section 3). */
export function generatorLoss(fakeLogits: Tensor): tf.Scalar {
  return tf.tidy(() => tf.losses.sigmoidCrossEntropy(tf.onesLike(fakeLogits), fakeLogits) as tf.Scalar);
}
