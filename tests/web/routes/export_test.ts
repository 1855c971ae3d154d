/** GET /api/export: the same table as `deno task export`, as a download; unknown runs and formats are named. */
import assert from "node:assert/strict";
import { exportScalars } from "../../../lib/run/export_scalars.ts";
import { createApp } from "../../../web/app.ts";
import { FakeRun, withRunsDir } from "../fixtures.ts";

Deno.test("export API - streams the runs' scalars as a CSV download, byte for byte the command's table", async () => {
  await withRunsDir(async (runsDir) => {
    const a = await FakeRun.create(runsDir, "dqn-a", { config: { seed: 1, note: 'say "hi", twice' } });
    const b = await FakeRun.create(runsDir, "dqn-b", { config: { seed: 2 } });
    await a.losses(4);
    await b.losses(3);
    const app = createApp({ runsDir });
    const response = await app.request("/api/export?runs=dqn-a,dqn-b&format=csv");
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/csv; charset=utf-8");
    assert.equal(response.headers.get("content-disposition"), 'attachment; filename="2-runs-scalars.csv"');
    const expected = (await Array.fromAsync(exportScalars([
      { id: "dqn-a", dir: a.dir, lab: "vae-mnist", config: a.info.config },
      { id: "dqn-b", dir: b.dir, lab: "vae-mnist", config: b.info.config },
    ], "csv"))).join("");
    assert.equal(await response.text(), expected);
    assert.match(expected, /^run_id,lab,seed,note,key,step,wall_time,value\ndqn-a,vae-mnist,1,"say ""hi"", twice",/);

    const json = await app.request("/api/export?runs=dqn-b&format=json");
    assert.equal(json.headers.get("content-disposition"), 'attachment; filename="dqn-b-scalars.json"');
    assert.equal((await json.json()).length, 3);
  });
});

Deno.test("export API - an unknown run is a 404 and an unknown format a 400, each naming the value", async () => {
  await withRunsDir(async (runsDir) => {
    await FakeRun.create(runsDir, "dqn-a");
    const app = createApp({ runsDir });
    const missing = await app.request("/api/export?runs=dqn-a,nope");
    assert.equal(missing.status, 404);
    assert.match((await missing.json()).error, /no run 'nope'/);
    const format = await app.request("/api/export?runs=dqn-a&format=xlsx");
    assert.equal(format.status, 400);
    assert.match((await format.json()).error, /unknown format 'xlsx': expected one of csv, json, jsonl/);
    assert.equal((await app.request("/api/export?runs=../etc")).status, 404);
    assert.equal((await app.request("/api/export")).status, 400);
  });
});
