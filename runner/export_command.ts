/**
 * `deno task export <run-dir>... [--format csv|json|jsonl] [--out FILE]`: every scalar of the
 * runs as one table (lib/run/export_scalars.ts), on stdout or into FILE. The file appears only
 * when the export is complete: it is written beside FILE under another name and renamed.
 */
import { basename, resolve } from "node:path";
import { UsageError } from "../lib/errors.ts";
import { formatFlags, parseFlags } from "../lib/hparams.ts";
import { readRunInfo } from "../lib/run/run_reader.ts";
import { EXPORT_FORMATS, type ExportRun, exportScalars } from "../lib/run/export_scalars.ts";

export const exportFlags = {
  format: { type: "string", default: "csv", choices: EXPORT_FORMATS, help: "csv, a JSON array of rows, or JSON Lines" },
  out: { type: "string", default: "", help: "file to write (default: standard output)" },
} as const;

const USAGE = "usage: deno task export <run-dir>... [--format csv|json|jsonl] [--out FILE]";

export async function runExport(argv: readonly string[]): Promise<void> {
  if (argv.includes("--help") || argv.includes("-h")) {
    return console.log(`${USAGE}\n\nEvery scalar of the runs as one table: run_id, lab, one column per config key, key,
step, wall_time (Unix seconds), value.\n\n${formatFlags(exportFlags)}`);
  }
  const { dirs, flags } = splitArgs(argv);
  const { config } = parseFlags(exportFlags, flags);
  if (!dirs.length) throw new UsageError(`Name one or more run directories. ${USAGE}`);
  const runs = await Promise.all(dirs.map(exportRun));
  const chunks = exportScalars(runs, config.format);
  if (!config.out) {
    const encoder = new TextEncoder();
    try {
      for await (const chunk of chunks) await writeAll(Deno.stdout, encoder.encode(chunk));
    } catch (error) {
      if (!(error instanceof Deno.errors.BrokenPipe)) throw error; // `| head`: the reader has what it wanted
    }
    return;
  }
  await writeFileFromChunks(config.out, chunks);
  console.error(`export: ${runs.length} run${runs.length === 1 ? "" : "s"} -> ${config.out}`);
}

/** Run directories are the arguments that are neither a flag nor a flag's value. */
function splitArgs(argv: readonly string[]): { dirs: string[]; flags: string[] } {
  const dirs: string[] = [], flags: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (!argv[i].startsWith("--")) dirs.push(argv[i]);
    else if (argv[i].includes("=") || i + 1 === argv.length) flags.push(argv[i]);
    else flags.push(argv[i], argv[++i]);
  }
  return { dirs, flags };
}

async function exportRun(dir: string): Promise<ExportRun> {
  const info = await readRunInfo(dir).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) {
      throw new UsageError(`Cannot read ${dir}/run.json: ${error.message}`);
    }
    throw new UsageError(
      `'${dir}' is not a run directory (no run.json there). Name run folders, e.g. runs/dqn-cartpole-*.`,
    );
  });
  return { id: basename(resolve(dir)), dir, lab: info.lab, config: info.config };
}

async function writeFileFromChunks(path: string, chunks: AsyncIterable<string>): Promise<void> {
  const partial = `${path}.partial-${Deno.pid}`;
  const encoder = new TextEncoder();
  try {
    const file = await Deno.open(partial, { write: true, create: true, truncate: true });
    try {
      for await (const chunk of chunks) await writeAll(file, encoder.encode(chunk));
    } finally {
      file.close();
    }
    await Deno.rename(partial, path);
  } catch (error) {
    await Deno.remove(partial).catch(() => {});
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.PermissionDenied) {
      throw new UsageError(`Cannot write --out ${path}: ${error.message}`);
    }
    throw error;
  }
}

async function writeAll(writer: { write(bytes: Uint8Array): Promise<number> }, bytes: Uint8Array): Promise<void> {
  for (let written = 0; written < bytes.length;) written += await writer.write(bytes.subarray(written));
}
