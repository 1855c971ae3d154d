/**
 * Checkpoints: named float32 tensors (weights, optimizer moments) plus a JSON header (step,
 * epoch, RNG state, the last event's seq), in one file that is written atomically and carries a
 * SHA-256 checksum, verified before anything is restored.
 *
 * Layout: "TFLABCK1" | header length (u32 LE) | header JSON | tensor bytes | SHA-256 of all before.
 */
import { UsageError } from "./errors.ts";
import { writeFileAtomic } from "./run/atomic_write.ts";

const MAGIC = "TFLABCK1";
const HASH_BYTES = 32;
const PREFIX_BYTES = MAGIC.length + 4;

export interface NamedArray {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** What a lab saves: tensors by group ("model", "optimizer", ...) and plain JSON state. */
export interface CheckpointState {
  step: number;
  epoch: number;
  /** The seq of the last event written before this checkpoint; later events are replayed. */
  eventSeq: number;
  tensors: Record<string, NamedArray[]>;
  meta: Record<string, unknown>;
}

interface Header {
  step: number;
  epoch: number;
  eventSeq: number;
  meta: Record<string, unknown>;
  tensors: Record<string, { name: string; shape: number[]; offset: number; length: number }[]>;
}

export async function encodeCheckpoint(state: CheckpointState): Promise<Uint8Array<ArrayBuffer>> {
  let offset = 0;
  const tensors: Header["tensors"] = {};
  for (const [group, arrays] of Object.entries(state.tensors)) {
    tensors[group] = arrays.map(({ name, shape, data }) => {
      const entry = { name, shape, offset, length: data.length };
      offset += data.byteLength;
      return entry;
    });
  }
  const header: Header = { ...pick(state), tensors };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const body = new Uint8Array(PREFIX_BYTES + headerBytes.length + offset + HASH_BYTES);
  body.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(body.buffer).setUint32(MAGIC.length, headerBytes.length, true);
  body.set(headerBytes, PREFIX_BYTES);
  let at = PREFIX_BYTES + headerBytes.length;
  for (const arrays of Object.values(state.tensors)) {
    for (const { data } of arrays) {
      body.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
      at += data.byteLength;
    }
  }
  const hash = await crypto.subtle.digest("SHA-256", body.subarray(0, at));
  body.set(new Uint8Array(hash), at);
  return body;
}

const pick = ({ step, epoch, eventSeq, meta }: CheckpointState) => ({ step, epoch, eventSeq, meta });

/** Decodes and verifies a checkpoint; any damage is a UsageError naming the file. */
export async function decodeCheckpoint(bytes: Uint8Array<ArrayBuffer>, source: string): Promise<CheckpointState> {
  const corrupt = (why: string) =>
    new UsageError(`Checkpoint ${source} is corrupted (${why}); it cannot be resumed from.`);
  if (bytes.length < PREFIX_BYTES + HASH_BYTES) throw corrupt(`only ${bytes.length} bytes`);
  if (new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) {
    throw corrupt("not a checkpoint file: wrong magic");
  }
  const end = bytes.length - HASH_BYTES;
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes.subarray(0, end)));
  if (!hash.every((b, i) => b === bytes[end + i])) throw corrupt("checksum mismatch");
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(MAGIC.length, true);
  const dataStart = PREFIX_BYTES + headerLength;
  if (dataStart > end) throw corrupt("header runs past the end");
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(PREFIX_BYTES, dataStart))) as Header;
  // Copy into a fresh aligned buffer: Float32Array views need 4-byte alignment.
  const data = bytes.slice(dataStart, end);
  const tensors: CheckpointState["tensors"] = {};
  for (const [group, entries] of Object.entries(header.tensors)) {
    tensors[group] = entries.map(({ name, shape, offset, length }) => {
      if (offset + length * 4 > data.length) throw corrupt(`tensor ${name} runs past the end`);
      return { name, shape, data: new Float32Array(data.buffer, offset, length) };
    });
  }
  return { ...pick({ ...header, tensors }), tensors };
}

const FILE_PATTERN = /^step-(\d{9})\.ckpt$/;
export const checkpointFileName = (step: number) => `step-${String(step).padStart(9, "0")}.ckpt`;

/** Writes `<dir>/step-NNNNNNNNN.ckpt` atomically and keeps only the newest `keep` files. */
export async function saveCheckpoint(dir: string, state: CheckpointState, keep = 2): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  const path = `${dir}/${checkpointFileName(state.step)}`;
  await writeFileAtomic(path, await encodeCheckpoint(state));
  for (const old of (await listCheckpoints(dir)).slice(keep)) await Deno.remove(`${dir}/${old}`);
  return path;
}

/** Checkpoint file names in `dir`, newest (highest step) first. */
export async function listCheckpoints(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && FILE_PATTERN.test(entry.name)) names.push(entry.name);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return names.sort().reverse();
}

/** Loads and verifies the newest checkpoint in `dir`; a clear error when there is none. */
export async function loadLatestCheckpoint(dir: string): Promise<CheckpointState & { path: string }> {
  const [newest, previous] = await listCheckpoints(dir);
  if (!newest) {
    throw new UsageError(
      `No checkpoint in ${dir}: the run stopped before its first checkpoint; start a new run instead.`,
    );
  }
  const path = `${dir}/${newest}`;
  try {
    return { ...(await decodeCheckpoint(await Deno.readFile(path), path)), path };
  } catch (error) {
    if (error instanceof UsageError && previous) {
      error.message += ` Remove it to resume from the previous one, ${dir}/${previous}.`;
    }
    throw error;
  }
}
