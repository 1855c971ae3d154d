/**
 * The dqn-cartpole lab end to end, in this process on the wasm backend, on budgets of seconds:
 * it learns, it leaks no tensors, and a run resumed from a checkpoint (replay buffer, both
 * networks, Adam and the random streams restored) repeats the uninterrupted run bit for bit.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadLatestCheckpoint } from "../../lib/checkpoint.ts";
import { helpText } from "../../runner/lab.ts";
import { ReplayBuffer } from "../../lib/rl/replay_buffer.ts";
import { readEvents, readRunInfo } from "../../lib/run/run_reader.ts";
import { lab, main } from "../../labs/dqn_cartpole.ts";
import { assertClose, withTempDir } from "../helpers.ts";
import { crashAfterPreviousCheckpoint, learningTrace, QUIET, runLab, scalars } from "./rl_lab_helpers.ts";

// A smaller network and budget than the defaults, with the same shape of schedule.
const SMALL = ["--hidden-size", "64", "--learning-starts", "500", "--train-frequency", "128", "--gradient-steps", "64"];

Deno.test("dqn-cartpole - learns: the greedy return after 3,000 env steps is far above random's ~22", async () => {
  await withTempDir(async (runsDir) => {
    const flags = [
      ...SMALL,
      "--total-timesteps",
      "3000",
      "--eval-every",
      "3000",
      "--eval-episodes",
      "20",
      "--log-every",
      "100",
    ];
    const dir = await runLab(main, runsDir, [...flags, "--seed", "1"]);
    const summary = JSON.parse(await Deno.readTextFile(join(dir, "summary.json")));
    assert.ok(summary["eval/mean_return"] >= 100, `greedy return ${summary["eval/mean_return"]}`);
    assert.equal(summary.envSteps, 3000);
    assert.equal(summary.gradientSteps, 20 * 64); // phases at 512, 640, ..., 2944
    assert.equal(summary.backend, "wasm");
    assert.equal(summary.rewardThreshold, 475);
    assert.deepEqual([summary.solved, summary.thresholdReachedAt], [false, null]);

    const events = await readEvents(dir);
    const returns = scalars(events, "charts/episodic_return");
    const lengths = scalars(events, "charts/episodic_length");
    assert.deepEqual(returns, lengths); // CartPole pays 1 per step
    assert.equal(returns.length, summary.episodes);
    const epsilon = scalars(events, "charts/epsilon");
    // 1 -> 0.04 over 16% of 3,000 steps, then held
    assertClose([epsilon[0].step, epsilon[0].value, epsilon.at(-1)!.value], [100, 1 - 0.96 * 100 / 480, 0.04]);
    for (const key of ["losses/td_loss", "losses/q_values", "charts/sps", "eval/mean_return", "eval/std_return"]) {
      assert.ok(scalars(events, key).every((s) => Number.isFinite(s.value)) && scalars(events, key).length, key);
    }
    const [episode] = events.filter((e) => e.kind === "episode");
    assert.equal(episode.step, 3000);
    const record = JSON.parse(await Deno.readTextFile(join(dir, episode.path)));
    assert.equal(record.env, "CartPole-v1");
    assert.equal(record.frames.length, record.rewards.length + 1);
    assert.equal(record.frames[0].kind, "cart_pole");

    const checkpoint = await loadLatestCheckpoint(join(dir, "checkpoints"));
    assert.equal(checkpoint.step, 3000);
    assert.equal(ReplayBuffer.fromArrays(checkpoint.tensors.replay).size, 3000);
  });
});

Deno.test("dqn-cartpole - tfjs holds as many tensors after the last training phase as after the first", async () => {
  await withTempDir(async (runsDir) => {
    const flags = ["--hidden-size", "16", "--total-timesteps", "1200", "--learning-starts", "100"];
    const dir = await runLab(main, runsDir, [
      ...flags,
      ...["--train-frequency", "50", "--gradient-steps", "4", "--log-every", "100", "--eval-every", "300"],
      ...["--eval-episodes", "3", "--double"],
    ]);
    const counts = scalars(await readEvents(dir), "system/num_tensors").filter((c) => c.step >= 200);
    assert.equal(counts.length, 11);
    assert.ok(counts.every((c) => c.value === counts[0].value), JSON.stringify(counts.map((c) => c.value)));
  });
});

Deno.test("dqn-cartpole - a run resumed from a checkpoint repeats the uninterrupted run bit for bit", async () => {
  await withTempDir(async (runsDir) => {
    const flags = [
      ...["--hidden-size", "32", "--total-timesteps", "2000", "--learning-starts", "200", "--train-frequency", "16"],
      ...["--gradient-steps", "4", "--target-update-interval", "50", "--checkpoint-every", "700"],
      ...["--eval-every", "1000", "--eval-episodes", "5", "--log-every", "100", "--double", "--seed", "3"],
    ];
    const dir = await runLab(main, runsDir, flags);
    const reference = learningTrace(await readEvents(dir));
    const summary = JSON.parse(await Deno.readTextFile(join(dir, "summary.json")));

    const from = await crashAfterPreviousCheckpoint(dir);
    assert.ok(from >= 1400 && from < 2000, `resumes from step ${from}`);
    const checkpoint = await loadLatestCheckpoint(join(dir, "checkpoints"));
    assert.equal(ReplayBuffer.fromArrays(checkpoint.tensors.replay).size, from, "the buffer holds every transition");
    assert.deepEqual(checkpoint.tensors.online.map((t) => t.shape), checkpoint.tensors.target.map((t) => t.shape));

    await main([...QUIET, "--resume", dir]);
    const events = await readEvents(dir);
    assert.deepEqual(events.map((e) => e.seq), events.map((_, i) => i + 1));
    assert.ok(reference.some(([step, key]) => (step as number) > from && key === "losses/td_loss"));
    assert.deepEqual(learningTrace(events), reference);
    const resumed = JSON.parse(await Deno.readTextFile(join(dir, "summary.json")));
    for (const key of ["eval/mean_return", "eval/std_return", "episodes", "gradientSteps", "envSteps"]) {
      assert.equal(resumed[key], summary[key], key);
    }
    const info = await readRunInfo(dir);
    assert.equal(info.status, "finished");
    assert.deepEqual(info.resumes.map((r) => r.fromStep), [from]);
  });
});

Deno.test("dqn-cartpole - --max-steps caps env steps; epsilon keeps the full budget's schedule", async () => {
  await withTempDir(async (runsDir) => {
    const dir = await runLab(main, runsDir, ["--max-steps", "300", "--log-every", "100", "--eval-episodes", "5"]);
    const summary = JSON.parse(await Deno.readTextFile(join(dir, "summary.json")));
    assert.equal(summary.envSteps, 300);
    assert.equal(summary.gradientSteps, 0); // learning starts after 1,000 steps
    const epsilon = scalars(await readEvents(dir), "charts/epsilon");
    assertClose(epsilon.map((e) => e.value), [100, 200, 300].map((t) => 1 - 0.96 * t / (0.16 * 50_000)));
    assert.equal((await loadLatestCheckpoint(join(dir, "checkpoints"))).step, 300);
  });
});

Deno.test("dqn-cartpole - --help lists the zoo's defaults and says --max-steps counts env steps", () => {
  const help = helpText(lab);
  assert.match(help, /--total-timesteps N\s+50000/);
  assert.match(help, /--lr X\s+0\.0023/);
  assert.match(help, /--train-frequency N\s+256/);
  assert.match(help, /--max-steps caps env steps/);
  assert.match(help, /--\[no-\]double\s+off/);
});
