/** GET /?<runs query>: a page of the runs list, filtered and sorted as the URL says, live; above it, the sweeps. */
import { Hono } from "hono";
import { Island } from "../components/island.tsx";
import { Layout } from "../components/layout.tsx";
import { SweepList } from "../components/sweep_list.tsx";
import RunsTable from "../islands/runs_table.tsx";
import type { RunStore } from "../store/run_store.ts";
import { DEFAULT_QUERY, parseRunsQuery, QueryError, type RunsQuery } from "../shared/runs_query.ts";
import type { Deps } from "./deps.ts";
import { renderPage } from "./render.ts";

export function runsPageRoutes({ store }: Deps): Hono {
  return new Hono().get("/", async (c) => {
    const [{ page, error }, sweeps] = await Promise.all([
      pageFor(store, new URL(c.req.url).searchParams),
      store.sweeps(),
    ]);
    return c.html(renderPage(
      <Layout title="Runs">
        {sweeps.length > 0 && (
          <>
            <h1>Sweeps</h1>
            <SweepList sweeps={sweeps} />
          </>
        )}
        <h1>Runs</h1>
        <Island component={RunsTable} props={{ page, ...(error ? { error } : {}) }} />
      </Layout>,
    ));
  });
}

/** The page the URL asks for; every run, with the reason, when its query is not understood. */
export async function pageFor(store: RunStore, params: URLSearchParams) {
  let query: RunsQuery = DEFAULT_QUERY, error: string | undefined;
  try {
    query = parseRunsQuery(params);
  } catch (caught) {
    if (!(caught instanceof QueryError)) throw caught;
    error = `${caught.message}; showing every run instead`;
  }
  return { page: await store.runsPage(query), error };
}
