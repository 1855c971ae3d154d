/**
 * The runs index kept between dashboard starts, so that a dashboard restarted on 5,000 runs reads
 * no run.json, summary.json or events file that has not changed since (reading them all is the
 * cost of a first start). One JSON file per runs folder in the cache folder (lib/disk_cache.ts),
 * never in the runs folder: the dashboard only reads runs. Each part of an entry carries its
 * file's stamp (mtime, ctime, size, inode) and is used only while the file still has it; a
 * missing, stale or unreadable cache costs a full read, nothing else.
 */
import { join } from "node:path";
import { cacheDir } from "../../lib/disk_cache.ts";
import type { EntryState } from "./run_entry.ts";

const FORMAT = 2;

/** The cache file of a runs folder (by its real path), or null without a cache folder. */
export async function indexCacheFile(runsDir: string): Promise<string | null> {
  const dir = cacheDir();
  if (!dir) return null;
  const real = await Deno.realPath(runsDir).catch(() => runsDir);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(real)));
  const name = Array.from(digest.subarray(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
  return join(dir, "runs-index", `${name}.json`);
}

export async function loadEntries(path: string): Promise<Map<string, EntryState>> {
  try {
    const saved = JSON.parse(await Deno.readTextFile(path));
    if (saved?.format !== FORMAT || typeof saved.runs !== "object") return new Map();
    return new Map(Object.entries(saved.runs as Record<string, EntryState>));
  } catch {
    return new Map(); // none yet, or unreadable: the events are read
  }
}

export async function saveEntries(path: string, entries: Map<string, EntryState>): Promise<void> {
  try {
    await Deno.mkdir(join(path, ".."), { recursive: true });
    const temporary = `${path}.${Deno.pid}.tmp`;
    await Deno.writeTextFile(temporary, JSON.stringify({ format: FORMAT, runs: Object.fromEntries(entries) }));
    await Deno.rename(temporary, path); // whole or not at all, with two dashboards on one folder
  } catch {
    // an unwritable cache folder costs the next start its reads, nothing more
  }
}
