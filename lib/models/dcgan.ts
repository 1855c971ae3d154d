/**
 * DCGAN (Radford, Metz and Chintala, 2016) sized for 28x28 MNIST: the architecture rules of the
 * paper and of the PyTorch DCGAN example (transposed convolutions up, strided convolutions down,
 * batch norm everywhere but the generator's output and the discriminator's input, ReLU in G,
 * LeakyReLU 0.2 in D, tanh output, weights N(0, 0.02), batch-norm scales N(1, 0.02)), with two
 * upsamplings from 7x7 instead of four from 4x4. `width` plays the PyTorch example's ngf = ndf.
 *
 *   G: z [B, latent] -> dense 7*7*2w -> reshape [B, 7, 7, 2w] -> BN + ReLU
 *        -> transposed conv 4x4/2 w + BN + ReLU [B, 14, 14, w] -> transposed conv 4x4/2 1 + tanh [B, 28, 28, 1]
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
}

export interface Dcgan {
  generator: layers.LayersModel;
  discriminator: layers.LayersModel;
  latent: number;
}

type Init = () => ReturnType<typeof layers.initializers.randomNormal>;

function generatorNetwork({ latent, width }: DcganOptions, weights: Init, scales: Init) {
  const up = (filters: number, useBias: boolean) =>
    layers.layers.conv2dTranspose({
      filters,
      kernelSize: 4,
      strides: 2,
      padding: "same",
      useBias,
      kernelInitializer: weights(),
    });
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
      new BatchNorm({ scales: scales() }),
      layers.layers.reLU(),
      up(width, false),
      new BatchNorm({ scales: scales() }),
      layers.layers.reLU(),
      up(1, true),
      layers.layers.activation({ activation: "tanh" }),
    ],
  });
}

function discriminatorNetwork({ width }: DcganOptions, weights: Init, scales: Init) {
  const down = (filters: number, options: { useBias: boolean; inputShape?: number[] }) =>
    layers.layers.conv2d({
      filters,
      kernelSize: 4,
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
      new BatchNorm({ scales: scales() }),
      leaky(),
      layers.layers.flatten(),
      layers.layers.dense({ units: 1, kernelInitializer: weights() }),
    ],
  });
}

export function buildDcgan(options: DcganOptions): Dcgan {
  const { latent, width, rng } = options;
  for (const [name, value] of Object.entries({ latent, width })) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`buildDcgan: ${name} must be a positive integer, got ${value}`);
    }
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
 */
export function discriminatorLoss(realLogits: Tensor, fakeLogits: Tensor, smoothing = 0): tf.Scalar {
  return tf.tidy(() => {
    const real = tf.losses.sigmoidCrossEntropy(tf.fill(realLogits.shape, 1 - smoothing), realLogits);
    const fake = tf.losses.sigmoidCrossEntropy(tf.zerosLike(fakeLogits), fakeLogits);
    return tf.add(real, fake) as tf.Scalar;
  });
}

/** The generator's non-saturating loss, -mean log D(G(z)): fakes labelled real (Goodfellow et al., 2014, section 3). */
export function generatorLoss(fakeLogits: Tensor): tf.Scalar {
  return tf.tidy(() => tf.losses.sigmoidCrossEntropy(tf.onesLike(fakeLogits), fakeLogits) as tf.Scalar);
}
