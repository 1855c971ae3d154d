import assert from "node:assert/strict";
import { make } from "../../environments/mod.ts";
import { replayGolden } from "./golden.ts";

Deno.test("cart_pole - reproduces Gymnasium's trajectories step for step, into termination", () => {
  const counts = replayGolden("CartPole-v1");
  assert.ok(counts.terminated > 0, "no case ends in termination");
});

Deno.test("cart_pole - reset draws every state variable uniformly from (-0.05, 0.05)", () => {
  const env = make("CartPole-v1");
  const values = Array.from({ length: 200 }, (_, seed) => Array.from(env.reset({ seed }).obs)).flat();
  assert.ok(values.every((v) => v > -0.05 && v < 0.05), "a start value outside (-0.05, 0.05)");
  assert.ok(Math.min(...values) < -0.045 && Math.max(...values) > 0.045, "the draws do not span the interval");
  const wide = Array.from(
    { length: 50 },
    (_, seed) => Array.from(env.reset({ seed, options: { low: -1, high: 1 } }).obs),
  );
  assert.ok(wide.flat().some((v) => Math.abs(v) > 0.5), "options.low/high do not widen the start");
  assert.throws(() => env.reset({ options: { low: 1, high: -1 } }), /lower bound \(1\) must be lower/);
});

Deno.test("cart_pole - a balancing controller runs into the 500-step time limit", () => {
  const env = make("CartPole-v1");
  let { obs } = env.reset({ seed: 0 });
  let steps = 0, episodeReturn = 0, truncated = false, terminated = false, reward = 0;
  while (!truncated && !terminated) {
    const [x, xDot, theta, thetaDot] = obs;
    ({ obs, reward, truncated, terminated } = env.step(theta + 0.5 * thetaDot + 0.01 * x + 0.1 * xDot > 0 ? 1 : 0));
    steps += 1;
    episodeReturn += reward;
  }
  assert.deepEqual({ steps, episodeReturn, terminated, truncated }, {
    steps: 500,
    episodeReturn: 500,
    terminated: false,
    truncated: true,
  });
  assert.equal(make("CartPole-v0").spec.maxEpisodeSteps, 200);
});

Deno.test("cart_pole - Sutton-Barto reward is 0 per step and -1 when the pole falls", () => {
  const env = make("CartPole-v1", { suttonBartoReward: true });
  env.reset({ options: { state: [0, 0, 0.2, 2] } });
  const first = env.step(1);
  assert.deepEqual([first.reward, first.terminated], [-1, true]);
  env.reset({ options: { state: [0, 0, 0, 0] } });
  assert.equal(env.step(1).reward, 0);
});

Deno.test("cart_pole - the state is float64 and the observation its float32 cast", () => {
  const env = make("CartPole-v1");
  const state = [0.1, 0.2, 0.01, -0.3];
  const { obs } = env.reset({ options: { state } });
  assert.deepEqual(Array.from(obs), state.map(Math.fround));
  assert.deepEqual(env.renderState(), {
    kind: "cart_pole",
    x: 0.1,
    theta: 0.01,
    xThreshold: 2.4,
    thetaThresholdRadians: (12 * 2 * Math.PI) / 360,
    length: 0.5,
  });
  // One Euler step by hand: x <- x + tau * x_dot, theta <- theta + tau * theta_dot.
  env.step(0);
  assert.equal(env.renderState().x, 0.1 + 0.02 * 0.2);
});
