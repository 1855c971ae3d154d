/**
 * ae-mnist: a convolutional autoencoder on MNIST (lib/models/conv_autoencoder.ts, after the Keras
 * example "Convolutional autoencoder for image denoising": BCE on grey levels, Adam 1e-3), with
 * `--noise S` for the denoising variant of Vincent et al. (2008): Gaussian noise of std S added to
 * the inputs (clipped to [0, 1], as the Keras example does), clean images as targets.
 *
 * Anomaly detection by reconstruction error: a model that only ever saw digits reconstructs
 * Fashion-MNIST clothes badly, so the per-image mean squared error separates the two test sets.
 * Reported as ROC-AUC, Fashion-MNIST test (positives) against MNIST test; target >= 0.95.
 *
 *   deno task lab ae-mnist [--epochs 2] [--noise 0.3] [--fashion-dir DIR] [--max-steps N] ...
 */
import { join } from "node:path";
import { readIdxFile } from "../lib/data/idx.ts";
import { loadMnist, MNIST_DATA_FLAG, mnistBatch, type MnistSplit, PIXELS } from "../lib/data/mnist.ts";
import { epochFlags, planSteps, runEpochs } from "../trainers/epoch_loop.ts";
import { UsageError } from "../lib/errors.ts";
import { exitOnError } from "../runner/exit_on_error.ts";
import { imageGridPng } from "../lib/image_grid.ts";
import { type Lab, openRun, startLab, withRun } from "../runner/lab.ts";
import { bceWithLogitsSum } from "../lib/losses.ts";
import {
  autoencoderVariables,
  buildConvAutoencoder,
  type ConvAutoencoder,
  reconstructionLogits,
} from "../lib/models/conv_autoencoder.ts";
import { deriveSeed, Rng } from "../lib/rng.ts";
import { rocAuc } from "../lib/roc_auc.ts";
import { type Tensor, tf } from "../lib/tf.ts";
import { captureTraining, restoreTraining, type Training } from "../lib/train_state.ts";
import { adam, KERAS_ADAM } from "../lib/adam.ts";

const DEBIAN_FASHION_DIR = "/usr/share/datasets/fashion-mnist";

const spec = {
  ...epochFlags({ epochs: 2 }),
  batchSize: { type: "int", default: 64, min: 1, max: 60000, help: "images per optimisation step" },
  lr: { type: "float", default: 1e-3, min: 0, max: 1, help: "Adam learning rate" },
  width: { type: "int", default: 32, min: 1, max: 512, help: "channels of the first convolution (the second: 2x)" },
  latent: { type: "int", default: 32, min: 1, max: 4096, help: "dimensions of the bottleneck code" },
  noise: {
    type: "float",
    default: 0,
    min: 0,
    max: 10,
    help: "std of the Gaussian noise added to training inputs (denoising autoencoder); 0: plain autoencoder",
  },
  evalImages: {
    type: "int",
    default: 10000,
    min: 10,
    max: 10000,
    help: "images of each test set (MNIST, Fashion-MNIST) scored after every epoch",
  },
  ...MNIST_DATA_FLAG,
  fashionDir: {
    type: "string",
    default: DEBIAN_FASHION_DIR,
    help: "folder with Fashion-MNIST's t10k-images-idx3-ubyte[.gz] (Debian package dataset-fashion-mnist)",
  },
} as const;

export const lab: Lab<typeof spec> = {
  id: "ae-mnist",
  title: "Convolutional (denoising) autoencoder on MNIST, with anomaly detection",
  description: "A strided-conv autoencoder (Keras denoising-autoencoder example); --noise S trains it to denoise.\n" +
    "Logs reconstruction error and reconstruction grids every epoch, and the ROC-AUC of reconstruction\n" +
    "error as an anomaly score, Fashion-MNIST test against MNIST test (target >= 0.95).",
  spec,
  headline: "eval/auc_fashion",
  better: "higher",
};

const EVAL_BATCH = 500;
const GRID_COLUMNS = 8;

const range = (start: number, end: number) => Array.from({ length: end - start }, (_, i) => start + i);
/** The images at `indices` as [n, 28, 28, 1] in [0, 1]. */
const imageBatch = (split: MnistSplit, indices: ArrayLike<number>) =>
  tf.tidy(() => tf.reshape(mnistBatch(split, indices), [-1, 28, 28, 1]));

/** Fashion-MNIST's test images, the anomalies; checked before anything is written. */
async function loadFashionTest(dir: string): Promise<MnistSplit> {
  const path = join(dir, "t10k-images-idx3-ubyte");
  try {
    await Deno.stat(dir);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new UsageError(
      `Fashion-MNIST not found: ${dir} does not exist. Install it with \`apt-get install dataset-fashion-mnist\` ` +
        `(files in ${DEBIAN_FASHION_DIR}), or pass --fashion-dir with a folder holding t10k-images-idx3-ubyte[.gz].`,
    );
  }
  const { shape, data } = await readIdxFile(path);
  if (shape.length !== 3 || shape[1] !== 28 || shape[2] !== 28) {
    throw new UsageError(`${path}: expected images of shape Nx28x28, got ${shape.join("x")}.`);
  }
  return { images: data, labels: new Uint8Array(shape[0]), count: shape[0] };
}

/** Inputs for training: clean images, or with noise N(0, std^2) added and clipped to [0, 1]. */
function corrupt(x: Tensor, std: number, seed: number): Tensor {
  if (std === 0) return tf.clone(x);
  return tf.tidy(() => tf.clipByValue(tf.add(x, tf.randomNormal(x.shape, 0, std, "float32", seed)), 0, 1));
}

/** Per-image reconstruction errors of the first `count` images: BCE (nats) and mean squared error. */
async function reconstructionErrors(
  ae: ConvAutoencoder,
  split: MnistSplit,
  count: number,
  noise?: { std: number; seed: number },
) {
  const bce = new Float32Array(count), mse = new Float32Array(count);
  for (let start = 0; start < count; start += EVAL_BATCH) {
    const end = Math.min(start + EVAL_BATCH, count);
    const x = imageBatch(split, range(start, end)); // [n, 28, 28, 1]
    const [b, m] = tf.tidy(() => {
      const input = noise ? corrupt(x, noise.std, noise.seed + start) : x;
      const logits = reconstructionLogits(ae, input); // [n, 28, 28, 1]
      const perPixel = tf.losses.sigmoidCrossEntropy(x, logits, undefined, 0, tf.Reduction.NONE); // [n, 28, 28, 1]
      return [tf.sum(perPixel, [1, 2, 3]), tf.mean(tf.squaredDifference(tf.sigmoid(logits), x), [1, 2, 3])]; // [n] each
    });
    bce.set(await b.data() as Float32Array, start);
    mse.set(await m.data() as Float32Array, start);
    tf.dispose([x, b, m]);
  }
  return { bce, mse };
}

const mean = (values: Float32Array) => values.reduce((s, v) => s + v, 0) / values.length;

/** Rows of clean images, (noisy inputs,) and reconstructions, one group per 8 images. */
async function reconstructionGrid(ae: ConvAutoencoder, split: MnistSplit, noise: { std: number; seed: number }) {
  const groups = noise.std ? 3 : 4;
  const x = imageBatch(split, range(0, groups * GRID_COLUMNS));
  const rows = tf.tidy(() => {
    const input = corrupt(x, noise.std, noise.seed);
    const recon = tf.sigmoid(reconstructionLogits(ae, input));
    const shown = noise.std ? [x, input, recon] : [x, recon];
    return tf.stack(shown.map((t) => tf.reshape(t, [groups, GRID_COLUMNS, PIXELS])), 1); // [groups, rows, 8, 784]
  });
  const pixels = await rows.data() as Float32Array;
  tf.dispose([x, rows]);
  return imageGridPng(pixels, { columns: GRID_COLUMNS, height: 28, width: 28 });
}

export async function main(args: string[]): Promise<void> {
  const start = await startLab(lab, args);
  if (!start) return;
  const { config, resumeFrom } = start;

  // ---- data: checked before anything is written
  const mnist = await loadMnist(config.dataDir || undefined);
  const fashion = await loadFashionTest(config.fashionDir);
  const evalCount = Math.min(config.evalImages, mnist.test.count, fashion.count);
  const { stepsPerEpoch, totalSteps } = planSteps({ ...config, trainCount: mnist.train.count });

  // ---- model and optimiser (restored from the checkpoint when resuming)
  const ae = buildConvAutoencoder({
    latent: config.latent,
    width: config.width,
    rng: new Rng(deriveSeed(config.seed, "init")),
  });
  const models = [ae.encoder, ae.decoder];
  const variables = autoencoderVariables(ae);
  const optimizer = adam(config.lr, KERAS_ADAM);
  const noise = new Rng(deriveSeed(config.seed, "noise")); // the denoising variant's input noise
  const training: Training = { tensors: { model: { models }, optimizer: { adam: optimizer } }, rngs: { noise } };
  if (resumeFrom) await restoreTraining(training, resumeFrom.checkpoint);
  const startStep = resumeFrom?.checkpoint.step ?? 0;
  // Evaluation noise is the same every epoch, so the figures show the model changing, not the noise.
  const evalNoise = { std: config.noise, seed: deriveSeed(config.seed, "eval-noise") };

  const run = await openRun(lab, start, { totalSteps });
  const startedAt = performance.now();
  let last = { auc: NaN, aucBce: NaN, bce: NaN, mse: NaN, fashionMse: NaN, noisyMse: NaN };
  const summary = await withRun(run, async () => {
    // ---- training
    const result = await runEpochs({
      ...config,
      run,
      trainCount: mnist.train.count,
      startStep,
      trainStep(indices) {
        const x = imageBatch(mnist.train, indices); // [B, 28, 28, 1]
        // #region train-loss
        const input = corrupt(x, config.noise, noise.nextUint32()); // [B, 28, 28, 1]
        const loss = optimizer.minimize(
          () => tf.div(bceWithLogitsSum(reconstructionLogits(ae, input), x), indices.length) as tf.Scalar,
          true,
          variables,
        )!;
        // #endregion
        tf.dispose([x, input]);
        return { "train/loss": loss };
      },
      async endOfEpoch(epoch, step) {
        // ---- evaluation: reconstruction error, and the anomaly score's ROC-AUC (Fashion positive)
        // #region anomaly-auc
        const digits = await reconstructionErrors(ae, mnist.test, evalCount);
        const clothes = await reconstructionErrors(ae, fashion, evalCount);
        const noisy = config.noise ? await reconstructionErrors(ae, mnist.test, evalCount, evalNoise) : undefined;
        last = {
          auc: rocAuc(clothes.mse, digits.mse),
          aucBce: rocAuc(clothes.bce, digits.bce),
          bce: mean(digits.bce),
          mse: mean(digits.mse),
          fashionMse: mean(clothes.mse),
          noisyMse: noisy ? mean(noisy.mse) : NaN,
        };
        // #endregion
        run.scalars(step, {
          "eval/auc_fashion": last.auc,
          "eval/auc_fashion_bce": last.aucBce,
          "eval/reconstruction": last.bce,
          "eval/mse": last.mse,
          "eval/mse_fashion": last.fashionMse,
          ...(noisy ? { "eval/mse_denoised": last.noisyMse } : {}),
          epoch,
        });
        await run.image(step, "samples/reconstructions", await reconstructionGrid(ae, mnist.test, evalNoise));
        await run.image(
          step,
          "samples/fashion_reconstructions",
          await reconstructionGrid(ae, fashion, { std: 0, seed: 0 }),
        );
        return `AUC ${last.auc.toFixed(4)} | test mse ${last.mse.toFixed(5)} | fashion mse ${
          last.fashionMse.toFixed(5)
        }`;
      },
      checkpointState: () => captureTraining(training),
    });

    // ---- summary
    const summary = {
      lab: lab.id,
      steps: result.steps,
      epochs: result.steps / stepsPerEpoch,
      evalImages: evalCount,
      "eval/auc_fashion": last.auc,
      "eval/auc_fashion_bce": last.aucBce,
      "eval/reconstruction": last.bce,
      "eval/mse": last.mse,
      "eval/mse_fashion": last.fashionMse,
      ...(config.noise ? { "eval/mse_denoised": last.noisyMse } : {}),
      target: { "eval/auc_fashion": 0.95 },
      backend: start.backend.name,
      "system/ms_per_step": result.msPerStep,
      "system/samples_per_second": result.samplesPerSecond,
      wallSeconds: (performance.now() - startedAt) / 1000,
    };
    await run.finish(result.steps, summary);
    return summary;
  });
  console.error(
    `finished: Fashion-vs-MNIST AUC ${summary["eval/auc_fashion"].toFixed(4)}, test mse ${
      summary["eval/mse"].toFixed(5)
    } after ${summary.steps} steps -> ${run.dir}`,
  );
}

if (import.meta.main) await exitOnError(() => main(Deno.args));
