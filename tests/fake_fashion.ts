/** A stand-in for the Fashion-MNIST test images, so that ae-mnist's tests run where the Debian dataset is absent. */
import { join } from "node:path";
import { Rng } from "../lib/rng.ts";

/** `count` speckled 28x28 images as a gzipped IDX file in `dir` (anomalies for a digit autoencoder); returns `dir`. */
export async function fakeFashion(dir: string, count: number): Promise<string> {
  const rng = new Rng(99);
  const bytes = new Uint8Array(16 + count * 784);
  bytes.set([0, 0, 8, 3]);
  [count, 28, 28].forEach((d, i) => new DataView(bytes.buffer).setUint32(4 + 4 * i, d, false));
  for (let i = 16; i < bytes.length; i++) bytes[i] = rng.uniform() < 0.4 ? 255 : 0;
  const gzipped = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  await Deno.writeFile(join(dir, "t10k-images-idx3-ubyte.gz"), gzipped);
  return dir;
}
