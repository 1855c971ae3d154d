/**
 * The convolutional VAE of the Keras example "Variational AutoEncoder" (fchollet, 2020), with the
 * same interface as the MLP VAE (lib/models/vae.ts): the encoder takes flat images [B, 784] and
 * the decoder returns flat logits [B, 784], so the ELBO, sampling and the lab serve both.
 *
 *   x [B, 784] -> reshape [B, 28, 28, 1] -> conv 3x3/2 32 + ReLU [B, 14, 14, 32]
 *     -> conv 3x3/2 64 + ReLU [B, 7, 7, 64] -> flatten [B, 3136] -> dense 16 + ReLU [B, 16]
 *     -> dense = mu [B, latent], dense = logVar [B, latent]
 *   z [B, latent] -> dense 3136 + ReLU -> reshape [B, 7, 7, 64] -> transposed conv 3x3/2 64 + ReLU [B, 14, 14, 64]
 *     -> transposed conv 3x3/2 32 + ReLU [B, 28, 28, 32] -> transposed conv 3x3/1 1 = logits [B, 28, 28, 1]
 *     -> flatten [B, 784]
 *
 * Keras's initialisers (Glorot uniform weights, zero biases), seeded from `rng`.
 */
import type { Rng } from "../rng.ts";
import { layers } from "../tf.ts";
import type { Vae } from "./vae.ts";

export interface ConvVaeOptions {
  latent: number;
  /** seeds every weight initialiser */
  rng: Rng;
}

const DENSE = 16; // the Keras example's bottleneck before mu and logVar

export function buildConvVae({ latent, rng }: ConvVaeOptions): Vae {
  if (!Number.isInteger(latent) || latent < 1) {
    throw new Error(`buildConvVae: latent must be a positive integer, got ${latent}`);
  }
  const kernelInitializer = () => layers.initializers.glorotUniform({ seed: rng.nextUint32() });
  const dense = (name: string, units: number, activation: "relu" | "linear") =>
    layers.layers.dense({ name, units, activation, kernelInitializer: kernelInitializer() });
  const conv = (name: string, filters: number) =>
    layers.layers.conv2d({
      name,
      filters,
      kernelSize: 3,
      strides: 2,
      padding: "same",
      activation: "relu",
      kernelInitializer: kernelInitializer(),
    });
  const deconv = (name: string, filters: number, strides: number, activation: "relu" | "linear") =>
    layers.layers.conv2dTranspose({
      name,
      filters,
      kernelSize: 3,
      strides,
      padding: "same",
      activation,
      kernelInitializer: kernelInitializer(),
    });

  const x = layers.input({ shape: [784] });
  let h = layers.layers.reshape({ targetShape: [28, 28, 1] }).apply(x) as layers.SymbolicTensor;
  for (const layer of [conv("conv1", 32), conv("conv2", 64), layers.layers.flatten(), dense("fc1", DENSE, "relu")]) {
    h = layer.apply(h) as layers.SymbolicTensor;
  }
  const mu = dense("mu", latent, "linear").apply(h);
  const logVar = dense("log_var", latent, "linear").apply(h);
  const encoder = layers.model({ name: "encoder", inputs: x, outputs: [mu, logVar] as layers.SymbolicTensor[] });
  const decoder = layers.sequential({
    name: "decoder",
    layers: [
      layers.layers.dense({
        name: "fc2",
        units: 7 * 7 * 64,
        activation: "relu",
        inputShape: [latent],
        kernelInitializer: kernelInitializer(),
      }),
      layers.layers.reshape({ targetShape: [7, 7, 64] }),
      deconv("deconv1", 64, 2, "relu"),
      deconv("deconv2", 32, 2, "relu"),
      deconv("logits", 1, 1, "linear"),
      layers.layers.flatten(),
    ],
  });
  return { encoder, decoder, latent };
}
