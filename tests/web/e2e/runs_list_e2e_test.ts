/**
 * End to end in a real browser: the runs list over 120 generated runs (bench/generate_runs.ts),
 * paged on the server: the counts, the next page, a lab and a config filter with the settings
 * that differ as columns, sorting by one of them, ticks kept across pages, and a run on the shown
 * page that finishes while the page is open.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { generateRuns } from "../../../bench/generate_runs.ts";
import { serveDashboard } from "../../../web/serve.ts";
import { withRunsDir } from "../fixtures.ts";
import { HAS_CHROMIUM, openBrowser } from "./browser.ts";

Deno.test({
  name: "e2e - 120 runs: paged on the server, filtered by lab and config, sorted, live on the shown page",
  ignore: !HAS_CHROMIUM,
  sanitizeResources: false, // playwright keeps pipes to chromium until the process has exited
  async fn() {
    await withRunsDir(async (runsDir) => {
      const ids = await generateRuns(runsDir, 120, { eventsPerRun: 30 });
      const served = await serveDashboard({ runsDir, port: 0 });
      const browser = await openBrowser();
      try {
        const { page } = browser;
        const rows = page.locator("table.runs tbody tr[data-run]");
        const text = (testId: string) => page.locator(`[data-testid=${testId}]`).innerText();
        await page.goto(served.url);
        assert.equal(await text("counts"), "120 runs");
        assert.equal(await rows.count(), 50);
        assert.equal(await rows.first().getAttribute("data-run"), ids[0]);
        assert.match(await text("page-position"), /page 1 of 3 · runs 1–50 of 120/);

        await page.locator('input[aria-label="select ' + ids[0] + '"]').check();
        await page.locator("[data-testid=next-page]").click();
        await page.waitForURL(/\/\?page=2$/);
        assert.match(await text("page-position"), /runs 51–100 of 120/);
        assert.equal(await rows.first().getAttribute("data-run"), ids[50]);
        await page.locator('input[aria-label="select ' + ids[50] + '"]').check();
        assert.equal((await text("compare")).trim(), "Compare 2 runs", "the tick on page 1 is kept");

        // A lab, then a config term: the page reloads with the query in its URL.
        await page.locator('select[aria-label="lab"]').selectOption("vae-mnist");
        await page.waitForURL(/\/\?lab=vae-mnist$/);
        assert.equal(await text("counts"), "30 of 120 runs match");
        await page.locator('input[aria-label="config"]').fill("lr=0.0003");
        await page.locator('input[aria-label="config"]').press("Enter");
        await page.waitForURL(/\/\?lab=vae-mnist&config=lr%3D0.0003$/);
        assert.equal(await text("counts"), "10 of 120 runs match");
        assert.deepEqual(await page.locator("table.runs th.mono").allInnerTexts(), ["seed"], "the seed differs");

        await page.locator("table.runs th a", { hasText: "seed" }).click();
        await page.waitForURL(/sort=config\.seed/);
        const seeds = await page.locator("table.runs tbody td.mono:last-child").allInnerTexts();
        assert.deepEqual(seeds, ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);

        // The newest runs are still running: one on the shown page finishes, and the page says so.
        await page.goto(new URL("/?status=running", served.url).href);
        const running = await rows.first().getAttribute("data-run");
        assert.equal(await rows.count(), 3);
        const dir = join(runsDir, running!);
        const info = JSON.parse(await Deno.readTextFile(join(dir, "run.json")));
        await Deno.writeTextFile(
          join(dir, "events.jsonl"),
          JSON.stringify({ seq: 1000, time: Date.now(), step: 1000, kind: "status", status: "finished" }) + "\n",
          { append: true },
        );
        await Deno.writeTextFile(join(dir, "run.json"), JSON.stringify({ ...info, status: "finished" }));
        await page.waitForFunction(() => document.querySelectorAll("table.runs tbody tr[data-run]").length === 2);
        assert.equal(await text("counts"), "2 of 120 runs match");
        assert.deepEqual(browser.errors, []);
      } finally {
        await browser.close();
        await served.shutdown();
      }
    });
  },
});
