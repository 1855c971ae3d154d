/**
 * Streams one page of the runs list, as a query asked for it: the page ("page") when the client
 * connects, then the page again whenever it changed: a run on it advanced or finished, a new
 * run entered it, a count moved. Each message is the whole page (at most a few hundred rows),
 * so a reconnect needs no cursor: its first message is exactly what it missed.
 */
import type { SSEStreamingApi } from "hono/streaming";
import type { RunsQuery } from "../shared/runs_query.ts";
import type { RunStore } from "../store/run_store.ts";
import type { StreamOptions, StreamStats } from "./stream_stats.ts";

export async function followList(
  stream: SSEStreamingApi,
  store: RunStore,
  query: RunsQuery,
  options: StreamOptions & { stats: StreamStats },
): Promise<void> {
  const stop = new AbortController();
  stream.onAbort(() => stop.abort());
  const onClosing = () => stop.abort();
  options.closing?.addEventListener("abort", onClosing);
  if (options.closing?.aborted) stop.abort();
  options.stats.open++;
  options.stats.opened++;
  try {
    await stream.write(`retry: ${options.retryMs}\n\n`);
    let shown = "";
    while (!stop.signal.aborted) {
      const version = store.index.version;
      const page = JSON.stringify(await store.runsPage(query));
      if (page !== shown) await stream.writeSSE({ event: "page", data: page });
      shown = page;
      if (store.index.version !== version) continue; // changed while the page was made
      await store.index.waitForChange(options.heartbeatMs, stop.signal);
      if (store.index.version === version && !stop.signal.aborted) await stream.write(": heartbeat\n\n");
    }
  } finally {
    options.closing?.removeEventListener("abort", onClosing);
    options.stats.open--;
  }
}
