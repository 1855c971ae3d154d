/**
 * The gan-mnist lab on the real MNIST files and the wasm backend, with small networks: a smoke
 * run's run directory (sample metrics measured by a randomly initialised stand-in for the
 * yardstick, so the test does not depend on the trained asset), the alternating updates touching
 * one network each, seeded determinism, no tensor growth, exact resumption, and the error for a
 * missing yardstick.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { decode } from "fast-png";
import { discriminatorStep, generatorStep, main } from "../../labs/gan_mnist.ts";
import { loadLatestCheckpoint } from "../../lib/checkpoint.ts";
import { UsageError } from "../../lib/errors.ts";
import { buildDcgan } from "../../lib/models/dcgan.ts";
import { Rng } from "../../lib/rng.ts";
import { readEvents, readRunInfo } from "../../lib/run/run_reader.ts";
import type { RunEvent } from "../../lib/run/types.ts";
import { layers, tf } from "../../lib/tf.ts";
import { useBackend } from "../../lib/backend.ts";
import { markInterrupted, scalars, withTempDir } from "../helpers.ts";
import { fakeYardstick } from "../fake_yardstick.ts";

await useBackend("wasm"); // the stand-in yardstick is built before any lab picks the backend

const SMALL = ["--width", "4", "--latent", "8", "--batch-size", "16", "--sample-count", "0"];

/** Runs the lab in this process with a fresh runs folder; returns the run directory. */
async function runLab(root: string, name: string, flags: string[]): Promise<string> {
  const runsDir = join(root, name);
  await main(["--no-dashboard", "--backend", "wasm", "--runs-dir", runsDir, ...flags]);
  const [entry] = await Array.fromAsync(Deno.readDir(runsDir));
  return join(runsDir, entry.name);
}

const TRAIN_KEYS = ["train/d_loss", "train/g_loss", "train/d_real", "train/d_fake"];

Deno.test("gan-mnist - a smoke run logs D(x), D(G(z)), both losses, a sample grid and the sample metrics", async () => {
  await withTempDir(async (root) => {
    const flags = [...SMALL.slice(0, 6), "--max-steps", "4", "--log-every", "2", "--sample-count", "40"];
    const dir = await runLab(root, "runs", [
      ...flags,
      "--reference-images",
      "300",
      "--yardstick",
      await fakeYardstick(root),
    ]);
    const info = await readRunInfo(dir);
    assert.equal(info.status, "finished");
    assert.equal(info.lab, "gan-mnist");
    assert.equal(info.headline, "eval/fid_mnist");
    assert.deepEqual([info.config.lr, info.config.beta1, info.config.labelSmoothing], [2e-4, 0.5, 0]);

    const events = await readEvents(dir);
    for (const key of TRAIN_KEYS) assert.deepEqual(scalars(events, key).map((s) => s.step), [2, 4], key);
    for (const key of ["train/d_real", "train/d_fake"]) {
      assert.ok(scalars(events, key).every((s) => s.value > 0 && s.value < 1), `${key} is a probability`);
    }
    const [fid] = scalars(events, "eval/fid_mnist");
    const [entropy] = scalars(events, "eval/class_entropy");
    const [confidence] = scalars(events, "eval/mean_confidence");
    assert.ok(fid.value > 0 && Number.isFinite(fid.value), `FID ${fid.value}`);
    assert.ok(entropy.value >= 0 && entropy.value <= Math.log(10) + 1e-9, `entropy ${entropy.value}`);
    assert.ok(confidence.value >= 0.1 && confidence.value <= 1, `confidence ${confidence.value}`);

    const [image] = events.flatMap((e) => (e.kind === "image" ? [e] : []));
    assert.equal(image.key, "samples/fixed_noise");
    const png = decode(await Deno.readFile(join(dir, image.path)));
    assert.deepEqual([png.width, png.height], [8 * 29 + 1, 8 * 29 + 1]);

    const summary = JSON.parse(await Deno.readTextFile(join(dir, "summary.json")));
    assert.equal(summary["eval/fid_mnist"], fid.value);
    assert.equal(summary.sampleCount, 40);
    assert.ok(summary["eval/fid_mnist_floor"] > 0 && summary["eval/fid_mnist_floor"] < fid.value);
    const checkpoint = await loadLatestCheckpoint(join(dir, "checkpoints"));
    assert.equal(checkpoint.step, 4);
    assert.deepEqual(Object.keys(checkpoint.tensors), ["generator", "discriminator", "optimizerG", "optimizerD"]);
    assert.equal((checkpoint.meta.noise as number[]).length, 4);
  });
});

Deno.test("gan-mnist - the D step changes only D's weights, the G step only G's", () => {
  const gan = buildDcgan({ latent: 8, width: 4, rng: new Rng(2) });
  const snapshot = (model: layers.LayersModel) => model.weights.map((w) => Array.from(w.read().dataSync()));
  const changed = (before: number[][], model: layers.LayersModel) =>
    snapshot(model).map((after, i) => after.some((v, j) => v !== before[i][j]));
  const real = tf.randomUniform([8, 28, 28, 1], -1, 1, "float32", 3);
  const z = tf.randomNormal([8, 8], 0, 1, "float32", 4);
  const [optimizerD, optimizerG] = [tf.train.adam(2e-4, 0.5), tf.train.adam(2e-4, 0.5)];

  let [g, d] = [snapshot(gan.generator), snapshot(gan.discriminator)];
  const step = discriminatorStep(gan, optimizerD, { real, z, labelSmoothing: 0.1 });
  assert.ok(changed(g, gan.generator).every((c) => !c), "the D step left G alone");
  assert.deepEqual(changed(d, gan.discriminator), d.map(() => true), "the D step moved every D weight");
  const [dReal, dFake] = [step.dReal.dataSync()[0], step.dFake.dataSync()[0]];
  assert.ok(dReal > 0 && dReal < 1 && dFake > 0 && dFake < 1);

  [g, d] = [snapshot(gan.generator), snapshot(gan.discriminator)];
  generatorStep(gan, optimizerG, { z });
  assert.ok(changed(d, gan.discriminator).every((c) => !c), "the G step left D alone");
  assert.deepEqual(changed(g, gan.generator), g.map(() => true), "the G step moved every G weight");
});

Deno.test("gan-mnist - the same seed gives the same losses bit for bit; another seed, label smoothing or D's rate others", async () => {
  await withTempDir(async (root) => {
    const run = async (name: string, extra: string[]) => {
      const events = await readEvents(
        await runLab(root, name, [...SMALL, "--max-steps", "5", "--log-every", "1", ...extra]),
      );
      return Object.fromEntries(TRAIN_KEYS.map((k) => [k, scalars(events, k).map((s) => s.value)]));
    };
    const first = await run("a", ["--seed", "7"]);
    assert.equal(first["train/g_loss"].length, 5);
    assert.deepEqual(await run("b", ["--seed", "7"]), first);
    const other = await run("c", ["--seed", "8"]);
    assert.ok(
      other["train/d_loss"].every((v, i) => v !== first["train/d_loss"][i]),
      "seed 8 shares a loss with seed 7",
    );
    // Smoothing changes the discriminator's loss from the first step, not what it saw before updating.
    const smoothed = await run("d", ["--seed", "7", "--label-smoothing", "0.2"]);
    assert.equal(smoothed["train/d_real"][0], first["train/d_real"][0]);
    assert.notEqual(smoothed["train/d_loss"][0], first["train/d_loss"][0]);
    // D's own rate changes what D sees from the second step on, not the first step's loss (before any update).
    const ttur = await run("e", ["--seed", "7", "--lr-d", "4e-4"]);
    assert.equal(ttur["train/d_loss"][0], first["train/d_loss"][0]);
    assert.notEqual(ttur["train/d_real"][1], first["train/d_real"][1]);
  });
});

Deno.test("gan-mnist - no tensor growth: per training step, nor per batch of measured samples", async () => {
  await withTempDir(async (root) => {
    const flags = [
      ...SMALL.slice(0, 4),
      "--batch-size",
      "4",
      "--sample-count",
      "0",
      "--max-steps",
      "60",
      "--log-every",
      "10",
    ];
    const counts = scalars(await readEvents(await runLab(root, "steps", flags)), "system/num_tensors");
    assert.equal(counts.length, 6);
    assert.equal(counts.at(-1)!.value, counts[0].value);
    const yardstick = await fakeYardstick(root);
    const residue = async (name: string, samples: string) => {
      const before = tf.memory().numTensors;
      const measured = [
        "--max-steps",
        "1",
        "--sample-count",
        samples,
        "--reference-images",
        "200",
        "--yardstick",
        yardstick,
      ];
      await runLab(root, name, [...SMALL.slice(0, 6), ...measured]);
      return tf.memory().numTensors - before;
    };
    assert.equal(await residue("one-batch", "16"), await residue("four-batches", "64"));
  });
});

Deno.test("gan-mnist - a run resumed from its step-4 checkpoint continues exactly as an uninterrupted one", async () => {
  await withTempDir(async (root) => {
    const flags = [...SMALL, "--log-every", "1", "--seed", "4", "--label-smoothing", "0.1", "--ema-decay", "0.9"];
    const referenceDir = await runLab(root, "reference", [...flags, "--max-steps", "8"]);
    const dir = await runLab(root, "resumed", [...flags, "--max-steps", "4"]);
    await markInterrupted(dir);
    await main(["--resume", dir, "--max-steps", "8", "--no-dashboard", "--backend", "wasm"]);

    const [events, reference] = [await readEvents(dir), await readEvents(referenceDir)];
    assert.equal((await readRunInfo(dir)).resumes.length, 1);
    for (const key of TRAIN_KEYS) assert.deepEqual(scalars(events, key), scalars(reference, key), key);
    // The final fixed-noise grid, drawn by G's moving average, is the same image byte for byte.
    const lastGrid = async (dir: string, events: RunEvent[]) =>
      await Deno.readFile(join(dir, events.flatMap((e) => (e.kind === "image" ? [e.path] : [])).at(-1)!));
    assert.deepEqual(await lastGrid(dir, events), await lastGrid(referenceDir, reference));
  });
});

Deno.test("gan-mnist - samples come from G's moving average, and drawing them leaves G's weights as they were", async () => {
  await withTempDir(async (root) => {
    const flags = [...SMALL, "--log-every", "1", "--seed", "5", "--max-steps", "4"];
    const averaged = await runLab(root, "averaged", [...flags, "--ema-decay", "0.9"]);
    const last = await runLab(root, "last", [...flags, "--ema-decay", "0"]);
    const [eventsAveraged, eventsLast] = [await readEvents(averaged), await readEvents(last)];
    for (const key of TRAIN_KEYS) assert.deepEqual(scalars(eventsAveraged, key), scalars(eventsLast, key), key);
    const grid = async (dir: string, events: RunEvent[]) =>
      await Deno.readFile(join(dir, events.flatMap((e) => (e.kind === "image" ? [e.path] : [])).at(-1)!));
    assert.notDeepEqual(await grid(averaged, eventsAveraged), await grid(last, eventsLast));
    // The final checkpoint is written after the samples are drawn: G's own weights are back.
    const [withAverage, without] = [
      await loadLatestCheckpoint(join(averaged, "checkpoints")),
      await loadLatestCheckpoint(join(last, "checkpoints")),
    ];
    const values = (arrays: { data: Float32Array }[]) => arrays.map((a) => a.data); // names carry layer counters
    assert.deepEqual(values(withAverage.tensors.generator), values(without.tensors.generator));
    assert.notDeepEqual(
      withAverage.tensors.generatorEma.map((a) => a.data),
      without.tensors.generator.map((a) => a.data),
    );
    assert.ok(!("generatorEma" in without.tensors), "no average is kept with --ema-decay 0");
  });
});

Deno.test("gan-mnist - a missing yardstick is a usage error that says how to make it, before any run exists", async () => {
  await withTempDir(async (root) => {
    const runsDir = join(root, "runs");
    await assert.rejects(
      main(["--no-dashboard", "--backend", "wasm", "--runs-dir", runsDir, "--yardstick", join(root, "none.ckpt")]),
      (error: Error) => {
        assert.ok(error instanceof UsageError, String(error));
        assert.match(error.message, /yardstick classifier .*none\.ckpt does not exist/);
        assert.match(error.message, /deno task lab classifier-mnist --export-to assets\/mnist_classifier\.ckpt/);
        return true;
      },
    );
    assert.equal(await Deno.stat(runsDir).catch(() => null), null, "no run directory was created");
  });
});
