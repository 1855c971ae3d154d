/**
 * Measuring generated digits with the project's own classifier (assets/mnist_classifier.ckpt,
 * trained by `deno task lab classifier-mnist`):
 *
 * - FID-MNIST: the Fréchet distance (Heusel et al., 2017) between Gaussians fitted to the
 *   classifier's 128 penultimate features of the samples and of the MNIST test set,
 *   |mu1 - mu2|^2 + Tr(S1 + S2 - 2 (S1^1/2 S2 S1^1/2)^1/2). Not comparable to Inception FID.
 * - class entropy: the entropy of the histogram of predicted classes; ln 10 = 2.303 when every
 *   digit is equally common, lower under mode collapse.
 * - mean confidence: the mean top-class probability; low for smudges that look like no digit.
 */
import { bytesOf, diskCached } from "./disk_cache.ts";
import { fileURLToPath } from "node:url";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { decodeCheckpoint } from "./checkpoint.ts";
import { buildMnistClassifier, FEATURE_SIZE, type MnistClassifier } from "./models/mnist_classifier.ts";
import { type Mnist, type MnistSplit, splitImages } from "./data/mnist.ts";
import { UsageError } from "./errors.ts";
import { Rng } from "./rng.ts";
import { tf } from "./tf.ts";
import { restoreWeights } from "./train_state.ts";

/** The flags of every lab that measures its samples (declared once here; each lab adds its own --sample-count). */
export const YARDSTICK_FLAGS = {
  referenceImages: {
    type: "int",
    default: 10000,
    min: 200,
    max: 10000,
    help: "MNIST test images the samples are compared with, and training images for the real-vs-real floor",
  },
  yardstick: {
    type: "string",
    default: "",
    help: "weights of the classifier that measures samples (default: assets/mnist_classifier.ckpt)",
  },
} as const;

export const YARDSTICK_PATH = fileURLToPath(new URL("../assets/mnist_classifier.ckpt", import.meta.url));
const BATCH = 500;

export async function loadYardstick(path = YARDSTICK_PATH): Promise<MnistClassifier> {
  const checkpoint = await decodeCheckpoint(await Deno.readFile(path), path);
  const classifier = buildMnistClassifier(new Rng(0));
  restoreWeights([classifier.features, classifier.head], checkpoint.tensors.model);
  return classifier;
}

export interface ClassifierOutputs {
  count: number;
  features: Float32Array; // [count, 128]
  probabilities: Float32Array; // [count, 10]
}

/** Features and class probabilities for `count` images of 784 grey levels in [0, 1]. */
export async function classify(classifier: MnistClassifier, images: Float32Array): Promise<ClassifierOutputs> {
  const count = images.length / 784;
  const features = new Float32Array(count * FEATURE_SIZE);
  const probabilities = new Float32Array(count * 10);
  for (let start = 0; start < count; start += BATCH) {
    const n = Math.min(BATCH, count - start);
    const [f, p] = tf.tidy(() => {
      const x = tf.tensor4d(images.subarray(start * 784, (start + n) * 784), [n, 28, 28, 1]);
      const f = classifier.features.apply(x) as tf.Tensor;
      return [f, tf.softmax(classifier.head.apply(f) as tf.Tensor)];
    });
    features.set(await f.data() as Float32Array, start * FEATURE_SIZE);
    probabilities.set(await p.data() as Float32Array, start * 10);
    tf.dispose([f, p]);
  }
  return { count, features, probabilities };
}

export interface GaussianStats {
  mean: number[];
  covariance: Matrix;
}

/** Mean and (unbiased) covariance of `count` rows of `dim` features. */
export function gaussianStats(rows: Float32Array, dim: number): GaussianStats {
  const count = rows.length / dim;
  const data = new Matrix(count, dim);
  for (let i = 0; i < count; i++) for (let j = 0; j < dim; j++) data.set(i, j, rows[i * dim + j]);
  const mean = data.mean("column");
  const centred = data.clone().subRowVector(mean);
  const covariance = centred.transpose().mmul(centred).div(count - 1);
  return { mean, covariance };
}

/** Symmetric PSD square root through the eigendecomposition (negative round-off clipped). */
function sqrtPsd(m: Matrix): Matrix {
  const eig = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  const v = eig.eigenvectorMatrix;
  const root = Matrix.diag(eig.realEigenvalues.map((l) => Math.sqrt(Math.max(l, 0))));
  return v.mmul(root).mmul(v.transpose());
}

export function frechetDistance(a: GaussianStats, b: GaussianStats): number {
  const meanTerm = a.mean.reduce((sum, m, i) => sum + (m - b.mean[i]) ** 2, 0);
  const rootA = sqrtPsd(a.covariance);
  // Tr((S1 S2)^1/2) = Tr((S1^1/2 S2 S1^1/2)^1/2): the latter is symmetric, so its root is stable.
  const inner = rootA.mmul(b.covariance).mmul(rootA);
  const eig = new EigenvalueDecomposition(inner.add(inner.transpose()).div(2), { assumeSymmetric: true });
  const traceRoot = eig.realEigenvalues.reduce((sum, l) => sum + Math.sqrt(Math.max(l, 0)), 0);
  return meanTerm + a.covariance.trace() + b.covariance.trace() - 2 * traceRoot;
}

/** Entropy (nats) of the histogram of predicted classes. */
export function classEntropy(probabilities: Float32Array): number {
  const counts = new Array(10).fill(0);
  for (let i = 0; i < probabilities.length / 10; i++) {
    const row = probabilities.subarray(i * 10, i * 10 + 10);
    counts[row.indexOf(Math.max(...row))]++;
  }
  const total = probabilities.length / 10;
  return -counts.reduce((h, c) => (c ? h + (c / total) * Math.log(c / total) : h), 0);
}

export function meanConfidence(probabilities: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < probabilities.length / 10; i++) sum += Math.max(...probabilities.subarray(i * 10, i * 10 + 10));
  return sum / (probabilities.length / 10);
}

/** The feature statistics that samples are compared with (the MNIST test set's). */
export async function referenceStats(classifier: MnistClassifier, split: MnistSplit): Promise<GaussianStats> {
  return gaussianStats((await classify(classifier, splitImages(split))).features, FEATURE_SIZE);
}

export interface SampleQuality {
  fidMnist: number;
  classEntropy: number;
  meanConfidence: number;
}

/** The yardstick a lab's flags ask for (--sample-count and YARDSTICK_FLAGS); none with --sample-count 0. */
export async function yardstickFor(
  flags: { sampleCount: number; yardstick: string; referenceImages: number },
  mnist: Mnist,
): Promise<Yardstick | undefined> {
  if (!flags.sampleCount) return undefined;
  return await prepareYardstick(flags.yardstick || YARDSTICK_PATH, mnist, flags.referenceImages);
}

/** Before the first measurement (and with --sample-count 0). */
export const UNMEASURED: SampleQuality = { fidMnist: NaN, classEntropy: NaN, meanConfidence: NaN };

/** The figures under the event keys every generative lab uses, so the compare page overlays their runs. */
export const qualityScalars = (q: SampleQuality) => ({
  "eval/fid_mnist": q.fidMnist,
  "eval/class_entropy": q.classEntropy,
  "eval/mean_confidence": q.meanConfidence,
});

/**
 * The figures for the console: "FID-MNIST 96.61 | class entropy 2.253 | confidence 0.888"; with `floor`, after FID.
 * A run that measured no samples (`--sample-count 0`, UNMEASURED) says so instead.
 */
export function qualityLine(
  q: SampleQuality,
  { separator = " | ", floor }: { separator?: string; floor?: number } = {},
) {
  if (q === UNMEASURED) return "no sample metrics (--sample-count 0)";
  const fid = `FID-MNIST ${q.fidMnist.toFixed(2)}${floor === undefined ? "" : ` (floor ${floor.toFixed(2)})`}`;
  return [fid, `class entropy ${q.classEntropy.toFixed(3)}`, `confidence ${q.meanConfidence.toFixed(3)}`].join(
    separator,
  );
}

/** The figures, the real-vs-real floor and the number of reference images, for summary.json. */
export const qualitySummary = (q: SampleQuality, yardstick: Yardstick | undefined, referenceImages: number) => ({
  ...qualityScalars(q),
  "eval/fid_mnist_floor": yardstick?.floor ?? NaN,
  referenceImages,
});

/** The three figures for generated `images` against the reference statistics (MNIST test set). */
export async function sampleQuality(
  classifier: MnistClassifier,
  images: Float32Array,
  reference: GaussianStats,
): Promise<SampleQuality> {
  const outputs = await classify(classifier, images);
  return {
    fidMnist: frechetDistance(gaussianStats(outputs.features, FEATURE_SIZE), reference),
    classEntropy: classEntropy(outputs.probabilities),
    meanConfidence: meanConfidence(outputs.probabilities),
  };
}

export interface Yardstick {
  classifier: MnistClassifier;
  /** feature statistics of the first `count` MNIST test images, which samples are compared with */
  reference: GaussianStats;
  /** the real-vs-real floor: FID-MNIST of the first `count` training images against the reference */
  floor: number;
}

/**
 * Loads the yardstick classifier from `path` and measures the reference statistics and the floor
 * on `count` images. A missing file is a usage error that says how to make one.
 */
export async function prepareYardstick(path: string, mnist: Mnist, count: number): Promise<Yardstick> {
  let classifier: MnistClassifier;
  try {
    classifier = await loadYardstick(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new UsageError(
      `The yardstick classifier ${path} does not exist. Train it with ` +
        "`deno task lab classifier-mnist --export-to assets/mnist_classifier.ckpt`, pass --yardstick, " +
        "or run with --sample-count 0.",
    );
  }
  const statsOf = async (images: Float32Array) =>
    gaussianStats((await classify(classifier, images)).features, FEATURE_SIZE);
  const [test, train] = [splitImages(mnist.test, count), splitImages(mnist.train, count)];
  const measure = async () => {
    const reference = await statsOf(test);
    const floor = frechetDistance(await statsOf(train), reference);
    return { mean: reference.mean, covariance: reference.covariance.to2DArray(), floor };
  };
  // The same every run for the project's own classifier and the same images: measured once, then
  // read from disk (lib/disk_cache.ts). Other classifiers (tests, --yardstick) are measured each time.
  const measured = path === YARDSTICK_PATH
    ? await diskCached("yardstick-reference", [await Deno.readFile(path), bytesOf(test), bytesOf(train)], measure)
    : await measure();
  const reference = { mean: measured.mean, covariance: new Matrix(measured.covariance) };
  return { classifier, reference, floor: measured.floor };
}
