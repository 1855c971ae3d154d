/**
 * A Q-network's Q-values (buildQNetwork's dense stack, lib/rl/dqn.ts) through lib/rl/dense_stack.ts:
 * apply's and predict's numbers, bit for bit, in a fraction of their kernels.
 */
import { wasmProductsInBlas } from "../kernels/wasm_kernels.ts";
import { layers, tf } from "../tf.ts";
import { denseOutput, denseStack } from "./dense_stack.ts";

/** Q-values [B, actions] of observations [B, obsSize], with gradients for the network's weights. */
export const qValues: (net: layers.LayersModel, obs: tf.Tensor2D) => tf.Tensor2D = denseStack;

/** The rows of each product of net.predict (its default batchSize). */
const PREDICT_ROWS = 32;

/**
 * Q-values [B, actions] as net.predict(obs) gives them, with a third of its kernels. predict runs
 * blocks of 32 rows, and OpenBLAS rounds a 32-row product differently from a 64-row one, so on
 * `blas` this runs the same blocks, as one batched product: the numbers stay predict's, bit for bit.
 * (tfjs's own kernels round each row alike whatever the rows.)
 */
export function predictQ(net: layers.LayersModel, obs: tf.Tensor2D): tf.Tensor2D {
  const [rows, size] = obs.shape;
  if (!wasmProductsInBlas() || rows <= PREDICT_ROWS) return denseOutput(net, obs);
  if (rows % PREDICT_ROWS !== 0) return net.predict(obs) as tf.Tensor2D;
  return tf.tidy(() => {
    const blocks = tf.reshape(obs, [rows / PREDICT_ROWS, PREDICT_ROWS, size]) as tf.Tensor3D;
    const q = denseOutput(net, blocks);
    return tf.reshape(q, [rows, q.shape[2]]);
  });
}
