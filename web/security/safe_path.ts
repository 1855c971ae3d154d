/**
 * The only way a request names something on disk. A run id is one plain path segment; a file is
 * a list of plain segments under that run's directory. Both are then resolved through the real
 * file system (symlinks followed) and refused unless they still lie inside the runs directory:
 * encoded "..", absolute paths, backslashes, NUL and symlinks that point out all end here.
 */
import { dirname, join, sep as SEPARATOR } from "node:path";

/** A run id: one segment, no leading dot (so never "." or ".."), no separators. */
const RUN_ID = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,199}$/;
const BAD_SEGMENT = /[\\/\0:]|^\.{1,2}$|^$/;

export const isRunId = (id: string): boolean => RUN_ID.test(id);

async function realPath(path: string): Promise<string | null> {
  try {
    return await Deno.realPath(path);
  } catch {
    return null;
  }
}

/** The real path of a run directory directly inside runsDir, or null. */
export async function resolveRunDir(runsDir: string, id: string): Promise<string | null> {
  if (!isRunId(id)) return null;
  const [root, dir] = await Promise.all([realPath(runsDir), realPath(join(runsDir, id))]);
  if (!root || !dir || dirname(dir) !== root) return null;
  const stat = await Deno.stat(dir).catch(() => null);
  return stat?.isDirectory ? dir : null;
}

/**
 * The real path of a regular file inside runDir (itself a real path from resolveRunDir), named
 * by already-decoded path segments; null for anything else.
 */
export async function resolveRunFile(runDir: string, segments: readonly string[]): Promise<string | null> {
  if (!segments.length || segments.some((s) => BAD_SEGMENT.test(s))) return null;
  const path = await realPath(join(runDir, ...segments));
  if (!path || !path.startsWith(runDir + SEPARATOR)) return null;
  const stat = await Deno.stat(path).catch(() => null);
  return stat?.isFile ? path : null;
}

/** Splits a raw URL path tail ("media/a%20b.png") into decoded segments; null if undecodable. */
export function decodeSegments(rawTail: string): string[] | null {
  try {
    return rawTail.split("/").map((segment) => decodeURIComponent(segment));
  } catch {
    return null;
  }
}
