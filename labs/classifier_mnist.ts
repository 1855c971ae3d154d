/**
 * classifier-mnist: a small CNN digit classifier (lib/models/mnist_classifier.ts), trained with
 * Adam on MNIST. It is the project's yardstick for generated digits: its trained weights ship
 * in assets/mnist_classifier.ckpt, and lib/sample_quality.ts measures samples in its feature
 * space (FID-MNIST) and by its class predictions. Target: >= 99.0% test accuracy.
 *
 *   deno task lab classifier-mnist --export-to assets/mnist_classifier.ckpt
 */
import { encodeCheckpoint } from "../lib/checkpoint.ts";
import { loadMnist, MNIST_DATA_FLAG, mnistBatch, type MnistSplit } from "../lib/data/mnist.ts";
import { epochFlags, planSteps, runEpochs } from "../trainers/epoch_loop.ts";
import { exitOnError } from "../runner/exit_on_error.ts";
import { imageGridPng } from "../lib/image_grid.ts";
import { type Lab, openRun, startLab, withRun } from "../runner/lab.ts";
import { buildMnistClassifier, classifierLogits, type MnistClassifier } from "../lib/models/mnist_classifier.ts";
import { deriveSeed, Rng } from "../lib/rng.ts";
import { writeFileAtomic } from "../lib/run/atomic_write.ts";
import { type Tensor, tf } from "../lib/tf.ts";
import { captureTraining, captureWeights, restoreTraining, type Training } from "../lib/train_state.ts";
import { adam, KERAS_ADAM } from "../lib/adam.ts";

const spec = {
  ...epochFlags({ epochs: 6 }),
  batchSize: { type: "int", default: 128, min: 1, max: 60000, help: "images per optimisation step" },
  lr: { type: "float", default: 1e-3, min: 0, max: 1, help: "Adam learning rate" },
  evalImages: {
    type: "int",
    default: 10000,
    min: 10,
    max: 10000,
    help: "MNIST test images scored after every epoch (fewer: faster smoke runs, a noisier accuracy)",
  },
  exportTo: { type: "string", default: "", help: "also write the final weights to this file (the yardstick's asset)" },
  ...MNIST_DATA_FLAG,
} as const;

export const lab: Lab<typeof spec> = {
  id: "classifier-mnist",
  title: "CNN digit classifier on MNIST (the yardstick for generated digits)",
  description: "conv32-pool-conv64-pool-dense128-dense10 with dropout, Adam. Logs test accuracy every epoch\n" +
    "and a grid of the test digits it gets wrong. Target: >= 99.0% test accuracy.",
  spec,
  headline: "eval/accuracy",
  better: "higher",
};

const EVAL_BATCH = 1000;

const asImages = (x: Tensor) => tf.reshape(x, [-1, 28, 28, 1]);

/** Accuracy and mean cross-entropy on the first `count` test images, and the indices of those it gets wrong. */
async function evaluate(classifier: MnistClassifier, test: MnistSplit, count: number) {
  let correct = 0, loss = 0;
  const wrong: number[] = [];
  for (let start = 0; start < count; start += EVAL_BATCH) {
    const indices = Array.from({ length: Math.min(EVAL_BATCH, count - start) }, (_, i) => start + i);
    const labels = tf.tensor1d(indices.map((i) => test.labels[i]), "int32");
    const [predicted, batchLoss] = tf.tidy(() => {
      const logits = classifierLogits(classifier, asImages(mnistBatch(test, indices)));
      const sum = tf.mul(tf.losses.softmaxCrossEntropy(tf.oneHot(labels, 10), logits), indices.length);
      return [tf.argMax(logits, 1), sum];
    });
    const guesses = await predicted.data();
    loss += (await batchLoss.data())[0];
    tf.dispose([labels, predicted, batchLoss]);
    Array.from(guesses).forEach((guess, i) => guess === test.labels[indices[i]] ? correct++ : wrong.push(indices[i]));
  }
  return { accuracy: correct / count, loss: loss / count, wrong };
}

export async function main(args: string[]): Promise<void> {
  const start = await startLab(lab, args);
  if (!start) return;
  const { config, resumeFrom } = start;

  // ---- data: checked before anything is written
  const mnist = await loadMnist(config.dataDir || undefined);
  const { stepsPerEpoch, totalSteps } = planSteps({ ...config, trainCount: mnist.train.count });

  // ---- model and optimiser
  const classifier = buildMnistClassifier(new Rng(deriveSeed(config.seed, "init")));
  const models = [classifier.features, classifier.head];
  const variables = models.flatMap((m) => m.trainableWeights.map((w) => w.read() as tf.Variable));
  const optimizer = adam(config.lr, KERAS_ADAM);
  const dropout = new Rng(deriveSeed(config.seed, "dropout"));
  const training: Training = { tensors: { model: { models }, optimizer: { adam: optimizer } }, rngs: { dropout } };
  if (resumeFrom) await restoreTraining(training, resumeFrom.checkpoint);
  const startStep = resumeFrom?.checkpoint.step ?? 0;

  const run = await openRun(lab, start, { totalSteps });
  const startedAt = performance.now();
  let last = { accuracy: NaN, loss: NaN, wrong: [] as number[] };
  await withRun(run, async () => {
    // ---- training
    const result = await runEpochs({
      ...config,
      run,
      trainCount: mnist.train.count,
      startStep,
      trainStep(indices) {
        const x = tf.tidy(() => asImages(mnistBatch(mnist.train, indices))); // [B, 28, 28, 1]
        const labels = tf.tensor1d(Array.from(indices, (i) => mnist.train.labels[i]), "int32"); // [B]
        const y = tf.oneHot(labels, 10); // [B, 10]
        const seed = dropout.nextUint32();
        // #region train-loss
        const loss = optimizer.minimize(
          () => tf.losses.softmaxCrossEntropy(y, classifierLogits(classifier, x, seed)) as tf.Scalar,
          true,
          variables,
        )!;
        // #endregion
        tf.dispose([x, labels, y]);
        return { "train/loss": loss };
      },
      async endOfEpoch(epoch, step) {
        last = await evaluate(classifier, mnist.test, Math.min(config.evalImages, mnist.test.count));
        run.scalars(step, { "eval/accuracy": last.accuracy, "eval/loss": last.loss, epoch });
        const wrong = mnistBatch(mnist.test, last.wrong.slice(0, 64));
        const pixels = await wrong.data() as Float32Array;
        wrong.dispose();
        if (pixels.length) {
          await run.image(step, "eval/misclassified", imageGridPng(pixels, { columns: 8, height: 28, width: 28 }));
        }
        return `test accuracy ${(100 * last.accuracy).toFixed(2)}%`;
      },
      checkpointState: () => captureTraining(training),
    });

    // ---- export the yardstick's weights, and the summary
    if (config.exportTo) {
      const weights = await encodeCheckpoint({
        step: result.steps,
        epoch: result.steps / stepsPerEpoch,
        eventSeq: 0,
        tensors: { model: await captureWeights(models) },
        meta: { testAccuracy: last.accuracy, run: run.id, command: `deno task lab classifier-mnist ${args.join(" ")}` },
      });
      await writeFileAtomic(config.exportTo, weights);
      console.error(`weights written to ${config.exportTo}`);
    }
    await run.finish(result.steps, {
      lab: lab.id,
      steps: result.steps,
      "eval/accuracy": last.accuracy,
      "eval/loss": last.loss,
      target: { "eval/accuracy": 0.99 },
      backend: start.backend.name,
      "system/ms_per_step": result.msPerStep,
      "system/samples_per_second": result.samplesPerSecond,
      wallSeconds: (performance.now() - startedAt) / 1000,
    });
  });
  console.error(`finished: test accuracy ${(100 * last.accuracy).toFixed(2)}% -> ${run.dir}`);
}

if (import.meta.main) await exitOnError(() => main(Deno.args));
