import assert from "node:assert/strict";
import { make } from "../../environments/mod.ts";
import { replayGolden } from "./golden.ts";

Deno.test("pendulum - reproduces Gymnasium's trajectories, clipping actions, into the 200-step time limit", () => {
  const counts = replayGolden("Pendulum-v1");
  assert.ok(counts.truncated > 0, "no case runs into the time limit");
});

Deno.test("pendulum - reset draws theta from [-pi, pi] and its velocity from [-1, 1]", () => {
  const env = make("Pendulum-v1");
  const starts = Array.from({ length: 300 }, (_, seed) => {
    const { obs } = env.reset({ seed });
    const render = env.renderState();
    return [render.theta, obs[2]];
  });
  assert.ok(starts.every(([th, thdot]) => Math.abs(th) <= Math.PI && Math.abs(thdot) <= 1));
  assert.ok(starts.some(([th]) => th < -3) && starts.some(([th]) => th > 3), "theta does not span [-pi, pi]");
  const narrow = env.reset({ seed: 1, options: { xInit: 0.1, yInit: 0.01 } }).obs;
  assert.ok(Math.abs(Math.atan2(narrow[1], narrow[0])) <= 0.1 && Math.abs(narrow[2]) <= 0.01);
});

Deno.test("pendulum - the torque is clipped to [-2, 2] and costs -(theta^2 + 0.1 thdot^2 + 0.001 u^2)", () => {
  const env = make("Pendulum-v1");
  env.reset({ options: { state: [0.5, -1] } });
  const { reward } = env.step([10]);
  assert.equal(reward, -(0.5 * 0.5 + 0.1 * 1 + 0.001 * 4));
  assert.equal(env.renderState().lastU, 2);
  env.reset({ options: { state: [0, 0] } });
  assert.equal(Math.abs(env.step([0]).reward), 0, "upright, still and without torque should cost nothing");
});

Deno.test("pendulum - a malformed action names the value and the space", () => {
  const env = make("Pendulum-v1");
  env.reset({ seed: 0 });
  for (const action of [[1, 2], [NaN], 1, "1"]) {
    assert.throws(
      () => env.step(action as number[]),
      /^Error: Pendulum-v1: action .* is not in Box\(-2\.0, 2\.0, \(1,\), float32\)/,
    );
  }
});
