/**
 * The browser's curves: history plus live points never hold a point twice, whatever order
 * replays come in, and a rebuild at a later cursor plus a replay equals loading the page anew.
 */
import assert from "node:assert/strict";
import { ChartModels } from "../../../web/client/chart_models.ts";
import { scalarsPayload } from "../../../web/store/scalars.ts";
import { RunLog } from "../../../web/store/run_log.ts";
import { FakeRun, withRunsDir } from "../fixtures.ts";

Deno.test("chart_models - live events already in the history are ignored; new keys appear", async () => {
  await withRunsDir(async (runsDir) => {
    const run = await FakeRun.create(runsDir, "r");
    const early = await run.losses(10);
    const log = new RunLog(run.dir);
    await log.refresh();
    const models = new ChartModels(scalarsPayload("r", log, { smoothing: { mode: "ema", amount: 0.5 } }));
    const late = await run.losses(5, 11);
    const [extra] = await run.append({ kind: "scalar", step: 15, key: "eval/nelbo", value: 1 });
    // A reconnect that replays from too early, twice, then the new events.
    for (const event of [...early.slice(5), ...late, ...late, extra]) models.apply(event);
    assert.deepEqual(models.models.get("train/loss")!.step, Array.from({ length: 15 }, (_, i) => i + 1));
    assert.deepEqual(models.models.get("eval/nelbo")!.value, [1]);
    assert.equal(models.lastSeq, 16);
  });
});

Deno.test("chart_models - history at one cursor plus live points equals history at a later cursor", async () => {
  await withRunsDir(async (runsDir) => {
    const run = await FakeRun.create(runsDir, "r");
    await run.losses(40);
    const log = new RunLog(run.dir);
    await log.refresh();
    const smoothing = { mode: "ema" as const, amount: 0.7 };
    const models = new ChartModels(scalarsPayload("r", log, { smoothing, until: 25 }));
    for (const event of log.after(25)) models.apply(event);
    const fresh = new ChartModels(scalarsPayload("r", log, { smoothing }));
    const pick = (m: ChartModels) => {
      const s = m.models.get("train/loss")!;
      return { step: s.step, value: s.value, smooth: s.smooth, total: s.total };
    };
    assert.deepEqual(pick(models), pick(fresh));
  });
});
