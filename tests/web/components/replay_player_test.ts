/**
 * The replay's frame rate comes from the episode record, where recordEpisode puts the env's
 * Gymnasium `render_fps`; the dashboard knows no env's rate itself.
 */
import assert from "node:assert/strict";
import { envIds, make } from "../../../environments/mod.ts";
import { recordEpisode } from "../../../lib/rl/evaluate.ts";
import { secondsPerFrame } from "../../../web/components/replay_player.tsx";

Deno.test("replay_player - every registered env's recorded episode plays at the env's render fps", async () => {
  for (const id of envIds) {
    const env = make(id, { maxEpisodeSteps: 3 });
    env.actionSpace.seed(0);
    const record = await recordEpisode(env, () => env.actionSpace.sample() as never, 0);
    assert.equal(secondsPerFrame(record), 1 / make(id).metadata.renderFps, id);
  }
  assert.equal(secondsPerFrame({ fps: 50 }), 0.02);
});

Deno.test("replay_player - a record without a usable fps (written before records had one) plays at 30", () => {
  for (const fps of [undefined, 0, -4, NaN, Infinity, "50" as unknown as number]) {
    assert.equal(secondsPerFrame({ fps }), 1 / 30, String(fps));
  }
});
