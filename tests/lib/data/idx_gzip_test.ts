/** Gzipped IDX files, as Debian's dataset-fashion-mnist ships them, read through DecompressionStream. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { gunzip, isGzip, readIdxFile } from "../../../lib/data/idx.ts";
import { UsageError } from "../../../lib/errors.ts";
import { withTempDir } from "../../helpers.ts";

/** An IDX file of unsigned bytes of the given shape, values i * 7 mod 256. */
function idxBytes(shape: number[]): Uint8Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const bytes = new Uint8Array(4 + 4 * shape.length + size);
  bytes.set([0, 0, 0x08, shape.length]);
  shape.forEach((d, i) => new DataView(bytes.buffer).setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < size; i++) bytes[4 + 4 * shape.length + i] = (i * 7) % 256;
  return bytes;
}

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

Deno.test("idx gzip - a gzipped file reads the same as the plain one, found under name.gz", async () => {
  await withTempDir(async (dir) => {
    const plain = idxBytes([5, 28, 28]);
    const packed = await gzip(plain);
    assert.ok(isGzip(packed) && !isGzip(plain));
    assert.ok(packed.length < plain.length, "the test data should compress");
    await Deno.writeFile(join(dir, "a-idx3-ubyte.gz"), packed);
    const { shape, data } = await readIdxFile(join(dir, "a-idx3-ubyte"));
    assert.deepEqual(shape, [5, 28, 28]);
    assert.deepEqual(data, plain.subarray(16));
  });
});

Deno.test("idx gzip - the plain file wins over name.gz, and gzip content under a plain name is decompressed", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeFile(join(dir, "b"), idxBytes([3]));
    await Deno.writeFile(join(dir, "b.gz"), await gzip(idxBytes([4])));
    assert.deepEqual((await readIdxFile(join(dir, "b"))).shape, [3]);
    await Deno.writeFile(join(dir, "c"), await gzip(idxBytes([6, 2])));
    assert.deepEqual((await readIdxFile(join(dir, "c"))).shape, [6, 2]);
  });
});

Deno.test("idx gzip - a truncated gzip stream is a usage error naming the file", async () => {
  await withTempDir(async (dir) => {
    const packed = await gzip(idxBytes([50, 28, 28]));
    const path = join(dir, "cut-ubyte.gz");
    await Deno.writeFile(path, packed.subarray(0, packed.length >> 1));
    await assert.rejects(readIdxFile(join(dir, "cut-ubyte")), (e: Error) => {
      assert.ok(e instanceof UsageError, String(e));
      assert.match(e.message, /cut-ubyte\.gz is not a valid gzip file/);
      return true;
    });
    await assert.rejects(gunzip(new Uint8Array([0x1f, 0x8b, 1, 2, 3]), "junk"), /junk is not a valid gzip file/);
  });
});

Deno.test("idx gzip - a missing file names both names it looked for", async () => {
  await assert.rejects(
    readIdxFile("/nonexistent/d-ubyte"),
    /IDX file not found: \/nonexistent\/d-ubyte \(nor .*d-ubyte\.gz\)/,
  );
});
