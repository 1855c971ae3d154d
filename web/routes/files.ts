/**
 * GET /runs/:id/files/<path>: a file inside a run directory (PNG grids, episode records,
 * run.json, events.jsonl), nothing outside it. The raw path is split and decoded here, segment
 * by segment, and checked against the real file system by safe_path.ts.
 */
import { Hono } from "hono";
import { extname } from "node:path";
import type { RunFiles } from "../../lib/run/run_store.ts";
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
    if (store.shared) {
      const bytes = id && segments ? await storedFile(await store.open(id), segments) : null;
      if (!bytes) return refuse();
      return c.body(bytes, 200, headers(segments!));
    }
    const runDir = id ? await resolveRunDir(store.runsDir, id) : null;
    const path = runDir && segments ? await resolveRunFile(runDir, segments) : null;
    if (!path) return refuse();
    const file = await Deno.open(path, { read: true });
    const { size } = await file.stat();
    return c.body(file.readable, 200, { ...headers(segments!), "content-length": String(size) });
  });
}

function headers(segments: string[]): Record<string, string> {
  return {
    "content-type": TYPES[extname(segments.at(-1)!).toLowerCase()] ?? "application/octet-stream",
    "x-content-type-options": "nosniff",
    // Media is written once per step (atomically); run.json and events.jsonl change while a run runs.
    "cache-control": segments[0] === "media" ? "private, max-age=3600" : "no-cache",
  };
}

/**
 * A file of a run in a shared store by its run-relative path (media, summary.json), or run.json;
 * null when it has none. Stores that keep files (PostgreSQL) read them with readFile.
 */
async function storedFile(run: RunFiles | null, segments: string[]): Promise<Uint8Array<ArrayBuffer> | null> {
  if (!run) return null;
  const path = segments.join("/");
  if (path === "run.json") return new TextEncoder().encode(JSON.stringify(await run.readInfo(), null, 2));
  return await run.readFile?.(path) ?? null;
}
