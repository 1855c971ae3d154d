/**
 * A convolutional autoencoder for 28x28 grey images, in the shape of the Keras "convolutional
 * autoencoder for image denoising" example, with strided convolutions in place of pooling (a
 * quarter of the arithmetic, which matters on the wasm CPU path) and a dense bottleneck, so that
 * it must learn what digits have in common rather than an identity map: the reconstruction error
 * of something that is not a digit is then large, which is what anomaly detection scores.
 *
 *   x [B, 28, 28, 1] -> conv 3x3/2 32 + ReLU [B, 14, 14, 32] -> conv 3x3/2 64 + ReLU [B, 7, 7, 64]
 *     -> flatten [B, 3136] -> dense = code [B, latent]
 *   code [B, latent] -> dense 3136 + ReLU -> reshape [B, 7, 7, 64]
 *     -> transposed conv 3x3/2 32 + ReLU [B, 14, 14, 32] -> transposed conv 3x3/2 1 = logits [B, 28, 28, 1]
 */
import type { Rng } from "../rng.ts";
import { layers, type Tensor, tf } from "../tf.ts";

export interface ConvAutoencoderOptions {
  /** dimensions of the bottleneck code */
  latent: number;
  /** channels of the first convolution (the second has twice as many) */
  width: number;
  /** seeds every weight initialiser */
  rng: Rng;
}

export interface ConvAutoencoder {
  encoder: layers.LayersModel;
  decoder: layers.LayersModel;
}

export function buildConvAutoencoder({ latent, width, rng }: ConvAutoencoderOptions): ConvAutoencoder {
  for (const [name, value] of Object.entries({ latent, width })) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`buildConvAutoencoder: ${name} must be a positive integer, got ${value}`);
    }
  }
  const init = () => layers.initializers.heUniform({ seed: rng.nextUint32() });
  const conv = (filters: number, inputShape?: number[]) =>
    layers.layers.conv2d({
      filters,
      kernelSize: 3,
      strides: 2,
      padding: "same",
      activation: "relu",
      inputShape,
      kernelInitializer: init(),
    });
  const deconv = (filters: number, activation: "relu" | "linear") =>
    layers.layers.conv2dTranspose({
      filters,
      kernelSize: 3,
      strides: 2,
      padding: "same",
      activation,
      kernelInitializer: init(),
    });
  const bottleneck = 7 * 7 * 2 * width;
  const encoder = layers.sequential({
    name: "encoder",
    layers: [
      conv(width, [28, 28, 1]),
      conv(2 * width),
      layers.layers.flatten(),
      layers.layers.dense({
        units: latent,
        kernelInitializer: layers.initializers.glorotUniform({ seed: rng.nextUint32() }),
      }),
    ],
  });
  const decoder = layers.sequential({
    name: "decoder",
    layers: [
      layers.layers.dense({ units: bottleneck, activation: "relu", inputShape: [latent], kernelInitializer: init() }),
      layers.layers.reshape({ targetShape: [7, 7, 2 * width] }),
      deconv(width, "relu"),
      deconv(1, "linear"),
    ],
  });
  return { encoder, decoder };
}

export const autoencoderVariables = (ae: ConvAutoencoder): tf.Variable[] =>
  [...ae.encoder.trainableWeights, ...ae.decoder.trainableWeights].map((w) => w.read() as tf.Variable);

/** Reconstruction logits for images x [B, 28, 28, 1] -> [B, 28, 28, 1]. */
export function reconstructionLogits(ae: ConvAutoencoder, x: Tensor): Tensor {
  return tf.tidy(() => ae.decoder.apply(ae.encoder.apply(x)) as Tensor);
}
