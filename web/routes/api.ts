/**
 * JSON APIs, for the islands and for scripts:
 *   GET /api/runs?q=&lab=&status=&config=&metric=&sort=&order=&page=&size=
 *                                       a page of the runs list (web/shared/runs_query.ts), with counts
 *   GET /api/runs/:id                   run.json, plus the cursor and generation of its events
 *   GET /api/runs/:id/events?after=N    events with seq > N (at most `limit`, default 5000)
 *   GET /api/runs/:id/scalars?until=N&smoothing=ema:0.6&points=1500&keys=a,b
 *   GET /api/health                     open live streams
 */
import { Hono } from "hono";
import { DEFAULT_POINTS, scalarsPayload } from "../store/scalars.ts";
import { parseRunsQuery, QueryError } from "../shared/runs_query.ts";
import { parseSmoothing } from "../shared/smoothing.ts";
import type { Deps } from "./deps.ts";

/** A non-negative integer query value, or the fallback. */
export function intQuery(text: string | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (text === undefined || !/^\d+$/.test(text)) return fallback;
  return Math.min(Number(text), max);
}

export function apiRoutes({ store, stats }: Deps): Hono {
  const noRun = (id: string) => ({ error: `no run '${id}' in the runs directory` });
  return new Hono()
    .get("/api/health", (c) => c.json({ ok: true, streams: { ...stats } }))
    .get("/api/runs", async (c) => {
      try {
        return c.json(await store.runsPage(parseRunsQuery(new URL(c.req.url).searchParams)));
      } catch (error) {
        if (error instanceof QueryError) return c.json({ error: error.message }, 400);
        throw error;
      }
    })
    .get("/api/runs/:id", async (c) => {
      const id = c.req.param("id");
      const [info, log] = await Promise.all([store.info(id), store.log(id)]);
      if (!info || !log) return c.json(noRun(id), 404);
      return c.json({ info, lastSeq: log.lastSeq, generation: log.generation });
    })
    .get("/api/runs/:id/events", async (c) => {
      const id = c.req.param("id");
      const log = await store.log(id);
      if (!log) return c.json(noRun(id), 404);
      const events = log.after(intQuery(c.req.query("after"), 0), intQuery(c.req.query("limit"), 5000, 50_000));
      return c.json({ events, lastSeq: log.lastSeq, generation: log.generation });
    })
    .get("/api/runs/:id/scalars", async (c) => {
      const id = c.req.param("id");
      const log = await store.log(id);
      if (!log) return c.json(noRun(id), 404);
      const keys = c.req.query("keys")?.split(",").filter(Boolean);
      return c.json(scalarsPayload(id, log, {
        smoothing: parseSmoothing(c.req.query("smoothing")),
        until: intQuery(c.req.query("until"), log.lastSeq),
        points: Math.max(3, intQuery(c.req.query("points"), DEFAULT_POINTS, 100_000)),
        keys,
      }));
    });
}
