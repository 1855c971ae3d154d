import assert from "node:assert/strict";
import { envIds, make, registry } from "../../environments/mod.ts";

Deno.test("registry - ids, time limits and reward thresholds are Gymnasium's", () => {
  const table = Object.fromEntries(
    envIds.map((id) => [id, [registry[id].maxEpisodeSteps, registry[id].rewardThreshold]]),
  );
  assert.deepEqual(table, {
    "CartPole-v0": [200, 195],
    "CartPole-v1": [500, 475],
    "MountainCar-v0": [200, -110],
    "Pendulum-v1": [200, null],
    "Acrobot-v1": [500, -100],
    "FrozenLake-v1": [100, 0.7],
    "FrozenLake8x8-v1": [200, 0.85],
    "CliffWalking-v1": [null, null],
    "CliffWalkingSlippery-v1": [null, null],
  });
  assert.deepEqual(make("CartPole-v1").spec, {
    id: "CartPole-v1",
    maxEpisodeSteps: 500,
    rewardThreshold: 475,
    kwargs: {},
  });
});

Deno.test("registry - each env's render fps is Gymnasium's metadata render_fps", () => {
  const table = Object.fromEntries(envIds.map((id) => [id, make(id).metadata.renderFps]));
  assert.deepEqual(table, {
    "CartPole-v0": 50,
    "CartPole-v1": 50,
    "MountainCar-v0": 30,
    "Pendulum-v1": 30,
    "Acrobot-v1": 15,
    "FrozenLake-v1": 4,
    "FrozenLake8x8-v1": 4,
    "CliffWalking-v1": 4,
    "CliffWalkingSlippery-v1": 4,
  });
});

Deno.test("registry - make names an unknown id or option and says what would do", () => {
  assert.throws(
    () => make("CartPole-v2" as "CartPole-v1"),
    /unknown environment id "CartPole-v2"\. Did you mean CartPole-v/,
  );
  assert.throws(
    () => make("FrozenLake-v1", { is_slippery: false } as never),
    /FrozenLake-v1: unknown option "is_slippery"\. Did you mean isSlippery\?.*Options: desc, mapName, isSlippery/,
  );
  assert.throws(() => make("Acrobot-v1", { maxEpisodeSteps: 0 }), /maxEpisodeSteps must be a positive integer, got 0/);
});

Deno.test("registry - maxEpisodeSteps replaces the registered time limit", () => {
  const env = make("Pendulum-v1", { maxEpisodeSteps: 5 });
  env.reset({ seed: 0 });
  assert.deepEqual([0, 1, 2, 3, 4].map(() => env.step([0]).truncated), [false, false, false, false, true]);
  assert.equal(env.elapsedSteps, 5);
});

Deno.test("registry - an action outside the space is an error naming the value and the space", () => {
  const cartPole = make("CartPole-v1");
  cartPole.reset({ seed: 0 });
  assert.throws(() => cartPole.step(2), { message: "CartPole-v1: action 2 is not in Discrete(2)" });
  assert.throws(() => cartPole.step("1" as never), { message: 'CartPole-v1: action "1" is not in Discrete(2)' });
  assert.throws(() => cartPole.step(undefined as never), {
    message: "CartPole-v1: action undefined is not in Discrete(2)",
  });
  const mountainCar = make("MountainCar-v0");
  mountainCar.reset({ seed: 0 });
  assert.throws(() => mountainCar.step(1.5), { message: "MountainCar-v0: action 1.5 is not in Discrete(3)" });
  assert.throws(() => mountainCar.step([1] as never), { message: "MountainCar-v0: action [1] is not in Discrete(3)" });
  assert.equal(mountainCar.step(1).reward, -1, "the env is unusable after a rejected action");
});

Deno.test("registry - stepping before reset or after the episode ended is an error until reset", () => {
  const env = make("CartPole-v1");
  assert.throws(() => env.step(0), {
    message: "CartPole-v1: step() called but no episode has started; call reset() first",
  });
  env.reset({ options: { state: [0, 0, 0.2, 1] } });
  assert.equal(env.step(1).terminated, true);
  assert.throws(
    () => env.step(1),
    /CartPole-v1: step\(\) called but the episode terminated at step 1; call reset\(\) first/,
  );
  const short = make("CartPole-v1", { maxEpisodeSteps: 1 });
  short.reset({ seed: 0 });
  short.step(0);
  assert.throws(() => short.step(0), /was truncated at step 1 \(time limit 1\); call reset\(\) first/);
  short.reset();
  assert.equal(short.step(0).truncated, true);
});

Deno.test("registry - options.state must fit the env's internal state", () => {
  assert.throws(
    () => make("CartPole-v1").reset({ options: { state: [0, 0, 0] } }),
    /options\.state must be 4 finite numbers, got \[0, 0, 0\]/,
  );
  assert.throws(() => make("Pendulum-v1").reset({ options: { state: [0, NaN] } }), /must be 2 finite numbers/);
  assert.throws(
    () => make("FrozenLake-v1").reset({ options: { state: 16 } }),
    /must be a cell index in \[0, 16\), got 16/,
  );
  assert.throws(() => make("CliffWalking-v1").renderState(), /renderState\(\) called before reset\(\)/);
});
