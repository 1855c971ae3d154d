/**
 * Sweeps queued in PostgreSQL (postgres_queue.ts) read as manifests, read only, with one query
 * and no queue client: for the dashboard. A sweep is "finished" once none of its trials is
 * pending or running. A database where no sweep was ever queued has none.
 */
import type pg from "pg";
import { withReconnect } from "../run/reconnect.ts";
import type { SweepManifest, Trial } from "./manifest.ts";

const UNDEFINED_TABLE = "42P01";

/** Every sweep, newest first, or the one with `id`. */
export async function readStoredSweeps(pool: pg.Pool, id?: string): Promise<SweepManifest[]> {
  const { rows } = await withReconnect(() =>
    pool.query<{ sweep: SweepManifest; trials: Trial[] | null }>(
      `select s.sweep,
         (select json_agg(t.trial order by t.id) from tflab.sweep_trials t where t.sweep_id = s.id) as trials
       from tflab.sweeps s where $1::text is null or s.id = $1 order by s.created_at desc, s.id`,
      [id ?? null],
    )
  ).catch((error) => {
    if ((error as { code?: string }).code === UNDEFINED_TABLE) return { rows: [] };
    throw error;
  });
  return rows.map(({ sweep, trials }) => withTrials(sweep, trials ?? []));
}

/** The manifest with its trials, and its status from theirs. */
export function withTrials(sweep: SweepManifest, trials: Trial[]): SweepManifest {
  const open = trials.some((t) => t.status === "pending" || t.status === "running");
  return { ...sweep, trials, status: open ? "running" : "finished" };
}
