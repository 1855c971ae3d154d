/**
 * The ae-mnist lab end to end on the real MNIST files and the wasm backend, with a small stand-in
 * for Fashion-MNIST (gzipped, as Debian ships it): a smoke run's run directory, the denoising
 * variant, seeded determinism, no tensor growth per step, exact resumption, and the error for a
 * missing Fashion-MNIST.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { decode } from "fast-png";
import { main } from "../../labs/ae_mnist.ts";
import { loadLatestCheckpoint } from "../../lib/checkpoint.ts";
import { UsageError } from "../../lib/errors.ts";
import { tf } from "../../lib/tf.ts";
import { readEvents, readRunInfo } from "../../lib/run/run_reader.ts";
import { markInterrupted, scalars, withTempDir } from "../helpers.ts";
import { fakeFashion } from "../fake_fashion.ts";

const SMALL = ["--width", "4", "--latent", "8", "--batch-size", "16", "--eval-images", "100"];

/** 1000 stand-in Fashion-MNIST images in `dir`. */
const fashion = (dir: string) => fakeFashion(dir, 1000);

/** Runs the lab in this process with a fresh runs folder; returns the run directory. */
async function runLab(root: string, name: string, flags: string[]): Promise<string> {
  const runsDir = join(root, name);
  await main(["--no-dashboard", "--backend", "wasm", "--runs-dir", runsDir, "--fashion-dir", root, ...flags]);
  const [entry] = await Array.fromAsync(Deno.readDir(runsDir));
  return join(runsDir, entry.name);
}

Deno.test("ae-mnist - a smoke run writes losses, AUC, reconstruction grids, summary and checkpoint", async () => {
  await withTempDir(async (root) => {
    const dir = await runLab(await fashion(root), "runs", [...SMALL, "--max-steps", "6", "--log-every", "3"]);
    const info = await readRunInfo(dir);
    assert.equal(info.status, "finished");
    assert.equal(info.lab, "ae-mnist");
    assert.equal(info.config.noise, 0);
    assert.equal(info.headline, "eval/auc_fashion");

    const events = await readEvents(dir);
    assert.deepEqual(scalars(events, "train/loss").map((s) => s.step), [3, 6]);
    assert.ok(scalars(events, "train/loss").every((s) => s.value > 50 && s.value < 800));
    const [auc] = scalars(events, "eval/auc_fashion");
    assert.equal(auc.step, 6);
    assert.ok(auc.value >= 0 && auc.value <= 1);
    assert.equal(scalars(events, "eval/mse_denoised").length, 0, "no denoising figures without --noise");

    const images = events.flatMap((e) => e.kind === "image" ? [e] : []);
    assert.deepEqual(images.map((e) => e.key), ["samples/reconstructions", "samples/fashion_reconstructions"]);
    const png = decode(await Deno.readFile(join(dir, images[0].path)));
    assert.deepEqual([png.width, png.height], [8 * 29 + 1, 8 * 29 + 1], "4 pairs of rows: originals, reconstructions");

    const summary = JSON.parse(await Deno.readTextFile(join(dir, "summary.json")));
    assert.equal(summary.steps, 6);
    assert.equal(summary.evalImages, 100);
    assert.equal(summary["eval/auc_fashion"], auc.value);
    assert.equal(summary["eval/mse"], scalars(events, "eval/mse")[0].value);
    assert.equal((await loadLatestCheckpoint(join(dir, "checkpoints"))).step, 6);
  });
});

Deno.test("ae-mnist - --noise trains on corrupted inputs and shows them between originals and reconstructions", async () => {
  await withTempDir(async (root) => {
    const dir = await runLab(await fashion(root), "runs", [...SMALL, "--max-steps", "2", "--noise", "0.5"]);
    const events = await readEvents(dir);
    const [denoised] = scalars(events, "eval/mse_denoised");
    assert.ok(denoised.value > 0);
    const [image] = events.flatMap((e) => e.kind === "image" && e.key === "samples/reconstructions" ? [e] : []);
    const png = decode(await Deno.readFile(join(dir, image.path)));
    assert.deepEqual([png.width, png.height], [8 * 29 + 1, 9 * 29 + 1], "3 groups of clean, noisy, reconstructed rows");
    // The noisy row differs from the clean row above it, pixel for pixel, in most places.
    const row = (r: number) => png.data.subarray((1 + r * 29) * png.width, (1 + r * 29 + 28) * png.width);
    const [clean, noisy] = [row(0), row(1)];
    const changed = clean.filter((v, i) => v !== noisy[i]).length;
    assert.ok(changed > 0.5 * clean.length, `${changed} of ${clean.length} pixels changed`);
  });
});

Deno.test("ae-mnist - the same seed gives the same losses bit for bit, another seed others", async () => {
  await withTempDir(async (root) => {
    await fashion(root);
    const losses = async (name: string, seed: string) => {
      const flags = [...SMALL, "--max-steps", "6", "--log-every", "1", "--noise", "0.3", "--seed", seed];
      return scalars(await readEvents(await runLab(root, name, flags)), "train/loss").map((s) => s.value);
    };
    const first = await losses("a", "7");
    assert.equal(first.length, 6);
    assert.deepEqual(await losses("b", "7"), first);
    const other = await losses("c", "8");
    assert.ok(other.every((v, i) => v !== first[i]), "seed 8 shares a loss with seed 7");
  });
});

Deno.test("ae-mnist - no tensor growth: per training step, nor per evaluation batch", async () => {
  await withTempDir(async (root) => {
    await fashion(root);
    const flags = [...SMALL.slice(0, 4), "--max-steps", "100", "--batch-size", "4", "--noise", "0.2"];
    const counts = scalars(
      await readEvents(await runLab(root, "steps", [...flags, "--eval-images", "10"])),
      "system/num_tensors",
    );
    assert.equal(counts.length, 10);
    assert.equal(counts.at(-1)!.value, counts[0].value);
    // What a run leaves behind (its weights and optimizer state) does not depend on how much it evaluated.
    const residue = async (name: string, evalImages: string) => {
      const before = tf.memory().numTensors;
      await runLab(root, name, [
        ...SMALL.slice(0, 4),
        "--max-steps",
        "1",
        "--noise",
        "0.2",
        "--eval-images",
        evalImages,
      ]);
      return tf.memory().numTensors - before;
    };
    assert.equal(await residue("one-batch", "10"), await residue("four-batches", "1000"));
  });
});

Deno.test("ae-mnist - a run resumed from its step-5 checkpoint continues exactly as an uninterrupted one", async () => {
  await withTempDir(async (root) => {
    await fashion(root);
    const flags = [...SMALL, "--noise", "0.3", "--log-every", "1", "--seed", "4"];
    const reference = await readEvents(await runLab(root, "reference", [...flags, "--max-steps", "10"]));

    const dir = await runLab(root, "resumed", [...flags, "--max-steps", "5"]);
    await markInterrupted(dir);
    await main(["--resume", dir, "--max-steps", "10", "--no-dashboard", "--backend", "wasm"]);

    const events = await readEvents(dir);
    assert.equal((await readRunInfo(dir)).resumes.length, 1);
    assert.deepEqual(scalars(events, "train/loss"), scalars(reference, "train/loss"));
    assert.deepEqual(scalars(events, "eval/mse").at(-1), scalars(reference, "eval/mse").at(-1));
    assert.deepEqual(scalars(events, "eval/auc_fashion").at(-1), scalars(reference, "eval/auc_fashion").at(-1));
  });
});

Deno.test("ae-mnist - a missing Fashion-MNIST folder is a usage error that says how to get it, before any run exists", async () => {
  await withTempDir(async (root) => {
    const runsDir = join(root, "runs");
    const missing = join(root, "no-such-folder");
    await assert.rejects(
      main(["--no-dashboard", "--backend", "wasm", "--runs-dir", runsDir, "--fashion-dir", missing]),
      (error: Error) => {
        assert.ok(error instanceof UsageError);
        assert.match(error.message, /Fashion-MNIST not found: .*no-such-folder does not exist/);
        assert.match(error.message, /apt-get install dataset-fashion-mnist/);
        return true;
      },
    );
    await assert.rejects(
      main(["--no-dashboard", "--backend", "wasm", "--runs-dir", runsDir, "--fashion-dir", root]),
      /IDX file not found: .*t10k-images-idx3-ubyte \(nor .*\.gz\)/,
    );
    assert.equal(await Deno.stat(runsDir).catch(() => null), null, "no run directory was created");
  });
});
