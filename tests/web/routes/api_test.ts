/** The JSON APIs: runs list, one run, events after a seq, and scalars smoothed on the full series, then downsampled. */
import assert from "node:assert/strict";
import { createApp } from "../../../web/app.ts";
import { smoothSeries } from "../../../web/shared/smoothing.ts";
import { FakeRun, withRunsDir } from "../fixtures.ts";

const ID = "vae-mnist-20260102-030405-abcd";

Deno.test("api - /api/runs lists runs newest first with their summaries", async () => {
  await withRunsDir(async (runsDir) => {
    await FakeRun.create(runsDir, "old", { createdAt: "2026-01-01T00:00:00.000Z" });
    const run = await FakeRun.create(runsDir, "new", { createdAt: "2026-03-01T00:00:00.000Z" });
    await run.losses(4);
    const { runs } = await (await createApp({ runsDir }).request("/api/runs")).json();
    assert.deepEqual(runs.map((r: { id: string }) => r.id), ["new", "old"]);
    assert.equal(runs[0].step, 4);
    assert.equal(runs[0].events, 4);
    assert.equal(runs[0].totalSteps, 300);
  });
});

Deno.test("api - /api/runs pages, filters and sorts on the server; a bad query is a 400 that names it", async () => {
  await withRunsDir(async (runsDir) => {
    for (let n = 0; n < 30; n++) {
      const run = await FakeRun.create(runsDir, `run-${String(n).padStart(2, "0")}`, {
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
        config: { lr: [0.001, 0.01, 0.1][n % 3], seed: n },
      });
      await run.append({ kind: "scalar", step: 1, key: "eval/nelbo", value: 200 - n });
    }
    const app = createApp({ runsDir });
    const get = async (query: string) => await (await app.request(`/api/runs?${query}`)).json();
    const page = await get("config=lr=0.01&sort=metric.eval/nelbo&size=4&page=2");
    assert.equal(page.total, 10);
    assert.equal(page.all, 30);
    assert.equal(page.pages, 3);
    assert.deepEqual(page.runs.map((r: { id: string }) => r.id), ["run-16", "run-13", "run-10", "run-07"]);
    assert.deepEqual(page.runs[0].metrics, { "eval/nelbo": 184 });
    assert.deepEqual(page.columns.config, ["seed"]);
    const bad = await app.request("/api/runs?metric=eval/nelbo=100-110");
    assert.equal(bad.status, 400);
    assert.match(
      (await bad.json()).error,
      /metric 'eval\/nelbo=100-110': '100-110' is not a number or a range min..max/,
    );
  });
});

Deno.test("api - /api/runs/:id gives run.json and the cursor; unknown runs are 404", async () => {
  await withRunsDir(async (runsDir) => {
    const run = await FakeRun.create(runsDir, ID);
    await run.losses(3);
    const app = createApp({ runsDir });
    const body = await (await app.request(`/api/runs/${ID}`)).json();
    assert.equal(body.info.lab, "vae-mnist");
    assert.equal(body.lastSeq, 3);
    assert.equal(typeof body.generation, "string");
    assert.equal((await app.request("/api/runs/nope")).status, 404);
  });
});

Deno.test("api - /api/runs/:id/events pages through events after a seq", async () => {
  await withRunsDir(async (runsDir) => {
    const run = await FakeRun.create(runsDir, ID);
    await run.losses(10);
    const body = await (await createApp({ runsDir }).request(`/api/runs/${ID}/events?after=6&limit=2`)).json();
    assert.deepEqual(body.events.map((e: { seq: number }) => e.seq), [7, 8]);
    assert.equal(body.lastSeq, 10);
  });
});

Deno.test("api - scalars are smoothed on the full series before downsampling, cut at ?until", async () => {
  await withRunsDir(async (runsDir) => {
    const run = await FakeRun.create(runsDir, ID);
    await run.losses(5000);
    const app = createApp({ runsDir });
    const body = await (await app.request(`/api/runs/${ID}/scalars?smoothing=ema:0.9&points=200&until=4000`)).json();
    assert.equal(body.cursor, 4000);
    const [series] = body.series;
    assert.equal(series.key, "train/loss");
    assert.equal(series.total, 4000);
    assert.equal(series.seq, 4000);
    assert.equal(series.step.length, 200);
    assert.equal(series.step[0], 1);
    assert.equal(series.step.at(-1), 4000);
    // The smoothed value at each kept point is the full series' smoothed value there.
    const full = smoothSeries(Array.from({ length: 4000 }, (_, i) => 100 / (i + 1)), { mode: "ema", amount: 0.9 });
    series.step.forEach((step: number, i: number) => assert.equal(series.smooth[i], full.smoothed[step - 1]));
    assert.deepEqual(series.state, full.state);
    const mean = await (await app.request(`/api/runs/${ID}/scalars?smoothing=mean:10&keys=train/loss`)).json();
    assert.equal(mean.smoothing.mode, "mean");
    assert.equal(
      mean.series[0].smooth.at(-1),
      Array.from({ length: 10 }, (_, i) => 100 / (4991 + i)).reduce((a, b) => a + b) / 10,
    );
  });
});

Deno.test("api - unknown API paths are JSON 404s", async () => {
  await withRunsDir(async (runsDir) => {
    const response = await createApp({ runsDir }).request("/api/nothing");
    assert.equal(response.status, 404);
    assert.deepEqual(await response.json(), { error: "no such API" });
  });
});
