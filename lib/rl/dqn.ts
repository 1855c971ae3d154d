/**
 * Deep Q-learning (Mnih et al., 2015) as Stable-Baselines3's DQN does it: an MLP Q-network, a
 * target network refreshed from it, the Huber (smooth L1) loss on the TD error (CleanRL's dqn.py
 * takes the squared error instead), and optionally the
 * double-DQN target (van Hasselt et al., 2016), where the online network picks the next action
 * and the target network values it.
 *
 *   y = r + gamma * (1 - terminated) * Q_target(s', argmax_a' Q_(online|target)(s', a'))
 */
import { linear } from "../models/linear.ts";
import { clipGradNorm } from "./clip_grad_norm.ts";
import { predictQ, qValues } from "./q_values.ts";
import { tdHuberLoss } from "./td_huber_loss.ts";
import type { Rng } from "../rng.ts";
import { layers, type Tensor, tf } from "../tf.ts";
import type { Minibatch } from "./replay_buffer.ts";

export interface QNetworkOptions {
  obsSize: number;
  actions: number;
  hidden: number[];
  rng: Rng;
}

/** obs [B, obsSize] -> Q-values [B, actions], ReLU between hidden layers. */
export function buildQNetwork({ obsSize, actions, hidden, rng }: QNetworkOptions): layers.Sequential {
  const sizes = [obsSize, ...hidden];
  return layers.sequential({
    layers: [
      ...hidden.map((units, i) => linear({ name: `q${i}`, units, fanIn: sizes[i], activation: "relu", rng })),
      linear({ name: "q_out", units: actions, fanIn: sizes.at(-1)!, rng }),
    ],
  });
}

/** Copies the online weights into the target network (tau = 1), or moves them tau of the way. */
export function updateTarget(online: layers.LayersModel, target: layers.LayersModel, tau = 1): void {
  tf.tidy(() => {
    online.weights.forEach((w, i) => {
      const t = target.weights[i];
      t.write(tau === 1 ? w.read().clone() : tf.add(tf.mul(tau, w.read()), tf.mul(1 - tau, t.read())));
    });
  });
}

/**
 * TD targets y [B] for a minibatch.
 *
 * Exercise dqn-td-target: return y = r + gamma * (1 - terminated) * Q_target(s', a*) for each
 * transition, with a* = argmax_a' Q_target(s', a') (DQN) or argmax_a' Q_online(s', a') when
 * `double` is set (double DQN: the online network picks the action, the target network values it).
 * Hints:
 * - batch.nextObs is flat, [B * obsSize]: make it a [B, obsSize] tensor; predictQ(net, x) gives [B, actions]
 *   (net.predict(x)'s numbers, with fewer kernels).
 * - tf.max(q, 1) takes the best value of each row; tf.argMax and tf.oneHot pick the value of a
 *   chosen action.
 * - Wrap it all in tf.tidy; dqnGradients computes y outside the gradient tape, so no gradient flows into it.
 */
export function tdTargets(
  online: layers.LayersModel,
  target: layers.LayersModel,
  batch: Minibatch,
  { gamma, double }: { gamma: number; double: boolean },
): Tensor {
  // @exercise dqn-td-target 10
  return tf.tidy(() => {
    const n = batch.actions.length;
    const nextObs = tf.tensor2d(batch.nextObs, [n, batch.nextObs.length / n]);
    const nextTarget = predictQ(target, nextObs); // [B, actions]
    const nextValue = double
      ? tf.sum(tf.mul(nextTarget, tf.oneHot(tf.argMax(predictQ(online, nextObs), 1), nextTarget.shape[1]!)), 1)
      : tf.max(nextTarget, 1); // [B]
    const notDone = tf.sub(1, tf.tensor1d(batch.terminated));
    return tf.add(tf.tensor1d(batch.rewards), tf.mul(gamma, tf.mul(notDone, nextValue)));
  });
  // @end-exercise
}

/** Huber loss between Q(s, a) and the targets, averaged over the batch. */
export function qLoss(online: layers.LayersModel, batch: Minibatch, targets: Tensor): tf.Scalar {
  return tf.tidy(() => {
    const n = batch.actions.length;
    const q = qValues(online, tf.tensor2d(batch.obs, [n, batch.obs.length / n])); // [B, actions]
    return tdHuberLoss(q, tf.tensor1d(batch.actions, "int32"), targets);
  });
}

/** The networks one DQN update reads; `variables` are the online network's trainable weights. */
export interface QNetworks {
  online: layers.Sequential;
  target: layers.Sequential;
  variables: tf.Variable[];
}

export interface DqnUpdateOptions {
  gamma: number;
  double: boolean;
  maxGradNorm: number;
}

/**
 * One minibatch's Huber loss and its gradients with respect to the online weights, before and after
 * clipping to the global norm `maxGradNorm` (SB3's DQN.train), not yet applied.
 */
export function dqnGradients(nets: QNetworks, batch: Minibatch, c: DqnUpdateOptions) {
  return tf.tidy(() => {
    const y = tdTargets(nets.online, nets.target, batch, c); // [B], no gradient flows into it
    const { value: loss, grads } = tf.variableGrads(() => qLoss(nets.online, batch, y), nets.variables);
    const { grads: clipped, norm } = clipGradNorm(grads, c.maxGradNorm);
    return { loss, grads, clipped, norm };
  });
}

/** One gradient step: dqnGradients, then the optimizer's step on the clipped gradients. Returns the loss, not read back. */
export function dqnUpdate(
  nets: QNetworks & { optimizer: tf.Optimizer },
  batch: Minibatch,
  c: DqnUpdateOptions,
): tf.Scalar {
  const { loss, grads, clipped, norm } = dqnGradients(nets, batch, c);
  nets.optimizer.applyGradients(Object.entries(clipped).map(([name, tensor]) => ({ name, tensor })));
  tf.dispose([grads, clipped, norm]);
  return loss;
}
