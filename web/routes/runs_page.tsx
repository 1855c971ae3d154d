/** GET /: every run, live. */
import { Hono } from "hono";
import { Island } from "../components/island.tsx";
import { Layout } from "../components/layout.tsx";
import RunsTable from "../islands/runs_table.tsx";
import type { Deps } from "./deps.ts";
import { renderPage } from "./render.ts";

export function runsPageRoutes({ store }: Deps): Hono {
  return new Hono().get("/", async (c) => {
    const runs = await store.summaries();
    return c.html(renderPage(
      <Layout title="Runs">
        <h1>Runs</h1>
        <Island component={RunsTable} props={{ runs }} />
      </Layout>,
    ));
  });
}
