import assert from "node:assert/strict";
import { buildConvAutoencoder, reconstructionLogits } from "../../../lib/models/conv_autoencoder.ts";
import { Rng } from "../../../lib/rng.ts";
import { type Tensor, tf } from "../../../lib/tf.ts";

await tf.setBackend("cpu");

Deno.test("conv autoencoder - images [B, 28, 28, 1] go through a [B, latent] code and come back the same shape", () => {
  const ae = buildConvAutoencoder({ latent: 6, width: 4, rng: new Rng(1) });
  const x = tf.randomUniform([3, 28, 28, 1], 0, 1, "float32", 2);
  assert.deepEqual((ae.encoder.apply(x) as Tensor).shape, [3, 6]);
  assert.deepEqual(reconstructionLogits(ae, x).shape, [3, 28, 28, 1]);
  assert.deepEqual(ae.encoder.outputs[0].shape, [null, 6]);
});

Deno.test("conv autoencoder - the seed fixes every initial weight", () => {
  const weights = (seed: number) => {
    const { encoder, decoder } = buildConvAutoencoder({ latent: 6, width: 4, rng: new Rng(seed) });
    return [...encoder.weights, ...decoder.weights].map((w) => Array.from(w.read().dataSync()));
  };
  assert.deepEqual(weights(1), weights(1));
  assert.notDeepEqual(weights(1)[0], weights(2)[0]);
});

Deno.test("conv autoencoder - bad sizes are refused by name", () => {
  assert.throws(
    () => buildConvAutoencoder({ latent: 0, width: 4, rng: new Rng(1) }),
    /latent must be a positive integer, got 0/,
  );
});
