/**
 * gan-mnist: DCGAN (Radford, Metz and Chintala, 2016) on MNIST, trained as the PyTorch DCGAN
 * example trains it: per batch one discriminator step on real images (label 1, or 1 - s with
 * one-sided label smoothing, Salimans et al. 2016) and fakes (label 0), then one generator step
 * with the non-saturating loss on the same noise; Adam 2e-4 with beta1 0.5 for both networks;
 * images scaled to [-1, 1] for the tanh output. The network is lib/models/dcgan.ts, sized for 28x28.
 *
 * Sample quality is measured, not eyeballed: after every epoch, N samples from a fixed set of
 * noise vectors go through the project's MNIST classifier (lib/sample_quality.ts) for FID-MNIST,
 * class entropy (target >= 2.2 of ln 10 = 2.303) and mean confidence (target >= 0.9).
 *
 * G ends in a stride-1 3x3 transposed conv at 28x28 by default (--refine; see docs/generative_results.md).
 * --ema-decay draws the samples from a moving average of G's weights instead; measured on the same
 * checkpoints, it traded a little FID for a little confidence (docs/generative_results.md).
 *
 * 15 epochs by default: at 10, seed 1's samples had confidence 0.902 and seed 2's 0.898; both held
 * 0.904 or more from epoch 12 to 15 (docs/generative_results.md).
 *
 *   deno task lab gan-mnist [--epochs 15] [--width 32] [--refine 28x28] [--label-smoothing 0.1] [--max-steps N] ...
 */
import { loadMnist, type Mnist, MNIST_DATA_FLAG, mnistBatch } from "../lib/data/mnist.ts";
import { epochFlags, planSteps, runEpochs } from "../trainers/epoch_loop.ts";
import { exitOnError } from "../runner/exit_on_error.ts";
import { imageGridPng } from "../lib/image_grid.ts";
import { type Lab, openRun, startLab, withRun } from "../runner/lab.ts";
import {
  buildDcgan,
  type Dcgan,
  discriminate,
  discriminatorLoss,
  generate,
  generatorLoss,
  REFINES,
  trainableVariables,
} from "../lib/models/dcgan.ts";
import { Ema } from "../lib/ema.ts";
import { captureVariables, restoreVariables } from "../lib/named_variables.ts";
import { deriveSeed, Rng } from "../lib/rng.ts";
import {
  qualityLine,
  qualityScalars,
  qualitySummary,
  sampleQuality,
  UNMEASURED,
  YARDSTICK_FLAGS,
  yardstickFor,
} from "../lib/sample_quality.ts";
import { type Tensor, tf } from "../lib/tf.ts";
import { captureTraining, restoreTraining, type Training } from "../lib/train_state.ts";
import { adam, PYTORCH_ADAM } from "../lib/adam.ts";

const spec = {
  ...epochFlags({ epochs: 15 }),
  batchSize: { type: "int", default: 64, min: 2, max: 60000, help: "real images (and as many fakes) per step" },
  lr: { type: "float", default: 2e-4, min: 0, max: 1, help: "Adam learning rate of G (and of D unless --lr-d)" },
  beta1: { type: "float", default: 0.5, min: 0, max: 1, help: "Adam's beta1 for both networks (DCGAN: 0.5)" },
  latent: { type: "int", default: 100, min: 1, max: 4096, help: "dimensions of the noise z (PyTorch example's nz)" },
  width: { type: "int", default: 32, min: 1, max: 512, help: "channels at 14x14 in both networks (ngf = ndf)" },
  kernel: { type: "int", default: 4, min: 2, max: 7, help: "kernel side of every (transposed) conv (paper: 5)" },
  refine: {
    type: "string",
    default: "28x28",
    choices: REFINES,
    help: "one more stride-1 transposed conv in G: at 28x28 (3x3 to the image), at 7x7 (TF tutorial), or none",
  },
  lrD: { type: "float", default: 0, min: 0, max: 1, help: "the discriminator's own Adam rate (0: --lr)" },
  emaDecay: {
    type: "float",
    default: 0,
    min: 0,
    max: 0.99999,
    help: "draw samples from a moving average of G's weights with this decay (Yazici et al. 2019); 0: G itself",
  },
  labelSmoothing: {
    type: "float",
    default: 0,
    min: 0,
    max: 0.5,
    help: "one-sided label smoothing: real images are labelled 1 - this for the discriminator",
  },
  sampleCount: {
    type: "int",
    default: 5000,
    min: 0,
    max: 60000,
    help: "generated samples the yardstick classifier measures after every epoch (0: no sample metrics)",
  },
  ...MNIST_DATA_FLAG,
  ...YARDSTICK_FLAGS,
} as const;

export const lab: Lab<typeof spec> = {
  id: "gan-mnist",
  title: "DCGAN on MNIST",
  description:
    "Radford et al. (2016), trained as the PyTorch DCGAN example (Adam 2e-4, beta1 0.5), sized for 28x28.\n" +
    "Logs D(x), D(G(z)) and both losses, a fixed-noise sample grid every epoch, and FID-MNIST, class\n" +
    "entropy and mean confidence of the samples (targets: entropy >= 2.2, confidence >= 0.9).",
  spec,
  headline: "eval/fid_mnist",
  better: "lower",
};

const GRID_SIDE = 8;

/** The training images at `indices` as [B, 28, 28, 1] in [-1, 1], the range of G's tanh. */
const realBatch = (mnist: Mnist, indices: ArrayLike<number>) =>
  tf.tidy(() => tf.sub(tf.mul(tf.reshape(mnistBatch(mnist.train, indices), [-1, 28, 28, 1]), 2), 1));

const normalNoise = (rng: Rng, count: number, latent: number) =>
  tf.tensor2d(Float32Array.from({ length: count * latent }, () => rng.normal()), [count, latent]);

/**
 * G(z) in [0, 1] for `z` [N, latent], N a multiple of `batch`: batch norm normalises each batch by
 * its own statistics, so samples are drawn in batches the size training used.
 */
async function samples(gan: Dcgan, z: Tensor, batch: number): Promise<Float32Array> {
  const n = z.shape[0];
  const pixels = new Float32Array(n * 784);
  for (let start = 0; start < n; start += batch) {
    const images = tf.tidy(() => tf.div(tf.add(generate(gan, tf.slice(z, [start, 0], [batch, -1])), 1), 2));
    pixels.set(await images.data() as Float32Array, start * 784);
    images.dispose();
  }
  return pixels;
}

/**
 * Runs `body` with G's weights swapped for their moving average (when there is one), then puts the
 * trained weights back: the generator layers compute with whatever their variables hold.
 */
async function withAveragedWeights<T>(
  weights: Record<string, tf.Variable>,
  ema: Ema | undefined,
  body: () => Promise<T>,
): Promise<T> {
  if (!ema) return await body();
  const trained = Object.fromEntries(Object.entries(weights).map(([name, w]) => [name, tf.clone(w)]));
  Object.entries(weights).forEach(([name, w]) => w.assign(ema.weights[name]));
  try {
    return await body();
  } finally {
    Object.entries(weights).forEach(([name, w]) => w.assign(trained[name]));
    tf.dispose(Object.values(trained));
  }
}

/**
 * One discriminator step on real images and fakes G(z), the fakes held constant (the PyTorch
 * example's fake.detach()). Returns the loss and the mean D(x) and D(G(z)) it saw, not read back.
 */
export function discriminatorStep(
  gan: Dcgan,
  optimizer: tf.Optimizer,
  { real, z, labelSmoothing }: { real: Tensor; z: Tensor; labelSmoothing: number },
): { loss: tf.Scalar; dReal: tf.Scalar; dFake: tf.Scalar } {
  const fake = tf.tidy(() => generate(gan, z)); // [B, 28, 28, 1]
  let probabilities: Tensor | undefined; // [2]
  const loss = optimizer.minimize(
    () => {
      const [realLogits, fakeLogits] = [discriminate(gan, real), discriminate(gan, fake)]; // [B, 1] each
      probabilities = tf.keep(tf.stack([tf.mean(tf.sigmoid(realLogits)), tf.mean(tf.sigmoid(fakeLogits))]));
      return discriminatorLoss(realLogits, fakeLogits, labelSmoothing);
    },
    true,
    trainableVariables(gan.discriminator),
  )!;
  const [dReal, dFake] = tf.unstack(probabilities!) as tf.Scalar[];
  tf.dispose([fake, probabilities!]);
  return { loss, dReal, dFake };
}

/** One generator step, -log D(G(z)) through the (unchanged) discriminator; returns the loss. */
export function generatorStep(gan: Dcgan, optimizer: tf.Optimizer, { z }: { z: Tensor }): tf.Scalar {
  return optimizer.minimize(
    () => generatorLoss(discriminate(gan, generate(gan, z))),
    true,
    trainableVariables(gan.generator),
  )!;
}

export async function main(args: string[]): Promise<void> {
  const start = await startLab(lab, args);
  if (!start) return;
  const { config, resumeFrom } = start;

  // ---- data and the yardstick: checked before anything is written
  const mnist = await loadMnist(config.dataDir || undefined);
  const yardstick = await yardstickFor(config, mnist);
  const { stepsPerEpoch, totalSteps } = planSteps({ ...config, trainCount: mnist.train.count });

  // ---- networks and their two optimisers (restored from the checkpoint when resuming)
  const gan = buildDcgan({
    latent: config.latent,
    width: config.width,
    kernel: config.kernel,
    refine: config.refine,
    rng: new Rng(deriveSeed(config.seed, "init")),
  });
  const optimizerG = adam(config.lr, { ...PYTORCH_ADAM, beta1: config.beta1 });
  const optimizerD = adam(config.lrD || config.lr, { ...PYTORCH_ADAM, beta1: config.beta1 });
  const noise = new Rng(deriveSeed(config.seed, "noise")); // z of every training step
  const training: Training = {
    tensors: {
      generator: { models: [gan.generator] },
      discriminator: { models: [gan.discriminator] },
      optimizerG: { adam: optimizerG },
      optimizerD: { adam: optimizerD },
    },
    rngs: { noise },
  };
  if (resumeFrom) await restoreTraining(training, resumeFrom.checkpoint);
  const startStep = resumeFrom?.checkpoint.step ?? 0;
  // G's moving average, from the restored weights when resuming (and then from the checkpoint's
  // average, where it holds one). G's weights go by position: tfjs-layers' names carry counters.
  const generatorWeights = Object.fromEntries(trainableVariables(gan.generator).map((w, i) => [`g${i}`, w]));
  const ema = config.emaDecay > 0 ? new Ema(generatorWeights, { decay: config.emaDecay, warmup: true }) : undefined;
  const savedEma = resumeFrom?.checkpoint.tensors.generatorEma;
  if (ema && savedEma) restoreVariables(ema.weights, savedEma);
  // Fixed noise: the grid and the measured samples show the generator changing, not the noise.
  const fixedZ = normalNoise(new Rng(deriveSeed(config.seed, "fixed-noise")), GRID_SIDE * GRID_SIDE, config.latent);
  const sampleBatches = Math.ceil(config.sampleCount / config.batchSize);
  const sampleZ = normalNoise(
    new Rng(deriveSeed(config.seed, "sample-noise")),
    sampleBatches * config.batchSize,
    config.latent,
  ); // [sampleCount rounded up to whole batches, latent]

  const run = await openRun(lab, start, { totalSteps });
  const startedAt = performance.now();
  let last = UNMEASURED;
  const summary = await withRun(run, async () => {
    // ---- training: a discriminator step, then a generator step on the same noise
    const result = await runEpochs({
      ...config,
      run,
      trainCount: mnist.train.count,
      startStep,
      trainStep(indices, step) {
        const real = realBatch(mnist, indices); // [B, 28, 28, 1]
        const z = tf.randomNormal([indices.length, config.latent], 0, 1, "float32", noise.nextUint32()); // [B, latent]
        // #region gan-step
        const d = discriminatorStep(gan, optimizerD, { real, z, labelSmoothing: config.labelSmoothing });
        const gLoss = generatorStep(gan, optimizerG, { z });
        ema?.update(step);
        // #endregion
        tf.dispose([real, z]);
        return { "train/d_loss": d.loss, "train/g_loss": gLoss, "train/d_real": d.dReal, "train/d_fake": d.dFake };
      },
      async endOfEpoch(epoch, step) {
        // ---- the fixed-noise grid and the sample metrics, from the averaged weights
        const [grid, images] = await withAveragedWeights(generatorWeights, ema, async () => [
          await samples(gan, fixedZ, fixedZ.shape[0]),
          yardstick ? (await samples(gan, sampleZ, config.batchSize)).subarray(0, config.sampleCount * 784) : null,
        ]);
        await run.image(step, "samples/fixed_noise", imageGridPng(grid, { columns: GRID_SIDE, height: 28, width: 28 }));
        if (!yardstick || !images) return "no sample metrics (--sample-count 0)";
        last = await sampleQuality(yardstick.classifier, images, yardstick.reference);
        run.scalars(step, { ...qualityScalars(last), epoch });
        return qualityLine(last);
      },
      checkpointState: async () =>
        captureTraining(training, ema ? { tensors: { generatorEma: await captureVariables(ema.weights) } } : {}),
    });

    // ---- summary
    const summary = {
      lab: lab.id,
      steps: result.steps,
      epochs: result.steps / stepsPerEpoch,
      sampleCount: config.sampleCount,
      ...qualitySummary(last, yardstick, config.referenceImages),
      floor: `FID-MNIST of ${config.referenceImages} training images against as many test images (real vs real)`,
      target: { "eval/class_entropy": 2.2, "eval/mean_confidence": 0.9 },
      reference: "PyTorch examples, dcgan/main.py (64x64, ngf = ndf = 64); here 28x28, see lib/models/dcgan.ts",
      backend: start.backend.name,
      "system/ms_per_step": result.msPerStep,
      "system/samples_per_second": result.samplesPerSecond,
      wallSeconds: (performance.now() - startedAt) / 1000,
    };
    await run.finish(result.steps, summary);
    return summary;
  });
  tf.dispose([fixedZ, sampleZ]);
  ema?.dispose();
  console.error(
    `finished: ${qualityLine(last, { separator: ", ", floor: yardstick?.floor ?? NaN })} after ${summary.steps} steps` +
      ` -> ${run.dir}`,
  );
}

if (import.meta.main) await exitOnError(() => main(Deno.args));
