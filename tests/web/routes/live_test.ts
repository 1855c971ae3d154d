/**
 * The live streams, in-process: a run's events after a cursor, replay from Last-Event-ID with
 * nothing missed and nothing twice, live appends, heartbeats, the bound on what a stalled
 * client costs, the multi-run cursor of the compare stream, and the runs list stream.
 */
import assert from "node:assert/strict";
import { createApp } from "../../../web/app.ts";
import { FakeRun, readSse, sseMessages, withRunsDir } from "../fixtures.ts";

const ID = "vae-mnist-20260102-030405-abcd";
const fast = (runsDir: string, stream = {}) =>
  createApp({ runsDir, pollMs: 20, listPollMs: 30, stream: { heartbeatMs: 5000, ...stream } });
const seqs = (text: string) => sseMessages(text).map((m) => (m.data as { seq: number }).seq);

Deno.test("run live stream - sends the events after ?after, each with its seq as id", async () => {
  await withRunsDir(async (runsDir) => {
    const run = await FakeRun.create(runsDir, ID);
    await run.losses(10);
    const app = fast(runsDir);
    const text = await readSse(await app.request(`/api/runs/${ID}/live?after=4`), (t) => seqs(t).includes(10));
    assert.deepEqual(seqs(text), [5, 6, 7, 8, 9, 10]);
    assert.deepEqual(sseMessages(text).map((m) => m.id), ["5", "6", "7", "8", "9", "10"]);
    assert.match(text, /^retry: \d+$/m);
  });
});

Deno.test("run live stream - Last-Event-ID wins over ?after and replays exactly what was missed", async () => {
  await withRunsDir(async (runsDir) => {
    const run = await FakeRun.create(runsDir, ID);
    await run.losses(20);
    const app = fast(runsDir);
    // First connection: reads up to seq 8, then "drops".
    const first = seqs(await readSse(await app.request(`/api/runs/${ID}/live?after=0`), (t) => seqs(t).includes(8)));
    const seen = first.slice(0, first.indexOf(8) + 1);
    await run.losses(5, 21); // written while the client was away
    const headers = { "Last-Event-ID": "8" };
    const second = seqs(
      await readSse(await app.request(`/api/runs/${ID}/live?after=0`, { headers }), (t) => seqs(t).includes(25)),
    );
    assert.deepEqual(second, Array.from({ length: 17 }, (_, i) => 9 + i));
    assert.deepEqual([...seen, ...second], Array.from({ length: 25 }, (_, i) => i + 1), "a gap or a duplicate");
  });
});

Deno.test("run live stream - events appended after connecting arrive live", async () => {
  await withRunsDir(async (runsDir) => {
    const run = await FakeRun.create(runsDir, ID);
    await run.losses(3);
    const app = fast(runsDir);
    const response = await app.request(`/api/runs/${ID}/live?after=3`);
    setTimeout(() => run.losses(2, 4), 100);
    const text = await readSse(response, (t) => seqs(t).includes(5));
    assert.deepEqual(seqs(text), [4, 5]);
  });
});

Deno.test("run live stream - a quiet stream gets heartbeat comments", async () => {
  await withRunsDir(async (runsDir) => {
    await FakeRun.create(runsDir, ID);
    const app = fast(runsDir, { heartbeatMs: 50 });
    const started = Date.now();
    const text = await readSse(await app.request(`/api/runs/${ID}/live`), (t) => t.split(": heartbeat").length > 2);
    assert.doesNotMatch(text, /^data:/m);
    assert.ok(Date.now() - started >= 90, "two heartbeats came faster than their interval");
  });
});

Deno.test("run live stream - a client that stops reading holds at most a few batches, then gets all in order", async () => {
  await withRunsDir(async (runsDir) => {
    const run = await FakeRun.create(runsDir, ID);
    await run.losses(5000);
    const app = fast(runsDir, { batchSize: 100 });
    const reader = (await app.request(`/api/runs/${ID}/live`)).body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    const readUntil = async (marker: string) => {
      while (!text.includes(marker)) {
        const { done, value } = await reader.read();
        if (done) throw new Error(`the stream ended before ${marker}`);
        text += value;
      }
    };
    await readUntil('"seq":50,');
    await new Promise((resolve) => setTimeout(resolve, 300)); // the client stalls
    const health = await (await app.request("/api/health")).json();
    assert.equal(health.streams.open, 1);
    assert.ok(
      health.streams.sentEvents >= 50 && health.streams.sentEvents <= 400,
      `handed ${health.streams.sentEvents}`,
    );
    await readUntil('"seq":5000,');
    await reader.cancel();
    assert.deepEqual(seqs(text), Array.from({ length: 5000 }, (_, i) => i + 1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal((await (await app.request("/api/health")).json()).streams.open, 0, "the stream was not closed");
  });
});

Deno.test("run live stream - a rewritten events file (a resume) is answered with reset", async () => {
  await withRunsDir(async (runsDir) => {
    const run = await FakeRun.create(runsDir, ID);
    await run.losses(3);
    const app = fast(runsDir);
    const { generation } = await (await app.request(`/api/runs/${ID}`)).json();
    const stale = await app.request(`/api/runs/${ID}/live?after=3&generation=not-${generation}`);
    assert.match(await readSse(stale, (t) => t.includes("event: reset")), /event: reset/);

    const response = await app.request(`/api/runs/${ID}/live?after=3&generation=${generation}`);
    setTimeout(async () => {
      // What RunWriter.resume does: the file replaced by a shorter one.
      await Deno.writeTextFile(`${run.dir}/events.jsonl.tmp`, "");
      await Deno.rename(`${run.dir}/events.jsonl.tmp`, `${run.dir}/events.jsonl`);
    }, 100);
    assert.match(await readSse(response, (t) => t.includes("event: reset")), /event: reset/);
  });
});

Deno.test("run live stream - an unknown run is a 404", async () => {
  await withRunsDir(async (runsDir) => {
    const response = await fast(runsDir).request("/api/runs/nope/live");
    assert.equal(response.status, 404);
    await response.body?.cancel();
  });
});

Deno.test("compare live stream - ids carry every run's cursor and a reconnect resumes each run", async () => {
  await withRunsDir(async (runsDir) => {
    const a = await FakeRun.create(runsDir, "run-a"), b = await FakeRun.create(runsDir, "run-b");
    await a.losses(3);
    await b.losses(4);
    const app = fast(runsDir);
    const text = await readSse(
      await app.request("/api/compare/live?runs=run-a,run-b&after=run-a@1,run-b@2"),
      (t) => sseMessages(t).length >= 4,
    );
    const messages = sseMessages(text) as { id: string; data: { run: string; event: { seq: number } } }[];
    assert.deepEqual(messages.map((m) => `${m.data.run}:${m.data.event.seq}`), [
      "run-a:2",
      "run-a:3",
      "run-b:3",
      "run-b:4",
    ]);
    assert.equal(messages.at(-1)!.id, "run-a@3,run-b@4");

    await a.losses(1, 4);
    const again = await readSse(
      await app.request("/api/compare/live?runs=run-a,run-b", { headers: { "Last-Event-ID": "run-a@3,run-b@4" } }),
      (t) => sseMessages(t).length >= 1,
    );
    assert.deepEqual(sseMessages(again).map((m) => (m.data as { event: { seq: number } }).event.seq), [4]);
  });
});

/** Reads the runs stream's pages until `done`; `onFirst` runs once the first page has arrived. */
async function readPages<P>(response: Response, onFirst: () => Promise<unknown>, done: (page: P) => boolean) {
  let acted = false;
  const pages = (t: string) => sseMessages(t).map((m) => m.data as P);
  const text = await readSse(response, (t) => {
    if (pages(t).length && !acted) {
      acted = true;
      onFirst();
    }
    const last = pages(t).at(-1);
    return last !== undefined && done(last);
  });
  assert.ok(sseMessages(text).every((m) => m.event === "page"));
  return pages(text);
}

Deno.test("runs list stream - the page first, then the page again as runs appear and change", async () => {
  await withRunsDir(async (runsDir) => {
    const first = await FakeRun.create(runsDir, "run-a");
    type Page = { runs: { id: string; status: string }[]; total: number };
    const pages = await readPages<Page>(
      await fast(runsDir).request("/api/live"),
      async () => {
        await FakeRun.create(runsDir, "run-b", { createdAt: "2026-02-01T00:00:00.000Z" });
        await first.finish(7);
      },
      (page) => page.runs.some((r) => r.id === "run-a" && r.status === "finished"),
    );
    assert.deepEqual(pages[0].runs.map((r) => r.id), ["run-a"]);
    assert.deepEqual(pages.at(-1)!.runs.map((r) => [r.id, r.status]), [["run-b", "running"], ["run-a", "finished"]]);
    assert.equal(pages.at(-1)!.total, 2);
  });
});

Deno.test("runs list stream - follows the page its query names, and refuses a bad query", async () => {
  await withRunsDir(async (runsDir) => {
    await FakeRun.create(runsDir, "run-a");
    const app = fast(runsDir);
    type Page = { runs: { id: string }[] };
    const pages = await readPages<Page>(
      await app.request("/api/live?lab=dqn-cartpole"),
      () => FakeRun.create(runsDir, "run-b", { lab: "dqn-cartpole" }),
      (page) => page.runs.length === 1,
    );
    assert.deepEqual(pages.map((page) => page.runs.map((r) => r.id)), [[], ["run-b"]]);
    const bad = await app.request("/api/live?status=runing");
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).error, /status 'runing' is not one of running, finished/);
  });
});
