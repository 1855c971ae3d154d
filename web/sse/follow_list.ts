/**
 * Streams the runs list: a full snapshot ("runs") when the client connects, then one "run"
 * message per run that appeared or changed and "removed" per run that went away, polling the
 * runs directory. A reconnect gets a fresh snapshot, which is exactly what it missed.
 */
import type { SSEStreamingApi } from "hono/streaming";
import type { RunStore } from "../store/run_store.ts";
import type { StreamOptions, StreamStats } from "./stream_stats.ts";

export async function followList(
  stream: SSEStreamingApi,
  store: RunStore,
  options: StreamOptions & { stats: StreamStats; pollMs: number },
): Promise<void> {
  let stopped = false;
  let wake = () => {};
  const stop = () => {
    stopped = true;
    wake();
  };
  stream.onAbort(stop);
  options.closing?.addEventListener("abort", stop);
  if (options.closing?.aborted) stopped = true;
  options.stats.open++;
  options.stats.opened++;
  try {
    let runs = await store.summaries();
    let shown = new Map(runs.map((run) => [run.id, JSON.stringify(run)]));
    await stream.write(`retry: ${options.retryMs}\n\n`);
    await stream.writeSSE({ event: "runs", data: JSON.stringify(runs) });
    let quiet = 0;
    while (!stopped) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.pollMs);
        wake = () => (clearTimeout(timer), resolve());
      });
      if (stopped) break;
      runs = await store.summaries();
      const now = new Map(runs.map((run) => [run.id, JSON.stringify(run)]));
      let text = "";
      for (const [id, json] of now) if (shown.get(id) !== json) text += `event: run\ndata: ${json}\n\n`;
      for (const id of shown.keys()) if (!now.has(id)) text += `event: removed\ndata: ${JSON.stringify(id)}\n\n`;
      shown = now;
      quiet = text ? 0 : quiet + options.pollMs;
      if (quiet >= options.heartbeatMs) {
        text = ": heartbeat\n\n";
        quiet = 0;
      }
      if (text) await stream.write(text);
    }
  } finally {
    options.closing?.removeEventListener("abort", stop);
    options.stats.open--;
  }
}
