/**
 * Where a trial's run stands when the run is in PostgreSQL (the worker's counterpart of
 * run_state.ts, which reads a run folder): its status, whether a checkpoint lets it continue,
 * and its headline, summary.json's value when the lab put it there, else the last value logged.
 */
import type { PostgresStore } from "../lib/run/postgres_store.ts";
import { withReconnect } from "../lib/run/reconnect.ts";
import type { RunInfo } from "../lib/run/types.ts";

export interface StoreRunState {
  status: RunInfo["status"];
  hasCheckpoint: boolean;
}

export async function readStoreRunState(store: PostgresStore, runId: string): Promise<StoreRunState | null> {
  const { rows } = await withReconnect(() =>
    store.pool.query<{ status: RunInfo["status"]; checkpoint: boolean }>(
      `select info->>'status' as status, exists (
         select 1 from tflab.artifacts where run_id = $1 and path like 'checkpoints/step-%.ckpt'
       ) as checkpoint
       from tflab.runs where id = $1`,
      [runId],
    )
  );
  return rows[0] ? { status: rows[0].status, hasCheckpoint: rows[0].checkpoint } : null;
}

export async function readStoreHeadline(store: PostgresStore, runId: string, headline: string): Promise<number | null> {
  const { rows } = await withReconnect(() =>
    store.pool.query<{ summary: string | null; logged: number | null }>(
      `select
         (select convert_from(bytes, 'UTF8') from tflab.artifacts where run_id = $1 and path = 'summary.json') as summary,
         (select (line->>'value')::float8 from tflab.events
          where run_id = $1 and line->>'kind' = 'scalar' and line->>'key' = $2 order by seq desc limit 1) as logged`,
      [runId, headline],
    )
  );
  const summarised = (() => {
    try {
      return JSON.parse(rows[0]?.summary ?? "null")?.[headline];
    } catch {
      return undefined; // a torn summary: the last value logged stands
    }
  })();
  if (typeof summarised === "number" && Number.isFinite(summarised)) return summarised;
  const logged = rows[0]?.logged ?? null;
  return logged !== null && Number.isFinite(logged) ? logged : null;
}
