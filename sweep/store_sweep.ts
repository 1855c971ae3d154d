/**
 * A sweep in PostgreSQL (`--store URL`): `deno task sweep <lab> ... --store URL` checks every
 * value as a local sweep does, then writes the sweep and queues its trials, prints the sweep's id
 * and returns; workers on any machine run the trials (`deno task worker --store URL`, worker.ts).
 * `sweep report <id> --store URL` ranks the settings from the same tables.
 */
import { didYouMean, UsageError } from "../lib/errors.ts";
import type { SweepManifest } from "../lib/sweep/manifest.ts";
import type { PostgresSweeps } from "../lib/sweep/postgres_queue.ts";
import { parseStoreUrl } from "../lib/run/store_url.ts";

async function connect(store: string): Promise<PostgresSweeps> {
  const { PostgresSweeps } = await import("../lib/sweep/postgres_queue.ts");
  return await PostgresSweeps.connect(parseStoreUrl(store, "--store"));
}

export async function queueSweep(planned: SweepManifest, { store, lease }: { store: string; lease: number }) {
  if (planned.halving) {
    throw new UsageError("--method halving runs in one sweep process; it cannot be queued with --store yet.");
  }
  const sweeps = await connect(store);
  try {
    const queue = sweeps.queue(planned);
    // A sweep written by a command stopped before its trials were (one transaction) gets them now.
    const created = await sweeps.create(planned, { lease }) || !(await queue.list()).length;
    if (created) await queue.enqueue(planned.trials);
    const where = sweeps.store.location;
    console.error(
      created
        ? `sweep ${planned.id}: ${planned.trials.length} trials queued in ${where} (lease ${lease} s, ` +
          `${planned.retries} retries); run them with: deno task worker --store ${where}`
        : `sweep ${planned.id} is already queued in ${where}; its report: deno task sweep report ${planned.id} --store ${where}`,
    );
    console.log(planned.id);
  } finally {
    await sweeps.close();
  }
}

/** The sweep as a manifest (its trials from the table), for the report. */
export async function readStoreSweep(id: string | undefined, store: string): Promise<SweepManifest> {
  const sweeps = await connect(store);
  try {
    const sweep = id ? await sweeps.read(id) : null;
    if (sweep) return sweep;
    const known = await sweeps.ids();
    const listed = known.length ? ` Sweeps there: ${known.join(", ")}.` : "";
    if (!id) throw new UsageError(`Name a sweep (its id).${listed}`);
    throw new UsageError(`No sweep '${id}' in ${sweeps.store.location}.${didYouMean(id, known)}${listed}`);
  } finally {
    await sweeps.close();
  }
}
