/**
 * The sweep page and the sweeps list, rendered in-process from a manifest and runs written as the
 * sweep writes them: the settings ranked by the headline, the scatter's axes, links to each
 * trial's run, and 404s for sweeps that are not there.
 */
import assert from "node:assert/strict";
import { writeManifest } from "../../../lib/sweep/manifest.ts";
import type { SettingRow } from "../../../lib/sweep/report.ts";
import { createApp } from "../../../web/app.ts";
import type { ScatterDimension } from "../../../web/islands/sweep_scatter.tsx";
import { manifestOf } from "../../lib/sweep/sweep_fixtures.ts";
import { assertClose } from "../../helpers.ts";
import { FakeRun, withRunsDir } from "../fixtures.ts";

const ID = "qlearning-frozenlake-0123abcd";

/** The props the server wrote for the named island, parsed. */
function islandProps(html: string, name: string): Record<string, unknown> {
  const match = html.match(
    new RegExp(`<script type="application/json" data-island-props="${name}">(.*?)</script>`, "s"),
  );
  assert.ok(match, `no ${name} island in the page`);
  return JSON.parse(match[1]);
}

/** A random search over alpha (log range) and the algorithm, two settings, two seeds, one trial failed. */
async function writeSweep(runsDir: string): Promise<void> {
  const runs = ["run-a", "run-b", "run-c"];
  for (const [i, id] of runs.entries()) {
    await FakeRun.create(runsDir, id, {
      lab: "qlearning-frozenlake",
      headline: "eval/mean_return",
      sweep: { id: ID, trial: `t00${i + 1}` },
    });
  }
  const done = (id: string, setting: string, seed: number, run: string, metric: number) => ({
    id,
    setting,
    seed,
    status: "done" as const,
    run,
    results: [{ metric }],
    attempts: [],
  });
  await writeManifest(
    runsDir,
    manifestOf({
      id: ID,
      seeds: [1, 2],
      search: {
        kind: "random",
        count: 2,
        sweepSeed: 1,
        dimensions: [
          { flag: "algorithm", kind: "grid", values: ["qlearning", "sarsa"] },
          { flag: "alpha", kind: "range", low: 0.005, high: 0.5, scale: "log", integer: false },
        ],
      },
      settings: [
        { id: "s01", values: { algorithm: "sarsa", alpha: 0.0123 }, args: [] },
        { id: "s02", values: { algorithm: "qlearning", alpha: 0.31 }, args: [] },
      ],
      trials: [
        done("t001", "s01", 1, "run-a", 0.2),
        done("t002", "s01", 2, "run-b", 0.4),
        done("t003", "s02", 1, "run-c", 0.7),
        { id: "t004", setting: "s02", seed: 2, status: "failed", results: [], attempts: [], error: "exit 1: boom" },
      ],
    }),
  );
}

Deno.test("sweep page - the settings best first with mean ± std, links to each run, and the scatter's axes", async () => {
  await withRunsDir(async (runsDir) => {
    await writeSweep(runsDir);
    const response = await createApp({ runsDir }).request(`/sweeps/${ID}`);
    assert.equal(response.status, 200);
    const html = await response.text();
    const table = islandProps(html, "SweepTable") as { flags: string[]; rows: SettingRow[]; better: string };
    assert.deepEqual(table.flags, ["algorithm", "alpha"]);
    assert.equal(table.better, "higher");
    assert.deepEqual(table.rows.map((r) => [r.setting, r.n, r.failed]), [["s02", 1, 1], ["s01", 2, 0]]);
    assertClose(table.rows.map((r) => r.mean!), [0.7, 0.3]);
    // Server-rendered too: mean ± sample std of 0.2 and 0.4 is 0.3 ± 0.1414, the runs linked by seed.
    assert.match(html, /0\.3 ± 0\.1414/);
    assert.match(html, /href="\/runs\/run-a"/);
    assert.match(html, /1 failed/);
    const scatter = islandProps(html, "SweepScatter") as {
      dimensions: ScatterDimension[];
      trials: unknown[];
      means: unknown[];
    };
    assert.deepEqual(scatter.dimensions, [
      { flag: "algorithm", log: false, categories: ["qlearning", "sarsa"] },
      { flag: "alpha", log: true },
    ]);
    assert.equal(scatter.trials.length, 3, "one point per trial with a headline value");
    assert.equal(scatter.means.length, 2);
  });
});

Deno.test("sweep page - the runs list links the sweeps and tags each trial's run; unknown sweeps are 404", async () => {
  await withRunsDir(async (runsDir) => {
    const app = createApp({ runsDir });
    assert.doesNotMatch(await (await app.request("/")).text(), /data-testid="sweeps"/, "no sweeps, no list");
    await writeSweep(runsDir);
    const html = await (await app.request("/")).text();
    assert.match(html, new RegExp(`<a href="/sweeps/${ID}">qlearning-frozenlake</a>`));
    assert.match(html, /3\/4 done, 1 failed/);
    const { runs } = (islandProps(html, "RunsTable") as { page: { runs: { id: string; sweep?: unknown }[] } }).page;
    assert.deepEqual(runs.find((r) => r.id === "run-a")?.sweep, { id: ID, trial: "t001" });
    assert.match(html, /sweep trial t001/);
    for (const path of ["/sweeps/nope", "/sweeps/..%2F..%2Fetc", "/sweeps/.hidden"]) {
      assert.equal((await app.request(path)).status, 404, path);
    }
  });
});
