import assert from "node:assert/strict";
import { make } from "../../environments/mod.ts";
import { replayGolden } from "./golden.ts";

Deno.test("mountain_car - reproduces Gymnasium's trajectories step for step, into the 200-step time limit", () => {
  const counts = replayGolden("MountainCar-v0");
  assert.ok(counts.truncated > 0, "no case runs into the time limit");
});

Deno.test("mountain_car - reset puts the car in [-0.6, -0.4] at rest", () => {
  const env = make("MountainCar-v0");
  const starts = Array.from({ length: 200 }, (_, seed) => env.reset({ seed }).obs);
  assert.ok(starts.every(([p, v]) => p >= Math.fround(-0.6) && p <= Math.fround(-0.4) && v === 0));
  const positions = starts.map(([p]) => p);
  assert.ok(Math.min(...positions) < -0.59 && Math.max(...positions) > -0.41, "the draws do not span the interval");
});

Deno.test("mountain_car - the left wall stops the car and the flag ends the episode", () => {
  const env = make("MountainCar-v0");
  env.reset({ options: { state: [-1.19, -0.07] } });
  const wall = env.step(0);
  assert.deepEqual(Array.from(wall.obs), [Math.fround(-1.2), 0]);
  assert.equal(env.renderState().velocity, 0);
  env.reset({ options: { state: [0.49, 0.06] } });
  const flag = env.step(2);
  assert.deepEqual([flag.reward, flag.terminated, flag.truncated], [-1, true, false]);
  const picky = make("MountainCar-v0", { goalVelocity: 0.07 });
  picky.reset({ options: { state: [0.49, 0.06] } });
  assert.equal(picky.step(2).terminated, false, "goalVelocity is ignored");
});
