/**
 * Stopping and resuming beyond the crash that tests/labs/vae_mnist_test.ts covers: Ctrl-C or a
 * polite kill checkpoints mid-epoch and stops, losing nothing; a finished run trained further with
 * a larger --epochs ends exactly where one longer run ends; a run whose process is still alive is
 * refused (two processes must never write one run directory); a run killed between its final
 * checkpoint and its summary evaluates again on resume.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { main } from "../../labs/vae_mnist.ts";
import { UsageError } from "../../lib/errors.ts";
import { readEvents, readRunInfo } from "../../lib/run/run_reader.ts";
import { cliCommand, markInterrupted, runCli, withTempDir } from "../helpers.ts";

const BASE = ["--no-dashboard", "--backend", "wasm", "--hidden", "8", "--sample-count", "0", "--eval-images", "100"]
  .concat(["--log-every", "5"]);
const TINY = [...BASE, "--batch-size", "6000"]; // 10 steps per epoch: a few seconds per run on wasm

async function runVae(runsDir: string, flags: string[], base = TINY): Promise<string> {
  await main([...base, "--runs-dir", runsDir, ...flags]);
  const [entry] = await Array.fromAsync(Deno.readDir(runsDir));
  return join(runsDir, entry.name);
}

const trace = async (dir: string) =>
  (await readEvents(dir)).flatMap((e) =>
    e.kind === "scalar" && /^(train|eval)\//.test(e.key) ? [[e.step, e.key, e.value]] : []
  );

Deno.test("resume - a finished run given a larger --epochs trains on to exactly where one longer run ends", async () => {
  await withTempDir(async (root) => {
    const longer = await runVae(join(root, "longer"), ["--epochs", "2"]);
    const extended = await runVae(join(root, "extended"), ["--epochs", "1"]);
    assert.equal((await readRunInfo(extended)).status, "finished");

    await assert.rejects(main(["--resume", extended, "--no-dashboard"]), (error: Error) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, /already finished; give it a larger --epochs/);
      return true;
    });
    await main(["--resume", extended, "--epochs", "2", "--no-dashboard"]);

    const info = await readRunInfo(extended);
    assert.equal(info.status, "finished");
    assert.equal(info.resumes.length, 1);
    assert.equal(info.config.epochs, 2, "run.json records the new budget");
    const [a, b] = [await trace(longer), await trace(extended)];
    assert.ok(a.some(([step]) => step === 20), "the longer run reached step 20");
    assert.deepEqual(b, a);
  });
});

Deno.test("resume - a run whose process is still alive on this machine is refused, naming the process", async () => {
  await withTempDir(async (root) => {
    const dir = await runVae(join(root, "runs"), ["--epochs", "1"]);
    // A live process whose command line names "lab", as a lab's does, recorded as the run's writer
    const writer = new Deno.Command("bash", { args: ["-c", "sleep 60; true", "lab"] }).spawn();
    try {
      const info = JSON.parse(await Deno.readTextFile(join(dir, "run.json")));
      Object.assign(info, { status: "running" });
      info.host.pid = writer.pid;
      await Deno.writeTextFile(join(dir, "run.json"), JSON.stringify(info));
      await assert.rejects(main(["--resume", dir, "--no-dashboard"]), (error: Error) => {
        assert.ok(error instanceof UsageError);
        assert.match(error.message, new RegExp(`still being written by process ${writer.pid}`));
        return true;
      });
    } finally {
      writer.kill("SIGKILL");
      await writer.status;
    }
    // Once that process is gone, the same run resumes (as after a crash).
    await main(["--resume", dir, "--epochs", "2", "--no-dashboard"]);
    assert.equal((await readRunInfo(dir)).status, "finished");
  });
});

Deno.test("resume - SIGTERM checkpoints the step it stopped at, mid-epoch, and the resumed run matches an unstopped one", async () => {
  await withTempDir(async (root) => {
    const flags = [...BASE, "--batch-size", "300", "--epochs", "2", "--seed", "4"]; // 200 steps per epoch
    const unstopped = await runVae(join(root, "unstopped"), flags, []);

    const runsDir = join(root, "stopped");
    const child = cliCommand(["lab", "vae-mnist", ...flags, "--runs-dir", runsDir]).spawn();
    let runDir = "";
    for (let waited = 0; waited < 60_000 && !runDir; waited += 50) { // until it has trained 20 steps
      await new Promise((r) => setTimeout(r, 50));
      const [entry] = await Array.fromAsync(Deno.readDir(runsDir)).catch(() => []);
      const events = entry ? await readEvents(join(runsDir, entry.name)).catch(() => []) : [];
      if (events.some((e) => e.step >= 20)) runDir = join(runsDir, entry!.name);
    }
    child.kill("SIGTERM");
    const status = await child.status;
    const stderr = new TextDecoder().decode(await new Response(child.stderr).arrayBuffer());
    await child.stdout.cancel();
    assert.equal(status.code, 130, stderr);
    assert.match(stderr, /Stopping at the next log boundary, with a checkpoint/);
    const info = await readRunInfo(runDir);
    assert.equal(info.status, "interrupted");
    const checkpoints = await Array.fromAsync(Deno.readDir(join(runDir, "checkpoints")), (e) => e.name);
    const steps = checkpoints.map((name) => Number(name.match(/^step-(\d+)\.ckpt$/)![1]));
    assert.equal(steps.length, 1, `one checkpoint, where it stopped: ${checkpoints}`);
    assert.ok(steps[0] >= 20 && steps[0] % 200 !== 0, `checkpointed mid-epoch at step ${steps[0]}`);

    const resumed = await runCli(["lab", "vae-mnist", "--resume", runDir, "--no-dashboard"]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, new RegExp(`from step ${steps[0]} `));
    assert.deepEqual(await trace(runDir), await trace(unstopped));
  });
});

Deno.test("resume - a run stopped between its final checkpoint and its summary evaluates again and finishes", async () => {
  await withTempDir(async (root) => {
    const dir = await runVae(root, ["--epochs", "1", "--seed", "2"]);
    const finished = JSON.parse(await Deno.readTextFile(join(dir, "summary.json")));
    // what a kill right after the final checkpoint leaves: no summary, the run not finished
    await Deno.remove(join(dir, "summary.json"));
    await markInterrupted(dir);
    await main(["--resume", dir, "--no-dashboard"]);
    const summary = JSON.parse(await Deno.readTextFile(join(dir, "summary.json")));
    assert.equal((await readRunInfo(dir)).status, "finished");
    const evaluated = Object.keys(finished).filter((key) => key.startsWith("eval/"));
    assert.ok(evaluated.length > 0);
    for (const key of evaluated) assert.equal(summary[key], finished[key], key);
  });
});
