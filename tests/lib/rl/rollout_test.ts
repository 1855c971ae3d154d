import assert from "node:assert/strict";
import { explainedVariance, Rollout } from "../../../lib/rl/rollout.ts";
import { Rng } from "../../../lib/rng.ts";
import { assertClose } from "../../helpers.ts";

/** GAE of one copy's steps by the definition, with the bootstrap rules spelt out. */
function naiveAdvantages(
  s: { r: number[]; v: number[]; terminated: boolean[]; truncated: boolean[]; finalV: number[] },
  last: number,
  gamma: number,
  lambda: number,
): number[] {
  const T = s.r.length;
  const ended = (l: number) => s.terminated[l] || s.truncated[l];
  const nextV = (l: number) => s.terminated[l] ? 0 : s.truncated[l] ? s.finalV[l] : l < T - 1 ? s.v[l + 1] : last;
  const delta = s.r.map((r, l) => r + gamma * nextV(l) - s.v[l]);
  return s.r.map((_, t) => {
    let total = 0;
    for (let l = t; l < T; l++) {
      total += (gamma * lambda) ** (l - t) * delta[l];
      if (ended(l)) break;
    }
    return total;
  });
}

Deno.test("rollout - GAE per copy with terminations cut and truncations bootstrapped, as by definition", () => {
  const [N, T, gamma, lambda] = [3, 7, 0.9, 0.8];
  const rng = new Rng(4);
  const copies = Array.from({ length: N }, () => ({
    r: Array.from({ length: T }, () => rng.normal()),
    v: Array.from({ length: T }, () => rng.normal()),
    terminated: Array.from({ length: T }, () => rng.uniform() < 0.2),
    truncated: Array.from({ length: T }, () => rng.uniform() < 0.2),
    finalV: Array.from({ length: T }, () => 10 + rng.normal()),
  }));
  copies[0].terminated[6] = true; // an episode ending on the segment's last step
  copies[1].truncated[2] = true;
  copies[1].terminated[2] = false;
  const rollout = new Rollout({ numEnvs: N, numSteps: T, obsSize: 2, actionSize: 1 });
  for (let t = 0; t < T; t++) {
    rollout.add(t, {
      obs: copies.flatMap((_, i) => [i, t]),
      actions: copies.map((_, i) => i * 10 + t),
      logProbs: copies.map(() => -0.5),
      values: copies.map((c) => c.v[t]),
      rewards: copies.map((c) => c.r[t]),
      terminated: copies.map((c) => c.terminated[t]),
      truncated: copies.map((c) => c.truncated[t]),
      finalValues: copies.map((c) => c.finalV[t]),
    });
  }
  const last = [0.5, -1, 2];
  const { advantages, returns } = rollout.advantages(last, { gamma, gaeLambda: lambda });
  const expected = copies.flatMap((c, i) => naiveAdvantages(c, last[i], gamma, lambda));
  assertClose(advantages, expected, { rtol: 1e-5, atol: 1e-5 });
  assertClose(returns, expected.map((a, k) => a + rollout.values[k]), { rtol: 1e-5, atol: 1e-5 });
  // env-major layout: entry i * T + t is copy i's step t
  assert.deepEqual(Array.from(rollout.obs.subarray(2 * (1 * T + 4), 2 * (1 * T + 4) + 2)), [1, 4]);
  assert.equal(rollout.actions[2 * T + 5], 25);
  // advantages() can be called again: it does not overwrite what was stored
  assert.deepEqual(rollout.advantages(last, { gamma, gaeLambda: lambda }).advantages, advantages);
});

Deno.test("rollout - a truncation needs its final value; bad sizes and steps are clear errors", () => {
  const rollout = new Rollout({ numEnvs: 1, numSteps: 2, obsSize: 1, actionSize: 1 });
  const step = { obs: [0], actions: [0], logProbs: [0], values: [0], rewards: [1], terminated: [false] };
  assert.throws(() => rollout.add(0, { ...step, truncated: [true] }), /copy 0 was truncated without finalValues/);
  assert.throws(() => rollout.add(2, { ...step, truncated: [false] }), /step 2 outside 0\.\.1/);
  assert.throws(() => new Rollout({ numEnvs: 0, numSteps: 2, obsSize: 1, actionSize: 1 }), /positive integers/);
});

Deno.test("rollout - explained variance is 1 for a perfect critic, 0 for a constant one", () => {
  const returns = [1, 2, 3, 4];
  assertClose(explainedVariance(returns, returns), 1);
  assertClose(explainedVariance([2.5, 2.5, 2.5, 2.5], returns), 0);
  assertClose(explainedVariance([0, 0, 0, 0], returns), 0);
  assertClose(explainedVariance([1, 2, 3, 5], returns), 1 - 0.1875 / 1.25);
  assert.ok(Number.isNaN(explainedVariance([1, 2], [3, 3])));
});
