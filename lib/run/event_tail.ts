/**
 * Follows a growing events.jsonl by byte offset: each read parses only the complete lines
 * appended since the last one, so a reader that polls a long run does constant work per new
 * event instead of re-reading the file. A torn last line (no newline yet) is left for the next
 * read. A file that is replaced (`--resume` rewrites it atomically) or shrinks is read again
 * from the start, and the read says so, so that followers can drop what they held.
 */
import { join } from "node:path";
import { parseEventLines } from "./run_reader.ts";
import type { RunEvent } from "./types.ts";

export interface TailRead {
  events: RunEvent[];
  /** true when the file was replaced or truncated since the last read: state built from it is stale */
  rewritten: boolean;
  /** true when more bytes are waiting than one read takes (maxBytes) */
  more: boolean;
}

const NEWLINE = 0x0a;

export class EventTail {
  readonly path: string;
  /** bytes of complete lines consumed so far */
  offset = 0;
  /** identity of the file being followed (inode and birth time), to notice replacements */
  fileId: string | null = null;
  private readonly maxBytes: number;

  constructor(runDir: string, { maxBytes = 4 << 20 }: { maxBytes?: number } = {}) {
    this.path = join(runDir, "events.jsonl");
    this.maxBytes = maxBytes;
  }

  /** Reads the complete lines appended since the last read, at most maxBytes of them. */
  async read(): Promise<TailRead> {
    let file: Deno.FsFile;
    try {
      file = await Deno.open(this.path, { read: true });
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      const rewritten = this.offset > 0;
      this.offset = 0;
      this.fileId = null;
      return { events: [], rewritten, more: false };
    }
    try {
      const stat = await file.stat();
      const id = `${stat.ino ?? ""}:${stat.birthtime?.getTime() ?? ""}`;
      const rewritten = (this.fileId !== null && id !== this.fileId) || stat.size < this.offset;
      if (rewritten) this.offset = 0;
      this.fileId = id;
      const wanted = Math.min(stat.size - this.offset, this.maxBytes);
      if (wanted <= 0) return { events: [], rewritten, more: false };
      const bytes = await readAt(file, this.offset, wanted);
      const end = bytes.lastIndexOf(NEWLINE) + 1;
      if (end === 0 && wanted === this.maxBytes) {
        throw new Error(`${this.path}: a line longer than ${this.maxBytes} bytes at offset ${this.offset}`);
      }
      this.offset += end;
      const events = parseEventLines(new TextDecoder().decode(bytes.subarray(0, end)));
      return { events, rewritten, more: this.offset < stat.size && end > 0 && wanted === this.maxBytes };
    } finally {
      file.close();
    }
  }
}

async function readAt(file: Deno.FsFile, offset: number, length: number): Promise<Uint8Array> {
  await file.seek(offset, Deno.SeekMode.Start);
  const bytes = new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const n = await file.read(bytes.subarray(filled));
    if (n === null) break;
    filled += n;
  }
  return bytes.subarray(0, filled);
}
