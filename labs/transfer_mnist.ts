/**
 * transfer-mnist: transfer learning on MNIST, after the Keras example mnist_transfer_cnn.py and
 * tfjs-examples mnist-transfer-cnn. A CNN (lib/models/transfer_cnn.ts: conv-conv-maxpool-dropout
 * features, dense-dropout-dense head) is pretrained on digits 0-4; then digits 5-9 are learnt from
 * 10, 100 and 1000 labelled images per class, three ways:
 *
 *   frozen    the pretrained features, frozen; a new head is trained (the Keras example)
 *   finetune  the pretrained features and a new head, all trained
 *   scratch   the same architecture from a fresh initialisation, all trained
 *
 * Every cell (mode, labels per class) is scored on the MNIST test images of digits 5-9. The three
 * modes of one size see the same labelled subset (seeded; the subsets of the sizes are nested),
 * the same head initialisation and the same batch order, so only the mode differs. Target: with
 * 100 labels per class, transfer beats from-scratch by >= 5 points of accuracy.
 *
 * Checkpoints: during pretraining as in every epoch lab, then after each finished cell, holding
 * the pretrained weights and the finished cells' accuracies; a resumed run skips those cells and
 * computes the rest exactly as an uninterrupted run would (each cell's randomness is its own).
 *
 *   deno task lab transfer-mnist [--labels-per-class 10,100,1000] [--cell-steps 300] [--max-steps N] ...
 */
import { loadMnist, MNIST_DATA_FLAG, mnistBatch, type MnistSplit } from "../lib/data/mnist.ts";
import { planSteps, runEpochs } from "../trainers/epoch_loop.ts";
import { UsageError } from "../lib/errors.ts";
import { exitOnError } from "../runner/exit_on_error.ts";
import { imageGridPng } from "../lib/image_grid.ts";
import { type Lab, openRun, startLab, withRun } from "../runner/lab.ts";
import {
  buildTransferCnn,
  copyWeights,
  disposeTransferCnn,
  headLogits,
  type TransferCnn,
  transferLogits,
  variablesOf,
} from "../lib/models/transfer_cnn.ts";
import { deriveSeed, Rng } from "../lib/rng.ts";
import { type Tensor, tf } from "../lib/tf.ts";
import { captureTraining, captureWeights, restoreTraining, restoreWeights, type Training } from "../lib/train_state.ts";
import { adam, KERAS_ADAM } from "../lib/adam.ts";

const spec = {
  labelsPerClass: {
    type: "string",
    default: "10,100,1000",
    help: "labelled training images per digit 5-9, a comma list: one column of the table each",
  },
  pretrainEpochs: {
    type: "int",
    default: 1,
    min: 1,
    max: 1000,
    help: "passes over the 30,596 training images of digits 0-4 (one reaches ~99% on their test images)",
  },
  cellSteps: {
    type: "int",
    default: 300,
    min: 1,
    max: 1_000_000,
    help: "optimisation steps of every (mode, labels) cell, whatever its number of labels",
  },
  batchSize: { type: "int", default: 64, min: 1, max: 60000, help: "images per optimisation step" },
  lr: { type: "float", default: 1e-3, min: 0, max: 1, help: "Adam learning rate, pretraining and every cell" },
  filters: { type: "int", default: 32, min: 1, max: 512, help: "channels of both convolutions (Keras example: 32)" },
  hidden: {
    type: "int",
    default: 128,
    min: 1,
    max: 4096,
    help: "units of the head's hidden layer (Keras example: 128)",
  },
  evalImages: {
    type: "int",
    default: 10000,
    min: 10,
    max: 10000,
    help: "at most this many test images of the digits scored (0-4 after pretraining, 5-9 for each cell)",
  },
  logEvery: { type: "int", default: 10, min: 1, help: "steps between train/* events (each the mean over those steps)" },
  checkpointEvery: {
    type: "int",
    default: 0,
    min: 0,
    help: "also checkpoint every N pretraining steps (0: after each epoch and each cell)",
  },
  ...MNIST_DATA_FLAG,
} as const;

export const lab: Lab<typeof spec> = {
  id: "transfer-mnist",
  title: "Transfer learning on MNIST: pretrain on 0-4, learn 5-9 from few labels",
  description:
    "The Keras mnist_transfer_cnn example's CNN, pretrained on digits 0-4, then trained on 10, 100 and 1000\n" +
    "labels per digit 5-9 with frozen features, fine-tuning, or from scratch. --max-steps N caps the\n" +
    "pretraining and every cell at N steps (smoke runs). Target: with 100 labels per class, transfer\n" +
    "beats from-scratch by >= 5 points of test accuracy.",
  spec,
  headline: "transfer/gain_100",
  better: "higher",
};

export const MODES = ["frozen", "finetune", "scratch"] as const;
export type Mode = (typeof MODES)[number];
const CLASSES = 5;
const EVAL_BATCH = 500;

/** "10,100,1000" -> [10, 100, 1000]; each a positive integer no larger than `available`. */
export function parseLabelsPerClass(raw: string, available: number): number[] {
  const parts = raw.split(",").map((p) => p.trim());
  const sizes = parts.map((p) => /^\d+$/.test(p) ? Number(p) : NaN);
  const bad = sizes.findIndex((n) => !(n >= 1 && n <= available));
  if (!parts.length || bad >= 0) {
    throw new UsageError(
      `Invalid value '${raw}' for --labels-per-class: '${parts[bad] ?? ""}' is not an integer from 1 to ${available} ` +
        `(the training images of the rarest digit 5-9); expected a comma list such as 10,100,1000.`,
    );
  }
  if (new Set(sizes).size !== sizes.length) {
    throw new UsageError(`Invalid value '${raw}' for --labels-per-class: a size is given twice.`);
  }
  return sizes;
}

/** Indices of `split`'s images whose label is `digit`, in file order. */
const indicesOf = (split: MnistSplit, digits: number[]) =>
  Array.from(split.labels.entries()).flatMap(([i, label]) => digits.includes(label) ? [i] : []);

/**
 * The labelled subsets: per digit 5-9 one seeded permutation of its training images, of which each
 * size takes the first n, so that the smaller sets are inside the larger ones.
 */
export function labelledSubsets(train: MnistSplit, sizes: number[], seed: number): Map<number, number[]> {
  const rng = new Rng(deriveSeed(seed, "subsets"));
  const perDigit = [5, 6, 7, 8, 9].map((d) => {
    const all = indicesOf(train, [d]);
    return Array.from(rng.permutation(all.length), (i) => all[i]);
  });
  return new Map(sizes.map((n) => [n, perDigit.flatMap((shuffled) => shuffled.slice(0, n))]));
}

/** Images [n, 28, 28, 1] and the labels minus `offset` [n] at `indices` (digits 5-9 -> classes 0-4). */
function examples(split: MnistSplit, indices: number[], offset: number) {
  return tf.tidy(() => ({
    x: tf.reshape(mnistBatch(split, indices), [-1, 28, 28, 1]),
    y: tf.tensor1d(indices.map((i) => split.labels[i] - offset), "int32"),
  }));
}

/** Test accuracy of `model` on the images at `indices`, labels shifted by `offset`. */
export async function accuracy(model: TransferCnn, split: MnistSplit, indices: number[], offset: number) {
  let correct = 0;
  for (let start = 0; start < indices.length; start += EVAL_BATCH) {
    const { x, y } = examples(split, indices.slice(start, start + EVAL_BATCH), offset);
    const hits = tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(transferLogits(model, x), 1), y), "int32")));
    correct += (await hits.data())[0];
    tf.dispose([x, y, hits]);
  }
  return correct / indices.length;
}

export interface CellOptions {
  mode: Mode;
  /** training images of the cell (digits 5-9) */
  split: MnistSplit;
  indices: number[];
  steps: number;
  batchSize: number;
  lr: number;
  filters: number;
  hidden: number;
  /** the cell's own seed: head initialisation, fresh features, batch order, dropout */
  seed: number;
  logEvery?: number;
  /** called every `logEvery` steps with the steps done, their mean loss and milliseconds per step */
  onLog?: (stepsDone: number, loss: number, msPerStep: number) => void;
}

/** The features [n, 144F] of images [n, 28, 28, 1], computed in batches to bound memory. */
function featuresOf(model: TransferCnn, x: Tensor): Tensor {
  return tf.tidy(() => {
    const parts: Tensor[] = [];
    for (let start = 0; start < x.shape[0]; start += EVAL_BATCH) {
      const size = Math.min(EVAL_BATCH, x.shape[0] - start);
      parts.push(model.features.apply(tf.slice(x, [start, 0, 0, 0], [size, -1, -1, -1])) as Tensor);
    }
    return tf.concat(parts);
  });
}

/**
 * Trains one cell from the pretrained model (left unchanged) and returns the trained model, which
 * the caller disposes. Batches are drawn without replacement from reshuffled passes over the
 * subset (a pass's remainder is dropped so every batch is full; a subset smaller than a batch
 * is one batch).
 */
export async function trainCell(pretrained: TransferCnn, options: CellOptions): Promise<TransferCnn> {
  const { mode, steps, lr, seed, logEvery = 10, onLog } = options;
  // #region cell-modes
  const model = buildTransferCnn({ ...options, classes: CLASSES, rng: new Rng(deriveSeed(seed, "init")) });
  if (mode !== "scratch") copyWeights(pretrained.features, model.features);
  // Frozen: the optimizer is given only the head's variables, so no gradient reaches the features.
  // Frozen features are a fixed function of the image, so they are computed once for the subset
  // and the head trains on them: the same model as running the frozen convolutions every step,
  // at a fraction of the cost.
  const variables = mode === "frozen" ? variablesOf(model.head) : variablesOf(model.features, model.head);
  // #endregion
  const optimizer = adam(lr, KERAS_ADAM);
  const { x: images, y } = examples(options.split, options.indices, 5); // [n, 28, 28, 1], [n]
  const x = mode === "frozen" ? featuresOf(model, images) : tf.clone(images); // [n, 144F] or [n, 28, 28, 1]
  images.dispose();
  const logits = (batch: Tensor, dropoutSeed: number) =>
    mode === "frozen" ? headLogits(model, batch, dropoutSeed) : transferLogits(model, batch, dropoutSeed);
  const count = options.indices.length, batch = Math.min(options.batchSize, count);
  const rng = new Rng(deriveSeed(seed, "batches"));
  let order = rng.permutation(count), at = 0;
  let pending: tf.Scalar[] = [];
  let windowStart = performance.now();
  for (let step = 1; step <= steps; step++) {
    if (at + batch > count) [order, at] = [rng.permutation(count), 0];
    const picked = tf.tensor1d(order.subarray(at, at + batch), "int32"); // [b]
    at += batch;
    const dropoutSeed = rng.nextUint32();
    pending.push(
      optimizer.minimize(
        () =>
          tf.tidy(() => {
            const labels = tf.oneHot(tf.gather(y, picked), CLASSES); // [b, 5]
            return tf.losses.softmaxCrossEntropy(labels, logits(tf.gather(x, picked), dropoutSeed)) as tf.Scalar;
          }),
        true,
        variables,
      )!,
    );
    picked.dispose();
    if (step % logEvery === 0 || step === steps) {
      const mean = tf.tidy(() => tf.mean(tf.stack(pending)));
      const loss = (await mean.data())[0];
      tf.dispose([mean, ...pending]);
      onLog?.(step, loss, (performance.now() - windowStart) / pending.length);
      pending = [];
      windowStart = performance.now();
    }
  }
  tf.dispose([x, y]);
  optimizer.dispose();
  return model;
}

/** A grid of the smallest labelled set: one row per digit 5-9, at most 10 images each. */
async function subsetGrid(split: MnistSplit, indices: number[], perClass: number) {
  const columns = Math.min(perClass, 10);
  const shown = [0, 1, 2, 3, 4].flatMap((d) => indices.slice(d * perClass, d * perClass + columns));
  const images = mnistBatch(split, shown);
  const pixels = await images.data() as Float32Array;
  images.dispose();
  return imageGridPng(pixels, { columns, height: 28, width: 28 });
}

const percent = (value: number) => (100 * value).toFixed(2).padStart(8);

/** The table as printed at the end: one row per size, one column per mode. */
export function formatTable(table: Record<Mode, Record<string, number>>, sizes: number[]): string {
  const header = "labels/class" + MODES.map((m) => m.padStart(10)).join("");
  const rows = sizes.map((n) => String(n).padEnd(12) + MODES.map((m) => `  ${percent(table[m][n])}`).join(""));
  return [header, ...rows].join("\n");
}

export async function main(args: string[]): Promise<void> {
  const start = await startLab(lab, args);
  if (!start) return;
  const { config, resumeFrom } = start;

  // ---- data: checked before anything is written
  const mnist = await loadMnist(config.dataDir || undefined);
  const rarest = Math.min(...[5, 6, 7, 8, 9].map((d) => indicesOf(mnist.train, [d]).length));
  const sizes = parseLabelsPerClass(config.labelsPerClass, rarest);
  const pretrainIndices = indicesOf(mnist.train, [0, 1, 2, 3, 4]);
  const pretrainTest = indicesOf(mnist.test, [0, 1, 2, 3, 4]).slice(0, config.evalImages);
  const transferTest = indicesOf(mnist.test, [5, 6, 7, 8, 9]).slice(0, config.evalImages);
  const subsets = labelledSubsets(mnist.train, sizes, config.seed);

  // ---- the plan: pretraining epochs, then one fixed step budget per cell. A fixed budget, not a
  // fixed number of epochs, so that 10 labels per class (one batch of 50) get as many updates as
  // 1000 (about 4 epochs of 5,000 at the defaults) instead of underfitting after a handful; every
  // mode gets the same budget, so none wins by training longer. 300 steps of 64 is where the
  // from-scratch cells stop gaining much, and keeps a default run to minutes on a 2-core CPU.
  const pretrain = planSteps({
    epochs: config.pretrainEpochs,
    batchSize: config.batchSize,
    trainCount: pretrainIndices.length,
    maxSteps: config.maxSteps,
  });
  const cellSteps = config.maxSteps ? Math.min(config.maxSteps, config.cellSteps) : config.cellSteps;
  const cells = sizes.flatMap((n) => MODES.map((mode) => ({ n, mode, key: `${mode}_${n}` })));
  const totalSteps = pretrain.totalSteps + cells.length * cellSteps;
  const plan = { pretrainSteps: pretrain.totalSteps, cellSteps };

  // ---- the pretrained model and its optimiser (restored from the checkpoint when resuming)
  const pretrained = buildTransferCnn({ ...config, classes: CLASSES, rng: new Rng(deriveSeed(config.seed, "init")) });
  const models = [pretrained.features, pretrained.head];
  const optimizer = adam(config.lr, KERAS_ADAM);
  const dropout = new Rng(deriveSeed(config.seed, "dropout"));
  const pretraining: Training = { tensors: { model: { models }, optimizer: { adam: optimizer } }, rngs: { dropout } };
  let step = 0, pretrainAccuracy = NaN;
  const results: Record<string, number> = {};
  if (resumeFrom) {
    const { checkpoint } = resumeFrom;
    const meta = checkpoint.meta as { phase: string; plan: typeof plan; pretrainAccuracy: number | null };
    if (JSON.stringify(meta.plan) !== JSON.stringify(plan)) {
      throw new UsageError(
        `--resume ${resumeFrom.dir}: this run was planned as ${JSON.stringify(meta.plan)}, ` +
          `the flags given now make it ${JSON.stringify(plan)}; resume with its --max-steps.`,
      );
    }
    if (meta.phase === "pretrain") await restoreTraining(pretraining, checkpoint);
    else {
      restoreWeights(models, checkpoint.tensors.model);
      Object.assign(results, checkpoint.meta.results);
      console.error(`${Object.keys(results).length} cells done`);
    }
    pretrainAccuracy = meta.pretrainAccuracy ?? NaN;
    step = checkpoint.step;
  }

  const run = await openRun(lab, start, { totalSteps });
  const startedAt = performance.now();
  const summary = await withRun(run, async () => {
    // ---- pretraining on digits 0-4 (the shared epoch loop; a no-op when it had finished)
    const pretrainResult = await runEpochs({
      ...config,
      epochs: config.pretrainEpochs,
      maxSteps: config.maxSteps,
      run,
      trainCount: pretrainIndices.length,
      startStep: Math.min(step, pretrain.totalSteps),
      trainStep(batch) {
        const indices = Array.from(batch, (i) => pretrainIndices[i]);
        const { x, y } = examples(mnist.train, indices, 0); // [B, 28, 28, 1], [B]
        const seed = dropout.nextUint32();
        // #region pretrain-loss
        const loss = optimizer.minimize(
          () => tf.losses.softmaxCrossEntropy(tf.oneHot(y, CLASSES), transferLogits(pretrained, x, seed)) as tf.Scalar,
          true,
          variablesOf(...models),
        )!;
        // #endregion
        tf.dispose([x, y]);
        return { "train/loss": loss };
      },
      async endOfEpoch(epoch, at) {
        pretrainAccuracy = await accuracy(pretrained, mnist.test, pretrainTest, 0);
        run.scalars(at, { "pretrain/accuracy": pretrainAccuracy, epoch });
        return `test accuracy on digits 0-4 ${(100 * pretrainAccuracy).toFixed(2)}%`;
      },
      checkpointState: () => captureTraining(pretraining, { meta: { phase: "pretrain", plan, pretrainAccuracy } }),
    });
    optimizer.dispose();
    step = Math.max(step, pretrain.totalSteps);

    // ---- the cells: each mode at each number of labels per class, scored on test digits 5-9
    if (!Object.keys(results).length) {
      const n = Math.min(...sizes);
      await run.image(step, `data/labelled_${n}`, await subsetGrid(mnist.train, subsets.get(n)!, n));
    }
    for (const [index, { n, mode, key }] of cells.entries()) {
      if (key in results) continue;
      const cellStart = pretrain.totalSteps + index * cellSteps;
      const model = await trainCell(pretrained, {
        ...config,
        mode,
        split: mnist.train,
        indices: subsets.get(n)!,
        steps: cellSteps,
        seed: deriveSeed(config.seed, `cell-${n}`), // the same for every mode of a size
        onLog: (done, loss, msPerStep) =>
          run.scalars(cellStart + done, {
            "train/cell_loss": loss,
            "system/cell_ms_per_step": msPerStep,
            "system/num_tensors": tf.memory().numTensors,
          }),
      });
      // #region transfer-gain
      results[key] = await accuracy(model, mnist.test, transferTest, 5);
      disposeTransferCnn(model);
      step = cellStart + cellSteps;
      run.scalars(step, { [`transfer/${key}`]: results[key] });
      if (mode === MODES.at(-1)) {
        const gain = Math.max(results[`frozen_${n}`], results[`finetune_${n}`]) - results[`scratch_${n}`];
        run.scalars(step, { [`transfer/gain_${n}`]: gain });
      }
      // #endregion
      console.error(`cell ${key}: test accuracy on digits 5-9 ${(100 * results[key]).toFixed(2)}%`);
      await run.checkpoint({
        step,
        epoch: config.pretrainEpochs,
        tensors: { model: await captureWeights(models) },
        meta: { phase: "cells", plan, pretrainAccuracy, results },
      });
    }

    // ---- summary: the table, and each cell as a flat key
    const table = Object.fromEntries(
      MODES.map((m) => [m, Object.fromEntries(sizes.map((n) => [n, results[`${m}_${n}`]]))]),
    ) as Record<Mode, Record<string, number>>;
    const gains = Object.fromEntries(sizes.map((n) => [
      `transfer/gain_${n}`,
      Math.max(table.frozen[n], table.finetune[n]) - table.scratch[n],
    ]));
    const summary = {
      lab: lab.id,
      steps: step,
      pretrainSteps: pretrain.totalSteps,
      cellSteps,
      labelsPerClass: sizes,
      evalImages: { pretrain: pretrainTest.length, transfer: transferTest.length },
      "pretrain/accuracy": pretrainAccuracy,
      table,
      ...Object.fromEntries(Object.entries(results).map(([k, v]) => [`transfer/${k}`, v])),
      ...gains,
      target: { "transfer/gain_100": 0.05 },
      backend: start.backend.name,
      "system/ms_per_step": pretrainResult.msPerStep,
      wallSeconds: (performance.now() - startedAt) / 1000,
    };
    await run.finish(step, summary);
    return summary;
  });
  disposeTransferCnn(pretrained);
  console.log(
    `test accuracy on digits 5-9 (${transferTest.length} images); pretrained on 0-4 to ` +
      `${(100 * summary["pretrain/accuracy"]).toFixed(2)}% (${pretrainTest.length} images)\n` +
      formatTable(summary.table, sizes),
  );
  console.error(`finished in ${summary.wallSeconds.toFixed(0)} s -> ${run.dir}`);
}

if (import.meta.main) await exitOnError(() => main(Deno.args));
