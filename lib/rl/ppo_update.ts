/**
 * One clipped-PPO gradient step of an actor-critic agent (lib/rl/ppo_agent.ts) on a minibatch of
 * a rollout: the loss of lib/rl/ppo_loss.ts, gradients clipped to a global norm, then Adam.
 * trainers/ppo_trainer.ts runs it numMinibatches x updateEpochs times per update; `deno task
 * bench`'s ppo_update workload times it alone.
 */
import type { FusedAdamOptimizer } from "../adam.ts";
import { type Tensor, tf } from "../tf.ts";
import { clipGradNorm } from "./clip_grad_norm.ts";
import { denseStack } from "./dense_stack.ts";
import type { PpoAgent } from "./ppo_agent.ts";
import { ppoLoss } from "./ppo_loss.ts";

/** What one update trains on: the rollout, flattened, as tensors (gathered on the device: no uploads per step). */
export type PpoRolloutBatch = {
  obs: Tensor; // [B, obsSize]
  actions: Tensor; // [B] int32 or [B, actionSize]
  logProbs: Tensor; // [B]
  advantages: Tensor; // [B]
  returns: Tensor; // [B]
  values: Tensor; // [B]
};

export interface PpoUpdateSettings {
  clipCoef: number;
  entCoef: number;
  vfCoef: number;
  clipVloss: boolean;
  normAdv: boolean;
  /** the global gradient-norm clip (0: none) */
  maxGradNorm: number;
}

/**
 * One clipped-PPO step on the rows `indices` of `batch`; returns, not yet read back, [policy loss,
 * value loss, entropy, approx_kl, clip fraction, gradient norm] [6].
 */
export function ppoUpdate(
  agent: PpoAgent,
  optimizer: FusedAdamOptimizer,
  { batch, indices }: { batch: PpoRolloutBatch; indices: Int32Array },
  c: PpoUpdateSettings,
): Tensor {
  return tf.tidy(() => {
    const idx = tf.tensor1d(indices, "int32");
    const mb = Object.fromEntries(Object.entries(batch).map(([k, t]) => [k, tf.gather(t, idx)])) as PpoRolloutBatch;
    let metrics!: Tensor;
    const { value, grads } = tf.variableGrads(() => {
      const policy = agent.evaluate(mb.obs, mb.actions);
      const out = ppoLoss({
        newLogProb: policy.logProb,
        oldLogProb: mb.logProbs,
        advantages: mb.advantages,
        newValues: tf.reshape(denseStack(agent.critic, mb.obs as tf.Tensor2D), [-1]),
        oldValues: mb.values,
        returns: mb.returns,
        entropy: policy.entropy,
      }, {
        clipCoef: c.clipCoef,
        entCoef: c.entCoef,
        vfCoef: c.vfCoef,
        clipValueLoss: c.clipVloss,
        normAdvantages: c.normAdv,
      });
      metrics = tf.keep(tf.stack([out.policyLoss, out.valueLoss, out.entropy, out.approxKl, out.clipFraction]));
      return out.loss;
    }, agent.variables);
    value.dispose();
    const clipped = c.maxGradNorm > 0 ? clipGradNorm(grads, c.maxGradNorm) : { grads, norm: tf.scalar(NaN) };
    optimizer.applyGradients(Object.entries(clipped.grads).map(([name, tensor]) => ({ name, tensor })));
    const all = tf.concat([metrics, tf.reshape(clipped.norm, [1])]); // [6]
    metrics.dispose(); // kept out of variableGrads' scope, so no tidy disposes it
    return all;
  });
}
