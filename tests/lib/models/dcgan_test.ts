/** The DCGAN networks' shapes and initialisation, and the GAN losses against their closed forms. */
import assert from "node:assert/strict";
import { buildDcgan, discriminate, discriminatorLoss, generate, generatorLoss } from "../../../lib/models/dcgan.ts";
import { Rng } from "../../../lib/rng.ts";
import { type Tensor, tf } from "../../../lib/tf.ts";
import { assertClose } from "../../helpers.ts";

await tf.setBackend("cpu");

const logSigmoid = (a: number) => -Math.log1p(Math.exp(-a));

Deno.test("dcgan - G maps z [B, latent] to images [B, 28, 28, 1] in [-1, 1]; D maps them to one logit each", () => {
  const gan = buildDcgan({ latent: 10, width: 4, rng: new Rng(1) });
  const z = tf.randomNormal([5, 10], 0, 1, "float32", 1);
  const images = generate(gan, z);
  assert.deepEqual(images.shape, [5, 28, 28, 1]);
  const values = images.dataSync();
  assert.ok(values.every((v) => v >= -1 && v <= 1));
  assert.ok(new Set(values).size > 100, "the images are not constant");
  assert.deepEqual(discriminate(gan, images).shape, [5, 1]);
});

Deno.test("dcgan - every kernel size and refine layer keeps the shapes; the refine layer adds its own weights", () => {
  const z = tf.randomNormal([3, 10], 0, 1, "float32", 2);
  for (const [kernel, refine] of [[5, "none"], [4, "7x7"], [4, "28x28"]] as const) {
    const gan = buildDcgan({ latent: 10, width: 4, kernel, refine, rng: new Rng(1) });
    const images = generate(gan, z);
    assert.deepEqual(images.shape, [3, 28, 28, 1], `kernel ${kernel}, refine ${refine}`);
    assert.deepEqual(discriminate(gan, images).shape, [3, 1]);
    if (refine === "none") continue;
    const plain = buildDcgan({ latent: 10, width: 4, kernel, rng: new Rng(1) });
    // 7x7: a 4x4 transposed conv 2w -> 2w without bias, and its BN's gamma and beta. 28x28: the last
    // upsampling gives w/2 channels instead of 1 (and loses its bias), then BN and a 3x3 conv w/2 -> 1 with bias.
    const extra = refine === "7x7"
      ? 4 * 4 * 8 * 8 + 2 * 8
      : (4 * 4 * 4 * 2 - (4 * 4 * 4 * 1 + 1)) + 2 * 2 + (3 * 3 * 2 + 1);
    assert.equal(gan.generator.countParams() - plain.generator.countParams(), extra, refine);
  }
});

Deno.test("dcgan - weights start at N(0, 0.02) (DCGAN's initialisation), reproducibly from the seed", () => {
  const kernels = (seed: number) =>
    buildDcgan({ latent: 100, width: 32, rng: new Rng(seed) }).discriminator.weights
      .filter((w) => w.originalName.endsWith("kernel")).map((w) => w.read());
  const [, second] = kernels(2);
  const values = Array.from(second.dataSync()); // conv 4x4, 32 -> 64: 32,768 values
  const mean = values.reduce((a, b) => a + b) / values.length;
  const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
  assert.ok(Math.abs(mean) < 0.001 && Math.abs(std - 0.02) < 0.001, `mean ${mean}, std ${std}`);
  assert.deepEqual(Array.from(kernels(2)[1].dataSync()), values);
  assert.notDeepEqual(Array.from(kernels(3)[1].dataSync()), values);
});

Deno.test("dcgan - bad sizes are refused by name", () => {
  assert.throws(() => buildDcgan({ latent: 10, width: 0, rng: new Rng(1) }), /width must be a positive integer, got 0/);
  assert.throws(
    // @ts-expect-error: a refine the type does not allow, as a caller without types could pass
    () => buildDcgan({ latent: 10, width: 4, refine: "14x14", rng: new Rng(1) }),
    /refine must be one of none, 7x7, 28x28, got 14x14/,
  );
});

Deno.test("gan losses - discriminator: mean BCE of reals against 1 - smoothing plus fakes against 0", () => {
  const [real, fake] = [[2, -0.5, 0.3], [-1, 1.5]];
  for (const s of [0, 0.1]) {
    const expected = -real.reduce((a, l) => a + (1 - s) * logSigmoid(l) + s * logSigmoid(-l), 0) / 3 -
      fake.reduce((a, l) => a + logSigmoid(-l), 0) / 2;
    const loss = discriminatorLoss(tf.tensor2d(real, [3, 1]), tf.tensor2d(fake, [2, 1]), s);
    assertClose(loss.dataSync()[0], expected, { rtol: 1e-5 });
  }
});

Deno.test("gan losses - generator: the non-saturating -mean log D(G(z)), with its gradient -(1 - D) / B", () => {
  const logits = [-3, 0, 2.5];
  const expected = -logits.reduce((a, l) => a + logSigmoid(l), 0) / 3;
  assertClose(generatorLoss(tf.tensor2d(logits, [3, 1])).dataSync()[0], expected, { rtol: 1e-5 });
  // Non-saturating: where D confidently rejects a fake (logit -3) the gradient is near its largest, -1/B.
  const grad = tf.grad((l: Tensor) => generatorLoss(l))(tf.tensor2d(logits, [3, 1]));
  assertClose(grad.dataSync(), logits.map((l) => -(1 - 1 / (1 + Math.exp(-l))) / 3), { rtol: 1e-4 });
});
