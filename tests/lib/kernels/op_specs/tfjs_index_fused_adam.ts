/**
 * `../index` for tfjs's Adam specs: the project's tfjs with `tf.train.adam` replaced by the
 * project's fused Adam (lib/adam.ts), under tf.train.adam's signature and defaults (an epsilon
 * left out is the backend's), so the same specs check it.
 */
import { FusedAdamOptimizer } from "../../../../lib/adam.ts";
import { tf } from "../../../../lib/tf.ts";

export * from "./tfjs_index.ts";
export const train = {
  ...tf.train,
  adam: (learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon?: number) =>
    new FusedAdamOptimizer(learningRate, beta1, beta2, epsilon),
};
