/**
 * A run between PostgreSQL and a run folder, both ways and exact: every file of the folder comes
 * back byte for byte (run.json, events.jsonl, media, checkpoints, summary.json and anything
 * else in it). An export writes a new folder whole or not at all; an import is one transaction.
 */
import { dirname, join, relative } from "node:path";
import { UsageError } from "../errors.ts";
import { inTransaction, type PostgresStore, toBuffer } from "./postgres_store.ts";

const ROOT_FILES = new Set(["run.json", "events.jsonl"]);
const BATCH_ROWS = 1000;

/** Writes run `id` of `store` to the folder `dir`, which must not exist yet. */
export async function exportRun(store: PostgresStore, id: string, dir: string): Promise<void> {
  if (await exists(dir)) throw new UsageError(`${dir} already exists; export a run to a new folder.`);
  const { rows: [run] } = await store.pool.query<{ info: string }>(
    "select info::text as info from tflab.runs where id = $1",
    [id],
  );
  if (!run) throw new UsageError(`${store.location}: there is no run ${id} in this store.`);
  const partial = `${dir}.partial-${crypto.randomUUID().slice(0, 8)}`;
  try {
    await Deno.mkdir(join(partial, "media"), { recursive: true });
    await Deno.mkdir(join(partial, "checkpoints"));
    await Deno.writeTextFile(join(partial, "run.json"), run.info);
    const { rows: events } = await store.pool.query<{ line: string }>(
      "select line::text as line from tflab.events where run_id = $1 order by seq",
      [id],
    );
    await Deno.writeTextFile(join(partial, "events.jsonl"), events.map((e) => e.line + "\n").join(""));
    const { rows: paths } = await store.pool.query<{ path: string }>(
      "select path from tflab.artifacts where run_id = $1 order by path",
      [id],
    );
    for (const { path } of paths) {
      const { rows: [file] } = await store.pool.query<{ bytes: Uint8Array }>(
        "select bytes from tflab.artifacts where run_id = $1 and path = $2",
        [id, path],
      );
      const target = join(partial, path);
      if (relative(partial, target).startsWith("..")) {
        throw new Error(`run ${id}: artifact path ${path} leaves the run`);
      }
      await Deno.mkdir(dirname(target), { recursive: true });
      await Deno.writeFile(target, file.bytes);
    }
    await Deno.rename(partial, dir);
  } catch (error) {
    await Deno.remove(partial, { recursive: true }).catch(() => {});
    throw error;
  }
}

/** Imports the run folder `dir` into `store` under run.json's id; returns the id. */
export async function importRun(store: PostgresStore, dir: string): Promise<string> {
  const infoText = await Deno.readTextFile(join(dir, "run.json")).catch((error) => {
    throw new UsageError(`${dir}: not a run folder (${error instanceof Deno.errors.NotFound ? "no run.json" : error})`);
  });
  const id = (JSON.parse(infoText) as { id?: unknown }).id;
  if (typeof id !== "string" || !id) throw new UsageError(`${dir}/run.json has no run id.`);
  const events = parseEventFile(await Deno.readTextFile(join(dir, "events.jsonl")).catch(() => ""), dir);
  const files = await runFiles(dir);
  await inTransaction(store.pool, async (client) => {
    const added = await client.query(
      "insert into tflab.runs (id, info) values ($1, $2::json) on conflict (id) do nothing",
      [id, infoText],
    );
    if (!added.rowCount) throw new UsageError(`${store.location} already holds a run ${id}; nothing was imported.`);
    for (let start = 0; start < events.length; start += BATCH_ROWS) {
      const batch = events.slice(start, start + BATCH_ROWS);
      await client.query(
        "insert into tflab.events (run_id, seq, line) select $1, unnest($2::bigint[]), unnest($3::json[])",
        [id, batch.map((e) => e.seq), batch.map((e) => e.line)],
      );
    }
    for (const path of files) {
      const bytes = await Deno.readFile(join(dir, path));
      await client.query("insert into tflab.artifacts (run_id, path, bytes) values ($1, $2, $3)", [
        id,
        path,
        toBuffer(bytes),
      ]);
    }
  });
  return id;
}

/** events.jsonl as (seq, line) pairs: whole lines with strictly increasing seq, or a UsageError naming the line. */
function parseEventFile(text: string, dir: string): { seq: number; line: string }[] {
  if (text && !text.endsWith("\n")) {
    throw new UsageError(
      `${dir}/events.jsonl ends in a partial line (its writer was killed mid-line); remove it first.`,
    );
  }
  let last = 0;
  return text.split("\n").slice(0, -1).map((line, index) => {
    let seq: unknown;
    try {
      seq = JSON.parse(line).seq;
    } catch {
      seq = undefined;
    }
    if (typeof seq !== "number" || !(seq > last)) {
      throw new UsageError(`${dir}/events.jsonl line ${index + 1}: not an event with a seq above ${last}.`);
    }
    last = seq;
    return { seq, line };
  });
}

/** The run-relative paths of every regular file in the folder besides run.json and events.jsonl. */
async function runFiles(dir: string, sub = ""): Promise<string[]> {
  const paths: string[] = [];
  for await (const entry of Deno.readDir(join(dir, sub))) {
    const path = sub ? `${sub}/${entry.name}` : entry.name;
    if (entry.isDirectory) paths.push(...await runFiles(dir, path));
    else if (!entry.isFile) {
      throw new UsageError(`${join(dir, path)}: not a regular file; a run folder holds only files.`);
    } else if (!(sub === "" && ROOT_FILES.has(entry.name))) paths.push(path);
  }
  return paths.sort();
}

const exists = (path: string) => Deno.lstat(path).then(() => true, () => false);
