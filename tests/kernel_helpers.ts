/** Helpers for checking the project's tfjs kernels against the cpu backend. */
import assert from "node:assert/strict";
import { openSystemBlas, type SystemBlas } from "../lib/kernels/system_blas.ts";
import { normActivation, type NormActivationOptions } from "../lib/models/norm_activation.ts";
import { tf } from "../lib/tf.ts";
import { assertClose } from "./helpers.ts";

/** Runs `compute` on a tfjs backend and returns its outputs' values (for kernel-against-cpu checks). */
export async function valuesOn(backend: string, compute: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const outputs = tf.tidy(compute);
  const values = await Promise.all(outputs.map(async (t) => (await t.data()) as Float32Array));
  tf.dispose(outputs);
  return values;
}

/**
 * The system BLAS for tests that need it, or null after a warning that names what is skipped: CI
 * installs libopenblas0-pthread, elsewhere such tests are skipped, saying why.
 */
export function systemBlasFor(skipped: string): SystemBlas | null {
  const blas = openSystemBlas();
  if (blas === null) console.warn(`no system BLAS (apt-get install libopenblas0-pthread): ${skipped} skipped`);
  return blas;
}

/**
 * Every output of `actual` equal to `expected`'s bit for bit (NaN to NaN, -0 to -0 only). A
 * mismatch names the first differing element and how many differ (a whole-array diff of 100,000
 * values would take minutes to print).
 */
export function assertSameBits(actual: Float32Array[], expected: Float32Array[], label: string): void {
  assert.equal(actual.length, expected.length, `${label}: the number of outputs`);
  actual.forEach((values, i) => {
    assert.equal(values.length, expected[i].length, `${label}: output ${i}'s length`);
    const differing = values.reduce((n, v, j) => n + (Object.is(v, expected[i][j]) ? 0 : 1), 0);
    const first = values.findIndex((v, j) => !Object.is(v, expected[i][j]));
    assert.equal(
      differing,
      0,
      `${label}: output ${i}: ${differing} of ${values.length} values differ, the first at ${first}: ` +
        `${values[first]} against ${expected[i][first]}`,
    );
  });
}

/** A seeded tensor of uniform values in [-1, 1). */
export const uniformInput = (shape: number[], seed: number): tf.Tensor =>
  tf.randomUniform(shape, -1, 1, "float32", seed);

/**
 * normActivation's y, then the gradients of sum(y * w) (w fixed, so every element's gradient
 * differs) in x, gamma and beta, through `op` (the fused op or tfjs's composition).
 */
export function normActivationOutputs(
  shape: number[],
  options: NormActivationOptions,
  op = normActivation,
): () => tf.Tensor[] {
  return () => {
    const channels = shape.at(-1)!;
    // x offset and scaled, so the statistics are not those of the unit uniform
    const x = tf.add(tf.mul(uniformInput(shape, 1), 3), 0.7);
    const gamma = tf.add(uniformInput([channels], 2), 1);
    const beta = uniformInput([channels], 3);
    const w = uniformInput(shape, 4);
    const f = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.sum(tf.mul(op(x, gamma, beta, options), w));
    const { value, grads } = tf.valueAndGrads(f)([x, gamma, beta]);
    return [op(x, gamma, beta, options), value, ...grads];
  };
}

/** The installed wasm FusedConv2D (bias, then each activation) against the cpu backend's. */
export async function assertFusedConv2DMatchesCpu(): Promise<void> {
  for (const activation of ["linear", "relu", "leakyrelu", "sigmoid"] as const) {
    const compute = () => [
      tf.fused.conv2d({
        x: uniformInput([2, 9, 9, 3], 3) as tf.Tensor4D,
        filter: uniformInput([3, 3, 3, 4], 4) as tf.Tensor4D,
        strides: 2,
        pad: "same",
        bias: uniformInput([4], 5),
        activation,
        leakyreluAlpha: 0.2,
      }),
    ];
    const [expected] = await valuesOn("cpu", compute);
    const [actual] = await valuesOn("wasm", compute);
    assertClose(actual, expected, { rtol: 1e-4, atol: 1e-4 });
  }
}

/** Training steps of a conv net on wasm leave no tensor and no wasm buffer behind. */
export async function assertConvTrainingStepLeavesNoBuffer(): Promise<void> {
  await tf.setBackend("wasm");
  const x = tf.variable(uniformInput([4, 12, 12, 3], 3));
  const w = tf.variable(uniformInput([3, 3, 3, 8], 4));
  const optimizer = tf.train.sgd(0.01);
  const step = () =>
    optimizer.minimize(() => tf.mean(tf.square(tf.conv2d(x as tf.Tensor4D, w as tf.Variable<tf.Rank.R4>, 2, "same"))));
  step();
  const buffers = tf.engine().backend.numDataIds();
  const tensors = tf.memory().numTensors;
  for (let i = 0; i < 5; i++) step();
  assert.equal(tf.engine().backend.numDataIds(), buffers);
  assert.equal(tf.memory().numTensors, tensors);
  tf.dispose([x, w]);
}

// Shapes whose sizes are not all multiples of 4, so the kernel's one-at-a-time tail is covered.
export const SHAPES = [[7, 5], [5], [16, 3], [1]];

/** Adam: trains a small least-squares problem for `steps` Adam steps from fixed weights; returns the weights. */
export async function trainAdam(optimizer: tf.AdamOptimizer, steps: number): Promise<Float32Array[]> {
  const weights = SHAPES.map((shape, i) => tf.variable(tf.randomUniform(shape, -1, 1, "float32", i + 1)));
  const loss = () =>
    tf.tidy(() => tf.addN(weights.map((w, i) => tf.sum(tf.square(tf.sub(tf.mul(w, w), 0.1 * (i + 1)))))) as tf.Scalar);
  for (let s = 0; s < steps; s++) optimizer.minimize(loss, false, weights);
  const values = await Promise.all(weights.map(async (w) => (await w.data()) as Float32Array));
  tf.dispose(weights);
  optimizer.dispose();
  return values;
}
