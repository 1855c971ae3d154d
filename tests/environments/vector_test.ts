import assert from "node:assert/strict";
import { make, makeVec } from "../../environments/mod.ts";
import { Rng } from "../../lib/rng.ts";

Deno.test("vector - copies seeded seed + i step as single envs do, reset in the same step their episode ends", () => {
  const numEnvs = 3;
  const vec = makeVec("CartPole-v1", { numEnvs });
  const singles = Array.from({ length: numEnvs }, () => make("CartPole-v1"));
  const { obs } = vec.reset({ seed: 10 });
  assert.deepEqual(Array.from(obs), singles.flatMap((env, i) => Array.from(env.reset({ seed: 10 + i }).obs)));
  const rng = new Rng(0);
  let ended = 0;
  for (let t = 0; t < 300; t++) {
    const actions = singles.map(() => rng.int(2));
    const step = vec.step(actions);
    singles.forEach((env, i) => {
      const single = env.step(actions[i]);
      const done = single.terminated || single.truncated;
      assert.deepEqual([step.rewards[i], step.terminated[i], step.truncated[i]], [
        single.reward,
        single.terminated,
        single.truncated,
      ]);
      assert.deepEqual(step.finalObs[i], done ? single.obs : null, `step ${t} copy ${i}: finalObs`);
      const next = done ? env.reset().obs : single.obs;
      assert.deepEqual(Array.from(step.obs.subarray(4 * i, 4 * i + 4)), Array.from(next), `step ${t} copy ${i}: obs`);
      ended += done ? 1 : 0;
    });
  }
  assert.ok(ended >= 10, `only ${ended} episodes ended in 300 random steps`);
});

Deno.test("vector - episode stats sum the rewards and count the steps of each ended episode", () => {
  const vec = makeVec("MountainCar-v0", { numEnvs: 2 });
  vec.reset({ seed: 0 });
  const episodes = [];
  for (let t = 0; t < 400; t++) episodes.push(...vec.step([1, 1]).episodes);
  assert.deepEqual(episodes.map((e) => [e.env, e.return, e.length, e.terminated]), [
    [0, -200, 200, false],
    [1, -200, 200, false],
    [0, -200, 200, false],
    [1, -200, 200, false],
  ]);
});

Deno.test("vector - Box actions may come as one flat array or one array per copy", () => {
  const flat = makeVec("Pendulum-v1", { numEnvs: 2 }), nested = makeVec("Pendulum-v1", { numEnvs: 2 });
  flat.reset({ seed: 5 });
  nested.reset({ seed: 5 });
  const a = flat.step(new Float32Array([1.5, -0.5]));
  const b = nested.step([[1.5], [-0.5]]);
  assert.deepEqual([Array.from(a.obs), Array.from(a.rewards)], [Array.from(b.obs), Array.from(b.rewards)]);
  assert.notDeepEqual(Array.from(a.obs.subarray(0, 3)), Array.from(a.obs.subarray(3, 6)));
});

Deno.test("vector - Discrete observations batch into an Int32Array, one per copy", () => {
  const vec = makeVec("FrozenLake-v1", { numEnvs: 4, isSlippery: false });
  const { obs } = vec.reset();
  assert.ok(obs instanceof Int32Array);
  assert.deepEqual(Array.from(vec.step([1, 2, 0, 1]).obs), [4, 1, 0, 4]);
});

Deno.test("vector - the wrong number of actions or a bad action names the copy and the space", () => {
  const vec = makeVec("CartPole-v1", { numEnvs: 2 });
  vec.reset({ seed: 0 });
  assert.throws(() => vec.step([0]), { message: "CartPole-v1 vector env: expected 2 actions, got 1" });
  const before = vec.envs.map((env) => env.renderState());
  const message = "vector env copy 1 of 2: CartPole-v1: action 2 is not in Discrete(2)";
  assert.throws(() => vec.step([0, 2]), { message });
  assert.deepEqual(vec.envs.map((env) => env.renderState()), before, "a rejected batch stepped a copy");
  const pendulums = makeVec("Pendulum-v1", { numEnvs: 2 });
  pendulums.reset();
  assert.throws(
    () => pendulums.step([[0], [NaN]]),
    /copy 1 of 2: Pendulum-v1: action \[NaN\] is not in Box\(-2\.0, 2\.0/,
  );
  assert.throws(() => makeVec("CartPole-v1", { numEnvs: 0 }), /numEnvs must be a positive integer, got 0/);
});
