import assert from "node:assert/strict";
import { checkEnv, type Env, envIds, type MadeEnv, make } from "../../environments/mod.ts";

Deno.test("check_env - every registered env passes every check", () => {
  for (const id of envIds) {
    assert.deepEqual(checkEnv(make(id)), [
      "spaces hold their own samples",
      "step before reset throws",
      "reset returns an observation in the space",
      "renderState is plain JSON",
      "metadata gives a render fps",
      "same seed gives the same rollout",
      "different seeds give different rollouts",
      "reset without a seed continues the seeded stream",
      "actions outside the space throw a clear error",
      "step after the episode ended throws",
    ], id);
  }
});

/** CartPole-v1 with part of its contract replaced by `change(env)`. */
function broken(change: (env: MadeEnv<"CartPole-v1">) => Partial<Env<Float32Array, number>>): Env<unknown, unknown> {
  const env = make("CartPole-v1");
  return {
    id: env.id,
    actionSpace: env.actionSpace,
    observationSpace: env.observationSpace,
    metadata: env.metadata,
    get rng() {
      return env.rng;
    },
    reset: (args) => env.reset(args),
    step: (action) => env.step(action as number),
    renderState: () => env.renderState(),
    ...change(env),
  } as Env<unknown, unknown>;
}

Deno.test("check_env - catches an env that ignores the seed", () => {
  const unseeded = broken((env) => ({ reset: ({ options } = {}) => env.reset({ options }) }));
  assert.throws(() => checkEnv(unseeded), /checkEnv\(CartPole-v1\): same seed gives the same rollout/);
});

Deno.test("check_env - catches an env without a frame rate for its replays", () => {
  const silent = broken(() => ({ metadata: {} as never }));
  assert.throws(() => checkEnv(silent), /metadata gives a render fps: metadata\.renderFps is undefined/);
  const frozen = broken(() => ({ metadata: { renderFps: 0 } }));
  assert.throws(() => checkEnv(frozen), /metadata\.renderFps is 0, not a positive number/);
});

Deno.test("check_env - catches an env that takes actions outside its space", () => {
  const lenient = broken((env) => ({ step: (action) => env.step(action === 1 ? 1 : 0) }));
  assert.throws(() => checkEnv(lenient), /actions outside the space throw a clear error: .*action 2 did not throw/);
});

Deno.test("check_env - catches an observation outside the space", () => {
  const wild = broken((env) => ({
    reset: (args) => {
      const { obs, info } = env.reset(args);
      return { obs: obs.map((x) => x * 1000), info };
    },
  }));
  assert.throws(() => checkEnv(wild), /reset returns an observation in the space: observation .* is not in Box/);
});
