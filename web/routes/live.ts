/**
 * Server-Sent Event streams, one per page:
 *   GET /api/live                               the runs list (snapshot, then changes)
 *   GET /api/runs/:id/live?after=N&generation=G one run's events after seq N; ids are seqs
 *   GET /api/compare/live?runs=a,b&after=a@1,b@2 several runs; ids carry every run's cursor
 * A reconnecting browser sends Last-Event-ID, which wins over `after`. A `generation` that no
 * longer matches (the run was resumed, its events rewritten) is answered with "reset".
 */
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { followList } from "../sse/follow_list.ts";
import { followRuns, parseCursor } from "../sse/follow_runs.ts";
import type { RunLog } from "../store/run_log.ts";
import type { Deps } from "./deps.ts";

/** The most runs one compare page follows: ten seeds of six settings. */
export const MAX_COMPARED = 64;

export function liveRoutes(deps: Deps): Hono {
  const { store, stats } = deps;
  const options = { ...deps.stream, closing: deps.closing };
  return new Hono()
    .get("/api/live", (c) => streamSSE(c, (s) => followList(s, store, { ...options, stats, pollMs: deps.listPollMs })))
    .get("/api/runs/:id/live", async (c) => {
      const id = c.req.param("id");
      const log = await store.log(id);
      if (!log) return c.json({ error: `no run '${id}' in the runs directory` }, 404);
      const cursor = parseCursor(c.req.header("last-event-id") ?? c.req.query("after"), [id]);
      const generation = c.req.query("generation");
      return streamSSE(c, async (s) => {
        if (generation && generation !== log.generation) {
          await s.writeSSE({ event: "reset", data: "the run's events were rewritten (resumed); reload" });
          return;
        }
        await followRuns(s, new Map([[id, log]]), cursor, { ...options, stats, tagged: false });
      });
    })
    .get("/api/compare/live", async (c) => {
      const ids = [...new Set((c.req.query("runs") ?? "").split(",").filter(Boolean))].slice(0, MAX_COMPARED);
      const logs = new Map<string, RunLog>();
      for (const id of ids) {
        const log = await store.log(id);
        if (!log) return c.json({ error: `no run '${id}' in the runs directory` }, 404);
        logs.set(id, log);
      }
      if (!logs.size) return c.json({ error: "name the runs to follow: ?runs=a,b" }, 400);
      const cursor = parseCursor(c.req.header("last-event-id") ?? c.req.query("after"), ids);
      return streamSSE(c, (s) => followRuns(s, logs, cursor, { ...options, stats, tagged: true }));
    });
}
