/**
 * `../index` for tfjs's Adam specs: the project's tfjs with `tf.train.adam` replaced by the
 * project's fused Adam (lib/adam.ts), so the same specs check it.
 */
import { adam } from "../../../../lib/adam.ts";
import { tf } from "../../../../lib/tf.ts";

export * from "./tfjs_index.ts";
export const train = { ...tf.train, adam };
