/**
 * A dense layer initialised as PyTorch's nn.Linear is, so that models ported from PyTorch
 * examples start from the same distribution: weights and biases uniform in +-1/sqrt(fan_in)
 * (kaiming_uniform with a = sqrt(5)). Keras's default (Glorot weights, zero bias) trains
 * differently enough to move the reference numbers.
 */
import { DENSE_LAYER } from "../kernels/wasm_dense_layer.ts";
import type { DenseActivation } from "../kernels/wasm_dense.ts";
import { layers, type Tensor, tf } from "../tf.ts";
import { Rng } from "../rng.ts";

export interface LinearOptions {
  name: string;
  units: number;
  fanIn: number;
  activation?: "relu" | "linear" | "sigmoid" | "tanh";
  /** Both initialisers draw their seeds from this generator. */
  rng: Rng;
}

export function linear(options: LinearOptions): layers.layers.Layer {
  const { name, units, fanIn, activation = "linear", rng } = options;
  if (!(units > 0 && fanIn > 0)) {
    throw new Error(`linear ${name}: expected positive units and fanIn, got ${units} and ${fanIn}`);
  }
  const bound = 1 / Math.sqrt(fanIn);
  const layer = layers.layers.dense({
    name,
    units,
    activation,
    inputShape: [fanIn],
    kernelInitializer: layers.initializers.randomUniform({ minval: -bound, maxval: bound, seed: rng.nextUint32() }),
    biasInitializer: layers.initializers.randomUniform({ minval: -bound, maxval: bound, seed: rng.nextUint32() }),
  });
  if (activation !== "sigmoid") withOwnKernel(layer, activation);
  return layer;
}

/**
 * On blas, the layer's output for a batch [B, in] through the project's dense-layer kernel
 * (lib/kernels/wasm_dense_layer.ts): the same numbers as tfjs-layers' Dense, in about a third of
 * its kernels under a gradient tape. Other inputs and backends go to Dense's own call.
 */
function withOwnKernel(layer: layers.layers.Layer, activation: DenseActivation): void {
  const call = layer.call.bind(layer);
  layer.call = (inputs, kwargs) => {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (x.rank !== 2 || x.dtype !== "float32" || !tf.getKernel(DENSE_LAYER, tf.getBackend())) {
      return call(inputs, kwargs);
    }
    const [kernel, bias] = layer.weights.map((w) => w.read());
    return tf.engine().runKernel(DENSE_LAYER, { a: x, b: kernel, bias }, { activation }) as Tensor;
  };
}
