/**
 * The ppo-cartpole lab end to end on the wasm backend, on budgets of seconds: it learns, it holds
 * no more tensors after many updates than after the first, and a run resumed from a checkpoint
 * continues exactly as the run that was never stopped.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { main } from "../../labs/ppo_cartpole.ts";
import { loadLatestCheckpoint } from "../../lib/checkpoint.ts";
import { readEvents, readRunInfo } from "../../lib/run/run_reader.ts";
import type { RunEvent } from "../../lib/run/types.ts";
import { markInterrupted, scalars, withTempDir } from "../helpers.ts";

const QUIET = ["--no-dashboard", "--backend", "wasm"];

/** Runs the lab in this process and returns its run directory. */
async function runLab(runsDir: string, flags: string[]): Promise<string> {
  await main([...QUIET, "--runs-dir", runsDir, ...flags]);
  const [entry] = await Array.fromAsync(Deno.readDir(runsDir));
  return join(runsDir, entry.name);
}

// 40 updates of 8 x 32 steps (10,240 env steps), evaluated on 20 episodes every 10 updates.
const LEARNING = ["--seed", "1", "--max-steps", "10240", "--eval-every", "10", "--eval-episodes", "20"];

Deno.test("ppo-cartpole - learns well past random play in 10,240 env steps, and says so in summary.json", async () => {
  await withTempDir(async (runsDir) => {
    const dir = await runLab(runsDir, LEARNING);
    const events = await readEvents(dir);
    const evals = scalars(events, "eval/mean_return");
    assert.deepEqual(evals.map((e) => e.step), [2560, 5120, 7680, 10240]);
    // A uniformly random policy averages about 22 steps; the untrained greedy one about 9.
    assert.ok(evals.at(-1)!.value >= 75, `greedy return ${evals.map((e) => e.value)} by 10,240 steps`);
    const returns = scalars(events, "charts/episodic_return").map((e) => e.value);
    assert.ok(returns.at(-1)! > 2 * returns[0], `training returns ${returns[0]} -> ${returns.at(-1)}`);
    for (const key of ["policy_loss", "value_loss", "entropy", "approx_kl", "clipfrac"]) {
      assert.equal(scalars(events, `losses/${key}`).length, 40, key);
    }
    const lr = scalars(events, "charts/learning_rate").map((e) => e.value);
    assert.equal(lr[0], 1e-3);
    assert.ok(lr[39] < lr[0], "the learning rate is annealed");
    assert.equal(events.filter((e) => e.kind === "episode").length, 4, "one replay per evaluation");

    const summary = JSON.parse(await Deno.readTextFile(join(dir, "summary.json")));
    assert.equal(summary.envSteps, 10240);
    assert.equal(summary["eval/mean_return"], evals.at(-1)!.value);
    assert.equal(summary.evalEpisodes, 20);
    assert.equal(summary.backend, "wasm");
    assert.equal(summary.solved, summary.thresholdReachedAt !== null);
    assert.equal((await readRunInfo(dir)).status, "finished");
    // Tensors: as many after the 40th update as after the first, through evaluations and checkpoints.
    const counts = scalars(events, "system/num_tensors").map((e) => e.value);
    assert.equal(counts.length, 40);
    assert.deepEqual(counts, counts.map(() => counts[0]), `tensors per update: ${counts}`);
  });
});

Deno.test("ppo-cartpole - a run resumed from its checkpoint logs what the unbroken run logs, bit for bit", async () => {
  await withTempDir(async (root) => {
    // 4 envs x 16 steps per update, checkpoints every 3 updates; the env episodes straddle them.
    const flags = ["--seed", "4", "--num-envs", "4", "--num-steps", "16", "--num-minibatches", "2"];
    const small = [...flags, "--update-epochs", "4", "--checkpoint-every", "3", "--eval-every", "3"];
    const reference = await readEvents(await runLab(join(root, "reference"), [...small, "--max-steps", "384"]));

    // Stop after update 3 (its final checkpoint), as if killed there, then resume to update 6.
    const dir = await runLab(join(root, "resumed"), [...small, "--max-steps", "192"]);
    assert.equal((await loadLatestCheckpoint(join(dir, "checkpoints"))).step, 192);
    await markInterrupted(dir);
    await main(["--resume", dir, "--max-steps", "384", ...QUIET]);

    const events = await readEvents(dir);
    assert.deepEqual(events.map((e) => e.seq), events.map((_, i) => i + 1), "seqs are 1..n, none duplicated");
    const logged = (list: RunEvent[]) =>
      list.flatMap((e) => (e.kind === "scalar" && !e.key.startsWith("charts/sps") ? [[e.step, e.key, e.value]] : []));
    const resumed = logged(events);
    assert.ok(resumed.some(([step]) => (step as number) > 192), "the resumed run went on past update 3");
    assert.deepEqual(resumed, logged(reference));
    const replays = (list: RunEvent[]) => list.filter((e) => e.kind === "episode").map((e) => [e.step, e.return]);
    assert.deepEqual(replays(events), replays(reference));
    assert.equal((await readRunInfo(dir)).resumes.length, 1);
  });
});
