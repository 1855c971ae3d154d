/**
 * The dashboard a lab serves while it trains: the web server runs in a Worker, so a training
 * step on the main thread never stalls a page (and a slow page never stalls training). Port 8000
 * when it is free, else any free port; it stops when the run ends.
 */
import type { LabDashboard } from "../runner/lab_hooks.ts";

const PORT = 8000;

export async function startLabDashboard(runsDir: string, runId: string): Promise<LabDashboard> {
  const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
  const reply = <T>() => new Promise<T>((resolve) => (worker.onmessage = (event) => resolve(event.data)));
  let answer: { url?: string; error?: string } = {};
  for (const port of [PORT, 0]) {
    const next = reply<typeof answer>();
    worker.postMessage({ runsDir, port });
    answer = await next;
    if (answer.url) break;
  }
  if (!answer.url) {
    worker.terminate();
    throw new Error(`the dashboard could not start: ${answer.error}`);
  }
  const url = new URL(answer.url);
  url.pathname = `/runs/${encodeURIComponent(runId)}`;
  return {
    url: url.href,
    async stop() {
      const closed = reply();
      worker.postMessage("shutdown");
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2000))]);
      worker.terminate();
    },
  };
}
