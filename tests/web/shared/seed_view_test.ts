/** The compare page's view in its URL: read back as written, defaults for anything missing or unknown. */
import assert from "node:assert/strict";
import { parseSeedView, withSeedView } from "../../../web/shared/seed_view.ts";

const runs = [
  { id: "a", lab: "l", config: { learningRate: 0.1, gamma: 0.9, seed: 1 } },
  { id: "b", lab: "l", config: { learningRate: 0.2, gamma: 0.99, seed: 2 } },
];
const query = (href: string) => (name: string) => new URL(href, "http://x").searchParams.get(name) ?? undefined;

Deno.test("seed view - without a query: the default grouping, mean with standard error", () => {
  assert.deepEqual(parseSeedView(query("/compare?runs=a,b"), runs), {
    groupBy: ["gamma", "learningRate"],
    centre: "mean",
    band: "stderr",
    showRuns: false,
  });
});

Deno.test("seed view - written to the URL and read back; flag or key names; unknown values fall back", () => {
  const view = { groupBy: ["learningRate"], centre: "iqm" as const, band: "ci95" as const, showRuns: true };
  const href = withSeedView("http://x/compare?runs=a,b", view);
  assert.equal(href, "/compare?runs=a,b&group=learning-rate&centre=iqm&band=ci95&each=1");
  assert.deepEqual(parseSeedView(query(href), runs), view);
  assert.deepEqual(parseSeedView(query("/compare?group=learningRate,nope,seed&centre=mode&band=sd"), runs), {
    groupBy: ["learningRate", "seed"],
    centre: "mean",
    band: "stderr",
    showRuns: false,
  });
  assert.deepEqual(parseSeedView(query("/compare?group="), runs).groupBy, [], "empty: one group of all runs");
});
