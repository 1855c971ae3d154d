/**
 * The dense layer of CleanRL's PPO (`layer_init`): weights orthogonal (Saxe et al., 2014) scaled
 * by a gain, biases zero. CleanRL and Stable-Baselines3 use gain sqrt(2) for tanh hidden layers,
 * 0.01 for the policy head (near-uniform first policy) and 1 for the value head.
 *
 * tfjs-layers has an orthogonal initializer, but it prints a "slowness may result" warning for
 * every matrix over 2,000 entries (64x64 is 4,096), so the same QR construction is done here and
 * written into the built layer.
 */
import type { Rng } from "../rng.ts";
import { layers, type Tensor, tf } from "../tf.ts";

export interface OrthogonalDenseOptions {
  name: string;
  units: number;
  fanIn: number;
  gain: number;
  activation?: "tanh" | "relu" | "linear";
  rng: Rng;
}

/**
 * A [rows, cols] matrix with orthonormal columns (rows >= cols) or rows (rows < cols), times
 * `gain`: the Q of a Gaussian matrix's QR, signs fixed by R's diagonal so it is Haar-distributed.
 */
export function orthogonal(rows: number, cols: number, gain: number, seed: number): Tensor {
  return tf.tidy(() => {
    const [tall, short] = [Math.max(rows, cols), Math.min(rows, cols)];
    const [q, r] = tf.linalg.qr(tf.randomNormal([tall, short], 0, 1, "float32", seed));
    const signs = tf.sign(tf.sum(tf.mul(r, tf.eye(short)), 0)); // sign of diag(R): [short]
    const fixed = tf.mul(q, signs); // [tall, short]
    return tf.mul(gain, rows >= cols ? fixed : tf.transpose(fixed));
  });
}

/** A dense layer [fanIn] -> [units] with orthogonal weights times `gain` and zero biases. */
export function orthogonalDense(options: OrthogonalDenseOptions): layers.layers.Layer {
  const { name, units, fanIn, gain, activation = "linear", rng } = options;
  if (!(Number.isInteger(units) && units > 0 && Number.isInteger(fanIn) && fanIn > 0)) {
    throw new Error(`orthogonalDense ${name}: expected positive integer units and fanIn, got ${units} and ${fanIn}`);
  }
  const layer = layers.layers.dense({ name, units, activation, inputShape: [fanIn], biasInitializer: "zeros" });
  layer.build([null, fanIn]);
  const kernel = orthogonal(fanIn, units, gain, rng.nextUint32()); // [fanIn, units]
  const bias = tf.zeros([units]);
  layer.setWeights([kernel, bias]);
  tf.dispose([kernel, bias]);
  return layer;
}
