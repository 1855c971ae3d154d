/**
 * Picks the run store from the command line: runs go to folders under `--runs-dir` unless
 * `--store postgres://...` names a PostgreSQL database. The PostgreSQL client is loaded only
 * then, so a run without a server starts exactly as it did before there was one.
 */
import type { RunStore } from "./run_store.ts";
import { FolderStore } from "./folder_store.ts";
import { parseStoreUrl } from "./store_url.ts";

export async function openStore(store: string, { runsDir, flag = "--store" }: { runsDir: string; flag?: string }) {
  if (!store) return new FolderStore(runsDir) as RunStore;
  const url = parseStoreUrl(store, flag);
  const { PostgresStore } = await import("./postgres_store.ts");
  return await PostgresStore.connect(url) as RunStore;
}
