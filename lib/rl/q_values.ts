/**
 * A Q-network's Q-values (buildQNetwork's dense stack, lib/rl/dqn.ts) as plain tfjs over the
 * Sequential's own weight variables: the arithmetic of predict and apply without tfjs-layers'
 * reshapes and clones around each product, and, for training, a hand-written backward pass in
 * place of the gradient tape's node-by-node one (which clones every saved tensor). The layers
 * model keeps owning the weights: checkpoints, setWeights and updateTarget see no change.
 *
 * Each step is the kernel tfjs would run, or one of the project's that gives the same numbers
 * (lib/kernels/wasm_relu_bias_grad.ts; on blas the product, bias and ReLU in one _FusedMatMul), so
 * Q-values and gradients are bit for bit those of apply and tf.variableGrads through it.
 */
import { wasmProductsInBlas } from "../kernels/wasm_kernels.ts";
import { RELU_BIAS_GRAD } from "../kernels/wasm_relu_bias_grad.ts";
import { layers, type Tensor, tf } from "../tf.ts";

type Activation = "relu" | "linear";
interface Dense {
  kernel: tf.Variable;
  bias: tf.Variable;
  activation: Activation;
}

const activations = new WeakMap<layers.LayersModel, Activation[]>();

/** The network's dense layers: weights (read now: setWeights may replace them) and activations (read once). */
function denseLayers(net: layers.LayersModel): Dense[] {
  let known = activations.get(net);
  if (!known) {
    known = net.layers.map((layer) => {
      const { activation } = layer.getConfig();
      if (activation !== "relu" && activation !== "linear") {
        throw new Error(`qValues: expected dense layers with relu or linear activations, got ${activation}`);
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
 * x W + b, then the activation, for x [..., B, in]. On blas one kernel: the BLAS product, then bias
 * and ReLU in float32, as BatchMatMul, Add and Relu do them. Elsewhere tf.fused.matMul, as apply
 * runs it (fused for the linear output layer; ReLU layers in three kernels under a gradient tape).
 */
function dense<T extends Tensor>(x: T, { kernel, bias, activation }: Dense): T {
  if (!wasmProductsInBlas()) return tf.fused.matMul({ a: x as Tensor, b: kernel, bias, activation }) as T;
  const attrs = { transposeA: false, transposeB: false, activation };
  return tf.engine().runKernel("_FusedMatMul", { a: x, b: kernel, bias }, attrs) as T;
}

/** Each layer's input (the observations, then every hidden layer's output), and the Q-values. */
function forward<T extends tf.Tensor2D | tf.Tensor3D>(net: Dense[], obs: T): { inputs: T[]; q: T } {
  const inputs = [obs];
  for (const layer of net.slice(0, -1)) inputs.push(dense(inputs.at(-1)!, layer));
  return { inputs, q: dense(inputs.at(-1)!, net.at(-1)!) };
}

/** The gradients at a ReLU layer's product and bias, from dy at its output y: tfjs's Relu and Add gradients. */
function reluBiasGrad(dy: tf.Tensor2D, y: tf.Tensor2D): [tf.Tensor2D, Tensor] {
  if (tf.getKernel(RELU_BIAS_GRAD, tf.getBackend())) {
    return tf.engine().runKernel(RELU_BIAS_GRAD, { dy, y }) as [tf.Tensor2D, Tensor];
  }
  const da = tf.mul(dy, tf.cast(tf.step(y), "float32")) as tf.Tensor2D;
  return [da, tf.reshape(tf.sum(da, 0), [dy.shape[1]])];
}

/** [dW0, db0, dW1, db1, ...] from dq, as the tape would give them (no gradient for the observations). */
function backward(net: Dense[], dq: tf.Tensor2D, inputs: tf.Tensor2D[]): Tensor[] {
  const grads: Tensor[] = [];
  let dy = dq; // at the current layer's output
  for (let i = net.length - 1; i >= 0; i--) {
    const [da, db] = net[i].activation === "relu" ? reluBiasGrad(dy, inputs[i + 1]) : [dy, tf.sum(dy, 0)];
    grads.unshift(tf.matMul(inputs[i], da, true, false), db);
    if (i > 0) dy = tf.matMul(da, net[i].kernel, false, true);
  }
  return grads;
}

/**
 * Q-values [B, actions] of observations [B, obsSize], with gradients for the network's weights. An
 * op (tf.op), so that profiles name the gradient's node "qValues__op" and count its kernels once.
 */
export const qValues = tf.op({ qValues_ }) as (net: layers.LayersModel, obs: tf.Tensor2D) => tf.Tensor2D;

function qValues_(net: layers.LayersModel, obs: tf.Tensor2D): tf.Tensor2D {
  const layers = denseLayers(net);
  const withGradient = tf.customGrad((...args) => {
    const save = args.at(-1) as tf.GradSaveFunc;
    const { inputs, q } = forward(layers, obs);
    save(inputs); // kept only under a gradient tape
    return { value: q, gradFunc: (dq, saved) => backward(layers, dq as tf.Tensor2D, saved as tf.Tensor2D[]) };
  });
  return withGradient(...layers.flatMap((layer) => [layer.kernel, layer.bias])) as tf.Tensor2D;
}

/** The rows of each product of net.predict (its default batchSize). */
const PREDICT_ROWS = 32;

/**
 * Q-values [B, actions] as net.predict(obs) gives them, with a third of its kernels. predict runs
 * blocks of 32 rows, and OpenBLAS rounds a 32-row product differently from a 64-row one, so on
 * `blas` this runs the same blocks, as one batched product: the numbers stay predict's, bit for bit.
 * (tfjs's own kernels round each row alike whatever the rows.)
 */
export function predictQ(net: layers.LayersModel, obs: tf.Tensor2D): tf.Tensor2D {
  const [rows, size] = obs.shape;
  if (!wasmProductsInBlas() || rows <= PREDICT_ROWS) return tf.tidy(() => forward(denseLayers(net), obs).q);
  if (rows % PREDICT_ROWS !== 0) return net.predict(obs) as tf.Tensor2D;
  return tf.tidy(() => {
    const blocks = tf.reshape(obs, [rows / PREDICT_ROWS, PREDICT_ROWS, size]) as tf.Tensor3D;
    const q = forward(denseLayers(net), blocks).q;
    return tf.reshape(q, [rows, q.shape[2]]);
  });
}
