import assert from "node:assert/strict";
import { FrozenLake } from "../../environments/frozen_lake.ts";
import { make } from "../../environments/mod.ts";

const [LEFT, DOWN, RIGHT, UP] = [0, 1, 2, 3];

Deno.test("frozen_lake - walking the 4x4 map without slipping reaches the goal for reward 1", () => {
  const env = make("FrozenLake-v1", { isSlippery: false });
  assert.deepEqual(env.reset({ seed: 0 }), { obs: 0, info: { prob: 1 } });
  const path = [DOWN, DOWN, RIGHT, RIGHT, DOWN, RIGHT].map((a) => env.step(a));
  assert.deepEqual(path.map((r) => r.obs), [4, 8, 9, 10, 14, 15]);
  assert.deepEqual(path.map((r) => r.reward), [0, 0, 0, 0, 0, 1]);
  assert.deepEqual(path.map((r) => r.terminated), [false, false, false, false, false, true]);
  assert.deepEqual(path[5].info, { prob: 1 });
  assert.deepEqual(env.renderState(), {
    kind: "frozen_lake",
    map: ["SFFF", "FHFH", "FFFH", "HFFG"],
    row: 3,
    col: 3,
    lastAction: RIGHT,
  });
});

Deno.test("frozen_lake - falling into a hole ends the episode with reward 0", () => {
  const env = make("FrozenLake-v1", { isSlippery: false });
  env.reset();
  env.step(RIGHT);
  const hole = env.step(DOWN);
  assert.deepEqual([hole.obs, hole.reward, hole.terminated], [5, 0, true]);
});

Deno.test("frozen_lake - slippery ice moves as intended with probability 1/3, else sideways", () => {
  const env = new FrozenLake(); // cell 6 is row 1, col 2; LEFT slips UP to 2 or DOWN to 10, or falls in hole 5
  const sideways = (1 - 1 / 3) / 2; // Gymnasium's fail_rate: 0.33333333333333337, a hair above 1/3
  assert.deepEqual(env.P[6][LEFT], [
    { prob: sideways, nextState: 2, reward: 0, terminated: false },
    { prob: 1 / 3, nextState: 5, reward: 0, terminated: true },
    { prob: sideways, nextState: 10, reward: 0, terminated: false },
  ]);
  const counts = new Map<number, number>();
  env.reset({ seed: 1 });
  const trials = 3000;
  for (let i = 0; i < trials; i++) {
    env.reset({ options: { state: 6 } });
    const { obs } = env.step(LEFT);
    counts.set(obs, (counts.get(obs) ?? 0) + 1);
  }
  for (const cell of [2, 5, 10]) {
    const frequency = (counts.get(cell) ?? 0) / trials;
    assert.ok(Math.abs(frequency - 1 / 3) < 0.03, `cell ${cell}: frequency ${frequency}, expected 1/3`);
  }
  const sure = new FrozenLake({ successRate: 0.8 });
  assert.deepEqual(sure.P[6][UP].map((t) => t.prob), [0.09999999999999998, 0.8, 0.09999999999999998]);
});

Deno.test("frozen_lake - the 8x8 map, its time limits and reward thresholds are Gymnasium's", () => {
  const big = make("FrozenLake8x8-v1");
  assert.deepEqual([big.observationSpace.n, big.spec.maxEpisodeSteps, big.spec.rewardThreshold], [64, 200, 0.85]);
  const named = make("FrozenLake-v1", { mapName: "8x8", isSlippery: false });
  assert.deepEqual([named.observationSpace.n, named.spec.maxEpisodeSteps, named.spec.rewardThreshold], [64, 100, 0.7]);
  named.reset();
  const steps = Array.from({ length: 100 }, () => named.step(LEFT)); // against the wall, never ends
  assert.deepEqual(steps.map((r) => r.truncated).indexOf(true), 99);
  assert.equal(named.renderState().map[7], "FFFHFFFG");
});

Deno.test("frozen_lake - rewardSchedule sets the goal, hole and frozen rewards", () => {
  const env = make("FrozenLake-v1", { isSlippery: false, rewardSchedule: [10, -1, -0.1] });
  env.reset();
  assert.equal(env.step(RIGHT).reward, -0.1);
  assert.equal(env.step(DOWN).reward, -1);
});

Deno.test("frozen_lake - a custom map is used as given and a malformed one is refused", () => {
  const env = make("FrozenLake-v1", { desc: ["SH", "FG"], isSlippery: false });
  env.reset();
  env.step(DOWN);
  assert.deepEqual(env.step(RIGHT), { obs: 3, reward: 1, terminated: true, truncated: false, info: { prob: 1 } });
  assert.throws(() => make("FrozenLake-v1", { desc: ["SFX", "FFG"] }), /desc must be equal-length rows of S, F, H, G/);
  assert.throws(() => make("FrozenLake-v1", { mapName: "5x5" as "4x4" }), /unknown mapName "5x5"/);
});

Deno.test("frozen_lake - value iteration on P (gamma 0.99): v_*(start) = 0.542; its greedy policy succeeds with p = 0.740", () => {
  // Success: reaching the goal within the 100-step limit; Gymnasium's registry note says the optimum is "about 0.74".
  const { P } = new FrozenLake();
  const backup = (v: Float64Array, s: number, a: number, gamma: number) =>
    P[s][a].reduce((q, t) => q + t.prob * (t.reward + (t.terminated ? 0 : gamma * v[t.nextState])), 0);
  const v = new Float64Array(16); // v_*(s) for gamma 0.99, by sweeps of the Bellman optimality backup
  for (let sweep = 0; sweep < 2000; sweep++) {
    for (let s = 0; s < 16; s++) v[s] = Math.max(...[0, 1, 2, 3].map((a) => backup(v, s, a, 0.99)));
  }
  const greedy = v.map((_, s) => {
    const q = [0, 1, 2, 3].map((a) => backup(v, s, a, 0.99));
    return q.indexOf(Math.max(...q));
  });
  let occupancy = Float64Array.from({ length: 16 }, (_, s) => (s === 0 ? 1 : 0));
  let success = 0;
  for (let step = 0; step < 100; step++) { // the probability mass still walking, step by step
    const next = new Float64Array(16);
    occupancy.forEach((mass, s) => {
      for (const t of P[s][greedy[s]]) {
        if (!t.terminated) next[t.nextState] += mass * t.prob;
        else success += mass * t.prob * t.reward;
      }
    });
    occupancy = next;
  }
  assert.equal(v[0].toFixed(3), "0.542");
  assert.equal(success.toFixed(3), "0.740");
});
