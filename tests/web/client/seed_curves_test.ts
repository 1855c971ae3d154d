/**
 * A grouped chart's data: one centre and two band edges per group (then each run, when asked),
 * in the order of its lines, with words for every run that does not span its group's curve.
 */
import assert from "node:assert/strict";
import { groupedChart, groupedLines, Memo, seedLayout } from "../../../web/client/seed_curves.ts";
import type { SeedView } from "../../../web/shared/seed_view.ts";

const view: SeedView = { groupBy: ["lr"], centre: "mean", band: "minmax", showRuns: true };
const groups = [{ label: "lr=0.1", color: "#2563eb", runs: 3 }, { label: "lr=1", color: "#dc2626", runs: 2 }];
const line = (steps: number[], offset: number) => ({ x: steps, y: steps.map((s) => s + offset) });
const curves = [
  [line([0, 10, 20, 30], 0), line([0, 10, 20, 30], 6), line([0, 10, 20], 3)], // the third stops at step 20
  [line([0, 10, 20, 30], 100), null], // the second logged nothing under this key
];

Deno.test("seed curves - lines and data line up: centre, high, low per group, then every run", () => {
  const { lines, bands } = groupedLines(groups, view);
  assert.deepEqual(lines.map((l) => l.label), [
    "lr=0.1",
    "lr=0.1 high",
    "lr=0.1 low",
    "lr=1",
    "lr=1 high",
    "lr=1 low",
    ...["lr=0.1 #0", "lr=0.1 #1", "lr=0.1 #2", "lr=1 #0", "lr=1 #1"],
  ]);
  assert.deepEqual(bands, [{ upper: 1, lower: 2, fill: "#2563eb33" }, { upper: 4, lower: 5, fill: "#dc262633" }]);
  const { data } = groupedChart(groups, curves, { view, axis: "step" });
  assert.equal(data.length, 1 + lines.length);
  assert.deepEqual(data[0], [0, 10, 20, 30]);
  assert.deepEqual(data[1], [3, 13, 23, 33], "mean of the runs that reach each step: 2 at step 30");
  assert.deepEqual(data[2], [6, 16, 26, 36]);
  assert.deepEqual(data[3], [0, 10, 20, 30]);
  assert.deepEqual(data[4], [100, 110, 120, 130]);
  assert.deepEqual(data[9], [3, 13, 23, null], "the short run's own curve ends where it ends");
  assert.deepEqual(data[11], [null, null, null, null]);
});

Deno.test("seed curves - the chart says which runs end early, log nothing, or were interpolated", () => {
  const { notes } = groupedChart(groups, curves, { view, axis: "step" });
  assert.deepEqual(notes, [
    "lr=0.1: n varies: 1 of 3 runs end before step 30 (at 20)",
    "lr=1: n varies: 1 of 2 logged no value",
  ]);
  const offGrid = [[line([0, 10, 20], 0), line([5, 15, 25], 0)]];
  const shifted = groupedChart([groups[0]], offGrid, {
    view: { ...view, band: "none", showRuns: false },
    axis: "step",
  });
  assert.deepEqual(shifted.notes, [
    "lr=0.1: n varies: 1 of 2 runs end before step 25 (at 20); 1 of 2 runs start after step 0 (at 5)",
    "2 of 2 curves interpolated linearly onto 6 common steps",
  ]);
  assert.equal(shifted.data.length, 2, "no band: the centre alone");
});

Deno.test("seed curves - the memo recomputes only when the inputs change", () => {
  const memo = new Memo();
  let computed = 0;
  const get = (inputs: unknown) => memo.get("k", inputs, () => ++computed);
  assert.deepEqual([get([1, "a"]), get([1, "a"]), get([2, "a"]), get([2, "a"])], [1, 1, 2, 2]);
});

Deno.test("seed curves - the legend follows the groups' order, which the data follow, also when every run stands alone", () => {
  const run = (id: string, lr: number, seed: number) => ({ id, label: id, lab: "l", config: { lr, seed } });
  // a1 and a1-again share lr and seed: drawn apart, and listed together, before b1.
  const runs = [run("a1", 0.1, 1), run("b1", 1, 1), run("a1-again", 0.1, 1)];
  const layout = seedLayout(runs, { view: { ...view, groupBy: ["lr"] }, colors: ["red", "blue", "green"] });
  assert.equal(layout.grouped, false);
  assert.deepEqual(layout.groups.map((g) => g.runIds[0]), ["a1", "a1-again", "b1"]);
  assert.deepEqual(layout.legend, [
    { label: "a1", color: "red" },
    { label: "a1-again", color: "blue" },
    { label: "b1", color: "green" },
  ]);
  assert.deepEqual(layout.apart, ["lr=0.1: seed 1 is in more than one run, so its 2 runs are drawn apart"]);
  const grouped = seedLayout([...runs, run("a2", 0.1, 2), run("b2", 1, 2)], {
    view: { ...view, groupBy: ["lr"] },
    colors: ["red"],
  });
  assert.deepEqual(grouped.legend.map((l) => l.label), [
    "lr=0.1 a1 (n=1 run)",
    "lr=0.1 a1-again (n=1 run)",
    "lr=0.1 a2 (n=1 run)",
    "lr=1 (n=2 seeds)",
  ]);
});
