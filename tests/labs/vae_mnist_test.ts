/**
 * The vae-mnist lab end to end, on the real MNIST files and the wasm backend: a smoke run's run
 * directory, seeded determinism, no tensor growth per step, kill -9 and resume of a real
 * process, and the errors a user meets on bad input; the sample metrics (measured by a randomly
 * initialised stand-in for the yardstick, so that the tests do not depend on the trained asset),
 * the --latent 2 images, and the convolutional variant.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { decode } from "fast-png";
import { loadLatestCheckpoint } from "../../lib/checkpoint.ts";
import { readEvents, readRunInfo } from "../../lib/run/run_reader.ts";
import type { RunEvent } from "../../lib/run/types.ts";
import { main } from "../../labs/vae_mnist.ts";
import { bundledMnistDir } from "../../lib/data/mnist.ts";
import { assertClose, cliCommand, markInterrupted, runCli, scalars, withTempDir } from "../helpers.ts";
import { openSystemBlas } from "../../lib/kernels/system_blas.ts";
import { useBackend } from "../../lib/backend.ts";
import { latentMapLayout } from "../../lib/latent_map.ts";
import { fakeYardstick } from "../fake_yardstick.ts";

await useBackend("wasm"); // the stand-in yardstick is built before any lab picks the backend

const QUIET = ["--no-dashboard", "--backend", "wasm"];

/** Runs the lab in this process and returns its run directory; no sample metrics unless asked. */
async function runLab(runsDir: string, flags: string[]): Promise<string> {
  const backend = flags.includes("--backend") ? [] : ["--backend", "wasm"];
  const samples = flags.includes("--sample-count") ? [] : ["--sample-count", "0"];
  await main(["--no-dashboard", ...backend, ...samples, "--runs-dir", runsDir, ...flags]);
  const [entry] = await Array.fromAsync(Deno.readDir(runsDir));
  return join(runsDir, entry.name);
}

Deno.test("vae-mnist - a smoke run writes a complete run directory", async () => {
  await withTempDir(async (runsDir) => {
    const dir = await runLab(runsDir, ["--max-steps", "12", "--log-every", "4", "--seed", "5"]);
    const info = await readRunInfo(dir);
    assert.equal(info.status, "finished");
    assert.equal(info.lab, "vae-mnist");
    assert.equal(info.backend.name, "wasm");
    assert.equal(info.config.seed, 5);
    assert.equal(info.config.epochs, 10);
    assert.ok(info.versions.deno && info.versions.tfjs);

    const events = await readEvents(dir);
    assert.deepEqual(events.map((e) => e.seq), events.map((_, i) => i + 1));
    assert.deepEqual(scalars(events, "train/loss").map((s) => s.step), [4, 8, 12]);
    assert.ok(scalars(events, "system/ms_per_step").every((s) => s.value > 0));
    const [nelbo] = scalars(events, "eval/nelbo");
    assert.ok(nelbo.value > 100 && nelbo.value < 600, `test nelbo ${nelbo.value}`);
    assert.deepEqual(events.at(-1), { ...events.at(-1), kind: "status", status: "finished" });

    const images = events.filter((e) => e.kind === "image");
    assert.deepEqual(images.map((e) => e.key), ["samples/reconstructions", "samples/prior"]);
    for (const image of images) {
      const png = decode(await Deno.readFile(join(dir, image.path)));
      assert.deepEqual([png.width, png.height], [8 * 29 + 1, 8 * 29 + 1]);
    }
    const summary = JSON.parse(await Deno.readTextFile(join(dir, "summary.json")));
    assert.equal(summary.steps, 12);
    assert.equal(summary["eval/nelbo"], nelbo.value);
    const checkpoint = await loadLatestCheckpoint(join(dir, "checkpoints"));
    assert.equal(checkpoint.step, 12);
    assert.equal(checkpoint.eventSeq, events.findLast((e) => e.kind === "checkpoint")!.seq);
  });
});

Deno.test("vae-mnist - the same seed gives the same losses bit for bit, another seed others", async () => {
  await withTempDir(async (root) => {
    const losses = async (name: string, seed: string) => {
      const dir = await runLab(join(root, name), ["--max-steps", "15", "--log-every", "1", "--seed", seed]);
      return scalars(await readEvents(dir), "train/loss").map((s) => s.value);
    };
    const first = await losses("a", "7");
    assert.equal(first.length, 15);
    assert.deepEqual(await losses("b", "7"), first);
    const other = await losses("c", "8");
    assert.ok(other.every((v, i) => v !== first[i]), "seed 8 shares a loss with seed 7");
  });
});

Deno.test({
  name: "vae-mnist - the blas backend is deterministic too, and agrees with wasm to float rounding",
  ignore: openSystemBlas() === null,
  async fn() {
    await withTempDir(async (root) => {
      const losses = async (name: string, backend: string) => {
        const flags = ["--max-steps", "10", "--log-every", "1", "--seed", "7", "--backend", backend];
        return scalars(await readEvents(await runLab(join(root, name), flags)), "train/loss").map((s) => s.value);
      };
      const blas = await losses("a", "blas");
      assert.deepEqual(await losses("b", "blas"), blas);
      assertClose(blas, await losses("c", "wasm"), { rtol: 1e-4 });
    });
  },
});

Deno.test("vae-mnist - tfjs holds as many tensors after step 1000 as after step 10, across an epoch's end", async () => {
  await withTempDir(async (runsDir) => {
    // 600 steps per epoch: the evaluation, images and checkpoint of epoch 1 fall in between.
    const flags = ["--max-steps", "1000", "--batch-size", "100", "--hidden", "32", "--log-every", "10"];
    const dir = await runLab(runsDir, flags);
    const counts = scalars(await readEvents(dir), "system/num_tensors");
    assert.equal(counts.length, 100);
    assert.equal(counts[0].step, 10);
    assert.equal(counts.at(-1)!.step, 1000);
    assert.equal(counts.at(-1)!.value, counts[0].value);
  });
});

Deno.test("vae-mnist - a process killed with SIGKILL resumes from its last checkpoint, bit for bit", async () => {
  await withTempDir(async (root) => {
    const flags = [
      "--max-steps",
      "240",
      "--batch-size",
      "32",
      "--checkpoint-every",
      "40",
      "--log-every",
      "5",
      "--seed",
      "3",
      "--sample-count",
      "0",
    ];
    const reference = scalars(await readEvents(await runLab(join(root, "reference"), flags)), "train/loss");

    const runsDir = join(root, "killed");
    const child = cliCommand(["lab", "vae-mnist", ...QUIET, "--runs-dir", runsDir, ...flags]).spawn();
    // Kill it once it has written the checkpoint of step 120: it is then somewhere after it.
    let runDir = "";
    for (let waited = 0; waited < 60_000; waited += 50) {
      await new Promise((r) => setTimeout(r, 50));
      const [entry] = await Array.fromAsync(Deno.readDir(runsDir)).catch(() => []);
      if (!entry) continue;
      runDir = join(runsDir, entry.name);
      const names = await Array.fromAsync(Deno.readDir(join(runDir, "checkpoints"))).catch(() => []);
      if (names.some((n) => Number(n.name.match(/^step-(\d+)\.ckpt$/)?.[1]) >= 120)) break;
    }
    child.kill("SIGKILL");
    const status = await child.status;
    assert.equal(status.signal, "SIGKILL", "the lab finished before it could be killed");
    await child.stdout.cancel();
    await child.stderr.cancel();
    assert.equal((await readRunInfo(runDir)).status, "running"); // nothing marked it: it was killed

    const resumed = await runCli(["lab", "vae-mnist", "--resume", runDir, "--no-dashboard"]);
    assert.equal(resumed.code, 0, resumed.stderr);
    const from = Number(resumed.stderr.match(/resuming .* from step (\d+)/)?.[1]);
    assert.ok(from >= 120 && from < 240, `resumed from step ${from}`);

    const events = await readEvents(runDir);
    assert.deepEqual(events.map((e) => e.seq), events.map((_, i) => i + 1), "seqs are 1..n, none duplicated");
    const losses = scalars(events, "train/loss");
    assert.deepEqual(losses.map((l) => l.step), reference.map((l) => l.step), "each step logged once");
    assert.deepEqual(losses, reference);
    const info = await readRunInfo(runDir);
    assert.equal(info.status, "finished");
    assert.equal(info.resumes.length, 1);
  });
});

Deno.test("vae-mnist - bad input exits with status 2, a clear message, and writes nothing", async () => {
  await withTempDir(async (root) => {
    const runsDir = join(root, "runs");
    const cases: [string[], RegExp][] = [
      [["lab", "vae-mnst"], /Unknown lab 'vae-mnst'\. Did you mean vae-mnist[,?]/],
      [["lab", "vae-mnist", "--epohcs", "3"], /Unknown flag --epohcs\. Did you mean --epochs\?/],
      [["lab", "vae-mnist", "--batch-size", "many"], /Invalid value 'many' for --batch-size: not an integer/],
      [
        ["lab", "vae-mnist", "--lr", "2"],
        /Invalid value '2' for --lr: above the maximum; expected a number from 0 to 1/,
      ],
      [["lab", "vae-mnist", "--data-dir", root], /IDX file not found: .*train-images-idx3-ubyte/],
      [["lab", "vae-mnist", "--resume", root], /--resume .*: not a run directory: it has no run\.json/],
      [["train"], /Unknown command 'train'/],
    ];
    for (const [args, pattern] of cases) {
      const result = await runCli([...args, "--runs-dir", runsDir]);
      assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
      assert.match(result.stderr, pattern);
      assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace for a usage error");
    }
    // A truncated training-image file is caught before the run directory exists.
    const dataDir = join(root, "mnist");
    await Deno.mkdir(dataDir);
    for (const entry of Deno.readDirSync(bundledMnistDir())) {
      await Deno.copyFile(join(bundledMnistDir(), entry.name), join(dataDir, entry.name));
    }
    await Deno.truncate(join(dataDir, "train-images-idx3-ubyte"), 1_000_000);
    const truncated = await runCli(["lab", "vae-mnist", ...QUIET, "--data-dir", dataDir, "--runs-dir", runsDir]);
    assert.equal(truncated.code, 2);
    assert.match(
      truncated.stderr,
      /train-images-idx3-ubyte is not a valid IDX file: dimensions 60000x28x28 need 47040000 bytes/,
    );
    assert.equal(await Deno.stat(runsDir).catch(() => null), null, "no run directory was created");
    // A --runs-dir that cannot be written is named, before anything is written.
    await Deno.writeTextFile(join(root, "a-file"), "");
    const unwritable = await runCli(["lab", "vae-mnist", ...QUIET, "--runs-dir", join(root, "a-file", "runs")]);
    assert.equal(unwritable.code, 2, unwritable.stderr);
    assert.match(
      unwritable.stderr,
      /--runs-dir .*a-file\/runs: cannot write there \(.*a-file is a file, not a folder\)/,
    );
    assert.doesNotMatch(unwritable.stderr, /\n\s+at /, "no stack trace for a usage error");
  });
});

Deno.test("vae-mnist - resuming from a corrupted checkpoint is refused and changes nothing", async () => {
  await withTempDir(async (runsDir) => {
    const dir = await runLab(runsDir, ["--max-steps", "6", "--checkpoint-every", "3"]);
    const info = JSON.parse(await Deno.readTextFile(join(dir, "run.json")));
    info.status = "interrupted";
    await Deno.writeTextFile(join(dir, "run.json"), JSON.stringify(info));
    const path = join(dir, "checkpoints", "step-000000006.ckpt");
    const bytes = await Deno.readFile(path);
    bytes[100] ^= 0xff;
    await Deno.writeFile(path, bytes);
    const eventsBefore = await Deno.readTextFile(join(dir, "events.jsonl"));

    const result = await runCli(["lab", "vae-mnist", "--resume", dir, "--no-dashboard"]);
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /step-000000006\.ckpt is corrupted \(checksum mismatch\).*previous one, .*step-000000003\.ckpt/,
    );
    assert.equal(await Deno.readTextFile(join(dir, "events.jsonl")), eventsBefore);

    const changed = await runCli(["lab", "vae-mnist", "--resume", dir, "--latent", "4"]);
    assert.equal(changed.code, 2);
    assert.match(changed.stderr, /--latent cannot change/);
  });
});

const SAMPLE_KEYS = ["eval/fid_mnist", "eval/class_entropy", "eval/mean_confidence"];

Deno.test("vae-mnist - prior samples are measured into events and summary, and training is unchanged", async () => {
  await withTempDir(async (root) => {
    const flags = ["--max-steps", "3", "--log-every", "1", "--hidden", "16", "--eval-images", "100", "--seed", "2"];
    const measured = ["--sample-count", "40", "--reference-images", "200", "--yardstick", await fakeYardstick(root)];
    const dir = await runLab(join(root, "measured"), [...flags, ...measured]);
    const events = await readEvents(dir);
    const [fid, entropy, confidence] = SAMPLE_KEYS.map((key) => scalars(events, key));
    assert.deepEqual([fid, entropy, confidence].map((s) => s.map((e) => e.step)), [[3], [3], [3]]);
    assert.ok(fid[0].value > 0 && Number.isFinite(fid[0].value), `FID ${fid[0].value}`);
    assert.ok(entropy[0].value >= 0 && entropy[0].value <= Math.log(10) + 1e-9, `entropy ${entropy[0].value}`);
    assert.ok(confidence[0].value >= 0.1 && confidence[0].value <= 1, `confidence ${confidence[0].value}`);

    const summary = JSON.parse(await Deno.readTextFile(join(dir, "summary.json")));
    assert.deepEqual(SAMPLE_KEYS.map((key) => summary[key]), [fid[0].value, entropy[0].value, confidence[0].value]);
    assert.equal(summary.sampleCount, 40);
    assert.ok(summary["eval/fid_mnist_floor"] > 0 && summary["eval/fid_mnist_floor"] < fid[0].value);

    // Measuring draws from its own generator: the losses and the ELBO are those of an unmeasured run.
    const plain = await readEvents(await runLab(join(root, "plain"), flags));
    for (const key of ["train/loss", "eval/nelbo"]) assert.deepEqual(scalars(plain, key), scalars(events, key), key);
    assert.deepEqual(scalars(plain, "eval/fid_mnist"), []);
  });
});

Deno.test("vae-mnist - --latent 2 logs the latent map and the 20x20 decoded manifold every epoch", async () => {
  await withTempDir(async (root) => {
    const dir = await runLab(root, ["--latent", "2", "--hidden", "16", "--max-steps", "2", "--eval-images", "100"]);
    const images = (await readEvents(dir)).flatMap((e) => (e.kind === "image" ? [e] : []));
    assert.deepEqual(images.map((e) => e.key), [
      "samples/reconstructions",
      "samples/prior",
      "latent/map",
      "latent/manifold",
    ]);
    const { width, height } = latentMapLayout(400);
    const sizes = await Promise.all(
      images.slice(2).map(async (image) => {
        const png = decode(await Deno.readFile(join(dir, image.path)));
        assert.deepEqual([png.width, png.height], [image.width, image.height], image.key);
        return [png.width, png.height, png.channels];
      }),
    );
    assert.deepEqual(sizes, [[width, height, 3], [20 * 29 + 1, 20 * 29 + 1, 1]]);
  });
});

Deno.test("vae-mnist --arch conv - trains without tensor growth and resumes from a checkpoint exactly", async () => {
  await withTempDir(async (root) => {
    const flags = ["--arch", "conv", "--batch-size", "8", "--eval-images", "100", "--log-every", "2", "--seed", "4"];
    const referenceDir = await runLab(join(root, "reference"), [...flags, "--max-steps", "8"]);
    const reference = await readEvents(referenceDir);
    const counts = scalars(reference, "system/num_tensors");
    assert.deepEqual(counts.map((c) => c.step), [2, 4, 6, 8]);
    assert.ok(counts.every((c) => c.value === counts[0].value), `tensors per step: ${counts.map((c) => c.value)}`);
    const checkpoint = await loadLatestCheckpoint(join(referenceDir, "checkpoints"));
    assert.ok(checkpoint.tensors.model.some((t) => t.name === "encoder/conv1/kernel"), "the conv weights are saved");

    const dir = await runLab(join(root, "resumed"), [...flags, "--max-steps", "4"]);
    await markInterrupted(dir);
    await main(["--resume", dir, "--max-steps", "8", "--no-dashboard", "--backend", "wasm"]);
    const events = await readEvents(dir);
    assert.equal((await readRunInfo(dir)).config.arch, "conv");
    assert.deepEqual(scalars(events, "train/loss"), scalars(reference, "train/loss"));
    assert.deepEqual(scalars(events, "eval/nelbo").at(-1), scalars(reference, "eval/nelbo").at(-1));
    // The last prior-sample grid, drawn by the decoder, is the same image byte for byte.
    const lastPrior = async (dir: string, events: RunEvent[]) =>
      await Deno.readFile(
        join(dir, events.flatMap((e) => (e.kind === "image" && e.key === "samples/prior" ? [e.path] : [])).at(-1)!),
      );
    assert.deepEqual(await lastPrior(dir, events), await lastPrior(referenceDir, reference));
  });
});
