/**
 * Ctrl-C or a polite kill in the RL labs, with real processes: the lab trains on to the next
 * point it can resume from exactly (DQN: an episode's end), checkpoints there and exits with 130;
 * resumed, it ends where an unstopped run ends, weights and evaluation alike.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { main } from "../../labs/dqn_cartpole.ts";
import { loadLatestCheckpoint } from "../../lib/checkpoint.ts";
import { readEvents, readRunInfo } from "../../lib/run/run_reader.ts";
import { cliCommand, runCli, withTempDir } from "../helpers.ts";
import { QUIET, runLab } from "./rl_lab_helpers.ts";

const FLAGS = [
  ...["--hidden-size", "32", "--total-timesteps", "3000", "--learning-starts", "200", "--train-frequency", "4"],
  ...["--gradient-steps", "1", "--target-update-interval", "50", "--checkpoint-every", "100000"],
  ...["--eval-every", "3000", "--eval-episodes", "5", "--log-every", "100", "--seed", "6"],
];

Deno.test("dqn-cartpole - SIGTERM checkpoints at the episode's end and stops; resumed, it ends as an unstopped run", async () => {
  await withTempDir(async (root) => {
    const unstopped = await runLab(main, join(root, "unstopped"), FLAGS);

    const runsDir = join(root, "stopped");
    const child = cliCommand(["lab", "dqn-cartpole", ...QUIET, ...FLAGS, "--runs-dir", runsDir]).spawn();
    let runDir = "";
    for (let waited = 0; waited < 60_000 && !runDir; waited += 50) { // until it has logged step 500
      await new Promise((r) => setTimeout(r, 50));
      const [entry] = await Array.fromAsync(Deno.readDir(runsDir)).catch(() => []);
      const events = entry ? await readEvents(join(runsDir, entry.name)).catch(() => []) : [];
      if (events.some((e) => e.step >= 500)) runDir = join(runsDir, entry!.name);
    }
    child.kill("SIGTERM");
    const status = await child.status;
    const stderr = new TextDecoder().decode(await new Response(child.stderr).arrayBuffer());
    await child.stdout.cancel();
    assert.equal(status.code, 130, stderr);
    assert.match(stderr, /Stopping at the end of this episode, with a checkpoint/);
    assert.equal((await readRunInfo(runDir)).status, "interrupted");
    const stoppedAt = (await loadLatestCheckpoint(join(runDir, "checkpoints"))).step;
    assert.ok(stoppedAt >= 500 && stoppedAt < 3000, `checkpointed at step ${stoppedAt}, before the end`);
    const episodeEnds = (await readEvents(runDir)).flatMap((e) =>
      e.kind === "scalar" && e.key === "charts/episodic_length" ? [e.step] : []
    );
    assert.ok(episodeEnds.includes(stoppedAt), `step ${stoppedAt} ends an episode`);

    const resumed = await runCli(["lab", "dqn-cartpole", "--resume", runDir, "--no-dashboard"]);
    assert.equal(resumed.code, 0, resumed.stderr);
    const [end, reference] = [
      await loadLatestCheckpoint(join(runDir, "checkpoints")),
      await loadLatestCheckpoint(join(unstopped, "checkpoints")),
    ];
    assert.equal(end.step, 3000);
    assert.deepEqual(end.tensors.online.map((t) => t.data), reference.tensors.online.map((t) => t.data));
    const summary = async (dir: string) => JSON.parse(await Deno.readTextFile(join(dir, "summary.json")));
    assert.equal((await summary(runDir))["eval/mean_return"], (await summary(unstopped))["eval/mean_return"]);
  });
});
