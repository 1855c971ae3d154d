/**
 * A run's events read front to back in fixed-size chunks and handed out one at a time, for
 * passes over a whole run that keep nothing (an export): memory stays bounded by the chunk and
 * the longest line, however long the run. Like readEvents, it skips a torn last line and lines
 * out of seq order (a well-formed file never has them), and a run without events.jsonl has none.
 */
import { join } from "node:path";
import type { RunEvent } from "./types.ts";

export async function* streamEvents(runDir: string): AsyncGenerator<RunEvent> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(join(runDir, "events.jsonl"), { read: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  const decoder = new TextDecoder();
  let pending = "", lastSeq = 0;
  const parse = (line: string): RunEvent | null => {
    if (!line.trim()) return null;
    try {
      const event = JSON.parse(line) as RunEvent;
      if (!(event.seq > lastSeq)) return null;
      lastSeq = event.seq;
      return event;
    } catch {
      return null; // a line cut short by a killed writer
    }
  };
  // The loop's end (or an early break by the caller) releases the file through its readable.
  for await (const chunk of file.readable) {
    const lines = (pending + decoder.decode(chunk, { stream: true })).split("\n");
    pending = lines.pop()!;
    for (const line of lines) {
      const event = parse(line);
      if (event) yield event;
    }
  }
  const event = parse(pending + decoder.decode());
  if (event) yield event;
}
