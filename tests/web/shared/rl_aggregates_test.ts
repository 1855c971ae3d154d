/** The seeds' RL figures: final and best per seed, and IQM and mean with seeded bootstrap intervals. */
import assert from "node:assert/strict";
import { bootstrap } from "../../../lib/stats/bootstrap.ts";
import { iqmSorted } from "../../../lib/stats/iqm.ts";
import { AGGREGATE_BOOTSTRAP, groupScores, seedScore } from "../../../web/shared/rl_aggregates.ts";

Deno.test("rl aggregates - a seed's final is its last finite evaluation, its best the highest and where", () => {
  const series = { step: [10, 20, 30, 40, 50], value: [5, 90, 40, 60, null] };
  assert.deepEqual(seedScore("r", series), { runId: "r", final: 60, finalStep: 40, best: 90, bestStep: 20 });
  assert.equal(seedScore("r", { step: [], value: [] }), null);
});

Deno.test("rl aggregates - per group: IQM of the finals with the seeded bootstrap's interval; runs without evals left out", () => {
  const finals: Record<string, number[]> = { a: [100], b: [300], c: [200], d: [500], e: [0], f: [] };
  const group = { key: "g", label: "lr=0.1", runIds: ["a", "b", "c", "d", "e", "f"] };
  const [scores] = groupScores([group], (id) => ({ step: finals[id].map((_, i) => i), value: finals[id] }));
  assert.deepEqual(scores.seeds.map((s) => s.runId), ["a", "b", "c", "d", "e"]);
  assert.equal(scores.final.iqm.estimate, 200); // n = 5: one cut from each end, mean(100, 200, 300)
  assert.equal(scores.final.mean.estimate, 220);
  assert.equal(scores.final.median, 200);
  assert.deepEqual(scores.final.iqm, bootstrap([100, 300, 200, 500, 0], iqmSorted, AGGREGATE_BOOTSTRAP));
  assert.ok(scores.final.iqm.low < 200 && scores.final.iqm.high > 200);
  assert.deepEqual(groupScores([{ ...group, runIds: ["f"] }], (id) => ({ step: [], value: finals[id] })), []);
});
