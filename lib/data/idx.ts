/**
 * The IDX format of LeCun's MNIST files (and Fashion-MNIST's): a 4-byte magic number (two zero
 * bytes, a type code, the number of dimensions), one big-endian uint32 per dimension, then the
 * values in row-major order. Only unsigned bytes (type 0x08) occur in these data sets.
 *
 * Everything is checked before any allocation: a truncated, padded or foreign file is an error
 * that names the file and what is wrong, never a silent misread. Gzipped files (as Debian's
 * `dataset-fashion-mnist` ships them, `*-ubyte.gz`) are read as they are, through the built-in
 * DecompressionStream: `readIdxFile("x-ubyte")` takes `x-ubyte`, else `x-ubyte.gz`.
 */
import { UsageError } from "../errors.ts";

const UNSIGNED_BYTE = 0x08;

export interface IdxArray {
  shape: number[];
  data: Uint8Array;
}

export function parseIdx(bytes: Uint8Array, source: string): IdxArray {
  const bad = (why: string) => new UsageError(`${source} is not a valid IDX file: ${why}.`);
  if (bytes.length < 4) throw bad(`it has only ${bytes.length} bytes`);
  const [zero0, zero1, type, rank] = bytes;
  if (zero0 !== 0 || zero1 !== 0) {
    const magic = [...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, "0")).join("");
    throw bad(`wrong magic number 0x${magic} (expected 0x0000 then type and rank)`);
  }
  if (type !== UNSIGNED_BYTE) {
    throw bad(`value type 0x${type.toString(16)} (only unsigned bytes, 0x08, are supported)`);
  }
  if (rank < 1) throw bad("zero dimensions");
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) throw bad(`truncated inside the header (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const expected = shape.reduce((n, d) => n * d, 1);
  const actual = bytes.length - headerBytes;
  if (actual !== expected) {
    throw bad(
      `dimensions ${shape.join("x")} need ${expected} bytes of data, the file has ${actual}` +
        (actual < expected ? " (truncated)" : " (extra bytes)"),
    );
  }
  return { shape, data: bytes.subarray(headerBytes) };
}

const GZIP_MAGIC = [0x1f, 0x8b];

export const isGzip = (bytes: Uint8Array): boolean => bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];

/** The decompressed contents of gzip `bytes`; a damaged stream is an error naming `source`. */
export async function gunzip(bytes: Uint8Array, source: string): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("gzip"));
  try {
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    throw new UsageError(`${source} is not a valid gzip file: ${error instanceof Error ? error.message : error}.`);
  }
}

/** Reads `path`, or `path.gz` when only that exists, decompressing gzip content. */
export async function readIdxFile(path: string): Promise<IdxArray> {
  for (const candidate of [path, `${path}.gz`]) {
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(candidate);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      throw error;
    }
    return parseIdx(isGzip(bytes) ? await gunzip(bytes, candidate) : bytes, candidate);
  }
  throw new UsageError(`IDX file not found: ${path} (nor ${path}.gz)`);
}
