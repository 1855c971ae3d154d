/** Graded tests of exercise gan-discriminator-loss: discriminatorLoss in lib/models/dcgan.ts. */
import { discriminatorLoss } from "../../../lib/models/dcgan.ts";
import { tf } from "../../../lib/tf.ts";
import { expectClose } from "./grading.ts";

await tf.setBackend("cpu");

/** Binary cross-entropy of one logit against a label, by its definition. */
const bce = (logit: number, label: number) => {
  const p = 1 / (1 + Math.exp(-logit));
  return -(label * Math.log(p) + (1 - label) * Math.log(1 - p));
};
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

const loss = (real: number[], fake: number[], smoothing?: number) =>
  tf.tidy(() =>
    discriminatorLoss(tf.tensor2d(real, [real.length, 1]), tf.tensor2d(fake, [fake.length, 1]), smoothing).dataSync()[0]
  );

Deno.test("gan-discriminator-loss - logits of 0 give 2 ln 2, with or without smoothing", () => {
  expectClose("real [0, 0], fake [0, 0]", loss([0, 0], [0, 0]), 2 * Math.log(2));
  expectClose("real [0, 0], fake [0, 0], smoothing 0.1", loss([0, 0], [0, 0], 0.1), 2 * Math.log(2));
});

Deno.test("gan-discriminator-loss - real images against label 1 and fakes against 0, each averaged over its batch", () => {
  const real = [2, -1, 0.5], fake = [-3, 1];
  expectClose(
    `real ${JSON.stringify(real)}, fake ${JSON.stringify(fake)}`,
    loss(real, fake),
    mean(real.map((l) => bce(l, 1))) + mean(fake.map((l) => bce(l, 0))),
  );
});

Deno.test("gan-discriminator-loss - one-sided smoothing moves only the real images' label", () => {
  const real = [3, 1], fake = [2, -1];
  expectClose(
    `real ${JSON.stringify(real)}, fake ${JSON.stringify(fake)}, smoothing 0.2`,
    loss(real, fake, 0.2),
    mean(real.map((l) => bce(l, 0.8))) + mean(fake.map((l) => bce(l, 0))),
  );
});
