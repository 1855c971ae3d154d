/**
 * Every scalar of some runs as one table, for pandas, R or a spreadsheet: a row per logged
 * value with the run, its lab and config (one column per config key, the union over the runs,
 * empty where a run lacks the key), the scalar key, step, wall time and value. CSV, a JSON
 * array of row objects, or JSON Lines. Produced as a stream of text chunks while the runs'
 * events are read (event_stream.ts), so a large export never holds a whole run in memory; used
 * by `deno task export` and the dashboard's download buttons alike.
 */
import { streamEvents } from "./event_stream.ts";

export const EXPORT_FORMATS = ["csv", "json", "jsonl"] as const;
export type ExportFormat = typeof EXPORT_FORMATS[number];

export const MEDIA_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  json: "application/json",
  jsonl: "application/x-ndjson",
};

export interface ExportRun {
  /** the run's folder name, as the dashboard names it */
  id: string;
  dir: string;
  lab: string;
  config: Record<string, unknown>;
}

const FIXED_BEFORE = ["run_id", "lab"], FIXED_AFTER = ["key", "step", "wall_time", "value"];
/** Text is handed on in pieces of about this many characters. */
const CHUNK_CHARS = 1 << 16;

/**
 * The columns: run_id, lab, the config keys in the order first met, key, step, wall_time (Unix
 * seconds, as TensorBoard's CSV export) and value. A config key named like a fixed column gets
 * a "config." prefix.
 */
export function exportColumns(runs: readonly ExportRun[]): { header: string[]; configKeys: string[] } {
  const configKeys = [...new Set(runs.flatMap((run) => Object.keys(run.config)))];
  const fixed = new Set([...FIXED_BEFORE, ...FIXED_AFTER]);
  const named = configKeys.map((key) => (fixed.has(key) ? `config.${key}` : key));
  return { header: [...FIXED_BEFORE, ...named, ...FIXED_AFTER], configKeys };
}

export async function* exportScalars(runs: readonly ExportRun[], format: ExportFormat): AsyncGenerator<string> {
  const { header, configKeys } = exportColumns(runs);
  const row = format === "csv"
    ? (cells: unknown[]) => cells.map(csvCell).join(",") + "\n"
    : (cells: unknown[]) => JSON.stringify(Object.fromEntries(header.map((name, i) => [name, jsonCell(cells[i])])));
  let text = format === "csv" ? row(header) : format === "json" ? "[" : "", rows = 0;
  for (const run of runs) {
    const before = [run.id, run.lab, ...configKeys.map((key) => run.config[key])];
    for await (const event of streamEvents(run.dir)) {
      if (event.kind !== "scalar") continue;
      const line = row([...before, event.key, event.step, event.time / 1000, event.value]);
      text += format === "csv" ? line : format === "json" ? (rows ? ",\n" : "\n") + line : line + "\n";
      rows++;
      if (text.length >= CHUNK_CHARS) yield text, text = "";
    }
  }
  if (format === "json") text += rows ? "\n]\n" : "]\n";
  if (text) yield text;
}

/** RFC 4180: a cell holding a comma, quote or line break is quoted, its quotes doubled; missing is empty. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const jsonCell = (value: unknown) => (value === undefined ? null : value);
