/**
 * Results that take seconds to compute and are the same every run (the yardstick's reference
 * statistics: 20,000 images through the classifier) kept on disk, keyed by a SHA-256 of every
 * input they depend on, so a changed input is a different key and never a stale answer.
 *
 * The folder is $TFLAB_CACHE_DIR, else $XDG_CACHE_HOME/tflab, else ~/.cache/tflab. Without one, or
 * when an entry is unreadable or the folder unwritable, the value is just computed: the cache can
 * only save time, never change a result.
 */
import { join } from "node:path";

export function cacheDir(env: (name: string) => string | undefined = (name) => Deno.env.get(name)): string | null {
  const explicit = env("TFLAB_CACHE_DIR");
  if (explicit) return explicit;
  const home = env("HOME");
  const base = env("XDG_CACHE_HOME") ?? (home ? join(home, ".cache") : undefined);
  return base ? join(base, "tflab") : null;
}

async function keyOf(name: string, inputs: Uint8Array[]): Promise<string> {
  const hashes = await Promise.all(
    inputs.map(async (bytes) =>
      new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>))
    ),
  );
  const joined = new Uint8Array([...new TextEncoder().encode(name), ...hashes.flatMap((h) => [...h])]);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", joined));
  return Array.from(digest.subarray(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** `compute()`'s JSON value, from the cache entry for (name, inputs) in `dir` when there is a readable one. */
export async function diskCached<T>(
  name: string,
  inputs: Uint8Array[],
  compute: () => Promise<T>,
  dir: string | null = cacheDir(),
): Promise<T> {
  if (!dir) return await compute();
  const path = join(dir, `${name}-${await keyOf(name, inputs)}.json`);
  try {
    return JSON.parse(await Deno.readTextFile(path)) as T;
  } catch {
    // absent or unreadable: compute it (again)
  }
  const value = await compute();
  try {
    await Deno.mkdir(dir, { recursive: true });
    const temporary = `${path}.${Deno.pid}.tmp`;
    await Deno.writeTextFile(temporary, JSON.stringify(value));
    await Deno.rename(temporary, path); // whole or not at all, even with two runs starting at once
  } catch {
    // an unwritable cache costs time only
  }
  return value;
}

/** The bytes of a typed array, for a cache key. */
export const bytesOf = (array: ArrayBufferView): Uint8Array =>
  new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
