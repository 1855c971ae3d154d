/**
 * The diffusion U-Net: output shape, the time embedding reaching the output, images in a batch
 * not affecting each other (no batch statistics), seeded initialisation, and the sinusoidal
 * embedding against its formula. Tiny widths, so the file runs in about a second.
 */
import assert from "node:assert/strict";
import { useBackend } from "../../../lib/backend.ts";
import { buildUnet, parameterCount, predictNoise, timeEmbedding, type Unet } from "../../../lib/models/unet.ts";
import { Rng } from "../../../lib/rng.ts";
import { type Tensor, tf } from "../../../lib/tf.ts";
import { assertClose } from "../../helpers.ts";

await useBackend("wasm");

/** A U-Net whose every weight is random: at initialisation the zero-initialised output conv hides the rest. */
function randomised(width: number, seed: number): Unet {
  const unet = buildUnet({ width, rng: new Rng(seed) });
  Object.values(unet.weights).forEach((w, i) => w.assign(tf.randomNormal(w.shape, 0, 0.3, "float32", seed * 1000 + i)));
  return unet;
}

const steps = (...t: number[]) => tf.tensor1d(t, "int32");

Deno.test("unet - eps has the input's shape [B, 28, 28, 1] and starts at zero (zero-initialised output conv)", () => {
  const unet = buildUnet({ width: 4, rng: new Rng(1) });
  const x = tf.randomNormal([3, 28, 28, 1], 0, 1, "float32", 2);
  const eps = predictNoise(unet, unet.weights, x, steps(0, 500, 999));
  assert.deepEqual(eps.shape, [3, 28, 28, 1]);
  assert.ok(eps.dataSync().every((v) => v === 0));
  assert.ok(parameterCount(unet) > 0);
  tf.dispose([x, eps]);
});

Deno.test("unet - the step t changes the output: the time embedding reaches eps", () => {
  const unet = randomised(4, 3);
  const x = tf.randomNormal([1, 28, 28, 1], 0, 1, "float32", 4);
  const at = (t: number) => Array.from(predictNoise(unet, unet.weights, x, steps(t)).dataSync());
  const [early, late] = [at(10), at(900)];
  const difference = early.reduce((sum, v, i) => sum + Math.abs(v - late[i]), 0) / early.length;
  assert.ok(difference > 1e-3, `mean |eps(t=10) - eps(t=900)| = ${difference}`);
  assert.deepEqual(at(10), early, "the same input gives the same output");
});

Deno.test("unet - an image's eps does not depend on the other images of its batch", () => {
  const unet = randomised(4, 5);
  const x = tf.randomNormal([3, 28, 28, 1], 0, 1, "float32", 6);
  const together = predictNoise(unet, unet.weights, x, steps(1, 2, 3)).dataSync();
  const alone = predictNoise(unet, unet.weights, tf.slice(x, [1, 0, 0, 0], [1, -1, -1, -1]), steps(2)).dataSync();
  assertClose(alone, together.subarray(784, 2 * 784), { rtol: 1e-4, atol: 1e-5 });
});

Deno.test("unet - the same seed builds the same weights, another seed others", () => {
  const flat = (unet: Unet) => Object.values(unet.weights).flatMap((w) => Array.from(w.dataSync()));
  const [a, b, c] = [
    buildUnet({ width: 4, rng: new Rng(7) }),
    buildUnet({ width: 4, rng: new Rng(7) }),
    buildUnet({ width: 4, rng: new Rng(8) }),
  ];
  assert.deepEqual(Object.keys(a.weights), Object.keys(c.weights));
  assert.deepEqual(flat(a), flat(b));
  assert.notDeepEqual(flat(a), flat(c));
  assert.throws(() => buildUnet({ width: 5, rng: new Rng(1) }), /width must be an even integer >= 2, got 5/);
});

Deno.test("unet - the sinusoidal embedding is [sin(t f_i), cos(t f_i)] with f_i = 10000^(-i / (half - 1))", () => {
  const embedding = timeEmbedding(steps(0, 7, 999), 8);
  const expected = [0, 7, 999].flatMap((t) => {
    const f = [0, 1, 2, 3].map((i) => Math.pow(10000, -i / 3));
    return [...f.map((fi) => Math.sin(t * fi)), ...f.map((fi) => Math.cos(t * fi))];
  });
  assertClose(embedding.dataSync(), expected, { rtol: 1e-4, atol: 1e-4 });
});

Deno.test("unet - a forward pass keeps no tensors but its output", () => {
  const unet = randomised(4, 9);
  const x: Tensor = tf.randomNormal([2, 28, 28, 1], 0, 1, "float32", 1);
  const t = steps(3, 4);
  const before = tf.memory().numTensors;
  const eps = predictNoise(unet, unet.weights, x, t);
  assert.equal(tf.memory().numTensors, before + 1);
  tf.dispose([x, t, eps]);
});
