/**
 * The variational autoencoder of the PyTorch examples (Kingma and Welling, 2014): an MLP encoder
 * to the mean and log-variance of a diagonal Gaussian posterior, the reparameterised sample, and
 * an MLP decoder to Bernoulli logits over pixels.
 *
 *   x [B, 784] -> fc1 + ReLU [B, 400] -> fc21 = mu [B, 20], fc22 = logVar [B, 20]
 *   z = mu + eps * exp(logVar / 2)      eps ~ N(0, I)
 *   z [B, 20] -> fc3 + ReLU [B, 400] -> fc4 = logits [B, 784]
 */
import { bceWithLogitsSum, gaussianKlSum } from "../losses.ts";
import type { Rng } from "../rng.ts";
import { layers, type Tensor, tf } from "../tf.ts";
import { linear } from "./linear.ts";

export interface VaeOptions {
  inputSize: number;
  hidden: number;
  latent: number;
  /** Seeds the weight initialisers. */
  rng: Rng;
}

export interface Vae {
  encoder: layers.LayersModel;
  decoder: layers.LayersModel;
  latent: number;
}

export function buildVae({ inputSize, hidden, latent, rng }: VaeOptions): Vae {
  for (const [name, value] of Object.entries({ inputSize, hidden, latent })) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`buildVae: ${name} must be a positive integer, got ${value}`);
    }
  }
  const x = layers.input({ shape: [inputSize] });
  const h = linear({ name: "fc1", units: hidden, fanIn: inputSize, activation: "relu", rng }).apply(x);
  const mu = linear({ name: "fc21", units: latent, fanIn: hidden, rng }).apply(h);
  const logVar = linear({ name: "fc22", units: latent, fanIn: hidden, rng }).apply(h);
  const encoder = layers.model({ name: "encoder", inputs: x, outputs: [mu, logVar] as layers.SymbolicTensor[] });
  const decoder = layers.sequential({
    name: "decoder",
    layers: [
      linear({ name: "fc3", units: hidden, fanIn: latent, activation: "relu", rng }),
      linear({ name: "fc4", units: inputSize, fanIn: hidden, rng }),
    ],
  });
  return { encoder, decoder, latent };
}

export const vaeVariables = (vae: Vae): tf.Variable[] =>
  [...vae.encoder.trainableWeights, ...vae.decoder.trainableWeights].map((w) => w.read() as tf.Variable);

/**
 * The negative ELBO summed over the batch, with one posterior sample per image: Bernoulli
 * reconstruction term plus the analytic KL. `noiseSeed` makes the sample reproducible.
 *
 * Exercise vae-reparameterisation: encode x [B, 784] to mu and logVar, draw one z per image with
 * the reparameterisation trick, decode z to pixel logits, and return the reconstruction term,
 * the KL term and their sum.
 * Hints:
 * - `vae.encoder.apply(x)` returns [mu, logVar]; `vae.decoder.apply(z)` returns logits. Use
 *   apply, not predict, so that training can differentiate through them.
 * - The trick: z = mu + eps * sigma with eps ~ N(0, I), so the randomness sits in eps and
 *   gradients reach mu and sigma. Draw eps with tf.randomNormal(mu.shape, 0, 1, "float32",
 *   noiseSeed): the same seed must give the same sample.
 * - sigma is the standard deviation: exp(logVar / 2), not exp(logVar).
 * - bceWithLogitsSum (given) and gaussianKlSum (exercise vae-kl) are the two terms; wrap
 *   everything in tf.tidy.
 */
export function negativeElboSum(
  vae: Vae,
  x: Tensor,
  noiseSeed: number,
): { total: tf.Scalar; reconstruction: tf.Scalar; kl: tf.Scalar } {
  // @exercise vae-reparameterisation 10
  return tf.tidy(() => {
    const [mu, logVar] = vae.encoder.apply(x) as Tensor[]; // [B, latent] each
    const eps = tf.randomNormal(mu.shape, 0, 1, "float32", noiseSeed); // [B, latent]
    const z = tf.add(mu, tf.mul(eps, tf.exp(tf.mul(0.5, logVar)))); // [B, latent]
    const logits = vae.decoder.apply(z) as Tensor; // [B, 784]
    const reconstruction = bceWithLogitsSum(logits, x);
    const kl = gaussianKlSum(mu, logVar);
    return { total: tf.add(reconstruction, kl) as tf.Scalar, reconstruction, kl };
  });
  // @end-exercise
}

/** Decoded means (pixel probabilities) for latent codes z [N, latent] -> [N, 784]. */
export function decodeProbabilities(vae: Vae, z: Tensor): Tensor {
  return tf.tidy(() => tf.sigmoid(vae.decoder.predict(z) as Tensor));
}

/** Reconstructions from the posterior means, x [N, 784] -> [N, 784]. */
export function reconstruct(vae: Vae, x: Tensor): Tensor {
  return tf.tidy(() => decodeProbabilities(vae, (vae.encoder.predict(x) as Tensor[])[0]));
}
