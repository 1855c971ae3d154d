/**
 * Recording an episode for the dashboard's replay: what the run writer writes for each
 * registered env is the env's render states, its rewards and its frame rate.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { envIds, make } from "../../../environments/mod.ts";
import { recordEpisode } from "../../../lib/rl/evaluate.ts";
import { readEvents } from "../../../lib/run/run_reader.ts";
import { RunWriter } from "../../../lib/run/run_writer.ts";
import { withTempDir } from "../../helpers.ts";

Deno.test("recordEpisode - the record written for every registered env carries its frames, rewards and render fps", async () => {
  await withTempDir(async (runsDir) => {
    const run = await RunWriter.create({
      runsDir,
      lab: "test",
      title: "test",
      config: {},
      spec: {},
      backend: { name: "cpu", reason: "test" },
      headline: "eval/mean_return",
      totalSteps: envIds.length,
    });
    for (const [step, id] of envIds.entries()) {
      const env = make(id, { maxEpisodeSteps: 4 });
      env.actionSpace.seed(step);
      await run.episode(step, "eval/episode", await recordEpisode(env, () => env.actionSpace.sample() as never, step));
    }
    await run.finish(envIds.length, {});
    const episodes = (await readEvents(run.dir)).filter((e) => e.kind === "episode");
    assert.deepEqual(episodes.map((e) => e.env), envIds);
    for (const [step, id] of envIds.entries()) {
      const record = JSON.parse(await Deno.readTextFile(join(run.dir, episodes[step].path)));
      assert.equal(record.env, id);
      assert.equal(record.fps, make(id).metadata.renderFps, id);
      assert.equal(record.frames.length, record.rewards.length + 1, id);
      const replayed = make(id);
      replayed.reset({ seed: step });
      assert.deepEqual(record.frames[0], replayed.renderState(), `${id}: the first frame is the seeded start state`);
    }
  });
});
