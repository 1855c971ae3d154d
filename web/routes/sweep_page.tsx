/**
 * GET /sweeps/:id: a sweep's settings ranked by the lab's headline (mean ± std over seeds), a
 * scatter of one swept value against it, and Compare for ticked settings. Read from the sweep's
 * manifest in the runs folder, or its tables in a shared store (lib/sweep), as the command-line report is.
 */
import { Hono } from "hono";
import type { Dimension, Setting, SweepManifest } from "../../lib/sweep/manifest.ts";
import { sweepReport } from "../../lib/sweep/report.ts";
import { Island } from "../components/island.tsx";
import { Layout } from "../components/layout.tsx";
import { StatusBadge } from "../components/status_badge.tsx";
import SweepScatter, { type ScatterDimension } from "../islands/sweep_scatter.tsx";
import SweepTable from "../islands/sweep_table.tsx";
import { formatTimestamp } from "../shared/format.ts";
import type { Deps } from "./deps.ts";
import { notFoundPage } from "./not_found.tsx";
import { renderPage } from "./render.ts";

export function sweepPageRoutes({ store }: Deps): Hono {
  return new Hono().get("/sweeps/:id", async (c) => {
    const id = c.req.param("id");
    const sweep = await store.sweep(id);
    if (!sweep) return c.html(notFoundPage(`No sweep '${id}' in ${store.location}.`), 404);
    const report = sweepReport(sweep);
    const flags = sweep.search.dimensions.map((d) => d.flag);
    const trials = report.rows.flatMap((row) =>
      row.trials.flatMap((
        t,
      ) => (t.metric === null ? [] : [{ setting: row.setting, values: row.values, metric: t.metric }]))
    );
    const means = report.rows.flatMap((row) =>
      row.mean === null ? [] : [{ setting: row.setting, values: row.values, mean: row.mean }]
    );
    return c.html(renderPage(
      <Layout title={`Sweep ${sweep.lab}`}>
        <h1>
          Sweep of {sweep.lab} <StatusBadge status={sweep.status} />
        </h1>
        <SweepFacts sweep={sweep} />
        <h2>Settings</h2>
        <Island
          component={SweepTable}
          props={{
            flags,
            headline: sweep.headline,
            better: sweep.better,
            budgetFlag: report.budgetFlag,
            rows: report.rows,
          }}
        />
        {flags.length > 0 && trials.length > 0 && (
          <>
            <h2>The headline against a swept value</h2>
            <Island
              component={SweepScatter}
              props={{
                headline: sweep.headline,
                dimensions: sweep.search.dimensions.map((d) => scatterDimension(d, sweep.settings)),
                trials,
                means,
              }}
            />
          </>
        )}
      </Layout>,
    ));
  });
}

function SweepFacts({ sweep }: { sweep: SweepManifest }) {
  const count = (status: string) => sweep.trials.filter((t) => t.status === status).length;
  const search = sweep.search.kind === "random"
    ? `random search, ${sweep.search.count} draws (--sweep-seed ${sweep.search.sweepSeed})`
    : "grid search";
  const method = sweep.halving
    ? `successive halving over --${sweep.halving.flag} ${
      sweep.halving.budgets.join(", ")
    }, keeping 1/${sweep.halving.eta}`
    : "every setting to its full budget";
  const facts = [
    <span class="mono" key="id">{sweep.id}</span>,
    `started ${formatTimestamp(sweep.createdAt)}`,
    search,
    method,
    `seeds ${sweep.seeds.join(", ")}`,
    sweep.fixed.length > 0 && (
      <>
        every trial: <code>{sweep.fixed.join(" ")}</code>
      </>
    ),
    `trials: ${count("done")} done, ${count("failed")} failed, ${count("pending") + count("running")} to run`,
    <code key="report">deno task sweep report {sweep.id}</code>,
  ].filter(Boolean);
  return (
    <p class="small" data-testid="sweep-facts">
      {facts.map((fact, i) => <span key={i}>{i > 0 && " · "}{fact}</span>)}
    </p>
  );
}

/** Numbers on a linear or (log ranges, and grids spanning 10x or more) log axis; anything else as categories. */
function scatterDimension(dimension: Dimension, settings: Setting[]): ScatterDimension {
  const values = settings.map((s) => s.values[dimension.flag]);
  if (!values.every((v) => typeof v === "number")) {
    const categories = dimension.kind === "grid" ? dimension.values : [...new Set(values.map(String))];
    return { flag: dimension.flag, log: false, categories };
  }
  const numbers = values as number[];
  const [min, max] = [Math.min(...numbers), Math.max(...numbers)];
  const log = dimension.kind === "range" ? dimension.scale === "log" : min > 0 && max / min >= 10;
  return { flag: dimension.flag, log };
}
