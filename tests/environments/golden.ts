/**
 * Replays Gymnasium's reference trajectories (tests/fixtures/gymnasium/<id>.json, recorded from
 * Gymnasium 1.4.0; format in shared/fixtures/README.md): each case starts from its `reset_state`,
 * takes its actions, and must give Gymnasium's observations (float32, to 1e-5 relative), rewards
 * and terminated/truncated flags at every step, the time limit included.
 */
import assert from "node:assert/strict";
import { make } from "../../environments/mod.ts";
import { assertClose } from "../helpers.ts";

export type GoldenId = "CartPole-v1" | "MountainCar-v0" | "Acrobot-v1" | "Pendulum-v1";

interface GoldenStep {
  action: number | number[];
  obs: number[];
  reward: number;
  terminated: boolean;
  truncated: boolean;
}

interface GoldenCase {
  env: string;
  seed: number;
  reset_obs: number[];
  reset_state: number[];
  steps: GoldenStep[];
}

export function loadGolden(id: GoldenId): GoldenCase[] {
  const url = new URL(`../fixtures/gymnasium/${id}.json`, import.meta.url);
  const cases: GoldenCase[] = JSON.parse(Deno.readTextFileSync(url)).cases;
  assert.ok(cases.length > 0, `${id}: no cases in the fixture`);
  return cases;
}

/** Replays every case; returns how many steps ended in termination and in truncation. */
export function replayGolden(id: GoldenId): { steps: number; terminated: number; truncated: number } {
  const counts = { steps: 0, terminated: 0, truncated: 0 };
  for (const c of loadGolden(id)) {
    assert.equal(c.env, id);
    // make(id) as any: each id's action type differs, and the fixture's actions are JSON.
    // deno-lint-ignore no-explicit-any
    const env = make(id) as any;
    const reset = env.reset({ options: { state: c.reset_state } });
    assertClose(reset.obs, c.reset_obs);
    c.steps.forEach((expected, t) => {
      const where = `${id} seed ${c.seed} step ${t}`;
      const got = env.step(expected.action);
      assert.ok(got.obs instanceof Float32Array, `${where}: the observation is not a Float32Array`);
      try {
        assertClose(got.obs, expected.obs, { rtol: 1e-5, atol: 1e-6 });
        assertClose(got.reward, expected.reward, { rtol: 1e-9, atol: 1e-9 });
      } catch (error) {
        throw new Error(`${where}: ${(error as Error).message}`);
      }
      assert.equal(got.terminated, expected.terminated, `${where}: terminated`);
      assert.equal(got.truncated, expected.truncated, `${where}: truncated`);
    });
    const last = c.steps[c.steps.length - 1];
    counts.steps += c.steps.length;
    counts.terminated += last.terminated ? 1 : 0;
    counts.truncated += last.truncated ? 1 : 0;
  }
  return counts;
}
