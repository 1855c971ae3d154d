/**
 * The transfer-mnist lab on the real MNIST files and the wasm backend, with a tiny network: a
 * smoke run's table, frozen features staying bit-identical, no tensor growth, exact resumption
 * after a crash during pretraining and after one between cells, and the errors for bad flags.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  formatTable,
  labelledSubsets,
  main,
  MODES,
  parseLabelsPerClass,
  trainCell,
} from "../../labs/transfer_mnist.ts";
import { useBackend } from "../../lib/backend.ts";
import { loadMnist } from "../../lib/data/mnist.ts";
import { UsageError } from "../../lib/errors.ts";
import { buildTransferCnn, disposeTransferCnn, type TransferCnn } from "../../lib/models/transfer_cnn.ts";
import { Rng } from "../../lib/rng.ts";
import { readEvents, readRunInfo } from "../../lib/run/run_reader.ts";
import { RunWriter } from "../../lib/run/run_writer.ts";
import type { RunEvent } from "../../lib/run/types.ts";
import { tf } from "../../lib/tf.ts";
import { withTempDir } from "../helpers.ts";

const TINY = [
  ...["--filters", "2", "--hidden", "8", "--batch-size", "8", "--eval-images", "40"],
  ...["--labels-per-class", "2,5", "--pretrain-epochs", "1"],
];
const mnist = await loadMnist();

/** Runs the lab in this process with a fresh runs folder; returns the run directory. */
async function runLab(root: string, name: string, flags: string[]): Promise<string> {
  const runsDir = join(root, name);
  await main(["--no-dashboard", "--backend", "wasm", "--runs-dir", runsDir, ...flags]);
  return await onlyRun(runsDir);
}

async function onlyRun(runsDir: string) {
  const [entry] = await Array.fromAsync(Deno.readDir(runsDir));
  return join(runsDir, entry.name);
}

const scalars = (events: RunEvent[], prefix: string) =>
  events.flatMap((e) => (e.kind === "scalar" && e.key.startsWith(prefix) ? [[e.key, e.step, e.value]] : []));
const readSummary = async (dir: string) => JSON.parse(await Deno.readTextFile(join(dir, "summary.json")));

Deno.test("transfer-mnist - a smoke run writes the mode x labels table to summary.json and as events", async () => {
  await withTempDir(async (root) => {
    const dir = await runLab(root, "runs", [...TINY, "--max-steps", "3"]);
    assert.equal((await readRunInfo(dir)).status, "finished");
    const summary = await readSummary(dir);
    assert.deepEqual(Object.keys(summary.table), ["frozen", "finetune", "scratch"]);
    assert.deepEqual(summary.labelsPerClass, [2, 5]);
    assert.deepEqual([summary.pretrainSteps, summary.cellSteps, summary.steps], [3, 3, 3 + 6 * 3]);
    assert.deepEqual(summary.evalImages, { pretrain: 40, transfer: 40 });
    const events = await readEvents(dir);
    const cells = scalars(events, "transfer/").filter(([key]) => !String(key).includes("gain"));
    assert.deepEqual(cells.map(([key, step]) => `${key}@${step}`), [
      "transfer/frozen_2@6",
      "transfer/finetune_2@9",
      "transfer/scratch_2@12",
      "transfer/frozen_5@15",
      "transfer/finetune_5@18",
      "transfer/scratch_5@21",
    ]);
    for (const [key, , value] of cells) {
      const [mode, n] = String(key).slice("transfer/".length).split("_");
      assert.equal(summary.table[mode][n], value);
      assert.equal(summary[key as string], value);
      // 40 test images: accuracy is a whole number of them
      assert.ok(Number.isInteger((value as number) * 40) && (value as number) >= 0 && (value as number) <= 1);
    }
    const gain = Math.max(summary.table.frozen[5], summary.table.finetune[5]) - summary.table.scratch[5];
    assert.equal(summary["transfer/gain_5"], gain);
    assert.equal(scalars(events, "pretrain/accuracy")[0][2], summary["pretrain/accuracy"]);
    assert.deepEqual(events.flatMap((e) => e.kind === "image" ? [e.key] : []), ["data/labelled_2"]);
  });
});

Deno.test("transfer-mnist - the printed table has a row per size and a column per mode", () => {
  const table = { frozen: { 10: 0.5, 100: 0.9 }, finetune: { 10: 0.25, 100: 0.875 }, scratch: { 10: 0.125, 100: 1 } };
  assert.equal(
    formatTable(table, [10, 100]),
    [
      "labels/class    frozen  finetune   scratch",
      "10               50.00     25.00     12.50",
      "100              90.00     87.50    100.00",
    ].join("\n"),
  );
});

Deno.test("transfer-mnist - labelled subsets: n per digit 5-9, nested across sizes, fixed by the seed", () => {
  const subsets = labelledSubsets(mnist.train, [3, 10], 1);
  const labels = (n: number) => subsets.get(n)!.map((i) => mnist.train.labels[i]);
  assert.deepEqual(labels(3), [5, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9]);
  assert.equal(new Set(subsets.get(10)).size, 50);
  for (let d = 0; d < 5; d++) {
    assert.deepEqual(subsets.get(3)!.slice(3 * d, 3 * d + 3), subsets.get(10)!.slice(10 * d, 10 * d + 3));
  }
  assert.deepEqual(labelledSubsets(mnist.train, [3], 1).get(3), subsets.get(3));
  assert.notDeepEqual(labelledSubsets(mnist.train, [3], 2).get(3), subsets.get(3));
});

const weightValues = (model: TransferCnn, part: "features" | "head") =>
  model[part].weights.map((w) => Array.from(w.read().dataSync()));

Deno.test("transfer-mnist - frozen mode leaves the features bit-identical while the head learns; fine-tuning moves them", async () => {
  await useBackend("wasm");
  const pretrained = buildTransferCnn({ filters: 2, hidden: 8, classes: 5, rng: new Rng(3) });
  const features = weightValues(pretrained, "features");
  const indices = labelledSubsets(mnist.train, [4], 1).get(4)!;
  const options = { split: mnist.train, indices, steps: 5, batchSize: 8, lr: 1e-2, filters: 2, hidden: 8, seed: 9 };
  // The head every mode of this seed starts from: the cell's init stream, as trainCell builds it.
  const untrained = await trainCell(pretrained, { ...options, mode: "frozen", steps: 0 });
  const frozen = await trainCell(pretrained, { ...options, mode: "frozen" });
  assert.deepEqual(weightValues(frozen, "features"), features);
  assert.deepEqual(weightValues(untrained, "features"), features);
  weightValues(frozen, "head").forEach((w, i) => assert.notDeepEqual(w, weightValues(untrained, "head")[i]));

  const finetuned = await trainCell(pretrained, { ...options, mode: "finetune" });
  weightValues(finetuned, "features").forEach((w, i) => assert.notDeepEqual(w, features[i]));
  const scratch = await trainCell(pretrained, { ...options, mode: "scratch", steps: 0 });
  assert.notDeepEqual(weightValues(scratch, "features")[0], features[0]);
  assert.deepEqual(weightValues(pretrained, "features"), features, "the pretrained model itself is untouched");
  [untrained, frozen, finetuned, scratch, pretrained].forEach(disposeTransferCnn);
});

Deno.test("transfer-mnist - no tensor growth: per step within a cell, across cells, nor per run", async () => {
  await useBackend("wasm");
  const pretrained = buildTransferCnn({ filters: 2, hidden: 8, classes: 5, rng: new Rng(3) });
  const indices = labelledSubsets(mnist.train, [4], 1).get(4)!;
  for (const mode of MODES) {
    const counts: number[] = [];
    const before = tf.memory().numTensors;
    const model = await trainCell(pretrained, {
      mode,
      split: mnist.train,
      indices,
      steps: 12,
      batchSize: 4,
      lr: 1e-3,
      filters: 2,
      hidden: 8,
      seed: 1,
      logEvery: 3,
      onLog: () => counts.push(tf.memory().numTensors),
    });
    assert.equal(counts.length, 4);
    assert.ok(counts.every((c) => c === counts[0]), `${mode}: ${counts}`);
    disposeTransferCnn(model);
    assert.equal(tf.memory().numTensors, before, `${mode}: a trained and disposed cell leaves tensors behind`);
  }
  disposeTransferCnn(pretrained);
  await withTempDir(async (root) => {
    const before = tf.memory().numTensors;
    const dir = await runLab(root, "runs", [...TINY, "--max-steps", "4", "--log-every", "1"]);
    assert.equal(tf.memory().numTensors, before, "a whole run leaves no tensors behind");
    const counts = scalars(await readEvents(dir), "system/num_tensors").map(([, , v]) => v);
    assert.equal(counts.length, 4 + 6 * 4);
    assert.equal(new Set(counts.slice(0, 4)).size, 1, `pretraining: ${counts.slice(0, 4)}`);
  });
});

/** Makes the `crashAfter`-th checkpoint of the next run the last thing it does, like a killed process. */
async function crashAfterCheckpoint<T>(crashAfter: number, body: () => Promise<T>) {
  const original = RunWriter.prototype.checkpoint;
  let count = 0;
  RunWriter.prototype.checkpoint = async function (this: RunWriter, state) {
    const path = await original.call(this, state);
    if (++count === crashAfter) throw new Error("simulated crash");
    return path;
  };
  try {
    await assert.rejects(body(), /simulated crash/);
  } finally {
    RunWriter.prototype.checkpoint = original;
  }
}

Deno.test("transfer-mnist - a run resumed after a crash, in pretraining or between cells, ends with the same table", async () => {
  await withTempDir(async (root) => {
    const flags = [...TINY, "--max-steps", "4", "--checkpoint-every", "2", "--seed", "5", "--log-every", "1"];
    const reference = await runLab(root, "reference", flags);
    const expected = await readSummary(reference);
    const referenceEvents = scalars(await readEvents(reference), "transfer/");
    assert.equal(referenceEvents.length, 6 + 2);
    const referenceLosses = scalars(await readEvents(reference), "train/");
    assert.equal(referenceLosses.length, 4 + 6 * 4);

    // Checkpoint 1: mid-pretraining (step 2 of 4); checkpoint 4: after pretraining and two cells.
    for (const crashAfter of [1, 4]) {
      const runsDir = join(root, `crash-${crashAfter}`);
      await crashAfterCheckpoint(
        crashAfter,
        () => main(["--no-dashboard", "--backend", "wasm", "--runs-dir", runsDir, ...flags]),
      );
      const dir = await onlyRun(runsDir);
      assert.equal((await readRunInfo(dir)).status, "failed");
      await main(["--resume", dir, "--no-dashboard", "--backend", "wasm"]);
      const summary = await readSummary(dir);
      assert.deepEqual(summary.table, expected.table, `crash after checkpoint ${crashAfter}`);
      assert.equal(summary["pretrain/accuracy"], expected["pretrain/accuracy"]);
      assert.deepEqual(scalars(await readEvents(dir), "transfer/"), referenceEvents);
      assert.deepEqual(scalars(await readEvents(dir), "train/"), referenceLosses, "losses, bit for bit");
      assert.equal((await readRunInfo(dir)).resumes[0].fromStep, crashAfter === 1 ? 2 : 4 + 2 * 4);
    }
  });
});

Deno.test("transfer-mnist - bad --labels-per-class values are usage errors naming the value, before any run exists", async () => {
  assert.deepEqual(parseLabelsPerClass("10, 100,1000", 5421), [10, 100, 1000]);
  for (
    const [raw, message] of [
      ["10,abc", /'abc' is not an integer from 1 to 5421 .*comma list such as 10,100,1000/],
      ["0", /'0' is not an integer from 1 to 5421/],
      ["", /'' is not an integer/],
      ["10,6000", /'6000' is not an integer from 1 to 5421 \(the training images of the rarest digit 5-9\)/],
      ["10,10", /a size is given twice/],
    ] as const
  ) {
    assert.throws(
      () => parseLabelsPerClass(raw, 5421),
      (e: Error) => e instanceof UsageError && message.test(e.message),
    );
  }
  await withTempDir(async (root) => {
    const runsDir = join(root, "runs");
    await assert.rejects(
      main(["--no-dashboard", "--backend", "wasm", "--runs-dir", runsDir, "--labels-per-class", "10,x"]),
      UsageError,
    );
    await assert.rejects(
      main(["--no-dashboard", "--backend", "wasm", "--runs-dir", runsDir, "--cell-steps", "0"]),
      /Invalid value '0' for --cell-steps: below the minimum; expected an integer from 1 to 1000000/,
    );
    assert.equal(await Deno.stat(runsDir).catch(() => null), null, "no run directory was created");
  });
});
