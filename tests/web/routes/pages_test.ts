/**
 * The pages, rendered in-process: the runs list, a run page with every panel and its islands'
 * props, the compare page, and 404s. Islands are checked through the props the server writes
 * for them, which is what the browser hydrates from.
 */
import assert from "node:assert/strict";
import type { RunInfo } from "../../../lib/run/types.ts";
import { createApp } from "../../../web/app.ts";
import { FakeRun, withRunsDir } from "../fixtures.ts";

const ID = "vae-mnist-20260102-030405-abcd";

/** The props the server wrote for the named island, parsed. */
function islandProps(html: string, name: string): Record<string, unknown> {
  const match = html.match(
    new RegExp(`<script type="application/json" data-island-props="${name}">(.*?)</script>`, "s"),
  );
  assert.ok(match, `no ${name} island in the page`);
  return JSON.parse(match[1]);
}

/** The config table of a run page (the guide beside it has words of its own). */
function configTable(html: string): string {
  const start = html.indexOf('data-testid="config"');
  assert.ok(start >= 0, "no config table");
  return html.slice(start, html.indexOf("</table>", start));
}

Deno.test("runs page - lists every run with status, backend, progress and headline value", async () => {
  await withRunsDir(async (runsDir) => {
    const run = await FakeRun.create(runsDir, ID);
    await run.losses(20);
    await run.append({ kind: "scalar", step: 20, key: "eval/nelbo", value: 123.456 });
    await FakeRun.create(runsDir, "other-run", { lab: "dqn-cartpole", status: "failed", error: "boom" });
    const response = await createApp({ runsDir }).request("/");
    assert.equal(response.status, 200);
    const html = await response.text();
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<script type="module" src="\/static\/islands.js">/);
    const { page } = islandProps(html, "RunsTable") as {
      page: { runs: { id: string; step: number; headlineValue: number }[]; total: number };
    };
    const runs = page.runs;
    assert.equal(page.total, 2);
    assert.deepEqual(runs.map((r) => r.id).sort(), [ID, "other-run"].sort());
    const vae = runs.find((r) => r.id === ID)!;
    assert.equal(vae.step, 20);
    assert.equal(vae.headlineValue, 123.456);
    // Server-rendered too, not only hydrated: the table is in the HTML.
    assert.match(html, /123\.5/);
    assert.match(html, /data-status="failed"/);
    assert.match(html, /20\/300/);
  });
});

Deno.test("runs page - an empty runs directory says how to start a run", async () => {
  await withRunsDir(async (runsDir) => {
    const html = await (await createApp({ runsDir: `${runsDir}/missing` }).request("/")).text();
    assert.match(html, /No runs yet/);
  });
});

Deno.test("run page - renders status, charts, system, config with meanings, images and the shared cursor", async () => {
  await withRunsDir(async (runsDir) => {
    const run = await FakeRun.create(runsDir, ID, {
      spec: {
        epochs: { type: "int", default: 3, min: 1, help: "passes over the training data" },
        batchSize: { type: "int", default: 128, min: 1, help: "images per optimisation step" },
      },
    });
    await run.losses(30);
    await run.append(
      { kind: "scalar", step: 30, key: "system/ms_per_step", value: 12.5 },
      { kind: "scalar", step: 30, key: "eval/nelbo", value: 150 },
    );
    await run.image(30, "samples/prior");
    const response = await createApp({ runsDir }).request(`/runs/${ID}`);
    assert.equal(response.status, 200);
    const html = await response.text();
    const header = islandProps(html, "RunHeader");
    assert.equal(header.status, "running");
    assert.equal(header.step, 30);
    assert.equal(header.headlineValue, 150);
    const charts = islandProps(html, "ScalarCharts") as { scalars: { cursor: number; series: { key: string }[] } };
    assert.deepEqual(charts.scalars.series.map((s) => s.key), ["eval/nelbo", "system/ms_per_step", "train/loss"]);
    const images = islandProps(html, "ImageTimeline") as { cursor: number; images: { path: string }[] };
    assert.equal(images.images[0].path, "media/samples-prior-step-000000030.png");
    // Every island continues from the same point of the same stream.
    assert.equal(images.cursor, charts.scalars.cursor);
    assert.equal(images.cursor, run.seq);
    assert.deepEqual((islandProps(html, "SystemPanel") as { latest: object }).latest, { "system/ms_per_step": 12.5 });
    // The config table reads the spec recorded in run.json: flag names, meanings with bounds,
    // changed defaults; a key the spec does not name (seed here) shows its value alone.
    const config = configTable(html);
    assert.match(config, /--batch-size/);
    assert.match(config, /images per optimisation step \(an integer (?:>|&gt;)= 1\)/);
    assert.match(config, /default 128/);
    assert.doesNotMatch(config, /default 3/);
    assert.match(config, /--seed/);
    assert.match(html, new RegExp(`href="/api/export\\?runs=${ID}&amp;format=csv" download`));
  });
});

Deno.test("run page - a run recorded without a spec shows its config as values, and a malformed spec is ignored", async () => {
  await withRunsDir(async (runsDir) => {
    await FakeRun.create(runsDir, ID);
    await FakeRun.create(runsDir, "odd-run", { spec: { epochs: "ten" } as unknown as RunInfo["spec"] });
    for (const id of [ID, "odd-run"]) {
      const response = await createApp({ runsDir }).request(`/runs/${id}`);
      assert.equal(response.status, 200);
      const config = configTable(await response.text());
      assert.match(config, /--batch-size/);
      assert.match(config, />600</);
      assert.doesNotMatch(config, /default/);
    }
  });
});

Deno.test("run page - a long run's history is downsampled for the first paint", async () => {
  await withRunsDir(async (runsDir) => {
    const run = await FakeRun.create(runsDir, ID);
    await run.losses(20_000);
    const html = await (await createApp({ runsDir }).request(`/runs/${ID}`)).text();
    const { scalars } = islandProps(html, "ScalarCharts") as {
      scalars: { cursor: number; series: { total: number; step: number[] }[] };
    };
    assert.equal(scalars.cursor, 20_000);
    assert.equal(scalars.series[0].total, 20_000);
    assert.ok(scalars.series[0].step.length <= 1500, `${scalars.series[0].step.length} points in the page`);
    assert.ok(html.length < 400_000, `a page of ${html.length} bytes`);
  });
});

Deno.test("run page - episodes of an RL run are listed for the return curve and replay", async () => {
  await withRunsDir(async (runsDir) => {
    const run = await FakeRun.create(runsDir, "dqn-run", { lab: "dqn-cartpole", headline: "charts/episodic_return" });
    const frame = { kind: "cart_pole", x: 0, theta: 0.1, xThreshold: 2.4, thetaThresholdRadians: 0.2, length: 0.5 };
    await run.episode(100, { env: "CartPole-v1", frames: [frame, frame], rewards: [1] }, 475);
    const html = await (await createApp({ runsDir }).request("/runs/dqn-run")).text();
    const { episodes } = islandProps(html, "EpisodePanel") as {
      episodes: { rewardThreshold: number; return: number }[];
    };
    assert.equal(episodes.length, 1);
    assert.equal(episodes[0].rewardThreshold, 475);
    assert.equal(episodes[0].return, 1);
  });
});

Deno.test("run page - a crashed run shows its error", async () => {
  await withRunsDir(async (runsDir) => {
    await FakeRun.create(runsDir, ID, { status: "failed", error: "NaN loss at step 12" });
    const html = await (await createApp({ runsDir }).request(`/runs/${ID}`)).text();
    assert.match(html, /NaN loss at step 12/);
    assert.match(html, /data-status="failed"/);
  });
});

Deno.test("run page - a sweep trial names the workers that ran it, the one before a resume first", async () => {
  await withRunsDir(async (runsDir) => {
    const host = { os: "linux", arch: "x86_64", hostname: "vm-2", pid: 7, worker: "vm-2-7" };
    const resumes = [{
      at: "2026-12-07T10:00:00Z",
      fromStep: 300,
      backend: "wasm",
      hostname: "vm-1",
      worker: "vm-1-4",
    }];
    await FakeRun.create(runsDir, ID, { host, resumes });
    await FakeRun.create(runsDir, "by-hand", {});
    const app = createApp({ runsDir });
    const props = islandProps(await (await app.request(`/runs/${ID}`)).text(), "SystemPanel");
    assert.deepEqual(props.host, host);
    assert.deepEqual(props.resumes, resumes);
    const html = await (await app.request(`/runs/${ID}`)).text();
    assert.match(html, /<th>worker<\/th><td[^>]*>vm-1-4 → vm-2-7<\/td>/);
    assert.doesNotMatch(await (await app.request("/runs/by-hand")).text(), /<th>worker<\/th>/);
  });
});

Deno.test("run page - an unknown run is a 404 page that links back", async () => {
  await withRunsDir(async (runsDir) => {
    const response = await createApp({ runsDir }).request("/runs/no-such-run");
    assert.equal(response.status, 404);
    assert.match(await response.text(), /No run 'no-such-run'.*href="\/"/s);
  });
});

Deno.test("compare page - overlays the picked runs with one multi-run cursor; without runs, a picker", async () => {
  await withRunsDir(async (runsDir) => {
    const a = await FakeRun.create(runsDir, "vae-mnist-a"), b = await FakeRun.create(runsDir, "vae-mnist-b");
    await a.losses(5);
    await b.losses(7);
    const app = createApp({ runsDir });
    const html = await (await app.request("/compare?runs=vae-mnist-a,vae-mnist-b")).text();
    const props = islandProps(html, "CompareCharts") as { cursor: string; runs: { id: string }[]; payloads: unknown[] };
    assert.equal(props.cursor, "vae-mnist-a@5,vae-mnist-b@7");
    assert.deepEqual(props.runs.map((r) => r.id), ["vae-mnist-a", "vae-mnist-b"]);
    assert.equal(props.payloads.length, 2);
    assert.match(html, /href="\/api\/export\?runs=vae-mnist-a,vae-mnist-b&amp;format=csv" download/);
    const picker = await (await app.request("/compare")).text();
    assert.match(picker, /Tick two or more runs/);
    assert.equal((await app.request("/compare?runs=vae-mnist-a,nope")).status, 404);
  });
});

Deno.test("compare page - seeds of a setting group by their recorded config; the view comes from the URL", async () => {
  await withRunsDir(async (runsDir) => {
    for (const [id, lr, seed] of [["p-1", 0.1, 1], ["p-2", 0.1, 2], ["q-1", 1, 1]] as const) {
      const run = await FakeRun.create(runsDir, id, { lab: "ppo-cartpole", config: { lr, seed, backend: "wasm" } });
      await run.append({ kind: "scalar", step: 10, key: "eval/mean_return", value: lr * 100 + seed });
    }
    const app = createApp({ runsDir });
    const page = async (query: string) => {
      const html = await (await app.request(`/compare?runs=p-1,p-2,q-1${query}`)).text();
      return { html, props: islandProps(html, "CompareCharts") as { runs: { config: object }[]; view: object } };
    };
    const { html, props } = await page("");
    assert.deepEqual(props.runs[2].config, { lr: 1, seed: 1, backend: "wasm" });
    assert.deepEqual(props.view, { groupBy: ["lr"], centre: "mean", band: "stderr", showRuns: false });
    // Rendered on the server too: the legend counts seeds, and the RL table has a row per setting.
    assert.match(html, /lr=0\.1 \(n=2 seeds\)/);
    assert.match(html, /data-testid="rl-aggregates"/);
    assert.match(html, /seed 2: 12 @ 10/);
    const chosen = (await page("&group=lr,seed&centre=iqm&band=ci95&each=1")).props.view;
    assert.deepEqual(chosen, { groupBy: ["lr", "seed"], centre: "iqm", band: "ci95", showRuns: true });
  });
});

Deno.test("pages - island props cannot close their script tag", async () => {
  await withRunsDir(async (runsDir) => {
    await FakeRun.create(runsDir, ID, { status: "failed", error: "</script><script>alert(1)</script>" });
    const html = await (await createApp({ runsDir }).request("/")).text();
    assert.doesNotMatch(html, /<script>alert/);
    assert.match(html, /\\u003c\/script>/);
  });
});
