/// <reference lib="dom" />
/**
 * The dashboard with thousands of runs. For each count: that many generated run folders
 * (./generate_runs.ts) in a temporary directory, a fresh dashboard process on them
 * (`cli.ts dashboard`), and real Chromium (Debian's, through playwright-core) loading the runs
 * page: the first load after start, whose response waits for the index to be built, the median
 * of later loads, served from the index, and the first load after a restart of the dashboard,
 * which with 200 runs or more finds the index saved and reads no unchanged file again
 * (web/store/run_index_cache.ts). Each load reports the server's response (time to first byte)
 * and the first contentful paint, which is the table of the first 50 runs (it is in the HTML).
 * Then the median time of one page of the JSON API, plain and filtered-and-sorted,
 * the dashboard's CPU share over 10 s with the page open (its live stream polls the index), and
 * the process's resident memory (VmRSS) and its peak (VmHWM).
 *
 * The run files were just written, so they are in the OS's page cache: a cold disk adds its reads.
 */
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { indexCacheFile } from "../web/store/run_index_cache.ts";
import { generateRuns } from "./generate_runs.ts";

const CLI = fileURLToPath(new URL("../cli.ts", import.meta.url));
const CHROMIUM = "/usr/bin/chromium";
const RELOADS = 5;
const API_REPEATS = 20;
const IDLE_SECONDS = 10;

export interface DashboardRow {
  runs: number;
  /** seconds to write the run folders */
  generateSeconds: number;
  /** spawn to the printed URL */
  startMs: number;
  /** the first load after the first start: it waits for every run to be indexed */
  first: PageLoad;
  /** the first load after a restart, which finds the index saved (200 runs or more) */
  restarted: PageLoad;
  /** the median of RELOADS later loads */
  later: PageLoad;
  apiPageMs: number;
  apiFilteredMs: number;
  /** the dashboard's CPU time over wall time, idle with the page open */
  idleCpuPercent: number;
  rssMiB: number;
  peakRssMiB: number;
}

export interface PageLoad {
  ttfbMs: number;
  firstPaintMs: number;
}

type Page = import("playwright-core").Page;

export async function benchDashboard(
  { counts, eventsPerRun }: { counts: number[]; eventsPerRun: number },
): Promise<DashboardRow[]> {
  const rows: DashboardRow[] = [];
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
  try {
    for (const count of counts) {
      const runsDir = await Deno.makeTempDir({ prefix: "tflab-bench-runs-" });
      const cacheFile = await indexCacheFile(runsDir);
      try {
        const t0 = performance.now();
        await generateRuns(runsDir, count, { eventsPerRun });
        const generateSeconds = (performance.now() - t0) / 1000;
        console.error(`  ${count} runs written in ${generateSeconds.toFixed(1)} s; timing the dashboard`);
        const page = await browser.newPage();
        const measured = await withDashboard(runsDir, (url, pid, startMs) => measure(page, url, pid, startMs));
        const restarted = await withDashboard(runsDir, (url) => load(page, url));
        await page.close();
        const row = { runs: count, generateSeconds, ...measured, restarted };
        rows.push(row);
        console.error(
          `  ${count} runs: first paint ${row.first.firstPaintMs.toFixed(0)} ms (first load), ` +
            `${row.restarted.firstPaintMs.toFixed(0)} ms (restarted), ${row.later.firstPaintMs.toFixed(0)} ms ` +
            `(later); RSS ${row.rssMiB.toFixed(0)} MiB`,
        );
      } finally {
        await Deno.remove(runsDir, { recursive: true });
        if (cacheFile) await Deno.remove(cacheFile).catch(() => {});
      }
    }
  } finally {
    await browser.close();
  }
  return rows;
}

/** Runs `body` with a fresh dashboard process serving runsDir, then stops it. */
async function withDashboard<T>(
  runsDir: string,
  body: (url: string, pid: number, startMs: number) => Promise<T>,
): Promise<T> {
  const spawned = performance.now();
  const dashboard = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, "dashboard", "--runs-dir", runsDir, "--port", "0"],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  try {
    const url = await firstLine(dashboard.stdout);
    return await body(url, dashboard.pid, performance.now() - spawned);
  } finally {
    dashboard.kill("SIGTERM");
    await dashboard.status;
  }
}

async function measure(page: Page, url: string, pid: number, startMs: number) {
  const first = await load(page, url);
  const later: PageLoad[] = [];
  for (let i = 0; i < RELOADS; i++) later.push(await load(page, url));
  const apiPageMs = await timeFetch(new URL("/api/runs?size=50", url));
  const apiFilteredMs = await timeFetch(
    new URL("/api/runs?lab=vae-mnist&config=lr%3D0.001&metric=train/loss%3D..1000&sort=metric.train/loss", url),
  );
  const cpuBefore = cpuSeconds(pid);
  await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
  const idleCpuPercent = (100 * (cpuSeconds(pid) - cpuBefore)) / IDLE_SECONDS;
  return {
    startMs,
    first,
    later: { ttfbMs: median(later.map((l) => l.ttfbMs)), firstPaintMs: median(later.map((l) => l.firstPaintMs)) },
    apiPageMs,
    apiFilteredMs,
    idleCpuPercent,
    ...memoryOf(pid),
  };
}

/** Loads the page and reads its navigation and paint timings, from the start of the navigation. */
async function load(page: Page, url: string): Promise<PageLoad> {
  await page.goto(url, { waitUntil: "load" });
  await page.locator("table.runs tbody tr").first().waitFor();
  return await page.evaluate(() =>
    new Promise<PageLoad>((resolve) => {
      const read = () => {
        const paint = performance.getEntriesByName("first-contentful-paint")[0];
        if (!paint) return requestAnimationFrame(read);
        const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
        resolve({ ttfbMs: navigation.responseStart, firstPaintMs: paint.startTime });
      };
      read();
    })
  );
}

async function timeFetch(url: URL): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < API_REPEATS; i++) {
    const start = performance.now();
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
    await response.arrayBuffer();
    times.push(performance.now() - start);
  }
  return median(times);
}

async function firstLine(stream: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the dashboard exited before printing its URL: ${text}`);
    text += decoder.decode(value, { stream: true });
  }
  reader.releaseLock();
  return text.split("\n")[0].trim();
}

/** User plus system CPU seconds of a process so far (Linux). */
function cpuSeconds(pid: number): number {
  const fields = Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

function memoryOf(pid: number): { rssMiB: number; peakRssMiB: number } {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const kib = (name: string) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, "m"))?.[1] ?? NaN);
  return { rssMiB: kib("VmRSS") / 1024, peakRssMiB: kib("VmHWM") / 1024 };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export function dashboardTable(rows: DashboardRow[]): string[][] {
  const lines = [[
    "runs",
    "first load: TTFB / first paint (ms)",
    "after a restart",
    "later loads",
    "API page / filtered (ms)",
    "idle CPU, page open",
    "RSS / peak (MiB)",
  ]];
  const pair = (load: PageLoad) => `${load.ttfbMs.toFixed(0)} / ${load.firstPaintMs.toFixed(0)}`;
  for (const row of rows) {
    lines.push([
      row.runs.toLocaleString("en"),
      pair(row.first),
      pair(row.restarted),
      pair(row.later),
      `${row.apiPageMs.toFixed(1)} / ${row.apiFilteredMs.toFixed(1)}`,
      `${row.idleCpuPercent.toFixed(1)}%`,
      `${row.rssMiB.toFixed(0)} / ${row.peakRssMiB.toFixed(0)}`,
    ]);
  }
  return lines;
}
