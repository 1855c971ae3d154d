/**
 * An environment checker after Gymnasium's `check_env` (gymnasium/utils/env_checker.py): it
 * drives a fresh env through the contract and throws on the first breach, naming it. Checked:
 * the spaces hold their own samples and everything the env returns; results have the right
 * types; the same seed gives the same generator and rollout, another seed another (the action
 * sampler is seeded from it too, so rollouts differ even where the dynamics are deterministic);
 * an unseeded reset continues the seeded stream; actions outside the action space (and wrongly
 * typed ones) throw an error naming the env and the space, and leave the state alone; stepping
 * before reset or after an episode ended throws; `renderState()` is plain JSON; `metadata` gives
 * a frame rate (Gymnasium's passive checker warns without one; here every replay needs it).
 */
import assert from "node:assert/strict";
import { deriveSeed } from "../lib/rng.ts";
import type { Env } from "./core.ts";
import { Box, Discrete } from "./spaces.ts";

export interface CheckEnvOptions {
  /** Seed of the first rollout (the second uses seed + 1). */
  seed?: number;
  /** Steps per determinism rollout. */
  steps?: number;
  /** Random steps allowed for one episode to end (the step-after-end check needs one). */
  maxEpisodeSteps?: number;
}

type AnyEnv = Env<unknown, unknown>;

/**
 * Seeds the action space apart from the env: two generators with one seed draw the same stream,
 * and actions that move in lockstep with the env's own draws (a slip, a start state) can walk a
 * different, even a never-ending, path.
 */
function seedActions(env: AnyEnv, seed: number): void {
  env.actionSpace.seed(deriveSeed(seed, "actions"));
}

/** Runs every check on a fresh (never reset) env; returns the names of the checks passed. */
export function checkEnv(
  env: AnyEnv,
  { seed = 123, steps = 100, maxEpisodeSteps = 100_000 }: CheckEnvOptions = {},
): string[] {
  const passed: string[] = [];
  const check = (name: string, body: () => void) => {
    try {
      body();
    } catch (error) {
      throw new Error(`checkEnv(${env.id}): ${name}: ${(error as Error).message}`, { cause: error });
    }
    passed.push(name);
  };
  check("spaces hold their own samples", () => checkSpaces(env, seed));
  check("step before reset throws", () => assert.throws(() => env.step(env.actionSpace.sample()), /reset/));
  check("reset returns an observation in the space", () => {
    const { obs, info } = env.reset({ seed });
    checkObs(env, obs);
    assert.ok(isPlainObject(info), `info is ${typeof info}, not an object`);
  });
  check("renderState is plain JSON", () => checkRenderState(env));
  check("metadata gives a render fps", () => {
    const fps = env.metadata?.renderFps;
    assert.ok(Number.isFinite(fps) && fps > 0, `metadata.renderFps is ${fps}, not a positive number`);
  });
  const generatorAfter = (s: number) => (env.reset({ seed: s }), env.rng.state());
  check("same seed gives the same rollout", () => {
    assert.deepEqual(generatorAfter(seed), generatorAfter(seed), "the env's generator differs for one seed");
    assert.deepEqual(rollout(env, seed, steps), rollout(env, seed, steps));
  });
  check("different seeds give different rollouts", () => {
    assert.notDeepEqual(generatorAfter(seed), generatorAfter(seed + 1), "the env's generator ignores the seed");
    assert.notDeepEqual(rollout(env, seed, steps), rollout(env, seed + 1, steps));
  });
  check("reset without a seed continues the seeded stream", () => {
    const afterSeed = () => {
      env.reset({ seed });
      seedActions(env, seed);
      return [plain(env.reset()), ...rollout(env, undefined, 3)];
    };
    assert.deepEqual(afterSeed(), afterSeed());
  });
  check("actions outside the space throw a clear error", () => checkBadActions(env, seed));
  check("step after the episode ended throws", () => checkStepAfterEnd(env, seed, maxEpisodeSteps));
  return passed;
}

function checkSpaces(env: AnyEnv, seed: number): void {
  for (const [name, space] of [["action", env.actionSpace], ["observation", env.observationSpace]] as const) {
    assert.ok(space instanceof Box || space instanceof Discrete, `${name} space ${space} is not a Box or Discrete`);
    space.seed(seed);
    for (let i = 0; i < 20; i++) {
      const x = space.sample();
      assert.ok(space.contains(x), `${name} space ${space} does not contain its sample ${x}`);
    }
  }
}

function checkObs(env: AnyEnv, obs: unknown): void {
  const space = env.observationSpace;
  if (space instanceof Box) assert.ok(obs instanceof Float32Array, "a Box observation is not a Float32Array");
  if (space instanceof Discrete) assert.ok(Number.isInteger(obs), "a Discrete observation is not an integer");
  assert.ok(space.contains(obs), `observation ${obs} is not in ${space}`);
}

/** Seeds env and action space (unless `seed` is undefined), then records `steps` random steps. */
function rollout(env: AnyEnv, seed: number | undefined, steps: number): unknown[] {
  const record: unknown[] = [];
  if (seed !== undefined) {
    seedActions(env, seed);
    record.push(plain(env.reset({ seed })));
  }
  for (let t = 0; t < steps; t++) {
    const action = env.actionSpace.sample();
    const result = env.step(action);
    checkObs(env, result.obs);
    assert.ok(Number.isFinite(result.reward), `reward ${result.reward} is not a finite number`);
    assert.equal(typeof result.terminated, "boolean", "terminated is not a boolean");
    assert.equal(typeof result.truncated, "boolean", "truncated is not a boolean");
    assert.ok(isPlainObject(result.info), "info is not an object");
    record.push(plain({ action, ...result }));
    if (result.terminated || result.truncated) record.push(plain(env.reset()));
  }
  return record;
}

function checkBadActions(env: AnyEnv, seed: number): void {
  const space = env.actionSpace;
  const bad: unknown[] = space instanceof Discrete
    ? [space.start + space.n, space.start - 1, space.start + 0.5, NaN, String(space.start), null, undefined, true]
    : space instanceof Box
    ? [new Array(space.size + 1).fill(0), new Array(space.size).fill(NaN), "0", null, undefined, 0, {}]
    : [];
  const expected = rollout(env, seed, 1).slice(0, 2); // the reset and the first step
  seedActions(env, seed);
  env.reset({ seed });
  for (const action of bad) {
    assert.throws(() => env.step(action), (error: Error) => {
      assert.ok(error.message.includes(env.id), `the error for action ${String(action)} does not name ${env.id}`);
      assert.ok(error.message.includes(String(space)), `the error for action ${String(action)} does not name ${space}`);
      return true;
    }, `action ${String(action)} did not throw`);
  }
  const action = env.actionSpace.sample();
  assert.deepEqual(
    [expected[0], plain({ action, ...env.step(action) })],
    expected,
    "a rejected action changed the state",
  );
}

function checkStepAfterEnd(env: AnyEnv, seed: number, maxEpisodeSteps: number): void {
  seedActions(env, seed);
  env.reset({ seed });
  for (let t = 0; t < maxEpisodeSteps; t++) {
    const { terminated, truncated } = env.step(env.actionSpace.sample());
    if (terminated || truncated) {
      assert.throws(() => env.step(env.actionSpace.sample()), /reset/);
      return;
    }
  }
  throw new Error(`no episode ended within ${maxEpisodeSteps} random steps`);
}

function checkRenderState(env: AnyEnv): void {
  const state = env.renderState();
  assert.equal(typeof state.kind, "string", "renderState() has no kind");
  assert.deepEqual(JSON.parse(JSON.stringify(state)), state, "renderState() does not survive JSON");
}

/** Typed arrays as plain arrays, so records compare with deepEqual. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v)));
}

function isPlainObject(x: unknown): boolean {
  return x !== null && typeof x === "object" && !Array.isArray(x);
}
