/**
 * GET /api/export?runs=a,b&format=csv|json|jsonl: every scalar of the named runs as one file to
 * download (the table of `deno task export`, lib/run/export_scalars.ts), streamed while it is
 * read, so a long run's export holds no more than a chunk in memory. Behind the same Host check
 * and token as every other request.
 */
import { Hono } from "hono";
import {
  EXPORT_FORMATS,
  type ExportFormat,
  type ExportRun,
  exportScalars,
  MEDIA_TYPES,
} from "../../lib/run/export_scalars.ts";
import { resolveRunDir } from "../security/safe_path.ts";
import type { Deps } from "./deps.ts";

/** The download's file name: the run's id, or how many runs it holds. */
export const exportFileName = (ids: readonly string[], format: ExportFormat): string =>
  `${ids.length === 1 ? ids[0] : `${ids.length}-runs`}-scalars.${format}`;

export function exportRoutes({ store }: Deps): Hono {
  return new Hono().get("/api/export", async (c) => {
    const ids = [...new Set((c.req.query("runs") ?? "").split(",").filter(Boolean))];
    const format = (c.req.query("format") ?? "csv") as ExportFormat;
    if (!EXPORT_FORMATS.includes(format)) {
      return c.json({ error: `unknown format '${format}': expected one of ${EXPORT_FORMATS.join(", ")}` }, 400);
    }
    if (!ids.length) return c.json({ error: "name the runs to export: ?runs=a,b" }, 400);
    const runs: ExportRun[] = [];
    for (const id of ids) {
      // A shared store's runs: `deno task store export` makes a folder of one first.
      const dir = store.shared ? null : await resolveRunDir(store.runsDir, id);
      const info = dir ? await store.info(id) : null;
      if (!dir || !info) return c.json({ error: `no run '${id}' in ${store.location}` }, 404);
      runs.push({ id, dir, lab: info.lab, config: info.config });
    }
    const body = ReadableStream.from(exportScalars(runs, format)).pipeThrough(new TextEncoderStream());
    return c.body(body, 200, {
      "content-type": MEDIA_TYPES[format],
      "content-disposition": `attachment; filename="${exportFileName(ids, format)}"`,
      "x-content-type-options": "nosniff",
      "cache-control": "no-store",
    });
  });
}
