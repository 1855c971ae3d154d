/**
 * DQN's loss: the mean Huber loss (delta 1, SB3's F.smooth_l1_loss) between Q(s, a) of each taken
 * action and its TD target. On wasm and blas it is one kernel, and its gradient another
 * (lib/kernels/wasm_td_huber_loss.ts, the same numbers bit for bit); elsewhere tfjs's composition.
 */
import { TD_HUBER_LOSS } from "../kernels/wasm_td_huber_loss.ts";
import { type Tensor, tf } from "../tf.ts";

/** q [B, actions], actions int32 [B], targets [B] -> the mean loss []. */
export function tdHuberLoss(q: Tensor, actions: tf.Tensor1D, targets: Tensor): tf.Scalar {
  if (tf.getKernel(TD_HUBER_LOSS, tf.getBackend())) {
    return tf.engine().runKernel(TD_HUBER_LOSS, { q, actions, targets }) as tf.Scalar;
  }
  return tf.tidy(() => {
    const taken = tf.sum(tf.mul(q, tf.oneHot(actions, q.shape[1]!)), 1); // [B]
    return tf.losses.huberLoss(targets, taken, undefined, 1.0, tf.Reduction.MEAN) as tf.Scalar;
  });
}
