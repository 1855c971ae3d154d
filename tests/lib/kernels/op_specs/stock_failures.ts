/**
 * What tfjs's stock wasm backend fails of tfjs's own op specs, recorded in
 * stock_wasm_failures.json: per spec file, how many specs it runs and the first line of each
 * failure (or why the file cannot be loaded here). These are the specs a project kernel set may
 * fail too, and only in the same way: the case goes to the kernel the project replaced. The
 * record is checked against a fresh stock run in stock_wasm_test.ts, so it cannot go stale;
 * `deno run -A tests/lib/kernels/op_specs/stock_failures.ts` writes it anew (after a tfjs upgrade).
 */
import { runSpecs, type SpecOutcome } from "./run_specs.ts";
import type { KernelSet } from "./run_specs.ts";
import { indexFor, specFiles } from "./spec_files.ts";
import { tf } from "../../../../lib/tf.ts";

export interface FileRecord {
  /** why the file cannot be loaded against the project's tfjs instance (spec_loader.ts) */
  unloadable?: string;
  specs?: number;
  /** spec name -> the first line of its first failure */
  failing?: Record<string, string>;
}

export interface StockRecord {
  tfjs: string;
  files: Record<string, FileRecord>;
}

const REPO_URL = new URL("../../../../", import.meta.url).href;
export const RECORD_URL = new URL("./stock_wasm_failures.json", import.meta.url);

/** A failure's first line with its numbers masked: garbage values differ from run to run. */
export const gist = (message: string) => message.split("\n")[0].replace(/-?\d[\d.]*(e[-+]?\d+)?/g, "#");

/** Runs one spec file under `kernels`; what it found, in the record's form. */
export async function fileRecord(file: string, kernels: KernelSet): Promise<FileRecord> {
  let outcomes: SpecOutcome[];
  try {
    outcomes = await runSpecs(file, kernels, { index: indexFor(file) });
  } catch (error) {
    return { unloadable: String(error).split("\n")[0].replaceAll(REPO_URL, "") }; // the same from any checkout
  }
  const failed = outcomes.filter((o) => o.status === "failed");
  return {
    specs: outcomes.filter((o) => o.of === "spec").length,
    failing: Object.fromEntries(failed.map((o) => [o.name, (o.failures[0] ?? "").split("\n")[0]])),
  };
}

export async function recordOf(kernels: KernelSet): Promise<StockRecord> {
  const files: Record<string, FileRecord> = {};
  for (const file of specFiles()) files[file] = await fileRecord(file, kernels);
  return { tfjs: tf.version_core, files };
}

export const readRecord = async (): Promise<StockRecord> => JSON.parse(await Deno.readTextFile(RECORD_URL));

if (import.meta.main) {
  const { STOCK_WASM } = await import("./kernel_sets.ts");
  const record = await recordOf(STOCK_WASM);
  await Deno.writeTextFile(RECORD_URL, JSON.stringify(record, null, 2) + "\n");
  const failing = Object.values(record.files).reduce((n, f) => n + Object.keys(f.failing ?? {}).length, 0);
  console.log(`${RECORD_URL.pathname}: ${Object.keys(record.files).length} spec files, ${failing} failing specs`);
}
