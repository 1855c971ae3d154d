/**
 * End to end in a real browser: a real vae-mnist run trains in a subprocess while the dashboard
 * serves its runs directory. The runs list shows the new run without a reload; its page gains
 * chart points live; a reload mid-run continues with no gap and no duplicate point (checked
 * against events.jsonl); sample images appear live; a screenshot of the page is kept.
 */
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readEvents } from "../../../lib/run/run_reader.ts";
import { serveDashboard } from "../../../web/serve.ts";
import { cliCommand } from "../../helpers.ts";
import { withRunsDir } from "../fixtures.ts";
import { HAS_CHROMIUM, openBrowser } from "./browser.ts";

export const SCREENSHOT = join(tmpdir(), "tflab-dashboard-e2e", "run-page.png");

// One epoch of 100 steps and 10 more: images at steps 100 (epoch end) and 110 (the capped end),
// a loss point every 2 steps; about 10 s on 2 idle cores.
const LAB =
  "lab vae-mnist --no-dashboard --backend wasm --batch-size 600 --epochs 2 --max-steps 110 --log-every 2 --sample-count 0";

type WithCharts = { tflabCharts?: () => Map<string, { step: number[] }> };

/** The train/loss steps the page's chart holds. */
const chartSteps = (page: import("playwright-core").Page) =>
  page.evaluate(() => (globalThis as unknown as WithCharts).tflabCharts?.().get("train/loss")?.step ?? []);

Deno.test({
  name: "e2e - a live vae-mnist run: list updates, chart grows, reload has no gap or duplicate, images appear",
  ignore: !HAS_CHROMIUM,
  sanitizeResources: false, // playwright keeps pipes to chromium until the process has exited
  async fn() {
    await withRunsDir(async (runsDir) => {
      const served = await serveDashboard({ runsDir, port: 0 });
      const browser = await openBrowser();
      const lab = cliCommand([...LAB.split(" "), "--runs-dir", runsDir]).spawn();
      try {
        const { page } = browser;
        // Counts the EventSources each page opens: one per page, shared by its islands.
        await page.addInitScript(() => {
          const Native = EventSource;
          const counted = globalThis as unknown as { eventSources: number; EventSource: unknown };
          counted.eventSources = 0;
          counted.EventSource = class extends Native {
            constructor(url: string | URL, init?: EventSourceInit) {
              super(url, init);
              counted.eventSources++;
            }
          };
        });
        await page.goto(served.url);
        // The run appears in the list without a reload.
        const link = page.locator("table.runs tr[data-run] a").first();
        await link.waitFor({ timeout: 60_000 });
        const runId = (await page.locator("table.runs tr[data-run]").first().getAttribute("data-run"))!;
        await link.click();
        await page.waitForURL(`**/runs/${runId}`);

        // The chart gains points live.
        const card = page.locator('.chart-card[data-key="train/loss"]');
        await card.waitFor({ timeout: 60_000 });
        const before = (await chartSteps(page)).length;
        await page.waitForFunction(
          (n) =>
            Number(document.querySelector('.chart-card[data-key="train/loss"]')?.getAttribute("data-points")) >= n + 5,
          before,
          { timeout: 60_000 },
        );
        assert.ok((await chartSteps(page)).length >= before + 5);
        assert.equal(await page.evaluate(() => (globalThis as unknown as { eventSources: number }).eventSources), 1);

        // Reload mid-run.
        assert.equal(await page.locator(".run-line [data-status]").getAttribute("data-status"), "running");
        await page.reload();
        await card.waitFor();
        const afterReload = (await chartSteps(page)).length;
        assert.ok(afterReload > 0);

        // Images appear live; the run finishes; the chart holds every point once.
        await page.locator('img[alt="samples/prior at step 110"]').waitFor({ timeout: 120_000 });
        await page.locator('.run-line [data-status="finished"]').waitFor({ timeout: 60_000 });
        assert.equal((await lab.status).code, 0);
        const events = await readEvents(join(runsDir, runId));
        const expected = events.flatMap((e) => (e.kind === "scalar" && e.key === "train/loss" ? [e.step] : []));
        assert.deepEqual(expected, Array.from({ length: 55 }, (_, i) => 2 * (i + 1)));
        await page.waitForFunction(
          (n) => ((globalThis as unknown as WithCharts).tflabCharts?.().get("train/loss")?.step.length ?? 0) >= n,
          expected.length,
        );
        assert.deepEqual(await chartSteps(page), expected, "the chart has a gap or a duplicate point");
        // What is drawn is current too, not one batch behind.
        assert.equal(await card.getAttribute("data-points"), String(expected.length));
        assert.ok(afterReload < expected.length, "the reload was not mid-run");

        // The image slider goes back to the first epoch's grids.
        await page.locator('input[aria-label="image step"]').fill("0");
        await page.locator('img[alt="samples/prior at step 100"]').waitFor();

        await Deno.mkdir(join(SCREENSHOT, ".."), { recursive: true });
        await page.setViewportSize({ width: 1440, height: 1200 });
        await page.locator('input[aria-label="image step"]').fill("1");
        await page.screenshot({ path: SCREENSHOT, fullPage: true });
        console.log(`screenshot of the run page: ${SCREENSHOT}`);
        const png = await Deno.readFile(SCREENSHOT);
        assert.ok(png.length > 50_000, `screenshot of ${png.length} bytes`);
        assert.deepEqual(browser.errors, []);
      } catch (error) {
        await browser.page.screenshot({ path: SCREENSHOT.replace(".png", "-failed.png"), fullPage: true });
        throw error;
      } finally {
        try {
          lab.kill("SIGKILL");
        } catch {
          // already exited
        }
        await lab.status;
        await lab.stdout.cancel();
        await lab.stderr.cancel();
        await browser.close();
        await served.shutdown();
      }
    });
  },
});
