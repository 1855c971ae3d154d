import assert from "node:assert/strict";
import { bceWithLogitsSum, gaussianKlSum } from "../../lib/losses.ts";
import { buildVae, negativeElboSum } from "../../lib/models/vae.ts";
import { Rng } from "../../lib/rng.ts";
import { tf } from "../../lib/tf.ts";
import { assertClose } from "../helpers.ts";

await tf.setBackend("cpu");

const sigmoid = (l: number) => 1 / (1 + Math.exp(-l));

Deno.test("losses - BCE with logits equals the naive Bernoulli log-likelihood, and stays finite at large logits", () => {
  const logits = [-3, -0.5, 0, 0.7, 4, 2];
  const targets = [0, 0.2, 1, 0.5, 1, 0];
  const naive = logits.reduce((sum, l, i) => {
    const p = sigmoid(l);
    return sum - (targets[i] * Math.log(p) + (1 - targets[i]) * Math.log(1 - p));
  }, 0);
  const value = tf.tidy(() =>
    bceWithLogitsSum(tf.tensor2d(logits, [2, 3]), tf.tensor2d(targets, [2, 3])).dataSync()[0]
  );
  assertClose(value, naive, { rtol: 1e-5 });
  // log(1 - sigmoid(100)) underflows naively; the stable form gives exactly the logit.
  const extreme = tf.tidy(() => bceWithLogitsSum(tf.tensor1d([100, -100]), tf.tensor1d([0, 1])).dataSync()[0]);
  assertClose(extreme, 200, { rtol: 1e-6 });
});

Deno.test("losses - Gaussian KL matches the closed form 0.5 (s^2 + mu^2 - 1 - ln s^2)", () => {
  const mu = [0, 1, -2, 0.5];
  const logVar = [0, 0, Math.log(4), -1];
  const expected = mu.reduce((sum, m, i) => sum + 0.5 * (Math.exp(logVar[i]) + m * m - 1 - logVar[i]), 0);
  const value = tf.tidy(() => gaussianKlSum(tf.tensor2d(mu, [2, 2]), tf.tensor2d(logVar, [2, 2])).dataSync()[0]);
  assertClose(value, expected, { rtol: 1e-6 });
  assertClose(tf.tidy(() => gaussianKlSum(tf.zeros([3, 5]), tf.zeros([3, 5])).dataSync()[0]), 0);
});

Deno.test("losses - Gaussian KL equals a Monte-Carlo estimate of E_q[log q(z|x) - log p(z)] within 4 standard errors", () => {
  // The same posteriors as above, element-wise KL 0, 0.5, 2.807, 0.309 (sum 3.616).
  const mu = [0, 1, -2, 0.5];
  const logVar = [0, 0, Math.log(4), -1];
  const analytic = tf.tidy(() => gaussianKlSum(tf.tensor2d(mu, [2, 2]), tf.tensor2d(logVar, [2, 2])).dataSync()[0]);
  // One sample: z = mu + sigma * eps in every dimension, and log q(z|x) - log p(z) summed over them
  // (the log 2 pi terms cancel). Its variance here is about 21.8, so N = 200,000 samples give a
  // standard error of about 0.010 (0.3% of the KL): 4 of them is a band of +-0.04, which a wrong
  // formula (a missing 1/2, sigma for sigma^2, a dropped -1) misses by 0.3 or more.
  const n = 200_000, rng = new Rng(7);
  let sum = 0, sumSquares = 0;
  for (let s = 0; s < n; s++) {
    let logRatio = 0;
    for (let j = 0; j < mu.length; j++) {
      const eps = rng.normal(), z = mu[j] + Math.exp(logVar[j] / 2) * eps;
      logRatio += (-logVar[j] - eps * eps + z * z) / 2;
    }
    sum += logRatio;
    sumSquares += logRatio * logRatio;
  }
  const estimate = sum / n;
  const standardError = Math.sqrt((sumSquares / n - estimate * estimate) / (n - 1));
  assert.ok(standardError < 0.015, `standard error ${standardError}: too few samples to tell formulas apart`);
  assert.ok(
    Math.abs(analytic - estimate) <= 4 * standardError,
    `analytic KL ${analytic}, Monte-Carlo ${estimate} +- ${standardError} (${n} samples)`,
  );
});

Deno.test("losses - the VAE's negative ELBO is the sum of its reconstruction and KL terms, reproducibly", () => {
  const vae = buildVae({ inputSize: 6, hidden: 4, latent: 2, rng: new Rng(1) });
  const x = tf.tensor2d([0, 0.5, 1, 0, 0, 1, 1, 1, 0, 0.2, 0.3, 0], [2, 6]);
  const read = (seed: number) =>
    tf.tidy(() => {
      const { total, reconstruction, kl } = negativeElboSum(vae, x, seed);
      return [total, reconstruction, kl].map((t) => t.dataSync()[0]);
    });
  const [total, reconstruction, kl] = read(5);
  assertClose(total, reconstruction + kl, { rtol: 1e-6 });
  assert.ok(kl >= 0 && reconstruction > 0);
  assert.deepEqual(read(5), [total, reconstruction, kl]); // same noise seed, same value
  assert.notEqual(read(6)[1], reconstruction); // another posterior sample
  x.dispose();
});
