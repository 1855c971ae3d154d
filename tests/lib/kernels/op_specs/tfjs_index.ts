/**
 * What tfjs's op specs import as `../index`: the project's one tfjs instance (lib/tf.ts), the
 * CommonJS build that the backends and the project's kernels registered with.
 */
import "../../../../lib/tf.ts";
export * from "@tensorflow/tfjs-core";
