/**
 * The embedded trial queue: every change is on disk as soon as it returns (a sweep killed at any
 * moment restarts from it), claims go in id order with one attempt each, failures retry up to the
 * sweep's limit at each budget, and a release (Ctrl-C) is no failure.
 */
import assert from "node:assert/strict";
import { readManifest } from "../../../lib/sweep/manifest.ts";
import { ManifestQueue } from "../../../lib/sweep/manifest_queue.ts";
import { withTempDir } from "../../helpers.ts";
import { manifestOf } from "./sweep_fixtures.ts";

Deno.test("manifest queue - claims in order, records the run and the result, and every change is on disk", async () => {
  await withTempDir(async (runsDir) => {
    const queue = new ManifestQueue(runsDir, manifestOf());
    await queue.enqueue([{ id: "t001", setting: "s01", seed: 1 }, { id: "t002", setting: "s02", seed: 1 }]);
    const first = await queue.claim();
    assert.equal(first?.id, "t001");
    assert.equal(first?.status, "running");
    await queue.started("t001", { run: "qlearning-frozenlake-x", resumed: false });
    const onDisk = (await readManifest(runsDir, "qlearning-frozenlake-0123abcd"))!;
    assert.equal(onDisk.trials[0].status, "running");
    assert.equal(onDisk.trials[0].run, "qlearning-frozenlake-x");
    assert.equal((await queue.claim())?.id, "t002");
    assert.equal(await queue.claim(), null, "nothing left to claim");
    await queue.complete("t001", 0.75);
    const done = (await readManifest(runsDir, "qlearning-frozenlake-0123abcd"))!.trials[0];
    assert.equal(done.status, "done");
    assert.deepEqual(done.results, [{ metric: 0.75 }]);
    assert.equal(done.attempts.length, 1);
    assert.equal(done.attempts[0].outcome, "finished");
    assert.ok(done.attempts[0].endedAt);
  });
});

Deno.test("manifest queue - a failure retries up to --retries at each budget; a release is not a failure", async () => {
  await withTempDir(async (runsDir) => {
    const queue = new ManifestQueue(runsDir, manifestOf({ retries: 1 }));
    await queue.enqueue([{ id: "t001", setting: "s01", seed: 1, budget: 1 }]);
    await queue.claim();
    await queue.release("t001"); // Ctrl-C: back to the queue, no retry used
    await queue.claim();
    assert.deepEqual(await queue.fail("t001", "exit 1: boom"), { retrying: true });
    await queue.claim();
    assert.deepEqual(await queue.fail("t001", "exit 1: boom again"), { retrying: false });
    let [trial] = await queue.list();
    assert.equal(trial.status, "failed");
    assert.equal(trial.error, "exit 1: boom again");
    assert.deepEqual(trial.attempts.map((a) => a.outcome), ["interrupted", "failed", "failed"]);
    assert.equal(await queue.claim(), null);
    // Sent on to a larger budget (successive halving), it has its retries again.
    await queue.enqueue([{ id: "t001", setting: "s01", seed: 1, budget: 3 }]);
    [trial] = await queue.list();
    assert.equal(trial.status, "pending");
    assert.equal(trial.budget, 3);
    assert.equal(trial.error, undefined);
    await queue.claim();
    assert.deepEqual(await queue.fail("t001", "exit 1"), { retrying: true });
  });
});
