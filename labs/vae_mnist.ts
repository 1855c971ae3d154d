/**
 * vae-mnist: a variational autoencoder on MNIST (Kingma and Welling, "Auto-Encoding Variational
 * Bayes", 2014), the model and training of the PyTorch examples' VAE: 784-400-20-400-784 MLP,
 * Bernoulli decoder (BCE with logits on grey levels, summed over pixels) plus the analytic KL,
 * Adam 1e-3, batch 128. Reference: the same VAE in PyTorch (bench/reference/vae_mnist_torch.py), whose
 * test negative ELBO per epoch, seeds 1-3, is references/vae-mnist.json (105.51 nats after 10 epochs).
 * `--arch conv` swaps in the Keras VAE example's convolutional encoder and decoder
 * (lib/models/conv_vae.ts), same ELBO.
 *
 * After every epoch: the test negative ELBO, reconstructions, prior samples, and the sample
 * metrics of N prior samples (decoded Bernoulli means) through the project's MNIST classifier
 * (lib/sample_quality.ts: FID-MNIST, class entropy, mean confidence), the bar later generative
 * labs are compared with. With `--latent 2`, also the 2-D latent map of the test digits and the
 * decoded manifold over the latent plane (Kingma and Welling, Fig. 4).
 *
 *   deno task lab vae-mnist [--epochs 10] [--arch mlp|conv] [--latent 20] [--sample-count 5000] [--max-steps N] ...
 */
import { loadMnist, MNIST_DATA_FLAG, mnistBatch, type MnistSplit, PIXELS } from "../lib/data/mnist.ts";
import { exitOnError } from "../runner/exit_on_error.ts";
import { imageGridPng } from "../lib/image_grid.ts";
import { type Lab, openRun, startLab, withRun } from "../runner/lab.ts";
import { latentMapPng, manifoldCodes } from "../lib/latent_map.ts";
import { buildConvVae } from "../lib/models/conv_vae.ts";
import {
  buildVae,
  decodeProbabilities,
  negativeElboSum,
  reconstruct,
  type Vae,
  vaeVariables,
} from "../lib/models/vae.ts";
import { epochFlags, planSteps, runEpochs } from "../trainers/epoch_loop.ts";
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

export const lab: Lab<typeof spec> = {
  id: "vae-mnist",
  title: "Variational autoencoder on MNIST",
  description: "Kingma and Welling (2014), as in the PyTorch examples' VAE (or the Keras example's conv VAE).\n" +
    "Logs the test negative ELBO (nats per image), reconstructions, samples from the prior and their\n" +
    "FID-MNIST, class entropy and confidence after every epoch; for a 2-D code the latent map and manifold.",
  get spec() {
    return spec;
  },
  headline: "eval/nelbo",
  better: "lower",
};

const spec = {
  ...epochFlags({ epochs: 10 }),
  batchSize: { type: "int", default: 128, min: 1, max: 60000, help: "images per optimisation step" },
  lr: { type: "float", default: 1e-3, min: 0, max: 1, help: "Adam learning rate" },
  arch: {
    type: "string",
    default: "mlp",
    choices: ["mlp", "conv"],
    help: "mlp: the PyTorch example's 784-400-z MLPs; conv: the Keras example's strided convs (32, 64, dense 16)",
  },
  hidden: { type: "int", default: 400, min: 1, max: 8192, help: "units of the MLP's hidden layers (arch mlp only)" },
  latent: {
    type: "int",
    default: 20,
    min: 1,
    max: 1024,
    help: "dimensions of the latent code z (2: also logs the latent map and the decoded manifold)",
  },
  evalImages: {
    type: "int",
    default: 10000,
    min: 10,
    max: 10000,
    help: "MNIST test images for the negative ELBO (and the latent map) after every epoch",
  },
  sampleCount: {
    type: "int",
    default: 5000,
    min: 0,
    max: 60000,
    help: "prior samples the yardstick classifier measures after every epoch (0: no sample metrics)",
  },
  ...MNIST_DATA_FLAG,
  ...YARDSTICK_FLAGS,
} as const;

const EVAL_BATCH = 1000;
const GRID_SIDE = 8; // 8x8 tiles per image grid
const MANIFOLD_SIDE = 20; // 20x20 decoded codes, as Kingma and Welling's Fig. 4

const range = (start: number, end: number) => Array.from({ length: end - start }, (_, i) => start + i);

/** Test negative ELBO in nats per image over the first `count` test images, one posterior sample each. */
async function evaluate(vae: Vae, test: MnistSplit, count: number, rng: Rng) {
  const sums = { nelbo: 0, reconstruction: 0, kl: 0 };
  for (let start = 0; start < count; start += EVAL_BATCH) {
    const x = mnistBatch(test, range(start, Math.min(start + EVAL_BATCH, count)));
    const { total, reconstruction, kl } = negativeElboSum(vae, x, rng.nextUint32());
    const stacked = tf.stack([total, reconstruction, kl]);
    const values = await stacked.data();
    tf.dispose([x, total, reconstruction, kl, stacked]);
    sums.nelbo += values[0];
    sums.reconstruction += values[1];
    sums.kl += values[2];
  }
  return { nelbo: sums.nelbo / count, reconstruction: sums.reconstruction / count, kl: sums.kl / count };
}

/** Rows of originals above rows of their reconstructions, four pairs of rows. */
async function reconstructionGrid(vae: Vae, test: MnistSplit) {
  const pairs = GRID_SIDE / 2;
  const x = mnistBatch(test, range(0, pairs * GRID_SIDE));
  const rows = tf.tidy(() => {
    const originals = tf.reshape(x, [pairs, GRID_SIDE, PIXELS]);
    const recon = tf.reshape(reconstruct(vae, x), [pairs, GRID_SIDE, PIXELS]);
    return tf.stack([originals, recon], 1); // [pairs, 2, 8, 784]
  });
  const pixels = await rows.data() as Float32Array;
  tf.dispose([x, rows]);
  return imageGridPng(pixels, { columns: GRID_SIDE, height: 28, width: 28 });
}

/** Decoded Bernoulli means for codes z [N, latent], in batches: [N * 784] grey levels. */
async function decodeAll(vae: Vae, z: Tensor): Promise<Float32Array> {
  const n = z.shape[0];
  const pixels = new Float32Array(n * PIXELS);
  for (let start = 0; start < n; start += EVAL_BATCH) {
    const probabilities = tf.tidy(() =>
      decodeProbabilities(vae, tf.slice(z, [start, 0], [Math.min(EVAL_BATCH, n - start), -1]))
    );
    pixels.set(await probabilities.data() as Float32Array, start * PIXELS);
    probabilities.dispose();
  }
  return pixels;
}

/** The encoder means of the first `count` test images, as a scatter plot coloured by digit. */
async function latentMap(vae: Vae, test: MnistSplit, count: number) {
  const means = new Float32Array(count * 2);
  for (let start = 0; start < count; start += EVAL_BATCH) {
    const x = mnistBatch(test, range(start, Math.min(start + EVAL_BATCH, count))); // [B, 784]
    const mu = tf.tidy(() => (vae.encoder.predict(x) as Tensor[])[0]); // [B, 2]
    means.set(await mu.data() as Float32Array, start * 2);
    tf.dispose([x, mu]);
  }
  return latentMapPng(means, test.labels.subarray(0, count));
}

/** Decoded images of a 20x20 lattice of codes at Gaussian quantiles of the latent plane. */
async function manifoldGrid(vae: Vae) {
  const z = tf.tensor2d(manifoldCodes(MANIFOLD_SIDE), [MANIFOLD_SIDE * MANIFOLD_SIDE, 2]); // [400, 2]
  const pixels = await decodeAll(vae, z);
  z.dispose();
  return imageGridPng(pixels, { columns: MANIFOLD_SIDE, height: 28, width: 28 });
}

export async function main(args: string[]): Promise<void> {
  const start = await startLab(lab, args);
  if (!start) return;
  const { config, resumeFrom } = start;

  // ---- data: checked before anything is written
  const mnist = await loadMnist(config.dataDir || undefined);
  const yardstick = await yardstickFor(config, mnist);
  const { stepsPerEpoch, totalSteps } = planSteps({ ...config, trainCount: mnist.train.count });

  // ---- model and optimiser (restored from the checkpoint when resuming)
  const initRng = new Rng(deriveSeed(config.seed, "init"));
  const vae = config.arch === "conv"
    ? buildConvVae({ latent: config.latent, rng: initRng })
    : buildVae({ inputSize: PIXELS, hidden: config.hidden, latent: config.latent, rng: initRng });
  const variables = vaeVariables(vae);
  const optimizer = adam(config.lr, PYTORCH_ADAM);
  const noise = new Rng(deriveSeed(config.seed, "noise")); // reparameterisation samples
  const training: Training = {
    tensors: { model: { models: [vae.encoder, vae.decoder] }, optimizer: { adam: optimizer } },
    rngs: { noise },
  };
  if (resumeFrom) await restoreTraining(training, resumeFrom.checkpoint);
  const startStep = resumeFrom?.checkpoint.step ?? 0;
  // The same prior draws every epoch, so the sample grids show the model changing, not the noise.
  const priorRng = new Rng(deriveSeed(config.seed, "prior"));
  const priorZ = tf.tensor2d(
    Float32Array.from({ length: GRID_SIDE * GRID_SIDE * config.latent }, () => priorRng.normal()),
    [GRID_SIDE * GRID_SIDE, config.latent],
  ); // [64, latent]
  // Likewise a fixed set of prior draws for the sample metrics.
  const sampleRng = new Rng(deriveSeed(config.seed, "sample-noise"));
  const sampleZ = tf.tensor2d(
    Float32Array.from({ length: config.sampleCount * config.latent }, () => sampleRng.normal()),
    [config.sampleCount, config.latent],
  ); // [sampleCount, latent]
  const evalCount = Math.min(config.evalImages, mnist.test.count);

  const run = await openRun(lab, start, { totalSteps });
  const startedAt = performance.now();
  let last = { nelbo: NaN, reconstruction: NaN, kl: NaN };
  let quality = UNMEASURED;
  const summary = await withRun(run, async () => {
    // ---- training
    const result = await runEpochs({
      ...config,
      run,
      trainCount: mnist.train.count,
      startStep,
      trainStep(indices) {
        const x = mnistBatch(mnist.train, indices); // [B, 784]
        const noiseSeed = noise.nextUint32();
        // #region train-loss
        const loss = optimizer.minimize(
          () => tf.div(negativeElboSum(vae, x, noiseSeed).total, x.shape[0]) as tf.Scalar,
          true,
          variables,
        )!;
        // #endregion
        x.dispose();
        return { "train/loss": loss };
      },
      async endOfEpoch(epoch, step) {
        last = await evaluate(vae, mnist.test, evalCount, new Rng(deriveSeed(config.seed, `eval-${epoch}`)));
        run.scalars(step, {
          "eval/nelbo": last.nelbo,
          "eval/reconstruction": last.reconstruction,
          "eval/kl": last.kl,
          epoch,
        });
        await run.image(step, "samples/reconstructions", await reconstructionGrid(vae, mnist.test));
        const grid = await decodeAll(vae, priorZ);
        await run.image(step, "samples/prior", imageGridPng(grid, { columns: GRID_SIDE, height: 28, width: 28 }));
        if (config.latent === 2) {
          await run.image(step, "latent/map", await latentMap(vae, mnist.test, evalCount));
          await run.image(step, "latent/manifold", await manifoldGrid(vae));
        }
        const progress = `test nelbo ${last.nelbo.toFixed(2)} nats`;
        if (!yardstick) return progress;
        // ---- sample metrics of the prior samples' decoded means
        quality = await sampleQuality(yardstick.classifier, await decodeAll(vae, sampleZ), yardstick.reference);
        run.scalars(step, qualityScalars(quality));
        return `${progress} | ${qualityLine(quality)}`;
      },
      checkpointState: () => captureTraining(training),
    });

    // ---- summary
    const summary = {
      lab: lab.id,
      steps: result.steps,
      epochs: result.steps / stepsPerEpoch,
      "eval/nelbo": last.nelbo,
      "eval/reconstruction": last.reconstruction,
      "eval/kl": last.kl,
      evalImages: evalCount,
      sampleCount: config.sampleCount,
      ...qualitySummary(quality, yardstick, config.referenceImages),
      reference: config.arch === "mlp"
        ? { "eval/nelbo": "bench/reference/vae_mnist_torch.py, per epoch, seeds 1-3: references/vae-mnist.json" }
        : "Keras examples, generative/vae.py (convolutional VAE); no published negative ELBO",
      backend: start.backend.name,
      "system/ms_per_step": result.msPerStep,
      "system/samples_per_second": result.samplesPerSecond,
      wallSeconds: (performance.now() - startedAt) / 1000,
    };
    await run.finish(result.steps, summary);
    return summary;
  });
  tf.dispose([priorZ, sampleZ]);
  const metrics = config.sampleCount
    ? `, ${qualityLine(quality, { separator: ", ", floor: yardstick?.floor ?? NaN })}`
    : "";
  console.error(
    `finished: test negative ELBO ${
      summary["eval/nelbo"].toFixed(2)
    } nats${metrics} after ${summary.steps} steps -> ${run.dir}`,
  );
}

if (import.meta.main) await exitOnError(() => main(Deno.args));
