/**
 * The ppo-pendulum lab end to end on the wasm backend, on budgets of seconds: its Gaussian policy
 * improves clearly, it holds no more tensors after many updates than after the first, and a run
 * resumed from a checkpoint (log std included) continues exactly as the unbroken run.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { main } from "../../labs/ppo_pendulum.ts";
import { readEvents } from "../../lib/run/run_reader.ts";
import type { RunEvent } from "../../lib/run/types.ts";
import { markInterrupted, scalars, withTempDir } from "../helpers.ts";

const QUIET = ["--no-dashboard", "--backend", "wasm"];

async function runLab(runsDir: string, flags: string[]): Promise<string> {
  await main([...QUIET, "--runs-dir", runsDir, ...flags]);
  const [entry] = await Array.fromAsync(Deno.readDir(runsDir));
  return join(runsDir, entry.name);
}

// Smaller, faster updates than the lab's defaults: 8 envs x 64 steps, minibatches of 64, lr 3e-3.
const FAST = ["--num-envs", "8", "--num-steps", "64", "--num-minibatches", "8", "--lr", "0.003"];

Deno.test("ppo-pendulum - the mean-action return improves clearly in 10,240 env steps, with no tensor growth", async () => {
  await withTempDir(async (runsDir) => {
    const flags = ["--seed", "1", "--max-steps", "10240", "--eval-every", "4", "--eval-episodes", "50"];
    const dir = await runLab(runsDir, [...FAST, ...flags]);
    const events = await readEvents(dir);
    const evals = scalars(events, "eval/mean_return");
    assert.deepEqual(evals.map((e) => e.step), [2048, 4096, 6144, 8192, 10240]);
    // Nearly untrained after 4 updates: about -1,200 (a still pendulum left hanging scores about -1,200 too).
    assert.ok(evals[0].value < -1000, `first evaluation ${evals[0].value}`);
    assert.ok(evals.at(-1)!.value > evals[0].value + 300, `mean returns ${evals.map((e) => e.value)}`);
    const std = scalars(events, "charts/action_std").map((e) => e.value);
    assert.equal(std.length, 20);
    assert.notEqual(std.at(-1), 1, "the log std is learned");
    for (const key of ["policy_loss", "value_loss", "entropy", "approx_kl", "clipfrac"]) {
      assert.equal(scalars(events, `losses/${key}`).length, 20, key);
    }
    const summary = JSON.parse(await Deno.readTextFile(join(dir, "summary.json")));
    assert.equal(summary.rewardThreshold, -250);
    assert.equal(summary["eval/mean_return"], evals.at(-1)!.value);
    assert.equal(summary.envSteps, 10240);
    const counts = scalars(events, "system/num_tensors").map((e) => e.value);
    assert.deepEqual(counts, counts.map(() => counts[0]), `tensors per update: ${counts}`);
  });
});

Deno.test("ppo-pendulum - a run resumed from its checkpoint logs what the unbroken run logs, bit for bit", async () => {
  await withTempDir(async (root) => {
    // 2 envs x 48 steps per update: episodes of 200 steps straddle the checkpoint after update 3.
    const small = [
      "--seed",
      "2",
      "--num-envs",
      "2",
      "--num-steps",
      "48",
      "--num-minibatches",
      "3",
      "--update-epochs",
      "3",
    ];
    const every = ["--checkpoint-every", "3", "--eval-every", "3", "--eval-episodes", "4"];
    const reference = await readEvents(
      await runLab(join(root, "reference"), [...small, ...every, "--max-steps", "576"]),
    );
    const dir = await runLab(join(root, "resumed"), [...small, ...every, "--max-steps", "288"]);
    await markInterrupted(dir);
    await main(["--resume", dir, "--max-steps", "576", ...QUIET]);
    const logged = (list: RunEvent[]) =>
      list.flatMap((e) => (e.kind === "scalar" && e.key !== "charts/sps" ? [[e.step, e.key, e.value]] : []));
    const resumed = logged(await readEvents(dir));
    assert.ok(resumed.some(([step]) => (step as number) > 288), "the resumed run went on past update 3");
    assert.deepEqual(resumed, logged(reference));
  });
});
