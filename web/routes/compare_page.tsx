/**
 * GET /compare?runs=a,b: several runs' curves overlaid, with their labs' reference curves; without
 * runs, a list to pick them from.
 */
import { Hono } from "hono";
import { Island } from "../components/island.tsx";
import { Layout } from "../components/layout.tsx";
import CompareCharts from "../islands/compare_charts.tsx";
import RunsTable from "../islands/runs_table.tsx";
import { loadReferencesOrError } from "../references/load_references.ts";
import { configMismatch, type ReferenceCurve } from "../shared/reference_curves.ts";
import { formatCursor } from "../sse/follow_runs.ts";
import { scalarsPayload } from "../store/scalars.ts";
import { DEFAULT_SMOOTHING } from "../shared/smoothing.ts";
import type { Deps } from "./deps.ts";
import { notFoundPage } from "./not_found.tsx";
import { renderPage } from "./render.ts";

const MAX_RUNS = 8;

export function comparePageRoutes({ store, projectRoot }: Deps): Hono {
  return new Hono().get("/compare", async (c) => {
    const ids = [...new Set((c.req.query("runs") ?? "").split(",").filter(Boolean))].slice(0, MAX_RUNS);
    if (ids.length === 0) {
      return c.html(renderPage(
        <Layout title="Compare">
          <h1>Compare runs</h1>
          <Island component={RunsTable} props={{ runs: await store.summaries(), selecting: true }} />
        </Layout>,
      ));
    }
    const runs = [], payloads = [], errors: string[] = [];
    const references: Record<string, ReferenceCurve[]> = {};
    for (const id of ids) {
      const [info, log] = await Promise.all([store.info(id), store.log(id)]);
      if (!info || !log) return c.html(notFoundPage(`No run '${id}' in the runs directory.`), 404);
      runs.push({ id, lab: info.lab, label: id.startsWith(info.lab + "-") ? id.slice(info.lab.length + 1) : id });
      payloads.push(scalarsPayload(id, log, { smoothing: DEFAULT_SMOOTHING }));
      if (!(info.lab in references)) {
        const { curves, error } = await loadReferencesOrError(info.lab, projectRoot);
        references[info.lab] = curves;
        if (error) errors.push(error);
      }
      // A lab's references are drawn only if every compared run of the lab was trained with their settings.
      references[info.lab] = references[info.lab].filter((curve) => !configMismatch(curve, info.config));
    }
    const cursor = formatCursor(new Map(payloads.map((p) => [p.runId, p.cursor])));
    return c.html(renderPage(
      <Layout title={`Compare ${ids.length} runs`}>
        <h1>Compare {ids.length} runs</h1>
        <ul class="run-links">
          {runs.map((run) => (
            <li key={run.id}>
              <a href={`/runs/${encodeURIComponent(run.id)}`}>{run.id}</a>
            </li>
          ))}
        </ul>
        {errors.map((error) => <pre class="error" key={error}>{error}</pre>)}
        <Island component={CompareCharts} props={{ runs, payloads, cursor, references }} />
      </Layout>,
    ));
  });
}
