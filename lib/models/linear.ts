/**
 * A dense layer initialised as PyTorch's nn.Linear is, so that models ported from PyTorch
 * examples start from the same distribution: weights and biases uniform in +-1/sqrt(fan_in)
 * (kaiming_uniform with a = sqrt(5)). Keras's default (Glorot weights, zero bias) trains
 * differently enough to move the reference numbers.
 */
import { layers } from "../tf.ts";
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
  return layers.layers.dense({
    name,
    units,
    activation,
    inputShape: [fanIn],
    kernelInitializer: layers.initializers.randomUniform({ minval: -bound, maxval: bound, seed: rng.nextUint32() }),
    biasInitializer: layers.initializers.randomUniform({ minval: -bound, maxval: bound, seed: rng.nextUint32() }),
  });
}
