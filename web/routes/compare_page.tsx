/**
 * GET /compare?runs=a,b: several runs' curves overlaid, runs that differ only in their seed drawn
 * as one curve with its band (the view's query: web/shared/seed_view.ts), with their labs'
 * reference curves, every scalar of them to download; without runs, a list to pick them from.
 */
import { Hono } from "hono";
import { DownloadLinks } from "../components/download_links.tsx";
import { Island } from "../components/island.tsx";
import { Layout } from "../components/layout.tsx";
import CompareCharts from "../islands/compare_charts.tsx";
import RunsTable from "../islands/runs_table.tsx";
import { loadReferencesOrError } from "../references/load_references.ts";
import { configMismatch, type ReferenceCurve } from "../shared/reference_curves.ts";
import { formatCursor } from "../sse/follow_runs.ts";
import { DEFAULT_POINTS, scalarsPayload } from "../store/scalars.ts";
import { parseSeedView } from "../shared/seed_view.ts";
import { DEFAULT_SMOOTHING } from "../shared/smoothing.ts";
import type { Deps } from "./deps.ts";
import { MAX_COMPARED } from "./live.ts";
import { notFoundPage } from "./not_found.tsx";
import { renderPage } from "./render.ts";
import { pageFor } from "./runs_page.tsx";

/** Fewer points per curve as runs are added, so that the page of 64 runs weighs what 8 runs did. */
const pointsFor = (runs: number) => Math.max(300, Math.min(DEFAULT_POINTS, Math.round(DEFAULT_POINTS * 8 / runs)));

export function comparePageRoutes({ store, projectRoot }: Deps): Hono {
  return new Hono().get("/compare", async (c) => {
    const ids = [...new Set((c.req.query("runs") ?? "").split(",").filter(Boolean))].slice(0, MAX_COMPARED);
    if (ids.length === 0) {
      const { page, error } = await pageFor(store, new URL(c.req.url).searchParams);
      return c.html(renderPage(
        <Layout title="Compare">
          <h1>Compare runs</h1>
          <Island
            component={RunsTable}
            props={{ page, base: "/compare", selecting: true, ...(error ? { error } : {}) }}
          />
        </Layout>,
      ));
    }
    const runs = [], payloads = [], points = pointsFor(ids.length), errors: string[] = [];
    const references: Record<string, ReferenceCurve[]> = {};
    for (const id of ids) {
      const [info, log] = await Promise.all([store.info(id), store.log(id)]);
      if (!info || !log) return c.html(notFoundPage(`No run '${id}' in the runs directory.`), 404);
      const label = id.startsWith(info.lab + "-") ? id.slice(info.lab.length + 1) : id;
      runs.push({ id, label, lab: info.lab, config: info.config });
      payloads.push(scalarsPayload(id, log, { smoothing: DEFAULT_SMOOTHING, points }));
      if (!(info.lab in references)) {
        const { curves, error } = await loadReferencesOrError(info.lab, projectRoot);
        references[info.lab] = curves;
        if (error) errors.push(error);
      }
      // A lab's references are drawn only if every compared run of the lab was trained with their settings.
      references[info.lab] = references[info.lab].filter((curve) => !configMismatch(curve, info.config));
    }
    const cursor = formatCursor(new Map(payloads.map((p) => [p.runId, p.cursor])));
    const view = parseSeedView((name) => c.req.query(name), runs);
    const links = runs.map((run) => (
      <li key={run.id}>
        <a href={`/runs/${encodeURIComponent(run.id)}`}>{run.id}</a>
      </li>
    ));
    return c.html(renderPage(
      <Layout title={`Compare ${ids.length} runs`}>
        <h1>Compare {ids.length} runs</h1>
        {ids.length > 8
          ? (
            <details>
              <summary>the {ids.length} runs</summary>
              <ul class="run-links">{links}</ul>
            </details>
          )
          : <ul class="run-links">{links}</ul>}
        <p class="small dim">
          <DownloadLinks ids={ids} />
        </p>
        {errors.map((error) => <pre class="error" key={error}>{error}</pre>)}
        <Island component={CompareCharts} props={{ runs, payloads, cursor, points, view, references }} />
      </Layout>,
    ));
  });
}
