/**
 * The dashboard on a PostgreSQL run store (`deno task dashboard --store URL`), against a real
 * server: the runs list, the run page, its events and files come from the store through the
 * run-store interface, and a followed run wakes on its next stored batch (LISTEN/NOTIFY: the poll
 * interval is set to a minute, so only a notification can wake it in time); a resume, which logs
 * the events after its checkpoint again, is seen as a rewrite. A sweep queued there is listed and has its page.
 * The runs index follows the store the same way: told of new runs and batches, not polling it.
 */
import assert from "node:assert/strict";
import { PostgresFollower } from "../../../lib/run/postgres_follow.ts";
import { PostgresStore } from "../../../lib/run/postgres_store.ts";
import { parseStoreUrl } from "../../../lib/run/store_url.ts";
import type { RunInfo } from "../../../lib/run/types.ts";
import type { SweepManifest } from "../../../lib/sweep/manifest.ts";
import { PostgresSweeps } from "../../../lib/sweep/postgres_queue.ts";
import { readStoredSweeps } from "../../../lib/sweep/stored_sweeps.ts";
import { createApp } from "../../../web/app.ts";
import type { IndexedRun } from "../../../web/store/run_entry.ts";
import { RunIndex } from "../../../web/store/run_index.ts";
import { RunStore, type SharedRuns } from "../../../web/store/run_store.ts";
import { SKIP_POSTGRES, startPostgres } from "../../postgres_server.ts";

const scalar = (seq: number, value: number) =>
  JSON.stringify({ seq, time: seq, step: seq * 10, kind: "scalar", key: "train/loss", value }) + "\n";

const pick = (row?: IndexedRun) =>
  row && { step: row.step, events: row.events, status: row.status, headlineValue: row.headlineValue };

const info = (id: string): RunInfo => ({
  id,
  lab: "qlearning-frozenlake",
  title: "a stored run",
  status: "running",
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
  config: { seed: 1 },
  backend: { name: "wasm", reason: "test" },
  versions: {},
  host: { os: "linux", arch: "x86_64", hostname: "vm-07", pid: 1, worker: "vm-07-1" },
  headline: "train/loss",
  totalSteps: 100,
  resumes: [],
} as unknown as RunInfo);

const SWEEP = {
  version: 1,
  id: "lake-1",
  lab: "qlearning-frozenlake",
  headline: "eval/mean_return",
  better: "higher",
  status: "running",
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
  search: { kind: "grid", dimensions: [{ flag: "alpha", kind: "grid", values: ["0.1"] }] },
  method: "full",
  seeds: [1],
  fixed: [],
  parallel: 1,
  retries: 1,
  settings: [{ id: "s01", values: { alpha: 0.1 }, args: ["--alpha", "0.1"] }],
  trials: [{ id: "t001", setting: "s01", seed: 1, status: "pending", results: [], attempts: [] }],
} satisfies SweepManifest;

Deno.test({
  name: "shared runs - the dashboard lists, shows and follows runs and sweeps of a PostgreSQL store, woken by NOTIFY",
  ignore: SKIP_POSTGRES,
  fn: async () => {
    const server = await startPostgres();
    const store = await PostgresStore.connect(parseStoreUrl(await server.createDatabase(), "--store"));
    const follower = await PostgresFollower.start(store);
    try {
      const run = await store.create(info("stored-run"));
      for (let seq = 1; seq <= 3; seq++) run.appendEvent(seq, scalar(seq, 1 / seq));
      await run.flushEvents();
      await run.putFile("media/grid-step-10.png", new Uint8Array([137, 80, 78, 71]));
      const shared: SharedRuns = {
        store,
        wait: (id, afterSeq, signal) => follower.waitForEvents(id, afterSeq, { timeoutMs: 30_000, signal }),
        onBatch: (listener) => follower.onBatch(listener),
        sweeps: (id) => readStoredSweeps(store.pool, id),
      };

      const app = createApp({ runsDir: "/nonexistent", shared });
      const list = (await (await app.request("/api/runs")).json()).runs;
      assert.deepEqual(list.map((r: { id: string; step: number; events: number }) => [r.id, r.step, r.events]), [
        ["stored-run", 30, 3],
      ]);
      assert.match(await (await app.request("/")).text(), /stored-run/);
      const page = await app.request("/runs/stored-run");
      assert.equal(page.status, 200);
      assert.match(await page.text(), /a stored run/);
      const { events } = await (await app.request("/api/runs/stored-run/events")).json();
      assert.deepEqual(events.map((e: { value: number }) => e.value), [1, 1 / 2, 1 / 3]);
      const png = await app.request("/runs/stored-run/files/media/grid-step-10.png");
      assert.equal(png.headers.get("content-type"), "image/png");
      assert.deepEqual([...new Uint8Array(await png.arrayBuffer())], [137, 80, 78, 71]);
      assert.equal((await app.request("/runs/stored-run/files/media/missing.png")).status, 404);
      assert.equal((await app.request("/runs/no-such-run")).status, 404);
      assert.equal((await app.request("/sweeps/lake-1")).status, 404, "no sweep was ever queued: no table yet");

      // A sweep queued in the store: listed above the runs, with its page.
      const sweeps = await PostgresSweeps.connect(store.url);
      try {
        await sweeps.create(SWEEP, { lease: 10 });
        await sweeps.queue(SWEEP).enqueue(SWEEP.trials);
      } finally {
        await sweeps.close();
      }
      assert.match(await (await app.request("/")).text(), /lake-1/);
      const sweepPage = await app.request("/sweeps/lake-1");
      assert.equal(sweepPage.status, 200);
      assert.match(await sweepPage.text(), /Sweep of qlearning-frozenlake/);

      // Following: a minute between polls, so the wake-up can only come from the NOTIFY of the batch.
      const runs = new RunStore("/nonexistent", { pollMs: 60_000, shared });
      const log = (await runs.log("stored-run"))!;
      assert.equal(log.lastSeq, 3);
      const start = performance.now();
      const woken = log.waitForChange(30_000);
      run.appendEvent(4, scalar(4, 0.2));
      await run.flushEvents();
      await woken;
      assert.ok(performance.now() - start < 5000, `woken after ${(performance.now() - start).toFixed(0)} ms`);
      assert.equal(log.lastSeq, 4);

      // A resume from the checkpoint at seq 2: seqs 3 and 4 are dropped and logged again.
      await run.truncateEvents(2);
      await run.writeInfo({ ...info("stored-run"), resumes: [{ at: "", fromStep: 20, backend: "wasm" }] });
      const rewritten = log.waitForChange(30_000);
      run.appendEvent(3, scalar(3, 0.9));
      await run.flushEvents();
      await rewritten;
      assert.deepEqual(log.events.map((e) => (e.kind === "scalar" ? e.value : null)), [1, 1 / 2, 0.9]);
      assert.equal(log.generation, "stored-run:1", "clients holding the old events start over");
      await run.close();

      // The runs index: a new run is listed once its first batch is announced, its row follows
      // its batches, and its end brings summary.json's numbers. The list is read again every
      // minute only, so only the NOTIFY can bring these within 5 s.
      const indexed = new RunIndex(shared, { pollMs: 50, recheckMs: 60_000 });
      await indexed.runs();
      const rowOf = async (id: string) => (await indexed.runs()).find((row) => row.id === id);
      const untilChange = async (what: string) => {
        const start = performance.now();
        await indexed.waitForChange(30_000);
        assert.ok(performance.now() - start < 5000, `${what}: after ${(performance.now() - start).toFixed(0)} ms`);
      };
      assert.equal(await rowOf("new-run"), undefined);
      const added = untilChange("a new run");
      const fresh = await store.create(info("new-run"));
      fresh.appendEvent(1, scalar(1, 0.5));
      await fresh.flushEvents();
      await added;
      assert.deepEqual(pick(await rowOf("new-run")), { step: 10, events: 1, status: "running", headlineValue: 0.5 });
      const advanced = untilChange("its next batch");
      fresh.appendEvent(2, scalar(2, 0.25));
      await fresh.flushEvents();
      await advanced;
      assert.deepEqual(pick(await rowOf("new-run")), { step: 20, events: 2, status: "running", headlineValue: 0.25 });
      const ended = untilChange("its end");
      await fresh.putFile("summary.json", new TextEncoder().encode(JSON.stringify({ eval: { return: 0.75 } })));
      fresh.appendEvent(3, JSON.stringify({ seq: 3, time: 3, step: 20, kind: "status", status: "finished" }) + "\n");
      await fresh.flushEvents();
      await ended;
      const finished = await rowOf("new-run");
      assert.equal(finished?.status, "finished");
      assert.equal(finished?.metrics["eval.return"], 0.75);
      await fresh.close();
    } finally {
      await follower.close();
      await store.close();
      await server.stop();
    }
  },
});
