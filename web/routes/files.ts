/**
 * GET /runs/:id/files/<path>: a file inside a run directory (PNG grids, episode records,
 * run.json, events.jsonl), nothing outside it. The raw path is split and decoded here, segment
 * by segment, and checked against the real file system by safe_path.ts.
 */
import { Hono } from "hono";
import { extname } from "node:path";
import { decodeSegments, resolveRunDir, resolveRunFile } from "../security/safe_path.ts";
import type { Deps } from "./deps.ts";

const TYPES: Record<string, string> = {
  ".png": "image/png",
  ".json": "application/json",
  ".jsonl": "text/plain; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

export function fileRoutes({ store }: Deps): Hono {
  return new Hono().get("/runs/:id/files/*", async (c) => {
    const refuse = () => c.text("No such file in this run.", 404);
    // The raw path, not Hono's decoded one: "%2F" must stay inside its segment, not become a separator.
    const raw = new URL(c.req.url).pathname;
    const match = raw.match(/^\/runs\/([^/]+)\/files\/(.+)$/);
    if (!match) return refuse();
    const [id] = decodeSegments(match[1]) ?? [];
    const segments = decodeSegments(match[2]);
    const runDir = id ? await resolveRunDir(store.runsDir, id) : null;
    const path = runDir && segments ? await resolveRunFile(runDir, segments) : null;
    if (!path) return refuse();
    const file = await Deno.open(path, { read: true });
    const { size } = await file.stat();
    return c.body(file.readable, 200, {
      "content-type": TYPES[extname(path).toLowerCase()] ?? "application/octet-stream",
      "content-length": String(size),
      "x-content-type-options": "nosniff",
      // Media is written once per step (atomically); run.json and events.jsonl change while a run runs.
      "cache-control": segments![0] === "media" ? "private, max-age=3600" : "no-cache",
    });
  });
}
