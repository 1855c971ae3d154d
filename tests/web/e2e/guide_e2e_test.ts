/**
 * End to end in a real browser, on a vae-mnist run written directly, with the lab's real guide
 * (labs/vae_mnist.md): the guide panel shows typeset math in KaTeX's own fonts; a linked key shows
 * its latest value and follows new events live; clicking it brings that chart into view and
 * highlights it; a code link opens the source view with the linked lines marked and in view; a
 * traversal attempt on the source view is refused.
 */
import assert from "node:assert/strict";
import { serveDashboard } from "../../../web/serve.ts";
import { FakeRun, withRunsDir } from "../fixtures.ts";
import { HAS_CHROMIUM, openBrowser } from "./browser.ts";

const ID = "vae-mnist-guide";

Deno.test({
  name: "e2e - the guide panel: typeset math, live key values, a key link shows its chart, code links open the source",
  ignore: !HAS_CHROMIUM,
  sanitizeResources: false, // playwright keeps pipes to chromium until the process has exited
  async fn() {
    await withRunsDir(async (runsDir) => {
      const run = await FakeRun.create(runsDir, ID);
      // Enough charts that train/loss's is below the fold of a 1000-pixel window.
      for (const key of ["eval/nelbo", "eval/kl", "eval/reconstruction", "system/a", "system/b", "system/c"]) {
        await run.append({ kind: "scalar", step: 10, key, value: 1 });
      }
      await run.losses(10);
      const served = await serveDashboard({ runsDir, port: 0 });
      const browser = await openBrowser();
      try {
        const { page } = browser;
        const fonts: string[] = [];
        page.on("response", (r) => r.url().includes("/static/katex/fonts/") && r.ok() && fonts.push(r.url()));
        await page.goto(new URL(`/runs/${ID}`, served.url).href);

        // Typeset, in KaTeX's fonts served by the dashboard.
        const guide = page.locator("[data-testid=guide] .guide");
        await guide.locator(".katex-display").first().waitFor();
        assert.match(
          await guide.locator(".katex").first().evaluate((e) => getComputedStyle(e).fontFamily),
          /KaTeX_Main/,
        );
        await page.waitForFunction(() => document.fonts.status === "loaded");
        assert.ok(fonts.length > 0, "no KaTeX font was loaded");

        // The key's latest value, then live.
        const value = guide.locator('[data-key-value="train/loss"]').first();
        assert.equal(await value.innerText(), "10");
        await run.append({ kind: "scalar", step: 11, key: "train/loss", value: 4.25 });
        await page.waitForFunction(() =>
          document.querySelector('[data-key-value="train/loss"]')?.textContent === "4.25"
        );

        // A key link brings its chart into view and highlights it.
        const card = page.locator('.chart-card[data-key="train/loss"]');
        await card.waitFor();
        await page.evaluate(() => scrollTo(0, 0));
        await guide.locator('a.key-link[data-key="train/loss"]').first().click();
        await page.waitForFunction(() => {
          const box = document.querySelector('.chart-card[data-key="train/loss"]')!.getBoundingClientRect();
          return box.top >= 0 && box.bottom <= innerHeight;
        });
        assert.match((await card.getAttribute("class"))!, /flash/);

        // A code link opens the source view on its lines.
        const link = guide.locator("a.code-link").first();
        const href = (await link.getAttribute("href"))!;
        const [, first, last] = href.match(/\?lines=(\d+)-(\d+)#L\d+$/)!.map(Number);
        await link.click();
        await page.waitForURL(/\/source\//);
        const marked = await page.locator("table.source tr.marked").evaluateAll((rows) => rows.map((r) => r.id));
        assert.deepEqual(marked, Array.from({ length: last - first + 1 }, (_, i) => `L${first + i}`));
        assert.ok(await page.locator(`#L${first}`).isVisible());
        assert.ok(
          await page.locator(`#L${first}`).evaluate((row) => {
            const box = row.getBoundingClientRect();
            return box.top >= 0 && box.top < innerHeight;
          }),
          "the linked lines are not in view",
        );

        // Traversal is refused.
        const refused = await page.request.get(new URL("/source/lib%2F..%2F..%2Fetc%2Fpasswd", served.url).href);
        assert.equal(refused.status(), 404);
        assert.doesNotMatch(await refused.text(), /root:/);
        assert.deepEqual(browser.errors.filter((e) => !e.includes("404")), []);
      } finally {
        await browser.close();
        await served.shutdown();
      }
    });
  },
});
