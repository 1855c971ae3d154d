/**
 * The run store's shared form: runs in PostgreSQL, so that many machines write runs one
 * dashboard reads. Three tables in the schema `tflab` (postgres_schema.ts): runs (run.json as
 * `json`, which keeps its text exactly), events (one row per event line, by seq) and artifacts
 * (every other file of a run by its run-relative path, as bytea: media, summary.json,
 * checkpoints). Events are batched: a lab logs synchronously, rows go in one INSERT per batch,
 * every FLUSH_MS or BATCH_ROWS, and always before a checkpoint and at the end. Each batch
 * notifies `tflab_events` with the run id and its last seq, for followers (LISTEN/NOTIFY).
 *
 * Checkpoints are bytea rather than large objects: the largest here (diffusion-mnist's U-Net,
 * weights with Adam moments and EMA) is tens of MB, far below bytea's 1 GB, and a bytea row
 * goes and comes with its run (export, import, delete) with no separate object to clean up.
 */
import { Buffer } from "node:buffer";
import pg from "pg";
import { checkpointFileName, type CheckpointState, decodeCheckpoint, encodeCheckpoint } from "../checkpoint.ts";
import { UsageError } from "../errors.ts";
import { jsonFileText } from "./atomic_write.ts";
import { parseEventLines } from "./run_reader.ts";
import { withReconnect } from "./reconnect.ts";
import { SCHEMA_SQL } from "./postgres_schema.ts";
import type { RunFiles, RunStore } from "./run_store.ts";
import { connectionError, type StoreUrl } from "./store_url.ts";
import type { RunEvent, RunInfo } from "./types.ts";

const FLUSH_MS = 200;
const BATCH_ROWS = 1000;
export const EVENTS_CHANNEL = "tflab_events";
const CONNECT_TIMEOUT_MS = 5000;

export class PostgresStore implements RunStore {
  readonly location: string;

  private constructor(readonly url: StoreUrl, readonly pool: pg.Pool) {
    this.location = url.shown;
  }

  /**
   * Connects, checks the server answers, and creates the tables (and `moreSchema`) if they are missing. A server
   * that cannot be reached, a refused login or a missing database is a UsageError naming the
   * server and database, within CONNECT_TIMEOUT_MS, before anything is written.
   */
  static async connect(url: StoreUrl, { moreSchema = "" }: { moreSchema?: string } = {}): Promise<PostgresStore> {
    const pool = new pg.Pool({
      connectionString: url.secret,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      application_name: "tflab",
      max: 4,
      allowExitOnIdle: true, // a finished lab exits without closing the store by hand
    });
    pool.on("error", () => {}); // an idle connection cut (a server restart): the next query opens a new one
    try {
      await inTransaction(pool, async (client) => {
        await client.query("select pg_advisory_xact_lock(hashtext('tflab schema'))"); // two workers starting at once
        await client.query(SCHEMA_SQL + moreSchema); // moreSchema: the tables of sweeps (lib/sweep), created with these
      });
    } catch (error) {
      await pool.end().catch(() => {});
      throw connectionError(url, error);
    }
    return new PostgresStore(url, pool);
  }

  async create(info: RunInfo): Promise<RunFiles> {
    await this.pool.query("insert into tflab.runs (id, info) values ($1, $2::json)", [info.id, jsonFileText(info)]);
    return new PostgresRun(this, info.id);
  }

  async open(id: string): Promise<RunFiles> {
    const { rowCount } = await withReconnect(() => this.pool.query("select 1 from tflab.runs where id = $1", [id]));
    if (!rowCount) throw new UsageError(`${this.location}: there is no run ${id} in this store.`);
    return new PostgresRun(this, id);
  }

  async list(): Promise<RunInfo[]> {
    const { rows } = await withReconnect(() =>
      this.pool.query<{ info: string }>("select info::text as info from tflab.runs order by info->>'createdAt' desc")
    );
    return rows.map((row) => JSON.parse(row.info));
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

export class PostgresRun implements RunFiles {
  readonly location: string;
  private pending: { seq: number; line: string }[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly store: PostgresStore, readonly id: string) {
    this.location = `${store.location}#${id}`;
  }

  private get pool(): pg.Pool {
    return this.store.pool;
  }

  /** One statement, tried again while a server restart cuts the connection (reconnect.ts). */
  private query<R extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<pg.QueryResult<R>> {
    return withReconnect(() => this.pool.query<R>(sql, params));
  }

  async readInfo(): Promise<RunInfo> {
    const { rows } = await this.query<{ info: string }>(
      "select info::text as info from tflab.runs where id = $1",
      [
        this.id,
      ],
    );
    if (!rows.length) throw new UsageError(`${this.location}: no such run in this store.`);
    return JSON.parse(rows[0].info);
  }

  async writeInfo(info: RunInfo): Promise<void> {
    await this.query("update tflab.runs set info = $2::json where id = $1", [this.id, jsonFileText(info)]);
  }

  appendEvent(seq: number, line: string): void {
    this.pending.push({ seq, line: line.trimEnd() });
    if (this.pending.length >= BATCH_ROWS) this.flushSoon(0);
    else this.flushSoon(FLUSH_MS);
  }

  private flushSoon(ms: number): void {
    if (this.timer !== undefined && ms > 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // A failed batch stays pending; the next flush (a checkpoint's, the end's) retries it and reports.
      this.flushEvents().catch(() => {});
    }, ms);
  }

  /** Writes the pending events, one batch after another; throws if they cannot be written. */
  flushEvents(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flushing = this.flushing.catch(() => {}).then(() => this.writePending());
    return this.flushing;
  }

  private async writePending(): Promise<void> {
    while (this.pending.length) {
      const batch = this.pending.splice(0, BATCH_ROWS);
      try {
        await this.query(
          `with added as (
             insert into tflab.events (run_id, seq, line)
             select $1, unnest($2::bigint[]), unnest($3::json[])
             on conflict (run_id, seq) do nothing -- a batch sent again after a cut connection
           )
           select pg_notify('${EVENTS_CHANNEL}', $1 || ' ' || $4::text)`,
          [this.id, batch.map((e) => e.seq), batch.map((e) => e.line), batch.at(-1)!.seq],
        );
      } catch (error) {
        this.pending.unshift(...batch);
        throw error;
      }
    }
  }

  async readEvents(afterSeq = 0): Promise<RunEvent[]> {
    const { rows } = await this.query<{ line: string }>(
      "select line::text as line from tflab.events where run_id = $1 and seq > $2 order by seq",
      [this.id, afterSeq],
    );
    return parseEventLines(rows.map((row) => row.line).join("\n"));
  }

  async truncateEvents(seq: number): Promise<void> {
    await this.flushEvents();
    await this.query("delete from tflab.events where run_id = $1 and seq > $2", [this.id, seq]);
  }

  async putFile(path: string, bytes: Uint8Array): Promise<void> {
    await this.query(
      `insert into tflab.artifacts (run_id, path, bytes) values ($1, $2, $3)
       on conflict (run_id, path) do update set bytes = excluded.bytes`,
      [this.id, path, toBuffer(bytes)],
    );
  }

  async saveCheckpoint(state: CheckpointState, keep = 2): Promise<string> {
    const path = `checkpoints/${checkpointFileName(state.step)}`;
    const bytes = await encodeCheckpoint(state);
    await withReconnect(() => this.writeCheckpoint(path, bytes, keep));
    return `${this.location}/${path}`;
  }

  /** The checkpoint and the pruning of older ones, in one transaction: tried again whole after a cut. */
  private writeCheckpoint(path: string, bytes: Uint8Array, keep: number): Promise<void> {
    return inTransaction(this.pool, async (client) => {
      await client.query(
        `insert into tflab.artifacts (run_id, path, bytes) values ($1, $2, $3)
         on conflict (run_id, path) do update set bytes = excluded.bytes`,
        [this.id, path, toBuffer(bytes)],
      );
      await client.query(
        `delete from tflab.artifacts where run_id = $1 and path in (
           select path from tflab.artifacts where run_id = $1 and path like 'checkpoints/step-%.ckpt'
           order by path desc offset $2)`,
        [this.id, keep],
      );
    });
  }

  async loadLatestCheckpoint(): Promise<CheckpointState & { path: string }> {
    const { rows } = await this.query<{ path: string }>(
      `select path from tflab.artifacts where run_id = $1 and path like 'checkpoints/step-%.ckpt'
       order by path desc limit 2`,
      [this.id],
    );
    const [newest, previous] = rows.map((row) => `${this.location}/${row.path}`);
    if (!newest) {
      throw new UsageError(
        `No checkpoint in ${this.location}: the run stopped before its first checkpoint; start a new run instead.`,
      );
    }
    const bytes = await this.readFile(rows[0].path);
    try {
      return { ...(await decodeCheckpoint(bytes!, newest)), path: newest };
    } catch (error) {
      if (error instanceof UsageError && previous) {
        error.message += ` Delete it to resume from the previous one, ${previous}.`;
      }
      throw error;
    }
  }

  /** A file of the run by its run-relative path, or null. */
  async readFile(path: string): Promise<Uint8Array<ArrayBuffer> | null> {
    const { rows } = await this.query<{ bytes: Uint8Array<ArrayBuffer> }>(
      "select bytes from tflab.artifacts where run_id = $1 and path = $2",
      [this.id, path],
    );
    return rows[0] ? new Uint8Array(rows[0].bytes) : null;
  }

  async close(): Promise<void> {
    await this.flushEvents();
  }
}

/** node-postgres sends a Buffer as binary; a plain Uint8Array would go as text. */
export const toBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** `work` in one transaction on a client of `pool`: committed when it returns, rolled back when it throws. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("begin");
    const result = await work(client);
    await client.query("commit");
    return result;
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
