/** The sweep report: mean and sample std by hand, best first in the lab's direction, halving's budgets. */
import assert from "node:assert/strict";
import type { Trial } from "../../../lib/sweep/manifest.ts";
import { formatMeanStd, meanStd, sweepReport } from "../../../lib/sweep/report.ts";
import { assertClose } from "../../helpers.ts";
import { manifestOf } from "./sweep_fixtures.ts";

const trial = (id: string, setting: string, seed: number, results: Trial["results"], patch: Partial<Trial> = {}) =>
  ({ id, setting, seed, status: "done", results, attempts: [], ...patch }) as Trial;

Deno.test("report - mean and sample standard deviation (n - 1) of three values, by hand", () => {
  // mean 2; squared deviations 1, 0, 1; variance 2 / (3 - 1) = 1
  assert.deepEqual(meanStd([1, 2, 3]), { mean: 2, std: 1 });
  assert.deepEqual(meanStd([5]), { mean: 5, std: null });
  assert.deepEqual(meanStd([]), { mean: null, std: null });
  assert.equal(formatMeanStd({ mean: 105.4012, std: 0.13071 }), "105.4 ± 0.1307");
});

Deno.test("report - settings best first by the lab's direction; failed and open trials counted, not averaged", () => {
  const manifest = manifestOf({
    seeds: [1, 2],
    trials: [
      trial("t001", "s01", 1, [{ metric: 0.5 }]),
      trial("t002", "s01", 2, [{ metric: 0.7 }]),
      trial("t003", "s02", 1, [{ metric: 0.9 }]),
      trial("t004", "s02", 2, [], { status: "failed", error: "exit 1" }),
    ],
  });
  const higher = sweepReport(manifest);
  assert.deepEqual(higher.rows.map((r) => r.setting), ["s02", "s01"]);
  const [s02, s01] = higher.rows;
  assert.equal(s02.mean, 0.9);
  assert.equal(s02.std, null);
  assert.equal(s02.n, 1);
  assert.equal(s02.failed, 1);
  assertClose(s01.mean!, 0.6);
  assertClose(s01.std!, Math.sqrt(((0.5 - 0.6) ** 2 + (0.7 - 0.6) ** 2) / 1));
  assert.deepEqual(sweepReport({ ...manifest, better: "lower" }).rows.map((r) => r.setting), ["s01", "s02"]);
});

Deno.test("report - under halving each setting is compared at the budget it reached, stopped ones after", () => {
  const manifest = manifestOf({
    method: "halving",
    status: "finished",
    halving: { flag: "max-steps", budgets: [100, 300], eta: 3 },
    settings: [
      { id: "s01", values: { alpha: 0.01 }, args: [] },
      { id: "s02", values: { alpha: 0.05 }, args: [] },
      { id: "s03", values: { alpha: 0.2 }, args: [] },
    ],
    trials: [
      trial("t001", "s01", 1, [{ budget: 100, metric: 0.4 }], { budget: 100 }),
      trial("t002", "s02", 1, [{ budget: 100, metric: 0.6 }, { budget: 300, metric: 0.3 }], { budget: 300 }),
      trial("t003", "s03", 1, [{ budget: 100, metric: 0.5 }], { budget: 100 }),
    ],
  });
  const { rows, budgetFlag } = sweepReport(manifest);
  assert.equal(budgetFlag, "max-steps");
  // s02 went on to 300 (its value there, 0.3, is what it is compared by); s03 and s01 stopped at 100.
  assert.deepEqual(rows.map((r) => [r.setting, r.mean, r.budget, r.stopped]), [
    ["s02", 0.3, 300, false],
    ["s03", 0.5, 100, true],
    ["s01", 0.4, 100, true],
  ]);
});
