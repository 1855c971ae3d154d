/** GET /: every run, live; above them, the sweeps when there are any. */
import { Hono } from "hono";
import { Island } from "../components/island.tsx";
import { Layout } from "../components/layout.tsx";
import { SweepList } from "../components/sweep_list.tsx";
import RunsTable from "../islands/runs_table.tsx";
import type { Deps } from "./deps.ts";
import { renderPage } from "./render.ts";

export function runsPageRoutes({ store }: Deps): Hono {
  return new Hono().get("/", async (c) => {
    const [runs, sweeps] = await Promise.all([store.summaries(), store.sweeps()]);
    return c.html(renderPage(
      <Layout title="Runs">
        {sweeps.length > 0 && (
          <>
            <h1>Sweeps</h1>
            <SweepList sweeps={sweeps} />
          </>
        )}
        <h1>Runs</h1>
        <Island component={RunsTable} props={{ runs }} />
      </Layout>,
    ));
  });
}
