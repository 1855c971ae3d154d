import assert from "node:assert/strict";
import { make } from "../../environments/mod.ts";
import { assertClose } from "../helpers.ts";
import { replayGolden } from "./golden.ts";

Deno.test("acrobot - reproduces Gymnasium's RK4 trajectories step for step, into the 500-step time limit", () => {
  const counts = replayGolden("Acrobot-v1");
  assert.ok(counts.truncated > 0, "no case runs into the time limit");
});

Deno.test("acrobot - reset draws float32 angles and velocities from [-0.1, 0.1]", () => {
  const env = make("Acrobot-v1");
  const states = Array.from({ length: 200 }, (_, seed) => {
    const { obs } = env.reset({ seed });
    const render = env.renderState();
    return [render.theta1, render.theta2, obs[4], obs[5]];
  });
  const values = states.flat();
  assert.ok(values.every((v) => Math.abs(v) <= 0.1 && Math.fround(v) === v), "a start value outside [-0.1, 0.1]");
  assert.ok(Math.min(...values) < -0.095 && Math.max(...values) > 0.095, "the draws do not span the interval");
});

Deno.test("acrobot - angles wrap to [-pi, pi] and velocities are bounded to 4pi and 9pi", () => {
  const env = make("Acrobot-v1").unwrapped; // the swing may reach the line; keep stepping
  env.reset({ options: { state: [3.1, -3.1, 12.5, -28] } });
  for (let t = 0; t < 20; t++) {
    const { obs } = env.step(2);
    const render = env.renderState();
    assert.ok(Math.abs(render.theta1) <= Math.PI && Math.abs(render.theta2) <= Math.PI, `step ${t}: angle not wrapped`);
    assert.ok(Math.abs(obs[4]) <= Math.fround(4 * Math.PI) && Math.abs(obs[5]) <= Math.fround(9 * Math.PI));
  }
});

Deno.test("acrobot - reaching the line terminates with reward 0, other steps give -1", () => {
  const env = make("Acrobot-v1");
  env.reset({ options: { state: [Math.PI, 0, 0, 0] } }); // both links straight up
  const up = env.step(1);
  assert.deepEqual([up.reward, up.terminated], [0, true]);
  env.reset({ options: { state: [0, 0, 0, 0] } }); // hanging down
  const still = env.step(1);
  assert.deepEqual([still.reward, still.terminated], [-1, false]);
  assertClose(still.obs, [1, 0, 1, 0, 0, 0], { atol: 1e-12 }); // cos(-pi/2) is 6e-17, not 0
});
