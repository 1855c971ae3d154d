/**
 * A folder a lab will write to (--runs-dir, or the run directory of --resume), checked before
 * anything is written and without writing: the folder, or the nearest folder above it that
 * exists (where the run would create it), must be a folder this process may write to. A folder
 * that cannot be written is a usage error that names it and why, not a stack trace from the
 * first write deep inside the run.
 */
import { accessSync, constants } from "node:fs";
import { dirname, resolve } from "node:path";
import { UsageError } from "../lib/errors.ts";

export async function assertWritableFolder(dir: string, flag: string): Promise<void> {
  let existing = resolve(dir);
  let stat = await statOrNull(existing);
  while (!stat) stat = await statOrNull(existing = dirname(existing));
  if (!stat.isDirectory) throw unwritable(dir, flag, `${existing} is a file, not a folder`);
  try {
    accessSync(existing, constants.W_OK);
  } catch (error) {
    const why = (error as { code?: string }).code === "EROFS" ? "read-only file system" : "permission denied";
    throw unwritable(dir, flag, `${existing}: ${why}`);
  }
}

const unwritable = (dir: string, flag: string, why: string) =>
  new UsageError(`${flag} ${dir}: cannot write there (${why}); give a folder you can write to.`);

/** Wraps a failed write into a run folder as a usage error naming it, where the file system refused it. */
export function refusedWrite(dir: string, flag: string, error: unknown): unknown {
  const refused = error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotADirectory ||
    (error as { code?: string }).code === "EROFS";
  return refused ? unwritable(dir, flag, (error as Error).message) : error;
}

async function statOrNull(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) return null;
    throw error;
  }
}
