import { discountedReturns, gae } from "../../../lib/rl/returns.ts";
import { linearSchedule } from "../../../lib/rl/schedule.ts";
import { assertClose } from "../../helpers.ts";
import { Rng } from "../../../lib/rng.ts";
import assert from "node:assert/strict";

/** The textbook double loop: G_t = sum_k gamma^k r_{t+k} up to the end of t's episode. */
function naiveReturns(rewards: number[], dones: number[], gamma: number): number[] {
  return rewards.map((_, t) => {
    let total = 0;
    for (let k = t; k < rewards.length; k++) {
      total += gamma ** (k - t) * rewards[k];
      if (dones[k]) break;
    }
    return total;
  });
}

/** GAE by its definition: A_t = sum_l (gamma lambda)^l delta_{t+l}, stopping at episode ends. */
function naiveGae(r: number[], v: number[], nv: number[], d: number[], gamma: number, lambda: number): number[] {
  const delta = r.map((_, t) => r[t] + gamma * nv[t] - v[t]);
  return r.map((_, t) => {
    let total = 0;
    for (let k = t; k < r.length; k++) {
      total += (gamma * lambda) ** (k - t) * delta[k];
      if (d[k]) break;
    }
    return total;
  });
}

Deno.test("returns - reward-to-go matches the naive double loop, across episode ends", () => {
  const rng = new Rng(1);
  const rewards = Array.from({ length: 50 }, () => rng.normal());
  const dones = Array.from({ length: 50 }, (_, t) => (t % 13 === 12 ? 1 : 0));
  assertClose(discountedReturns(rewards, dones, 0.99), naiveReturns(rewards, dones, 0.99), { rtol: 1e-5, atol: 1e-5 });
  assertClose(discountedReturns([1, 1, 1], [0, 0, 1], 0.5), [1.75, 1.5, 1]);
});

Deno.test("returns - GAE matches its definition, and lambda = 1 gives returns minus values", () => {
  const rng = new Rng(2);
  const n = 40;
  const r = Array.from({ length: n }, () => rng.normal());
  const v = Array.from({ length: n }, () => rng.normal());
  const d = Array.from({ length: n }, (_, t) => (t % 11 === 10 ? 1 : 0));
  const nv = v.map((_, t) => (d[t] ? 0 : t + 1 < n ? v[t + 1] : 0.3)); // 0.3: bootstrap at the rollout's end
  const { advantages, returns } = gae({ rewards: r, values: v, nextValues: nv, dones: d }, {
    gamma: 0.99,
    gaeLambda: 0.95,
  });
  assertClose(advantages, naiveGae(r, v, nv, d, 0.99, 0.95), { rtol: 1e-4, atol: 1e-5 });
  assertClose(returns, Array.from(advantages, (a, t) => a + v[t]), { rtol: 1e-6, atol: 1e-6 });
  // Monte Carlo case: with lambda 1 and no bootstrapping, the value target is the discounted return.
  const terminalEnd = d.map((x, t) => (t === n - 1 ? 1 : x));
  const mc = gae(
    { rewards: r, values: v, nextValues: nv.map((x, t) => (terminalEnd[t] ? 0 : x)), dones: terminalEnd },
    {
      gamma: 0.9,
      gaeLambda: 1,
    },
  );
  assertClose(mc.returns, naiveReturns(r, terminalEnd, 0.9), { rtol: 1e-4, atol: 1e-4 });
});

Deno.test("schedule - linear from start to end, then held", () => {
  const epsilon = linearSchedule(1, 0.05, 100);
  assert.equal(epsilon(0), 1);
  assertClose(epsilon(50), 0.525);
  assertClose(epsilon(100), 0.05);
  assertClose(epsilon(1e6), 0.05);
  assert.throws(() => linearSchedule(1, 0, 0), /duration must be positive/);
});
