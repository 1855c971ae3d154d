import assert from "node:assert/strict";
import { makeVec } from "../../../environments/mod.ts";
import { ActionLog } from "../../../lib/rl/action_log.ts";
import { Rng } from "../../../lib/rng.ts";

Deno.test("action_log - replaying the logged actions reaches the same env state, bit for bit", () => {
  for (
    const [id, actionOf] of [
      ["CartPole-v1", (rng: Rng) => rng.int(2)],
      ["Pendulum-v1", (rng: Rng) => 5 * rng.normal()], // outside [-2, 2] too: the env clips
    ] as const
  ) {
    const vec = makeVec(id, { numEnvs: 3 });
    const rng = new Rng(9);
    const log = new ActionLog(3);
    let obs = vec.reset({ seed: 11 }).obs;
    let episodes = 0;
    for (let t = 0; t < 700; t++) {
      const actions = Float32Array.from({ length: 3 }, () => actionOf(rng));
      log.push(actions);
      const step = vec.step(actions);
      obs = step.obs;
      episodes += step.episodes.length;
    }
    assert.ok(episodes > 0, `${id}: some episodes ended (autoresets are replayed too)`);
    const restored = ActionLog.fromArray(structuredClone(log.toArray()));
    assert.equal(restored.steps, 700);
    const fresh = makeVec(id, { numEnvs: 3 });
    assert.deepEqual(restored.replay(fresh, 11), obs, id);
    // The replayed envs continue exactly as the originals do.
    const next = Float32Array.from({ length: 3 }, () => actionOf(rng));
    assert.deepEqual(fresh.step(next), vec.step(next), id);
    assert.notDeepEqual(restored.replay(makeVec(id, { numEnvs: 3 }), 12), obs, `${id}: the seed matters`);
  }
});

Deno.test("action_log - rejects rows of the wrong size and arrays that are not whole rows", () => {
  const log = new ActionLog(4);
  assert.throws(() => log.push([1, 2]), /expected 4 numbers, got 2/);
  assert.throws(() => new ActionLog(3, new Float32Array(4)), /4 logged numbers are not whole rows of 3/);
  for (let i = 0; i < 600; i++) log.push([i, i, i, i]); // grows past its first 1,024 numbers
  assert.deepEqual(Array.from(log.toArray().data.subarray(-4)), [599, 599, 599, 599]);
  assert.deepEqual(log.toArray().shape, [600, 4]);
});
