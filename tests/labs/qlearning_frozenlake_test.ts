/**
 * The qlearning-frozenlake lab end to end, in this process: Q-learning and SARSA solve the
 * deterministic lake, Q-learning reaches Gymnasium's threshold on the slippery one, and a run
 * resumed from a checkpoint repeats the uninterrupted run bit for bit.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadLatestCheckpoint } from "../../lib/checkpoint.ts";
import { readEvents, readRunInfo } from "../../lib/run/run_reader.ts";
import { main } from "../../labs/qlearning_frozenlake.ts";
import { withTempDir } from "../helpers.ts";
import { crashAfterPreviousCheckpoint, learningTrace, QUIET, runLab, scalars } from "./rl_lab_helpers.ts";

const summaryOf = async (dir: string) => JSON.parse(await Deno.readTextFile(join(dir, "summary.json")));

for (const algorithm of ["qlearning", "sarsa"]) {
  Deno.test(`qlearning-frozenlake - ${algorithm} walks the non-slippery lake to the goal every time`, async () => {
    await withTempDir(async (runsDir) => {
      const dir = await runLab(main, runsDir, [
        ...["--algorithm", algorithm, "--no-slippery", "--total-timesteps", "3000", "--eval-every", "1000"],
        ...["--eval-episodes", "100", "--log-every", "500", "--seed", "2"],
      ]);
      const summary = await summaryOf(dir);
      assert.equal(summary.algorithm, algorithm);
      assert.equal(summary["eval/mean_return"], 1);
      assert.equal(summary["eval/std_return"], 0);
      assert.equal(summary.rewardThreshold, 0.7);
      assert.equal(summary.solved, true);
      assert.equal(summary.thresholdReachedAt.envSteps % 1000, 0);

      const events = await readEvents(dir);
      assert.deepEqual(scalars(events, "charts/epsilon").map((s) => s.step), [500, 1000, 1500, 2000, 2500, 3000]);
      for (const key of ["charts/episodic_return", "charts/episodic_length", "losses/td_loss", "losses/q_values"]) {
        assert.ok(scalars(events, key).length >= 5, key);
      }
      const episodes = events.filter((e) => e.kind === "episode");
      assert.deepEqual(episodes.map((e) => e.step), [1000, 2000, 3000]);
      const record = JSON.parse(await Deno.readTextFile(join(dir, episodes[2].path)));
      assert.deepEqual(record.rewards, [0, 0, 0, 0, 0, 1]); // the shortest path: six moves
      assert.equal(record.frames.length, 7);
    });
  });
}

Deno.test("qlearning-frozenlake - Q-learning's greedy policy succeeds in >= 70% of 1000 slippery episodes", async () => {
  await withTempDir(async (runsDir) => {
    const dir = await runLab(main, runsDir, ["--total-timesteps", "60000", "--eval-every", "20000", "--seed", "1"]);
    const summary = await summaryOf(dir);
    assert.equal(summary.evalEpisodes, 1000);
    assert.ok(summary["eval/mean_return"] >= 0.7, `success rate ${summary["eval/mean_return"]}`);
    assert.ok(summary["eval/mean_return"] <= 0.8, "above the optimum of about 0.74: the lake is not slippery?");
  });
});

Deno.test("qlearning-frozenlake - a run resumed from a checkpoint repeats the uninterrupted run bit for bit", async () => {
  await withTempDir(async (runsDir) => {
    const flags = ["--algorithm", "sarsa", "--total-timesteps", "30000", "--checkpoint-every", "10000"];
    const dir = await runLab(main, runsDir, [...flags, "--eval-every", "5000", "--eval-episodes", "200"]);
    const reference = learningTrace(await readEvents(dir));
    const summary = await summaryOf(dir);

    const from = await crashAfterPreviousCheckpoint(dir);
    assert.ok(from >= 20000 && from < 30000, `resumes from step ${from}`);
    const checkpoint = await loadLatestCheckpoint(join(dir, "checkpoints"));
    assert.ok((checkpoint.meta.qTable as number[]).some((v) => v > 0), "the checkpoint holds a learnt Q-table");
    await main([...QUIET, "--resume", dir]);

    assert.deepEqual(learningTrace(await readEvents(dir)), reference);
    const resumed = await summaryOf(dir);
    assert.deepEqual([resumed["eval/mean_return"], resumed.episodes], [summary["eval/mean_return"], summary.episodes]);
    assert.deepEqual((await readRunInfo(dir)).resumes.map((r) => r.fromStep), [from]);
  });
});
