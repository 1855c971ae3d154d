/**
 * The diffusion-mnist lab on the real MNIST files and the wasm backend, with a tiny U-Net and few
 * sampler steps: a smoke run's run directory (sample metrics measured by a randomly initialised
 * stand-in for the yardstick, so the test does not depend on the trained asset), no tensor
 * growth per step or per sampling batch, exact resumption, and the benchmark's training step.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { decode } from "fast-png";
import { defaultTrainStep, main } from "../../labs/diffusion_mnist.ts";
import { loadLatestCheckpoint } from "../../lib/checkpoint.ts";
import { Rng } from "../../lib/rng.ts";
import { readEvents, readRunInfo } from "../../lib/run/run_reader.ts";
import type { RunEvent } from "../../lib/run/types.ts";
import { tf } from "../../lib/tf.ts";
import { useBackend } from "../../lib/backend.ts";
import { markInterrupted, scalars, withTempDir } from "../helpers.ts";
import { fakeYardstick } from "../fake_yardstick.ts";

await useBackend("wasm"); // the stand-in yardstick is built before any lab picks the backend

const SMALL = [
  "--width",
  "4",
  "--batch-size",
  "8",
  "--sample-steps",
  "4",
  "--sample-count",
  "0",
  "--sample-batch",
  "64",
];

/** Runs the lab in this process with a fresh runs folder; returns the run directory. */
async function runLab(root: string, name: string, flags: string[]): Promise<string> {
  const runsDir = join(root, name);
  await main(["--no-dashboard", "--backend", "wasm", "--runs-dir", runsDir, ...flags]);
  const [entry] = await Array.fromAsync(Deno.readDir(runsDir));
  return join(runsDir, entry.name);
}

const images = (events: RunEvent[]) => events.flatMap((e) => (e.kind === "image" ? [e] : []));

Deno.test("diffusion-mnist - a smoke run logs the loss, a trajectory strip, a sample grid and the sample metrics", async () => {
  await withTempDir(async (root) => {
    const dir = await runLab(root, "runs", [
      ...SMALL.slice(0, -4),
      "--max-steps",
      "4",
      "--log-every",
      "2",
      "--sample-count",
      "70",
      "--sample-batch",
      "64",
      "--reference-images",
      "300",
      "--yardstick",
      await fakeYardstick(root),
    ]);
    const info = await readRunInfo(dir);
    assert.equal(info.status, "finished");
    assert.equal(info.lab, "diffusion-mnist");
    assert.equal(info.headline, "eval/fid_mnist");
    assert.deepEqual([info.config.emaDecay, info.config.eta, info.config.sampleSteps], [0.999, 0, 4]);

    const events = await readEvents(dir);
    const losses = scalars(events, "train/loss");
    assert.deepEqual(losses.map((s) => s.step), [2, 4]);
    // eps-prediction starts near E[eps^2] = 1: the output conv is zero-initialised.
    assert.ok(losses.every((s) => s.value > 0.5 && s.value < 1.5), `losses ${losses.map((s) => s.value)}`);
    const [fid] = scalars(events, "eval/fid_mnist");
    const [entropy] = scalars(events, "eval/class_entropy");
    const [confidence] = scalars(events, "eval/mean_confidence");
    assert.ok(fid.value > 0 && Number.isFinite(fid.value), `FID ${fid.value}`);
    assert.ok(entropy.value >= 0 && entropy.value <= Math.log(10) + 1e-9, `entropy ${entropy.value}`);
    assert.ok(confidence.value >= 0.1 && confidence.value <= 1, `confidence ${confidence.value}`);

    const [trajectory, grid] = images(events);
    assert.deepEqual([trajectory.key, grid.key], ["samples/trajectory", "samples/grid"]);
    const strip = decode(await Deno.readFile(join(dir, trajectory.path)));
    assert.deepEqual([strip.width, strip.height], [10 * 29 + 1, 4 * 29 + 1], "4 samples x (x_T and 9 later frames)");
    const png = decode(await Deno.readFile(join(dir, grid.path)));
    assert.deepEqual([png.width, png.height], [8 * 29 + 1, 8 * 29 + 1]);

    const summary = JSON.parse(await Deno.readTextFile(join(dir, "summary.json")));
    assert.equal(summary["eval/fid_mnist"], fid.value);
    assert.equal(summary.sampleCount, 70);
    assert.equal(summary.sampler, "DDIM 4 steps, eta 0");
    assert.ok(summary["eval/fid_mnist_floor"] > 0 && summary["eval/fid_mnist_floor"] < fid.value);
    const checkpoint = await loadLatestCheckpoint(join(dir, "checkpoints"));
    assert.equal(checkpoint.step, 4);
    assert.deepEqual(Object.keys(checkpoint.tensors), ["model", "ema", "optimizer"]);
    assert.notDeepEqual(checkpoint.tensors.ema.map((a) => a.data), checkpoint.tensors.model.map((a) => a.data));
  });
});

Deno.test("diffusion-mnist - no tensor growth: per training step, nor per batch of samples", async () => {
  await withTempDir(async (root) => {
    const flags = [...SMALL, "--max-steps", "30", "--log-every", "10", "--checkpoint-every", "0"];
    const counts = scalars(await readEvents(await runLab(root, "steps", flags)), "system/num_tensors");
    assert.equal(counts.length, 3);
    assert.equal(counts.at(-1)!.value, counts[0].value);
    const residue = async (name: string, batch: string) => {
      const before = tf.memory().numTensors;
      await runLab(root, name, [...SMALL.slice(0, -2), "--sample-batch", batch, "--max-steps", "1"]);
      return tf.memory().numTensors - before;
    };
    // 64 grid samples in one batch, then in four.
    assert.equal(await residue("one-batch", "64"), await residue("four-batches", "16"));
  });
});

Deno.test("diffusion-mnist - a run resumed from its step-3 checkpoint continues exactly as an uninterrupted one", async () => {
  await withTempDir(async (root) => {
    const flags = [...SMALL, "--log-every", "1", "--seed", "4", "--eta", "0.5"];
    const referenceDir = await runLab(root, "reference", [...flags, "--max-steps", "6"]);
    const dir = await runLab(root, "resumed", [...flags, "--max-steps", "3"]);
    await markInterrupted(dir);
    await main(["--resume", dir, "--max-steps", "6", "--no-dashboard", "--backend", "wasm"]);

    const [events, reference] = [await readEvents(dir), await readEvents(referenceDir)];
    assert.equal((await readRunInfo(dir)).resumes.length, 1);
    assert.equal(scalars(events, "train/loss").length, 6);
    assert.deepEqual(scalars(events, "train/loss"), scalars(reference, "train/loss"));
    // The last grid, drawn by the EMA weights with eta > 0 (noise from the sampler's stream), byte for byte.
    const lastGrid = async (dir: string, events: RunEvent[]) =>
      await Deno.readFile(join(dir, images(events).filter((e) => e.key === "samples/grid").at(-1)!.path));
    assert.deepEqual(await lastGrid(dir, events), await lastGrid(referenceDir, reference));
    const [a, b] = [dir, referenceDir].map((d) => loadLatestCheckpoint(join(d, "checkpoints")));
    // Adam's slots are named after tfjs's variable counter, which differs between the runs: compare values.
    const values = async (c: typeof a) => Object.values((await c).tensors).map((arrays) => arrays.map((x) => x.data));
    assert.deepEqual(await values(a), await values(b), "weights, EMA and Adam state agree");
  });
});

Deno.test("diffusion-mnist - the benchmark's step trains the default U-Net and keeps no tensors", () => {
  const workload = defaultTrainStep(new Rng(1));
  const x0 = tf.randomUniform([2, 28, 28, 1], -1, 1, "float32", 1);
  const first = workload.step(x0, 1);
  const before = tf.memory().numTensors;
  const second = workload.step(x0, 2);
  assert.equal(tf.memory().numTensors, before + 1);
  assert.ok(first.dataSync()[0] > 0 && second.dataSync()[0] > 0);
  tf.dispose([first, second, x0]);
  workload.dispose();
});
