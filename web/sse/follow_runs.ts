/**
 * Streams the events of one or more runs as Server-Sent Events, from a cursor on: first what the
 * client missed, then live. Every message carries an id that is the cursor after it, so the
 * browser's automatic reconnect (which sends it back as Last-Event-ID) resumes exactly there:
 * nothing missed, nothing twice. One run: the id is the event's seq. Several: "runA@12,runB@40".
 *
 * Memory stays bounded for slow clients: the loop pulls at most `batchSize` events per run from
 * the in-memory log and awaits each write, and a write only completes when the client's side
 * has taken the bytes; a stalled client stalls its own loop, nothing piles up.
 */
import type { SSEStreamingApi } from "hono/streaming";
import type { RunLog } from "../store/run_log.ts";
import type { StreamOptions, StreamStats } from "./stream_stats.ts";

export type Cursor = Map<string, number>;

export function formatCursor(cursor: Cursor): string {
  if (cursor.size === 1) return String([...cursor.values()][0]);
  return [...cursor].map(([run, seq]) => `${run}@${seq}`).join(",");
}

/** Parses "12" (for a single run) or "a@12,b@40"; runs not named start at 0, junk counts as 0. */
export function parseCursor(text: string | undefined | null, runs: readonly string[]): Cursor {
  const cursor: Cursor = new Map(runs.map((run) => [run, 0]));
  if (!text) return cursor;
  if (runs.length === 1 && /^\d+$/.test(text)) return new Map([[runs[0], Number(text)]]);
  for (const part of text.split(",")) {
    const at = part.lastIndexOf("@");
    const run = part.slice(0, at), seq = Number(part.slice(at + 1));
    if (at > 0 && cursor.has(run) && Number.isSafeInteger(seq) && seq >= 0) cursor.set(run, seq);
  }
  return cursor;
}

export interface FollowOptions extends StreamOptions {
  stats: StreamStats;
  /** several runs: each message's data is {run, event} instead of the bare event */
  tagged: boolean;
}

/** Writes events from `cursor` on until the client leaves. A replaced events file ends the stream with "reset". */
export async function followRuns(
  stream: SSEStreamingApi,
  logs: Map<string, RunLog>,
  cursor: Cursor,
  options: FollowOptions,
): Promise<void> {
  const stop = new AbortController();
  stream.onAbort(() => stop.abort());
  const onClosing = () => stop.abort();
  options.closing?.addEventListener("abort", onClosing);
  if (options.closing?.aborted) stop.abort();
  const generations = new Map([...logs].map(([run, log]) => [run, log.generation]));
  options.stats.open++;
  options.stats.opened++;
  try {
    await stream.write(`retry: ${options.retryMs}\n\n`);
    while (!stop.signal.aborted) {
      if ([...logs].some(([run, log]) => log.generation !== generations.get(run))) {
        await stream.writeSSE({ event: "reset", data: "the run's events were rewritten (resumed); reload" });
        return;
      }
      if (await writeBatch(stream, logs, cursor, options)) continue;
      const changed = await waitForAny(logs, cursor, generations, {
        timeoutMs: options.heartbeatMs,
        signal: stop.signal,
      });
      if (!changed && !stop.signal.aborted) await stream.write(": heartbeat\n\n");
    }
  } finally {
    options.closing?.removeEventListener("abort", onClosing);
    options.stats.open--;
  }
}

/** Writes up to batchSize pending events of each run as one chunk; false when none were pending. */
async function writeBatch(
  stream: SSEStreamingApi,
  logs: Map<string, RunLog>,
  cursor: Cursor,
  options: FollowOptions,
): Promise<boolean> {
  let text = "", count = 0;
  for (const [run, log] of logs) {
    for (const event of log.after(cursor.get(run) ?? 0, options.batchSize)) {
      cursor.set(run, event.seq);
      const data = JSON.stringify(options.tagged ? { run, event } : event);
      text += `id: ${formatCursor(cursor)}\ndata: ${data}\n\n`;
      count++;
    }
  }
  if (!count) return false;
  await stream.write(text);
  options.stats.sentEvents += count;
  return true;
}

/** true when any run has events past the cursor (or was rewritten) before the timeout. */
async function waitForAny(
  logs: Map<string, RunLog>,
  cursor: Cursor,
  generations: Map<string, string>,
  { timeoutMs, signal }: { timeoutMs: number; signal: AbortSignal },
): Promise<boolean> {
  const pending = () =>
    [...logs].some(([run, log]) => log.lastSeq > (cursor.get(run) ?? 0) || log.generation !== generations.get(run));
  const done = new AbortController();
  const onAbort = () => done.abort();
  signal.addEventListener("abort", onAbort);
  try {
    const waits = [...logs.values()].map((log) => log.waitForChange(timeoutMs, done.signal));
    // Events may have been read (by another request's refresh) since the last batch: no waiting then.
    if (pending() || signal.aborted) done.abort();
    await Promise.race(waits);
  } finally {
    signal.removeEventListener("abort", onAbort);
    done.abort(); // releases the other logs' waiters
  }
  return pending();
}
