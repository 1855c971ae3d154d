/** RunLog: events in order with per-key columns, replay after a seq, and waking followers on new events. */
import assert from "node:assert/strict";
import { RunLog } from "../../../web/store/run_log.ts";
import { FakeRun, withRunsDir } from "../fixtures.ts";

Deno.test("run_log - keeps events and scalar columns, and replays after any seq", async () => {
  await withRunsDir(async (runsDir) => {
    const run = await FakeRun.create(runsDir, "r");
    await run.losses(5);
    await run.image(5, "samples/prior");
    const log = new RunLog(run.dir);
    assert.equal(await log.refresh(), true);
    assert.equal(await log.refresh(), false);
    assert.equal(log.lastSeq, 6);
    assert.deepEqual(log.scalars.get("train/loss")!.step, [1, 2, 3, 4, 5]);
    assert.deepEqual(log.after(3).map((e) => e.seq), [4, 5, 6]);
    assert.deepEqual(log.after(3, 2).map((e) => e.seq), [4, 5]);
    assert.deepEqual(log.after(6), []);
  });
});

Deno.test("run_log - a follower wakes when events arrive, and stops the polling when it leaves", async () => {
  await withRunsDir(async (runsDir) => {
    const run = await FakeRun.create(runsDir, "r");
    const log = new RunLog(run.dir, 10);
    await log.refresh();
    const started = Date.now();
    setTimeout(() => run.losses(1), 50);
    await log.waitForChange(5000);
    assert.ok(Date.now() - started < 2000, "woke only at the timeout");
    assert.equal(log.lastSeq, 1);
    const stop = new AbortController();
    const waiting = log.waitForChange(5000, stop.signal);
    assert.equal(log.followers, 1);
    stop.abort();
    await waiting;
    assert.equal(log.followers, 0);
  });
});
