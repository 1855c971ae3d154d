/** Graded tests of exercise vae-kl: gaussianKlSum in lib/losses.ts. */
import { gaussianKlSum } from "../../../lib/losses.ts";
import { type Tensor, tf } from "../../../lib/tf.ts";
import { expectClose } from "./grading.ts";

await tf.setBackend("cpu");

const kl = (mu: number[][], logVar: number[][]) =>
  tf.tidy(() => gaussianKlSum(tf.tensor2d(mu), tf.tensor2d(logVar)).dataSync()[0]);

Deno.test("vae-kl - is 0 when the posterior is the prior (mu = 0, logVar = 0)", () => {
  expectClose("mu = 0 and logVar = 0, [2, 3]", kl([[0, 0, 0], [0, 0, 0]], [[0, 0, 0], [0, 0, 0]]), 0);
});

Deno.test("vae-kl - one dimension: a shifted mean, a wider and a narrower posterior", () => {
  expectClose("mu 1, logVar 0 (KL = mu^2 / 2)", kl([[1]], [[0]]), 0.5);
  expectClose("mu -2, logVar 0", kl([[-2]], [[0]]), 2);
  expectClose("mu 0, logVar ln 4 (sigma 2)", kl([[0]], [[Math.log(4)]]), 0.8068528);
  expectClose("mu 0, logVar -1", kl([[0]], [[-1]]), 0.1839397);
});

Deno.test("vae-kl - sums over latent dimensions and over the batch (not a mean)", () => {
  // per element: 0, 0.5, 2.8069, 0.3089
  expectClose(
    "mu [[0, 1], [-2, 0.5]], logVar [[0, 0], [ln 4, -1]]",
    kl([[0, 1], [-2, 0.5]], [[0, 0], [Math.log(4), -1]]),
    3.6157925,
  );
  expectClose(
    "a batch of three copies of mu [[1, -2]], logVar [[0, 0]]",
    kl([[1, -2], [1, -2], [1, -2]], [[0, 0], [0, 0], [0, 0]]),
    7.5,
  );
});

Deno.test("vae-kl - the gradient is mu for mu and (exp(logVar) - 1) / 2 for logVar", () => {
  const mu = [[0.5, -1]], logVar = [[0.2, -0.3]];
  const [dMu, dLogVar] = tf.tidy(() => {
    const grads = tf.grads((m: Tensor, v: Tensor) => gaussianKlSum(m, v))([tf.tensor2d(mu), tf.tensor2d(logVar)]);
    return grads.map((g) => Array.from(g.dataSync()));
  });
  expectClose("d KL / d mu at mu [0.5, -1]", dMu, mu[0]);
  expectClose("d KL / d logVar at logVar [0.2, -0.3]", dLogVar, logVar[0].map((v) => (Math.exp(v) - 1) / 2));
});
