/**
 * Reading run directories: what the dashboard and the tests see. A run is readable while it is
 * being written and after a crash: a torn last line of events.jsonl is skipped, not an error.
 */
import { join } from "node:path";
import type { RunEvent, RunInfo } from "./types.ts";

export async function readRunInfo(runDir: string): Promise<RunInfo> {
  return JSON.parse(await Deno.readTextFile(join(runDir, "run.json")));
}

/** Every complete event of the run with seq > afterSeq, in order. */
export async function readEvents(runDir: string, afterSeq = 0): Promise<RunEvent[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(join(runDir, "events.jsonl"));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return parseEventLines(text).filter((event) => event.seq > afterSeq);
}

export function parseEventLines(text: string): RunEvent[] {
  const events: RunEvent[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      events.push(JSON.parse(line));
    } catch {
      // A line cut short by a killed writer; only the last line can be torn.
    }
  }
  return events;
}

/** The run directories under runsDir (those with a run.json), newest first. */
export async function listRuns(runsDir: string): Promise<RunInfo[]> {
  const runs: RunInfo[] = [];
  try {
    for await (const entry of Deno.readDir(runsDir)) {
      if (!entry.isDirectory) continue;
      try {
        runs.push(await readRunInfo(join(runsDir, entry.name)));
      } catch {
        // Not a run directory (or one whose run.json is being created).
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return runs.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
