/**
 * PostgresFollower against a real server: a waiter wakes when its run's next batch is stored
 * (LISTEN/NOTIFY, no polling: long before its timeout), not for another run's, not for a batch
 * it has already read; and after a server restart it wakes, reconnects and follows again.
 */
import assert from "node:assert/strict";
import { PostgresFollower } from "../../../lib/run/postgres_follow.ts";
import { PostgresStore } from "../../../lib/run/postgres_store.ts";
import type { RunFiles } from "../../../lib/run/run_store.ts";
import { parseStoreUrl } from "../../../lib/run/store_url.ts";
import type { RunInfo } from "../../../lib/run/types.ts";
import { SKIP_POSTGRES, startPostgres } from "../../postgres_server.ts";

const line = (seq: number) =>
  JSON.stringify({ seq, time: seq, step: seq, kind: "scalar", key: "k", value: seq }) + "\n";

async function log(run: RunFiles, from: number, to: number): Promise<void> {
  for (let seq = from; seq <= to; seq++) run.appendEvent(seq, line(seq));
  await run.flushEvents();
}

/** Milliseconds until `waiting` resolves. */
async function timed(waiting: Promise<void>, start = performance.now()): Promise<number> {
  await waiting;
  return performance.now() - start;
}

Deno.test({
  name: "postgres_follow - a waiter wakes on its run's next stored batch, at once, and again after a server restart",
  ignore: SKIP_POSTGRES,
  fn: async () => {
    const server = await startPostgres();
    const store = await PostgresStore.connect(parseStoreUrl(await server.createDatabase(), "--store"));
    const follower = await PostgresFollower.start(store);
    try {
      const run = await store.create({ id: "followed" } as RunInfo);
      const other = await store.create({ id: "other" } as RunInfo);
      await log(run, 1, 3);
      // Already announced beyond what the waiter read: no wait at all.
      assert.ok(await timed(follower.waitForEvents("followed", 2, { timeoutMs: 5000 })) < 50);
      // Read up to 3: another run's batch does not wake it, this run's next one does, long before the timeout.
      const waiting = timed(follower.waitForEvents("followed", 3, { timeoutMs: 5000 }));
      await log(other, 1, 5);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await log(run, 4, 4);
      const waited = await waiting;
      assert.ok(waited >= 300 && waited < 1500, `woke after ${waited.toFixed(0)} ms`);
      assert.deepEqual((await run.readEvents(3)).map((e) => e.seq), [4]);

      const duringRestart = timed(follower.waitForEvents("followed", 4, { timeoutMs: 20_000 }));
      await server.restart();
      assert.ok(await duringRestart < 10_000, "a lost connection wakes its waiters, to read again");
      await new Promise((resolve) => setTimeout(resolve, 1500)); // the follower listens again
      const afterRestart = timed(follower.waitForEvents("followed", 4, { timeoutMs: 20_000 }));
      run.appendEvent(5, line(5));
      // A batch that meets a connection the restart cut stays pending, and the next flush stores it.
      await run.flushEvents().catch(() => run.flushEvents());
      assert.ok(await afterRestart < 5000, "followed again after the restart");
    } finally {
      await follower.close();
      await store.close();
      await server.stop();
    }
  },
});
