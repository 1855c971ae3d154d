/** RunIndex: the runs list's headers kept current from the disk, incrementally. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { EventTail } from "../../../lib/run/event_tail.ts";
import { RunIndex } from "../../../web/store/run_index.ts";
import { FakeRun, withRunsDir } from "../fixtures.ts";

const byId = async (index: RunIndex) => new Map((await index.runs()).map((run) => [run.id, run]));

Deno.test("run_index - a new run appears, a finishing run gets its status and metrics, a deleted run goes", async () => {
  await withRunsDir(async (runsDir) => {
    const a = await FakeRun.create(runsDir, "run-a", { config: { lr: 0.001, seed: 1, notes: "Baseline" } });
    await a.losses(3);
    const index = new RunIndex(runsDir, { pollMs: 0 });
    let runs = await byId(index);
    assert.deepEqual([...runs.keys()], ["run-a"]);
    assert.equal(runs.get("run-a")!.step, 3);
    assert.equal(runs.get("run-a")!.metrics["train/loss"], 100 / 3);
    assert.equal(runs.get("run-a")!.notes, "Baseline");
    assert.match(runs.get("run-a")!.text, /baseline/);

    const b = await FakeRun.create(runsDir, "run-b", { sweep: { id: "vae-mnist-5f3a", trial: "t07" } });
    const version = index.version;
    runs = await byId(index);
    assert.deepEqual([...runs.keys()].sort(), ["run-a", "run-b"]);
    assert.deepEqual(runs.get("run-b")!.sweep, { id: "vae-mnist-5f3a", trial: "t07" });
    assert.match(runs.get("run-b")!.text, /vae-mnist-5f3a/, "a sweep's id finds its trials");
    assert.ok(index.version > version);

    await a.append({ kind: "scalar", step: 4, key: "eval/nelbo", value: 99.5 });
    await Deno.writeTextFile(join(a.dir, "summary.json"), JSON.stringify({ wallSeconds: 12, bestEval: { mean: 3 } }));
    await a.finish(4);
    const finished = (await byId(index)).get("run-a")!;
    assert.equal(finished.status, "finished");
    assert.equal(finished.step, 4);
    assert.equal(finished.headlineValue, 99.5);
    assert.equal(finished.metrics.wallSeconds, 12);
    assert.equal(finished.metrics["bestEval.mean"], 3);

    await Deno.remove(b.dir, { recursive: true });
    assert.deepEqual([...(await byId(index)).keys()], ["run-a"]);
  });
});

Deno.test("run_index - a malformed run.json is listed as malformed with the reason, and listed normally once fixed", async () => {
  await withRunsDir(async (runsDir) => {
    await FakeRun.create(runsDir, "good");
    const bad = await FakeRun.create(runsDir, "bad");
    await Deno.writeTextFile(join(bad.dir, "run.json"), '{"lab": "vae-mnist", "createdAt": ');
    await Deno.mkdir(join(runsDir, "not-a-run")); // no run.json: no row
    const index = new RunIndex(runsDir, { pollMs: 0 });
    const runs = await byId(index);
    assert.deepEqual([...runs.keys()].sort(), ["bad", "good"]);
    assert.equal(runs.get("good")!.status, "running");
    assert.equal(runs.get("bad")!.status, "malformed");
    assert.match(runs.get("bad")!.error!, /^run\.json cannot be read as a run: .*JSON/);
    await Deno.writeTextFile(join(bad.dir, "run.json"), JSON.stringify({ id: "bad", status: "finished" }));
    assert.match((await byId(index)).get("bad")!.error!, /no lab or createdAt in it/);
    await bad.writeInfo();
    assert.equal((await byId(index)).get("bad")!.status, "running");
  });
});

Deno.test("run_index - finished runs are not read again at every sweep, only in rotation, each once per recheckMs", async () => {
  await withRunsDir(async (runsDir) => {
    const run = await FakeRun.create(runsDir, "done", { status: "finished" });
    const slow = new RunIndex(runsDir, { pollMs: 0, recheckMs: 60_000 });
    const fast = new RunIndex(runsDir, { pollMs: 0, recheckMs: 1 });
    assert.equal((await slow.runs())[0].title, run.info.title);
    await fast.runs();
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Edited in place: the run's folder does not change, so only a recheck sees it.
    run.info.title = "edited by hand";
    await run.writeInfo();
    assert.equal((await slow.runs())[0].title, "Variational autoencoder on MNIST");
    assert.equal((await fast.runs())[0].title, "edited by hand");
  });
});

Deno.test("run_index - followers wake when a run changes, and the polling stops when they leave", async () => {
  await withRunsDir(async (runsDir) => {
    const run = await FakeRun.create(runsDir, "live");
    const index = new RunIndex(runsDir, { pollMs: 10 });
    await index.runs();
    const version = index.version;
    setTimeout(() => run.losses(1), 30);
    const started = Date.now();
    await index.waitForChange(5000);
    assert.ok(Date.now() - started < 2000, "woke only at the timeout");
    assert.ok(index.version > version);
    const stop = new AbortController();
    const waiting = index.waitForChange(5000, stop.signal);
    stop.abort();
    await waiting;
    // Nobody waits and nobody asks: no sweep sees the new event.
    const left = index.version;
    await run.losses(1, 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(index.version, left);
    assert.equal((await index.runs())[0].step, 2);
  });
});

Deno.test("run_index - restarted, it reads no file it indexed before unless that file changed since", async () => {
  await withRunsDir(async (runsDir) => {
    const runs = await Promise.all(["a", "b", "c"].map((id) => FakeRun.create(runsDir, `run-${id}`)));
    for (const run of runs) await run.losses(5);
    const cacheFile = join(runsDir, "..", `${runsDir.split("/").at(-1)}-index.json`);
    try {
      const before = new Map((await new RunIndex(runsDir, { pollMs: 0, cacheFile, saveFromRuns: 1 }).runs()).map(
        (run) => [run.id, run],
      ));
      await runs[1].losses(2, 6);
      const read = EventTail.prototype.read;
      const reads: string[] = [];
      EventTail.prototype.read = function () {
        reads.push(this.path);
        return read.call(this);
      };
      let after;
      try {
        after = await byId(new RunIndex(runsDir, { pollMs: 0, cacheFile }));
      } finally {
        EventTail.prototype.read = read;
      }
      assert.deepEqual(reads, [join(runs[1].dir, "events.jsonl")], "only the run whose events grew");
      assert.equal(after.get("run-b")!.step, 7);
      assert.equal(after.get("run-b")!.events, 7);
      assert.deepEqual(after.get("run-a"), before.get("run-a"));
    } finally {
      await Deno.remove(cacheFile).catch(() => {});
    }
  });
});
