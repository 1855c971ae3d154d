/**
 * End to end in a real browser, on runs written directly (fast): an RL run's episode replay
 * (drawn, plays, pauses, scrubs, and new episodes arrive live), its lab's reference curve drawn
 * dashed on the evaluation chart with the status line's verdict, comparing two runs picked in the
 * runs list with the reference on the compared chart too, three seeds of a setting drawn as one
 * curve with its band (and the reference beside it), downloaded as CSV, and a sweep's page:
 * sorted, its scatter drawn, two settings compared.
 */
import assert from "node:assert/strict";
import { make } from "../../../environments/mod.ts";
import type { EpisodeRecord } from "../../../lib/run/types.ts";
import { writeManifest } from "../../../lib/sweep/manifest.ts";
import type { ChartBox } from "../../../web/components/line_chart.tsx";
import { loadReferences } from "../../../web/references/load_references.ts";
import { serveDashboard } from "../../../web/serve.ts";
import { REPO_ROOT } from "../../helpers.ts";
import { FakeRun, withRunsDir } from "../fixtures.ts";
import { HAS_CHROMIUM, openBrowser } from "./browser.ts";
import { manifestOf } from "../../lib/sweep/sweep_fixtures.ts";

/** A CartPole episode under a fixed action sequence, recorded as a lab would. */
function cartPoleEpisode(seed: number): EpisodeRecord {
  const env = make("CartPole-v1");
  env.reset({ seed });
  const frames: unknown[] = [env.renderState()], rewards: number[] = [];
  for (let t = 0; t < 60; t++) {
    const { reward, terminated, truncated } = env.step(t % 3 === 0 ? 0 : 1);
    frames.push(env.renderState());
    rewards.push(reward);
    if (terminated || truncated) break;
  }
  return { env: "CartPole-v1", fps: env.metadata.renderFps, frames, rewards };
}

// The dqn-cartpole reference the status line judges by (the first in its file), as shipped.
const REFERENCE = (await loadReferences("dqn-cartpole", REPO_ROOT))!.curves[0];

/**
 * A dqn-cartpole run with the flags of `config`; its evaluations sit at the top of the reference's
 * band (on track) or below it (behind).
 */
async function rlRun(
  runsDir: string,
  id: string,
  scale: number,
  { config = {}, onTrack = true }: { config?: Record<string, unknown>; onTrack?: boolean } = {},
): Promise<FakeRun> {
  const run = await FakeRun.create(runsDir, id, { lab: "dqn-cartpole", headline: "eval/mean_return", config });
  for (let i = 1; i <= 20; i++) {
    await run.append({ kind: "scalar", step: i * 100, key: "charts/episodic_return", value: scale * i });
  }
  for (const p of REFERENCE.points) {
    await run.append({ kind: "scalar", step: p.x, key: "eval/mean_return", value: onTrack ? p.high! : p.low! - 1 });
  }
  return run;
}

/** The dashed series of the chart of `key` in the page: label, dash, and how many points it holds. */
const dashedSeries = (page: import("playwright-core").Page, key: string) =>
  page.locator(`.chart-card[data-key="${key}"] .chart`).evaluate((el: ChartBox) => {
    const u = el.uplot!;
    return u.series.flatMap((s, i) =>
      s.dash ? [{ label: s.label, dash: s.dash, points: [...u.data[i]].filter((v: unknown) => v != null).length }] : []
    );
  });

const frameText = (page: import("playwright-core").Page) => page.locator("[data-testid=replay-frame]").innerText();

Deno.test({
  name: "e2e - an episode replay draws, plays, pauses and scrubs; new episodes arrive live",
  ignore: !HAS_CHROMIUM,
  sanitizeResources: false,
  async fn() {
    await withRunsDir(async (runsDir) => {
      const run = await rlRun(runsDir, "dqn-a", 1);
      await run.episode(1000, cartPoleEpisode(1), 475);
      const served = await serveDashboard({ runsDir, port: 0 });
      const browser = await openBrowser();
      try {
        const { page } = browser;
        await page.goto(new URL("/runs/dqn-a", served.url).href);
        const canvas = page.locator("[data-testid=replay] canvas");
        await canvas.waitFor();
        // Playing: the frame counter moves on by itself.
        await page.waitForFunction(() =>
          !/^t=0\//.test(document.querySelector("[data-testid=replay-frame]")!.textContent!)
        );
        // Pause, unless it has already played to its end (20 frames at 50 fps take 0.4 s): checked and
        // clicked in one task of the page, so no animation frame falls in between.
        await page.evaluate(() => {
          const button = document.querySelector<HTMLButtonElement>("[data-testid=play]")!;
          if (button.textContent === "pause") button.click();
        });
        assert.equal(await page.locator("[data-testid=play]").textContent(), "play");
        const paused = await frameText(page);
        await page.waitForTimeout(300);
        assert.equal(await frameText(page), paused, "the replay moved while paused");
        await page.locator('input[aria-label="frame"]').fill("5");
        assert.match(await frameText(page), /^t=5\//);
        // Something was drawn: the cart and pole are dark and brown pixels on white.
        const inked = await canvas.evaluate((el: HTMLCanvasElement) => {
          const data = el.getContext("2d")!.getImageData(0, 0, el.width, el.height).data;
          let count = 0;
          for (let i = 0; i < data.length; i += 4) if (data[i] + data[i + 1] + data[i + 2] < 600) count++;
          return count;
        });
        assert.ok(inked > 500, `${inked} inked pixels`);

        await run.episode(2000, cartPoleEpisode(2), 475);
        await page.waitForFunction(() => document.querySelectorAll("[data-testid=episode-select] option").length === 2);

        // The reference: dashed on the evaluation chart, labelled with its source, and the status line's verdict.
        const evalCard = page.locator('.chart-card[data-key="eval/mean_return"]');
        await evalCard.locator("canvas").waitFor();
        const label = evalCard.locator("[data-testid=reference-label]").first();
        assert.equal(await label.innerText(), REFERENCE.label);
        assert.ok((await label.getAttribute("title"))!.includes(REFERENCE.source));
        const dashed = await dashedSeries(page, "eval/mean_return");
        assert.deepEqual(dashed[0], { label: REFERENCE.label, dash: [6, 4], points: REFERENCE.points.length });
        const status = page.locator("[data-testid=reference-status]");
        assert.equal(await status.innerText(), `on track · ${REFERENCE.label}`);
        assert.deepEqual(browser.errors, []);
      } finally {
        await browser.close();
        await served.shutdown();
      }
    });
  },
});

Deno.test({
  name: "e2e - two runs ticked in the list open a compare page that overlays both, and smoothing can change",
  ignore: !HAS_CHROMIUM,
  sanitizeResources: false,
  async fn() {
    await withRunsDir(async (runsDir) => {
      await rlRun(runsDir, "dqn-a", 1);
      await rlRun(runsDir, "dqn-b", 2, { onTrack: false });
      const served = await serveDashboard({ runsDir, port: 0 });
      const browser = await openBrowser();
      try {
        const { page } = browser;
        await page.goto(served.url);
        await page.locator('input[aria-label="select dqn-a"]').check();
        await page.locator('input[aria-label="select dqn-b"]').check();
        await page.locator("[data-testid=compare]").click();
        await page.waitForURL("**/compare?runs=**");
        const chart = page.locator('.chart-card[data-key="charts/episodic_return"]');
        await chart.locator("canvas").waitFor();
        assert.deepEqual(await page.locator(".legend span").allInnerTexts(), ["dqn-a", "dqn-b"]);
        const evalCard = page.locator('.chart-card[data-key="eval/mean_return"]');
        assert.equal(await evalCard.locator("[data-testid=reference-label]").first().innerText(), REFERENCE.label);
        assert.equal((await dashedSeries(page, "eval/mean_return"))[0].label, REFERENCE.label);
        await page.locator("[data-testid=chart-controls] select").selectOption("mean");
        await page.locator('[data-testid=chart-controls] input[type="number"]').waitFor();
        await chart.locator("canvas").waitFor();
        // The run below its reference's band is behind it.
        await page.goto(new URL("/runs/dqn-b", served.url).href);
        const status = page.locator("[data-testid=reference-status]");
        assert.equal(await status.innerText(), `behind the reference · ${REFERENCE.label}`);
        assert.deepEqual(browser.errors, []);
      } finally {
        await browser.close();
        await served.shutdown();
      }
    });
  },
});

/** The pixels of a canvas painted in the band's fill: the group's colour at alpha 0x33, nothing drawn over it. */
const bandPixels = (canvas: import("playwright-core").Locator) =>
  canvas.evaluate((el: HTMLCanvasElement) => {
    const data = el.getContext("2d")!.getImageData(0, 0, el.width, el.height).data;
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
      if (
        Math.abs(a - 0x33) < 8 && Math.abs(r - 0x25) < 12 && Math.abs(g - 0x63) < 12 && Math.abs(b - 0xeb) < 12
      ) count++;
    }
    return count;
  });

/**
 * bandPixels once the chart has redrawn into a state where `settled` holds, or the last count after
 * 5 s: the URL changes with the band select before the canvas is drawn again.
 */
async function bandPixelsOnce(canvas: import("playwright-core").Locator, settled: (count: number) => boolean) {
  const deadline = Date.now() + 5000;
  let count = await bandPixels(canvas);
  while (!settled(count) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    count = await bandPixels(canvas);
  }
  return count;
}

Deno.test({
  name: "e2e - three seeds of a setting are one curve with a shaded band, and every scalar downloads as CSV",
  ignore: !HAS_CHROMIUM,
  sanitizeResources: false,
  async fn() {
    await withRunsDir(async (runsDir) => {
      // The seeds share the reference's learning rate; seed 2 is behind it, so its evaluations have a band.
      for (const seed of [1, 2, 3]) {
        await rlRun(runsDir, `dqn-s${seed}`, seed, { config: { lr: REFERENCE.config!.lr, seed }, onTrack: seed !== 2 });
      }
      await rlRun(runsDir, "dqn-other", 10, { config: { lr: 0.01, seed: 1 } });
      const served = await serveDashboard({ runsDir, port: 0 });
      const browser = await openBrowser();
      try {
        const { page } = browser;
        await page.goto(new URL("/compare?runs=dqn-s1,dqn-s2,dqn-s3,dqn-other", served.url).href);
        const canvas = page.locator('.chart-card[data-key="charts/episodic_return"] canvas');
        await canvas.waitFor();
        assert.deepEqual(await page.locator("[data-testid=compare-legend] span").allInnerTexts(), [
          `lr=${REFERENCE.config!.lr} (n=3 seeds)`,
          "lr=0.01 (n=1 run)",
        ]);
        await page.locator("select[name=band]").selectOption("minmax");
        await page.waitForURL(/band=minmax/);
        const shaded = await bandPixelsOnce(canvas, (count) => count > 1000);
        assert.ok(shaded > 1000, `${shaded} pixels of band`);
        await page.locator("select[name=band]").selectOption("none");
        await page.waitForURL(/band=none/);
        const unshaded = await bandPixelsOnce(canvas, (count) => count < shaded / 20);
        assert.ok(unshaded < shaded / 20, `without a band, the shading is gone (${unshaded} of ${shaded} pixels left)`);

        const [download] = await Promise.all([
          page.waitForEvent("download"),
          page.locator('[data-testid=downloads] a[data-format="csv"]').click(),
        ]);
        assert.equal(download.suggestedFilename(), "4-runs-scalars.csv");
        const lines = (await Deno.readTextFile(await download.path())).trimEnd().split("\n");
        assert.equal(lines[0], "run_id,lab,lr,seed,key,step,wall_time,value");
        assert.equal(lines.length, 1 + 4 * (20 + REFERENCE.points.length));

        // Without dqn-other (trained with another lr) the reference applies: appended after the group's
        // centre and band edges, which the band still shades between.
        await page.goto(new URL("/compare?runs=dqn-s1,dqn-s2,dqn-s3&band=minmax", served.url).href);
        const evalCanvas = page.locator('.chart-card[data-key="eval/mean_return"] canvas');
        await evalCanvas.waitFor();
        const layout = await page.locator('.chart-card[data-key="eval/mean_return"] .chart').evaluate(
          (el: ChartBox) => {
            const u = el.uplot!;
            return { series: u.series.map((s) => s.label), columns: u.data.length };
          },
        );
        assert.deepEqual(layout.series.slice(1, 5), ["all runs", "all runs high", "all runs low", REFERENCE.label]);
        assert.equal(layout.columns, layout.series.length, "one data column per series");
        const evalShaded = await bandPixels(evalCanvas);
        assert.ok(evalShaded > 200, `${evalShaded} pixels of band beside the reference`);
        assert.deepEqual(browser.errors, []);
      } finally {
        await browser.close();
        await served.shutdown();
      }
    });
  },
});

Deno.test({
  name: "e2e - a sweep's page sorts its settings, draws its scatter, and compares the runs of ticked settings",
  ignore: !HAS_CHROMIUM,
  sanitizeResources: false,
  async fn() {
    await withRunsDir(async (runsDir) => {
      await rlRun(runsDir, "dqn-a", 1);
      await rlRun(runsDir, "dqn-b", 2);
      const trial = (id: string, setting: string, run: string, metric: number) => ({
        id,
        setting,
        seed: 1,
        status: "done" as const,
        run,
        results: [{ metric }],
        attempts: [],
      });
      const id = "dqn-cartpole-0123abcd";
      await writeManifest(
        runsDir,
        manifestOf({ id, trials: [trial("t001", "s01", "dqn-a", 20), trial("t002", "s02", "dqn-b", 40)] }),
      );
      const served = await serveDashboard({ runsDir, port: 0 });
      const browser = await openBrowser();
      try {
        const { page } = browser;
        await page.goto(served.url);
        await page.locator(`a[href="/sweeps/${id}"]`).click();
        await page.locator("[data-testid=scatter] canvas").waitFor();
        const order = () =>
          page.locator("[data-testid=settings] tbody tr").evaluateAll((rows) =>
            rows.map((r) => (r as HTMLElement).dataset.setting)
          );
        assert.deepEqual(await order(), ["s02", "s01"], "best first: the higher return");
        await page.locator('th[data-sort="mean"]').click();
        assert.deepEqual(await order(), ["s01", "s02"], "sorted by the mean, ascending");
        await page.locator('input[aria-label="select s01"]').check();
        await page.locator('input[aria-label="select s02"]').check();
        await page.locator("[data-testid=compare-settings]").click();
        await page.waitForURL("**/compare?runs=dqn-a,dqn-b");
        await page.locator('.chart-card[data-key="charts/episodic_return"] canvas').waitFor();
        assert.deepEqual(await page.locator(".legend span").allInnerTexts(), ["dqn-a", "dqn-b"]);
        assert.deepEqual(browser.errors, []);
      } finally {
        await browser.close();
        await served.shutdown();
      }
    });
  },
});
