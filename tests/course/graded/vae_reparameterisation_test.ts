/**
 * Graded tests of exercise vae-reparameterisation: negativeElboSum in lib/models/vae.ts. They
 * use a VAE of one pixel and one latent whose weights are set by hand: the encoder gives a fixed
 * mu and logVar, and the decoder's logit is z itself, so the reconstruction term of an image
 * x = 0, softplus(z), tells which z was drawn.
 */
import { gaussianKlSum } from "../../../lib/losses.ts";
import { buildVae, negativeElboSum, type Vae } from "../../../lib/models/vae.ts";
import { Rng } from "../../../lib/rng.ts";
import { type Tensor, tf } from "../../../lib/tf.ts";
import { expectClose, expectTrue, show } from "./grading.ts";

await tf.setBackend("cpu");

/** A VAE with mu = `mu` and logVar = `logVar` for every input, and decoder logit = z (for z > -10). */
function fixedVae(mu: number, logVar: number): Vae {
  const vae = buildVae({ inputSize: 1, hidden: 1, latent: 1, rng: new Rng(1) });
  const set = (model: Vae["encoder"], name: string, kernel: number, bias: number) =>
    model.getLayer(name).setWeights([tf.tensor2d([[kernel]]), tf.tensor1d([bias])]);
  set(vae.encoder, "fc1", 0, 1); // h = relu(0 x + 1) = 1
  set(vae.encoder, "fc21", 0, mu);
  set(vae.encoder, "fc22", 0, logVar);
  set(vae.decoder, "fc3", 1, 10); // relu(z + 10)
  set(vae.decoder, "fc4", 1, -10); // logit = z
  return vae;
}

const terms = (vae: Vae, x: number[], seed: number) =>
  tf.tidy(() => {
    const { total, reconstruction, kl } = negativeElboSum(vae, tf.tensor2d(x, [x.length, 1]), seed);
    return { total: total.dataSync()[0], reconstruction: reconstruction.dataSync()[0], kl: kl.dataSync()[0] };
  });

/** The z drawn for an image x = 0: its reconstruction term is softplus(z) = log(1 + e^z). */
const drawnZ = (vae: Vae, seed: number) => Math.log(Math.expm1(terms(vae, [0], seed).reconstruction));

Deno.test("vae-reparameterisation - the total is the reconstruction term plus the KL of the posterior", () => {
  const vae = fixedVae(0.8, -0.5);
  const { total, reconstruction, kl } = terms(vae, [0, 1, 0.3], 7);
  const expectedKl = tf.tidy(() =>
    gaussianKlSum(tf.tensor2d([[0.8], [0.8], [0.8]]), tf.fill([3, 1], -0.5)).dataSync()[0]
  );
  expectClose("kl for a batch of 3 with mu 0.8, logVar -0.5 (gaussianKlSum of the encoder's output)", kl, expectedKl);
  expectClose(`total (reconstruction ${show(reconstruction)} + kl ${show(kl)})`, total, reconstruction + kl);
});

Deno.test("vae-reparameterisation - with sigma near 0, z is mu: the reconstruction is the BCE of decoder(mu), summed", () => {
  // logVar -40: sigma = 2e-9, so z = mu = 1.5 and the logit is 1.5 for each of the three images.
  // BCE with logits l and targets x, summed: 3 softplus(1.5) - 1.5 (0 + 1 + 0.5) = 2.8542
  const { reconstruction } = terms(fixedVae(1.5, -40), [0, 1, 0.5], 3);
  expectClose("reconstruction for images [0, 1, 0.5], mu 1.5, logVar -40", reconstruction, 2.8542398);
});

Deno.test("vae-reparameterisation - z is mu + sigma * N(0, 1) noise with sigma = exp(logVar / 2)", () => {
  const vae = fixedVae(1.5, Math.log(0.25)); // sigma 0.5
  const z = Array.from({ length: 400 }, (_, seed) => drawnZ(vae, seed + 1));
  const mean = z.reduce((s, v) => s + v, 0) / z.length;
  const std = Math.sqrt(z.reduce((s, v) => s + (v - mean) ** 2, 0) / z.length);
  expectTrue(
    Math.abs(mean - 1.5) < 0.08 && Math.abs(std - 0.5) < 0.06,
    `400 draws with mu 1.5 and logVar ln 0.25: z had mean ${show(mean)} and standard deviation ${show(std)}, ` +
      "expected mean 1.5 and standard deviation 0.5",
  );
});

Deno.test("vae-reparameterisation - the same noiseSeed draws the same z, another seed another z", () => {
  const vae = fixedVae(0, 0);
  const [a, b, c] = [drawnZ(vae, 11), drawnZ(vae, 11), drawnZ(vae, 12)];
  expectTrue(a === b, `noiseSeed 11 twice drew z = ${show(a)} and then z = ${show(b)}: use noiseSeed for eps`);
  expectTrue(a !== c, `noiseSeeds 11 and 12 drew the same z = ${show(a)}`);
});

Deno.test("vae-reparameterisation - gradients flow through z to mu and logVar (the point of the trick)", () => {
  const [mu, logVar, seed] = [0.4, Math.log(0.36), 5]; // sigma 0.6
  const vae = fixedVae(mu, logVar);
  const z = drawnZ(vae, seed);
  const biases = ["fc21", "fc22"].map((name) => vae.encoder.getLayer(name).trainableWeights[1].read() as tf.Variable);
  const grads = tf.tidy(() => {
    const { grads } = tf.variableGrads(() => negativeElboSum(vae, tf.zeros([1, 1]), seed).reconstruction, biases);
    return biases.map((b) => (grads[b.name] as Tensor).dataSync()[0]);
  });
  // d softplus(z) / dz = sigmoid(z); dz / dmu = 1; dz / dlogVar = eps sigma / 2 = (z - mu) / 2
  const sigmoid = 1 / (1 + Math.exp(-z));
  expectClose(`d reconstruction / d mu (z = ${show(z)})`, grads[0], sigmoid, { rtol: 1e-3 });
  expectClose(`d reconstruction / d logVar (z = ${show(z)})`, grads[1], sigmoid * (z - mu) / 2, {
    rtol: 1e-3,
    atol: 1e-4,
  });
});

Deno.test("vae-reparameterisation - leaks no tensors", () => {
  const vae = fixedVae(0.2, 0.1);
  const x = tf.tensor2d([[0], [1]]);
  negativeElboSum(vae, x, 1).total.dispose(); // the first call may create lasting tensors
  const before = tf.memory().numTensors;
  const out = negativeElboSum(vae, x, 2);
  tf.dispose([out.total, out.reconstruction, out.kl]);
  expectTrue(
    tf.memory().numTensors === before,
    `one call left ${tf.memory().numTensors - before} tensors behind: wrap it in tf.tidy`,
  );
  x.dispose();
});
