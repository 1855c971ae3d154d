/**
 * The one place the project imports tfjs from: core and layers, with the three backends
 * registered. Prod mode silences tfjs's "running in Node.js" banner (Deno looks like Node to it)
 * and its other console warnings; errors still throw.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-wasm";
import "@tensorflow/tfjs-backend-webgpu";
import * as layers from "@tensorflow/tfjs-layers";

tf.enableProdMode();

export { layers, tf };
export type { Tensor, Variable } from "@tensorflow/tfjs-core";
export const TFJS_VERSION: string = tf.version_core;
