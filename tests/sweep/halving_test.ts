/** Successive halving's rung decision, from trial results alone. */
import assert from "node:assert/strict";
import type { Trial } from "../../lib/sweep/manifest.ts";
import { nextRung } from "../../sweep/halving.ts";
import { manifestOf } from "../lib/sweep/sweep_fixtures.ts";

const settings = ["s01", "s02", "s03", "s04", "s05", "s06"].map((id) => ({ id, values: {}, args: [] }));
const halving = { flag: "epochs", budgets: [1, 3, 9], eta: 3 };

/** Two seeds per setting at `budget`, with the given mean (seeds at mean - 0.1 and mean + 0.1). */
function trialsAt(budget: number, means: Record<string, number>): Trial[] {
  return Object.entries(means).flatMap(([setting, mean], i) =>
    [0, 1].map((j) => ({
      id: `t${i}${j}`,
      setting,
      seed: j + 1,
      status: "done" as const,
      budget,
      results: [{ budget, metric: mean + (j ? 0.1 : -0.1) }],
      attempts: [],
    }))
  );
}

Deno.test("halving - keeps the best floor(n / eta) settings by mean, in the lab's direction, at the next budget", () => {
  const means = { s01: 5, s02: 1, s03: 4, s04: 2, s05: 6, s06: 3 };
  const lower = nextRung(manifestOf({ settings, halving, better: "lower" }), trialsAt(1, means))!;
  assert.equal(lower.budget, 3);
  assert.deepEqual(lower.kept, ["s02", "s04"]); // 6 / 3 = 2 kept
  assert.deepEqual(lower.stopped, ["s01", "s03", "s05", "s06"]);
  assert.deepEqual(lower.trials.map((t) => [t.setting, t.seed, t.budget]), [
    ["s02", 1, 3],
    ["s02", 2, 3],
    ["s04", 1, 3],
    ["s04", 2, 3],
  ]);
  const higher = nextRung(manifestOf({ settings, halving, better: "higher" }), trialsAt(1, means))!;
  assert.deepEqual(higher.kept, ["s05", "s01"]);
});

Deno.test("halving - at least one setting goes on; none after the last budget; failed trials are not continued", () => {
  const two = nextRung(manifestOf({ settings, halving, better: "higher" }), trialsAt(3, { s01: 1, s02: 2 }))!;
  assert.deepEqual([two.budget, two.kept], [9, ["s02"]]);
  assert.equal(nextRung(manifestOf({ settings, halving }), trialsAt(9, { s01: 1 })), null);
  const withFailure = trialsAt(1, { s01: 1, s02: 2, s03: 3 });
  withFailure[5] = { ...withFailure[5], status: "failed", results: [] };
  const rung = nextRung(manifestOf({ settings, halving, better: "higher" }), withFailure)!;
  assert.deepEqual(rung.kept, ["s03"]); // its one finished seed (3.1) still ranks it first
  assert.deepEqual(rung.trials.map((t) => t.id), ["t20"]);
});
