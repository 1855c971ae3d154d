/**
 * A Sequential stack of dense layers (DQN's Q-network, PPO's actor and critic) as plain tfjs over
 * its own weight variables: the arithmetic of predict and apply without tfjs-layers' reshapes and
 * clones around each product, and, for training, a hand-written backward pass in place of the
 * gradient tape's node-by-node one (which clones every saved tensor). The layers model keeps
 * owning the weights: checkpoints, setWeights and target updates see no change.
 *
 * Each step is the kernel tfjs would run, or one of the project's that gives the same numbers
 * (lib/kernels/wasm_activation_bias_grad.ts; on blas the product, bias and ReLU or tanh in one
 * _FusedMatMul, with blas's own Tanh), so outputs and gradients are bit for bit those of apply and
 * tf.variableGrads through it.
 */
import { wasmProductsInBlas } from "../kernels/wasm_kernels.ts";
import { activationBiasGrads } from "../kernels/wasm_activation_bias_grad.ts";
import type { DenseActivation } from "../kernels/wasm_dense.ts";
import { layers, type Tensor, tf } from "../tf.ts";

interface Dense {
  kernel: tf.Variable;
  bias: tf.Variable;
  activation: DenseActivation;
}

const activations = new WeakMap<layers.LayersModel, DenseActivation[]>();

/** The network's dense layers: weights (read now: setWeights may replace them) and activations (read once). */
function denseLayers(net: layers.LayersModel): Dense[] {
  let known = activations.get(net);
  if (!known) {
    known = net.layers.map((layer) => {
      const { activation } = layer.getConfig();
      if (activation !== "relu" && activation !== "tanh" && activation !== "linear") {
        throw new Error(
          `denseStack ${net.name}: expected dense layers with relu, tanh or linear activations, got ${activation}`,
        );
      }
      return activation;
    });
    activations.set(net, known);
  }
  return net.layers.map((layer, i) => {
    const [kernel, bias] = layer.weights.map((w) => w.read() as tf.Variable);
    return { kernel, bias, activation: known[i] };
  });
}

/**
 * x W + b, then the activation, for x [..., B, in], in the kernels of tfjs-layers' Dense. On blas
 * the product, bias and activation are one kernel: the BLAS product, then bias and ReLU or tanh in
 * float32, as BatchMatMul, Add and blas's Relu or Tanh do them. Elsewhere tf.fused.matMul as apply
 * runs it: fused with the bias for a linear or ReLU layer (ReLU in three kernels under a gradient
 * tape); for a tanh layer, which tfjs-layers does not fuse, the product, then Add (wasm's fused
 * product starts its sums from the bias, which rounds differently), then Tanh (the wasm backend's
 * tanh rounds unlike Math.tanh).
 */
function dense<T extends Tensor>(x: T, { kernel, bias, activation }: Dense): T {
  if (wasmProductsInBlas()) {
    const attrs = { transposeA: false, transposeB: false, activation };
    return tf.engine().runKernel("_FusedMatMul", { a: x, b: kernel, bias }, attrs) as T;
  }
  if (activation !== "tanh") return tf.fused.matMul({ a: x as Tensor, b: kernel, bias, activation }) as T;
  return tf.tanh(tf.add(tf.fused.matMul({ a: x as Tensor, b: kernel }), bias)) as T;
}

/** Each layer's input (the observations, then every hidden layer's output), and the network's output. */
function forward<T extends tf.Tensor2D | tf.Tensor3D>(net: Dense[], obs: T): { inputs: T[]; out: T } {
  const inputs = [obs];
  for (const layer of net.slice(0, -1)) inputs.push(dense(inputs.at(-1)!, layer));
  return { inputs, out: dense(inputs.at(-1)!, net.at(-1)!) };
}

/** [dW0, db0, dW1, db1, ...] from dout, as the tape would give them (no gradient for the observations). */
function backward(net: Dense[], dout: tf.Tensor2D, inputs: tf.Tensor2D[]): Tensor[] {
  const grads: Tensor[] = [];
  let dy = dout; // at the current layer's output
  for (let i = net.length - 1; i >= 0; i--) {
    const { activation } = net[i];
    const [da, db] = activationBiasGrads(dy, inputs[i + 1], activation);
    grads.unshift(tf.matMul(inputs[i], da, true, false), db);
    if (i > 0) dy = tf.matMul(da, net[i].kernel, false, true);
  }
  return grads;
}

/**
 * The network's output [B, out] for inputs [B, in], with gradients for its weights. An op
 * (tf.op), so that profiles name the gradient's node "denseStack__op" and count its kernels once.
 */
export const denseStack = tf.op({ denseStack_ }) as (net: layers.LayersModel, x: tf.Tensor2D) => tf.Tensor2D;

function denseStack_(net: layers.LayersModel, x: tf.Tensor2D): tf.Tensor2D {
  const layers = denseLayers(net);
  const withGradient = tf.customGrad((...args) => {
    const save = args.at(-1) as tf.GradSaveFunc;
    const { inputs, out } = forward(layers, x);
    save(inputs); // kept only under a gradient tape
    return { value: out, gradFunc: (dout, saved) => backward(layers, dout as tf.Tensor2D, saved as tf.Tensor2D[]) };
  });
  return withGradient(...layers.flatMap((layer) => [layer.kernel, layer.bias])) as tf.Tensor2D;
}

/** The network's output for inputs [..., B, in], without a gradient: apply's numbers in fewer kernels. */
export function denseOutput<T extends tf.Tensor2D | tf.Tensor3D>(net: layers.LayersModel, x: T): T {
  return tf.tidy(() => forward(denseLayers(net), x).out);
}
