import assert from "node:assert/strict";
import { join } from "node:path";
import { parseIdx, readIdxFile } from "../../../lib/data/idx.ts";
import { bundledMnistDir, loadMnist } from "../../../lib/data/mnist.ts";
import { UsageError } from "../../../lib/errors.ts";
import { withTempDir } from "../../helpers.ts";

/** An IDX file of unsigned bytes with the given shape; values 0, 1, 2, ... */
function idxBytes(shape: number[], extra = 0): Uint8Array {
  const size = shape.reduce((a, b) => a * b, 1) + extra;
  const bytes = new Uint8Array(4 + 4 * shape.length + size);
  const view = new DataView(bytes.buffer);
  bytes.set([0, 0, 0x08, shape.length]);
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < size; i++) bytes[4 + 4 * shape.length + i] = i % 256;
  return bytes;
}

Deno.test("idx - a well-formed file gives its shape and row-major values", () => {
  const { shape, data } = parseIdx(idxBytes([2, 3, 4]), "good");
  assert.deepEqual(shape, [2, 3, 4]);
  assert.equal(data.length, 24);
  assert.equal(data[1 * 12 + 2 * 4 + 3], 23);
});

Deno.test("idx - truncated data is refused with the sizes named", () => {
  const bytes = idxBytes([10, 28, 28]).subarray(0, 4 + 12 + 28 * 28 * 10 - 5);
  assert.throws(() => parseIdx(bytes, "cut.idx"), (e: Error) => {
    assert.ok(e instanceof UsageError);
    assert.match(e.message, /cut\.idx.*10x28x28 need 7840 bytes of data, the file has 7835 \(truncated\)/);
    return true;
  });
});

Deno.test("idx - extra bytes after the data are refused", () => {
  assert.throws(() => parseIdx(idxBytes([3, 2], 1), "long"), /need 6 bytes of data, the file has 7 \(extra bytes\)/);
});

Deno.test("idx - a wrong magic number is refused", () => {
  const bytes = idxBytes([3]);
  bytes[0] = 0x1f; // e.g. a gzip file that was not unpacked
  assert.throws(() => parseIdx(bytes, "x.gz"), /x\.gz is not a valid IDX file: wrong magic number 0x1f000801/);
});

Deno.test("idx - a type other than unsigned bytes is refused", () => {
  const bytes = idxBytes([3]);
  bytes[2] = 0x0d; // float32
  assert.throws(() => parseIdx(bytes, "f"), /value type 0xd/);
});

Deno.test("idx - a header cut short is refused before any allocation", () => {
  const bytes = new Uint8Array([0, 0, 0x08, 3, 0, 0, 0xea, 0x60, 0]); // rank 3, 60000, then cut
  assert.throws(() => parseIdx(bytes, "h"), /truncated inside the header \(9 bytes\)/);
  // A huge declared size in a tiny file fails the size check instead of allocating.
  const lying = idxBytes([1, 1]);
  new DataView(lying.buffer).setUint32(4, 0xffffffff, false);
  assert.throws(() => parseIdx(lying, "l"), /4294967295x1 need 4294967295 bytes/);
});

Deno.test("idx - a missing file names its path", async () => {
  await assert.rejects(readIdxFile("/nonexistent/train-images-idx3-ubyte"), /IDX file not found: \/nonexistent/);
});

Deno.test("mnist - the bundled files are the original 60,000 + 10,000 digits", async () => {
  const mnist = await loadMnist();
  assert.equal(mnist.train.count, 60_000);
  assert.equal(mnist.test.count, 10_000);
  assert.equal(mnist.train.images.length, 60_000 * 784);
  // The first training digit of MNIST is a 5, the first test digit a 7.
  assert.equal(mnist.train.labels[0], 5);
  assert.equal(mnist.test.labels[0], 7);
  const counts = new Array(10).fill(0);
  mnist.test.labels.forEach((label) => counts[label]++);
  assert.deepEqual(counts, [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
});

Deno.test("mnist - a corrupted copy of the files is refused by name", async () => {
  await withTempDir(async (dir) => {
    for await (const entry of Deno.readDir(bundledMnistDir())) {
      await Deno.copyFile(join(bundledMnistDir(), entry.name), join(dir, entry.name));
    }
    const path = join(dir, "t10k-images-idx3-ubyte");
    await Deno.truncate(path, 1000);
    await assert.rejects(loadMnist(dir), (e: Error) => e instanceof UsageError && e.message.includes(path));
  });
});
