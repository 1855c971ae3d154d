/** Helpers for checking the project's tfjs kernels against the cpu backend. */
import { tf } from "../lib/tf.ts";

/** Runs `compute` on a tfjs backend and returns its outputs' values (for kernel-against-cpu checks). */
export async function valuesOn(backend: string, compute: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const outputs = tf.tidy(compute);
  const values = await Promise.all(outputs.map(async (t) => (await t.data()) as Float32Array));
  tf.dispose(outputs);
  return values;
}

/** A seeded tensor of uniform values in [-1, 1). */
export const uniformInput = (shape: number[], seed: number): tf.Tensor =>
  tf.randomUniform(shape, -1, 1, "float32", seed);
