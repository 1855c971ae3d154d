/**
 * `--backend auto`'s decisions, kept per machine, lab and config shape in one JSON file,
 * `backend-choices.json` in the cache folder ($TFLAB_CACHE_DIR, else $XDG_CACHE_HOME/tflab, else
 * ~/.cache/tflab), readable and deletable by hand. A file that cannot be read is ignored with a
 * warning and rewritten: the cache saves time, it never decides. Runs started together (ten seeds
 * at once) take turns through a lock file, so that one measures and the others read its answer,
 * instead of all timing each other's load.
 */
import { join } from "node:path";
import { cacheDir } from "../lib/disk_cache.ts";
import type { BackendMeasurement } from "../lib/run/types.ts";

export interface CachedChoice extends Omit<BackendMeasurement, "cached"> {
  key: ChoiceKey;
}

/** What a decision holds for: the same machine (CPU, adapter, candidates, Deno), lab and shape of the config. */
export interface ChoiceKey {
  machine: string;
  lab: string;
  shape: Record<string, unknown>;
}

export const CACHE_FILE = "backend-choices.json";

export const defaultCacheFile = (): string | null => {
  const dir = cacheDir();
  return dir ? join(dir, CACHE_FILE) : null;
};

export class BackendCache {
  constructor(readonly path: string) {}

  /**
   * Runs `body` holding the cache's lock (other runs' `withLock` wait), with the entries read
   * under it; what body returns to `save` is written before the lock is let go.
   */
  async withLock<T>(body: (entries: Map<string, CachedChoice>, save: (entry: CachedChoice) => void) => Promise<T>) {
    await Deno.mkdir(join(this.path, ".."), { recursive: true });
    const lock = await Deno.open(`${this.path}.lock`, { create: true, write: true });
    try {
      const waiting = setTimeout(
        () => console.error("backend: auto: waiting for another run timing the backends"),
        500,
      );
      await lock.lock(true).finally(() => clearTimeout(waiting));
      const entries = await this.read();
      let changed = false;
      const result = await body(entries, (entry) => {
        entries.set(keyText(entry.key), entry);
        changed = true;
      });
      if (changed) await this.write(entries);
      return result;
    } finally {
      lock.close(); // closing lets the lock go
    }
  }

  private async read(): Promise<Map<string, CachedChoice>> {
    let text: string;
    try {
      text = await Deno.readTextFile(this.path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return new Map();
      throw error;
    }
    try {
      const entries = JSON.parse(text)?.entries;
      if (!Array.isArray(entries)) throw new Error("no list of entries in it");
      return new Map(entries.map((entry: CachedChoice) => [keyText(entry.key), entry]));
    } catch (error) {
      console.error(
        `backend: the cache ${this.path} cannot be read (${error instanceof Error ? error.message : error}); ` +
          "it is ignored and will be rewritten",
      );
      return new Map();
    }
  }

  private async write(entries: Map<string, CachedChoice>): Promise<void> {
    const temporary = `${this.path}.${Deno.pid}.tmp`;
    await Deno.writeTextFile(temporary, JSON.stringify({ entries: [...entries.values()] }, null, 2) + "\n");
    await Deno.rename(temporary, this.path);
  }
}

/** One text per key, whatever the order its shape's keys were written in. */
export const keyText = (key: ChoiceKey): string =>
  JSON.stringify([key.machine, key.lab, Object.entries(key.shape).sort(([a], [b]) => (a < b ? -1 : 1))]);
