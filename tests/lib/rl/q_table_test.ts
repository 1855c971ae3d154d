import assert from "node:assert/strict";
import { QTable } from "../../../lib/rl/q_table.ts";
import { Rng } from "../../../lib/rng.ts";
import { assertClose } from "../../helpers.ts";

Deno.test("q-table - Q-learning and SARSA updates match a worked example", () => {
  // Sutton and Barto's update by hand: Q(0,1) = 0.5; Q(1,*) = [2, 4]; r = 1, alpha = 0.1, gamma = 0.9.
  const q = new QTable(2, 2);
  q.values.set([0, 0.5, 2, 4]);
  const step = { state: 0, action: 1, reward: 1, nextState: 1, terminated: false };
  const tdError = q.update(step, { alpha: 0.1, gamma: 0.9 }); // target 1 + 0.9 * 4 = 4.6
  assertClose(tdError, 4.1);
  assertClose(q.get(0, 1), 0.5 + 0.41);

  const sarsa = new QTable(2, 2);
  sarsa.values.set([0, 0.5, 2, 4]);
  sarsa.update({ ...step, nextAction: 0 }, { alpha: 0.1, gamma: 0.9 }); // target 1 + 0.9 * 2 = 2.8
  assertClose(sarsa.get(0, 1), 0.5 + 0.1 * 2.3);

  const terminal = new QTable(2, 2);
  terminal.values.set([0, 0.5, 2, 4]);
  terminal.update({ ...step, terminated: true }, { alpha: 0.1, gamma: 0.9 }); // target 1
  assertClose(terminal.get(0, 1), 0.5 + 0.1 * 0.5);
});

Deno.test("q-table - greedy breaks ties at random and epsilon 1 explores uniformly", () => {
  const q = new QTable(1, 4);
  const rng = new Rng(1);
  const picks = new Set(Array.from({ length: 100 }, () => q.greedy(0, rng)));
  assert.equal(picks.size, 4);
  q.values[2] = 1;
  assert.ok(Array.from({ length: 50 }, () => q.greedy(0, rng)).every((a) => a === 2));
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < 4000; i++) counts[q.epsilonGreedy(0, 1, rng)]++;
  assert.ok(counts.every((c) => c > 900 && c < 1100), counts.join());
});
