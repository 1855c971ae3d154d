/**
 * The run folder beside PostgreSQL (a temporary local server, tests/postgres_server.ts) for what
 * a lab does to its store: log 20,000 scalar events (then flush), save a 20 MB checkpoint (the
 * size of ae-mnist's; vae-mnist's is 7.8 MB) and load it back, verified.
 *
 *   deno run -A bench/run_store_speed.ts
 */
import type { CheckpointState } from "../lib/checkpoint.ts";
import { FolderStore } from "../lib/run/folder_store.ts";
import { PostgresStore } from "../lib/run/postgres_store.ts";
import type { RunStore } from "../lib/run/run_store.ts";
import { parseStoreUrl } from "../lib/run/store_url.ts";
import type { RunInfo } from "../lib/run/types.ts";
import { startPostgres } from "../tests/postgres_server.ts";

const EVENTS = 20_000;
const FLOATS = 5_000_000; // 20 MB of float32

async function measure(name: string, store: RunStore): Promise<void> {
  const files = await store.create({ id: `bench-${crypto.randomUUID()}`, createdAt: "" } as RunInfo);
  let start = performance.now();
  for (let seq = 1; seq <= EVENTS; seq++) {
    files.appendEvent(
      seq,
      JSON.stringify({ seq, time: Date.now(), step: seq, kind: "scalar", key: "k", value: 1 }) + "\n",
    );
  }
  const logged = performance.now() - start;
  await files.flushEvents();
  const flushed = performance.now() - start;
  const data = new Float32Array(FLOATS).map((_, i) => Math.sin(i));
  const state: CheckpointState = {
    step: 1,
    epoch: 0,
    eventSeq: EVENTS,
    meta: {},
    tensors: { model: [{ name: "w", shape: [FLOATS], data }] },
  };
  start = performance.now();
  await files.saveCheckpoint(state);
  const saved = performance.now() - start;
  start = performance.now();
  const loaded = await files.loadLatestCheckpoint();
  const read = performance.now() - start;
  if (loaded.tensors.model[0].data[FLOATS - 1] !== data[FLOATS - 1]) throw new Error(`${name}: checkpoint differs`);
  await files.close();
  console.log(
    `${name.padEnd(10)} ${EVENTS} events: ${(logged / EVENTS * 1000).toFixed(1)} us each to log, ` +
      `${flushed.toFixed(0)} ms to durable | 20 MB checkpoint: save ${saved.toFixed(0)} ms, load ${read.toFixed(0)} ms`,
  );
}

if (import.meta.main) {
  const folder = await Deno.makeTempDir({ prefix: "tflab-bench-" });
  const server = await startPostgres();
  try {
    await measure("folder", new FolderStore(folder));
    const store = await PostgresStore.connect(parseStoreUrl(await server.createDatabase(), "--store"));
    await measure("postgres", store);
    await store.close();
  } finally {
    await server.stop();
    await Deno.remove(folder, { recursive: true });
  }
}
