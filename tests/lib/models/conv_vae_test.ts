/**
 * The convolutional VAE against the Keras "Variational AutoEncoder" example it follows: the
 * parameter counts of its model summaries (latent 2: encoder 69,076, decoder 65,089) and the
 * flat-image interface it shares with the MLP VAE.
 */
import assert from "node:assert/strict";
import { buildConvVae } from "../../../lib/models/conv_vae.ts";
import { negativeElboSum } from "../../../lib/models/vae.ts";
import { Rng } from "../../../lib/rng.ts";
import { type Tensor, tf } from "../../../lib/tf.ts";
import { useBackend } from "../../../lib/backend.ts";

await useBackend("wasm");

Deno.test("conv_vae - has the Keras example's parameter counts (latent 2)", () => {
  const vae = buildConvVae({ latent: 2, rng: new Rng(1) });
  assert.equal(vae.encoder.countParams(), 69_076);
  assert.equal(vae.decoder.countParams(), 65_089);
});

Deno.test("conv_vae - maps flat images to mu and logVar, and codes to flat logits, like the MLP VAE", () => {
  const vae = buildConvVae({ latent: 5, rng: new Rng(1) });
  const x = tf.randomUniform([3, 784], 0, 1, "float32", 2);
  const [mu, logVar] = vae.encoder.predict(x) as Tensor[];
  assert.deepEqual([mu.shape, logVar.shape], [[3, 5], [3, 5]]);
  const logits = vae.decoder.predict(mu) as Tensor;
  assert.deepEqual(logits.shape, [3, 784]);
  const { total, reconstruction, kl } = negativeElboSum(vae, x, 7);
  // 3 images of 784 uniform grey levels under near-even Bernoulli logits: about 3 * 784 * ln 2 nats.
  assert.ok(Math.abs(reconstruction.dataSync()[0] / (3 * 784 * Math.LN2) - 1) < 0.2, `${reconstruction.dataSync()}`);
  assert.ok(kl.dataSync()[0] >= 0 && total.dataSync()[0] > reconstruction.dataSync()[0]);
  tf.dispose([x, mu, logVar, logits, total, reconstruction, kl]);
  assert.throws(() => buildConvVae({ latent: 0, rng: new Rng(1) }), /latent must be a positive integer, got 0/);
});
