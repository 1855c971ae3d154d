/** What tfjs's chained ops import as `../../tensor`: the project's instance's Tensor class. */
import { tf } from "../../../../lib/tf.ts";

export const Tensor = tf.Tensor;
export const getGlobalTensorClass = (): typeof tf.Tensor => tf.Tensor;
