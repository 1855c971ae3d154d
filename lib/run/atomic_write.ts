/**
 * Writes a file so that readers, and a process killed at any moment, see either the old content
 * or the new one, never a half-written file: write a temporary file beside it, flush it to disk,
 * rename it over the target, then flush the directory so the rename itself survives a crash.
 */
import { dirname } from "node:path";

export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const temporary = `${path}.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  const file = await Deno.open(temporary, { write: true, create: true, truncate: true });
  try {
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
    await file.sync();
  } finally {
    file.close();
  }
  try {
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
  await syncDirectory(dirname(path));
}

/** How the run's JSON files (run.json, summary.json) are written: indented, with a final newline. */
export const jsonFileText = (value: unknown): string => JSON.stringify(value, null, 2) + "\n";

export const writeJsonAtomic = (path: string, value: unknown): Promise<void> =>
  writeFileAtomic(path, jsonFileText(value));

async function syncDirectory(path: string): Promise<void> {
  // Directories can be opened read-only and fsynced on Linux and macOS; Windows cannot, and
  // there the rename is already durable enough for this purpose.
  if (Deno.build.os === "windows") return;
  const directory = await Deno.open(path, { read: true });
  try {
    await directory.sync();
  } finally {
    directory.close();
  }
}
