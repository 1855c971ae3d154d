/** runsPage: filtering, counting, sorting and paging the index in memory, and the query's parsing. */
import assert from "node:assert/strict";
import { DEFAULT_QUERY, formatRunsQuery, parseRunsQuery, type RunsQuery } from "../../../web/shared/runs_query.ts";
import type { IndexedRun } from "../../../web/store/run_entry.ts";
import { runsPage } from "../../../web/store/runs_page.ts";

/** Five settings of lr, ten seeds each, of vae-mnist; and two dqn runs. */
function sweep(): IndexedRun[] {
  const runs: IndexedRun[] = [];
  const lrs = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2];
  for (const [s, lr] of lrs.entries()) {
    for (let seed = 1; seed <= 10; seed++) {
      const n = s * 10 + seed;
      runs.push(row(`vae-${String(n).padStart(2, "0")}`, {
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
        config: { lr, seed, batchSize: 128, runsDir: `/tmp/r${n}` },
        metrics: { "eval/nelbo": 100 + s + seed / 100, ...(seed === 10 ? {} : { "train/loss": 90 + seed }) },
        status: seed === 3 ? "failed" : "finished",
        ...(s === 2 ? { notes: "the default lr" } : {}),
      }));
    }
  }
  runs.push(row("dqn-a", { lab: "dqn-cartpole", status: "running", config: { lr: 1e-4, seed: 1 } }));
  runs.push(row("dqn-b", { lab: "dqn-cartpole", status: "malformed", config: {} }));
  return runs;
}

function row(id: string, patch: Partial<IndexedRun>): IndexedRun {
  const run: IndexedRun = {
    id,
    lab: "vae-mnist",
    title: "VAE",
    status: "finished",
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    backend: "blas",
    totalSteps: 100,
    step: 100,
    headline: "eval/nelbo",
    headlineValue: null,
    events: 10,
    config: {},
    metrics: {},
    text: "",
    ...patch,
  };
  run.text = [run.id, run.lab, run.title, run.notes ?? ""].join(" ").toLowerCase();
  return run;
}

const query = (search: string): RunsQuery => parseRunsQuery(new URLSearchParams(search));
const ids = (search: string) => runsPage(sweep(), query(search)).runs.map((r) => r.id);

Deno.test("runs_page - newest first, cut into pages with the totals; a page past the end is the last", () => {
  const first = runsPage(sweep(), query("size=20"));
  assert.equal(first.all, 52);
  assert.equal(first.total, 52);
  assert.equal(first.pages, 3);
  assert.deepEqual(first.runs.slice(0, 3).map((r) => r.id), ["vae-50", "vae-49", "vae-48"]);
  const last = runsPage(sweep(), query("size=20&page=9"));
  assert.equal(last.query.page, 3);
  assert.equal(last.runs.length, 12);
  // dqn-a and dqn-b share the default createdAt with no other run: by id after the newest-first order.
  assert.deepEqual(last.runs.slice(-2).map((r) => r.id), ["dqn-a", "dqn-b"]);
});

Deno.test("runs_page - filters by lab, status, config (flag or key, numbers as numbers, ranges), metric range and words", () => {
  assert.equal(runsPage(sweep(), query("lab=dqn-cartpole")).total, 2);
  assert.deepEqual(ids("status=malformed,running"), ["dqn-a", "dqn-b"]);
  assert.equal(runsPage(sweep(), query("config=lr=0.001")).total, 10);
  assert.equal(runsPage(sweep(), query("config=lr=1e-3")).total, 10, "1e-3 is 0.001");
  assert.equal(runsPage(sweep(), query("config=batch-size=128 lr=0.0001")).total, 10, "the dqn run has no batchSize");
  assert.equal(runsPage(sweep(), query("config=lr=0.0003..0.003")).total, 30);
  assert.equal(runsPage(sweep(), query("config=seed=..2&lab=vae-mnist")).total, 10);
  assert.deepEqual(ids("metric=eval/nelbo=104..&config=seed=1"), ["vae-41"]);
  assert.equal(runsPage(sweep(), query("metric=train/loss=..100")).total, 45, "runs without the metric do not match");
  assert.equal(runsPage(sweep(), query("q=DEFAULT lr")).total, 10, "every word, any case, in the notes");
  assert.deepEqual(ids("q=vae-07"), ["vae-07"]);
});

Deno.test("runs_page - each facet counts the runs that match every other filter", () => {
  const page = runsPage(sweep(), query("status=failed&lab=vae-mnist"));
  assert.equal(page.total, 5);
  assert.deepEqual(page.counts.status, { finished: 45, failed: 5 });
  assert.deepEqual(page.counts.lab, { "vae-mnist": 5 });
  const all = runsPage(sweep(), DEFAULT_QUERY);
  assert.deepEqual(all.counts.lab, { "vae-mnist": 50, "dqn-cartpole": 2 });
});

Deno.test("runs_page - sorts by a config value or a metric, runs without it last in either order", () => {
  const byLoss = runsPage(sweep(), query("lab=vae-mnist&sort=metric.train/loss&size=50"));
  assert.equal(byLoss.runs[0].metrics["train/loss"], 91);
  assert.equal(byLoss.runs.at(-1)!.metrics["train/loss"], undefined);
  assert.deepEqual(byLoss.columns.metrics, ["train/loss"]);
  const desc = runsPage(sweep(), query("lab=vae-mnist&sort=metric.train/loss&order=desc&size=50"));
  assert.equal(desc.runs[0].metrics["train/loss"], 99);
  assert.equal(desc.runs.at(-1)!.metrics["train/loss"], undefined);
  const byLr = runsPage(sweep(), query("sort=config.lr&order=desc&size=100"));
  assert.equal(byLr.runs[0].config.lr, 1e-2);
  assert.deepEqual(byLr.runs.slice(-1).map((r) => r.id), ["dqn-b"], "no lr: last");
});

Deno.test("runs_page - the config columns are the settings that differ among the matching runs of one lab", () => {
  assert.deepEqual(runsPage(sweep(), query("lab=vae-mnist")).columns.config, ["lr", "seed"]);
  assert.deepEqual(runsPage(sweep(), query("lab=vae-mnist&config=lr=0.001")).columns.config, ["seed"]);
  assert.deepEqual(runsPage(sweep(), DEFAULT_QUERY).columns.config, [], "two labs: their settings do not line up");
  const row = runsPage(sweep(), query("lab=vae-mnist&size=1")).runs[0];
  assert.deepEqual(row.config, { lr: 1e-2, seed: 10 });
  assert.equal("text" in row, false);
});

Deno.test("runs_query - a bad value is refused with what would be valid; a query survives its URL form", () => {
  const refused: [string, RegExp][] = [
    ["status=runing", /status 'runing' is not one of running, finished, failed, interrupted, malformed/],
    ["sort=speed", /sort 'speed' is not one of created, .*config\.KEY or metric\.KEY/],
    ["order=up", /order 'up' is not asc or desc/],
    ["page=0", /page '0' is not a whole number from 1/],
    ["size=10000", /size '10000' is not a whole number from 1 to 500/],
    ["config=lr", /config 'lr' is not key=value or key=min..max \(lr=0.001/],
    ["metric=eval/nelbo=low", /metric 'eval\/nelbo=low': 'low' is not a number or a range/],
    ["metric=eval/nelbo=1..x", /metric 'eval\/nelbo=1..x': 'x' is not a number/],
  ];
  for (const [search, message] of refused) assert.throws(() => query(search), message, search);
  const full = query(
    "q=a b&lab=x,y&status=failed&config=batch-size=64 lr=1..2&metric=m=..3&sort=config.lr&order=desc&page=2&size=20",
  );
  assert.equal(full.config[0].key, "batchSize");
  assert.deepEqual(query(formatRunsQuery(full)), full);
  assert.equal(formatRunsQuery(DEFAULT_QUERY), "");
});
