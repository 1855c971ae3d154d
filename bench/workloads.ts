/**
 * The benchmark's workloads: one training step each of the project's reference models, built
 * exactly as the labs and the PyTorch references (bench/reference/bench_torch.py) build them,
 * on a fixed batch of real MNIST digits.
 */
import { type Mnist, PIXELS, splitImages } from "../lib/data/mnist.ts";
import { defaultTrainStep } from "../labs/diffusion_mnist.ts";
import { discriminatorStep, generatorStep, lab as ganLab } from "../labs/gan_mnist.ts";
import { buildDcgan, type Refine } from "../lib/models/dcgan.ts";
import { linear } from "../lib/models/linear.ts";
import { buildVae, negativeElboSum, vaeVariables } from "../lib/models/vae.ts";
import { buildQNetwork, dqnUpdate } from "../lib/rl/dqn.ts";
import type { Minibatch } from "../lib/rl/replay_buffer.ts";
import { categoricalPpoAgent } from "../lib/rl/ppo_agent.ts";
import { type PpoRolloutBatch, ppoUpdate } from "../lib/rl/ppo_update.ts";
import { Rng } from "../lib/rng.ts";
import { layers, type Tensor, tf } from "../lib/tf.ts";
import { adam, KERAS_ADAM, PYTORCH_ADAM } from "../lib/adam.ts";

export interface Workload {
  name: string;
  /** what one step is, for the table */
  description: string;
  batch: number;
  /** Builds the model on the active backend; returns one training step (awaits its result) and a cleanup. */
  setup(mnist: Mnist): { step(): Promise<void>; dispose(): void };
}

/** Runs `loss` through Adam over `variables` and waits for the value, as a training loop does. */
async function adamStep(optimizer: tf.Optimizer, loss: () => tf.Scalar, variables: tf.Variable[]) {
  const value = optimizer.minimize(loss, true, variables)!;
  await value.data();
  value.dispose();
}

const vae: Workload = {
  name: "vae",
  description: "PyTorch-examples VAE, 784-400-20-400-784, Adam",
  batch: 128,
  setup(mnist) {
    const model = buildVae({ inputSize: PIXELS, hidden: 400, latent: 20, rng: new Rng(1) });
    const variables = vaeVariables(model);
    const optimizer = adam(1e-3, PYTORCH_ADAM);
    const x = tf.tensor2d(splitImages(mnist.train, 128), [128, PIXELS]);
    let seed = 0;
    return {
      step: () =>
        adamStep(optimizer, () => tf.div(negativeElboSum(model, x, seed++).total, 128) as tf.Scalar, variables),
      dispose: () => {
        tf.dispose([x, ...variables]);
        optimizer.dispose();
      },
    };
  },
};

const cnn: Workload = {
  name: "mnist_cnn",
  description: "Keras mnist_cnn: conv32-conv64-maxpool-dense128-dense10, dropout, Adam",
  batch: 64,
  setup(mnist) {
    const rng = new Rng(1);
    const model = layers.sequential({
      layers: [
        layers.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: "relu" }),
        layers.layers.conv2d({ filters: 64, kernelSize: 3, activation: "relu" }),
        layers.layers.maxPooling2d({ poolSize: 2 }),
        layers.layers.dropout({ rate: 0.25, seed: rng.nextUint32() }),
        layers.layers.flatten(),
        linear({ name: "dense128", units: 128, fanIn: 9216, activation: "relu", rng }),
        layers.layers.dropout({ rate: 0.5, seed: rng.nextUint32() }),
        linear({ name: "dense10", units: 10, fanIn: 128, rng }),
      ],
    });
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const optimizer = adam(1e-3, KERAS_ADAM);
    const x = tf.tensor4d(splitImages(mnist.train, 64), [64, 28, 28, 1]);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from(mnist.train.labels.subarray(0, 64)), "int32"), 10));
    const loss = () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as Tensor) as tf.Scalar;
    return {
      step: () => adamStep(optimizer, loss, variables),
      dispose: () => {
        tf.dispose([x, y, ...variables]);
        optimizer.dispose();
      },
    };
  },
};

const dqn: Workload = {
  name: "dqn_update",
  description: "dqn-cartpole's gradient step (dqnUpdate): MLP 4-256-256-2, DQN target, Huber, clip to norm 10, Adam",
  batch: 64,
  setup() {
    const online = buildQNetwork({ obsSize: 4, actions: 2, hidden: [256, 256], rng: new Rng(1) });
    const target = buildQNetwork({ obsSize: 4, actions: 2, hidden: [256, 256], rng: new Rng(2) });
    const rng = new Rng(3);
    const batch: Minibatch = {
      obs: Float32Array.from({ length: 256 }, () => rng.normal()),
      actions: Int32Array.from({ length: 64 }, () => rng.int(2)),
      rewards: new Float32Array(64).fill(1),
      nextObs: Float32Array.from({ length: 256 }, () => rng.normal()),
      terminated: Float32Array.from({ length: 64 }, () => (rng.uniform() < 0.05 ? 1 : 0)),
    };
    const nets = {
      online,
      target,
      variables: online.trainableWeights.map((w) => w.read() as tf.Variable),
      optimizer: adam(2.3e-3, PYTORCH_ADAM),
    };
    // dqn-cartpole's defaults (lib/rl/dqn_spec.ts, labs/dqn_cartpole.ts)
    const settings = { gamma: 0.99, double: false, maxGradNorm: 10 };
    return {
      async step() {
        const loss = dqnUpdate(nets, batch, settings);
        await loss.data();
        loss.dispose();
      },
      dispose: () => {
        tf.dispose([...nets.variables, ...target.weights.map((w) => w.read())]);
        nets.optimizer.dispose();
      },
    };
  },
};

const ppo: Workload = {
  name: "ppo_update",
  description:
    "ppo-cartpole's gradient step (ppoUpdate): 64-64 tanh actor and critic, clipped PPO, clip to norm 0.5, Adam",
  batch: 256,
  setup() {
    const agent = categoricalPpoAgent({ obsSize: 4, actions: 2, hidden: 64, rng: new Rng(1) });
    const optimizer = adam(1e-3, { ...PYTORCH_ADAM, epsilon: 1e-5 });
    const rng = new Rng(2);
    const normals = () => tf.tensor1d(Float32Array.from({ length: 256 }, () => rng.normal()));
    const batch: PpoRolloutBatch = {
      obs: tf.tensor2d(Float32Array.from({ length: 256 * 4 }, () => rng.normal()), [256, 4]),
      actions: tf.tensor1d(Int32Array.from({ length: 256 }, () => rng.int(2)), "int32"),
      logProbs: tf.fill([256], Math.log(0.5)), // the near-uniform first policy's
      advantages: normals(),
      returns: normals(),
      values: normals(),
    };
    const indices = rng.permutation(256);
    // ppo-cartpole's defaults (lib/rl/ppo_spec.ts, labs/ppo_cartpole.ts)
    const settings = { clipCoef: 0.2, entCoef: 0, vfCoef: 1, clipVloss: false, normAdv: true, maxGradNorm: 0.5 };
    return {
      async step() {
        const metrics = ppoUpdate(agent, optimizer, { batch, indices }, settings);
        await metrics.data();
        metrics.dispose();
      },
      dispose: () => {
        tf.dispose(Object.values(batch));
        agent.dispose();
        optimizer.dispose();
      },
    };
  },
};

const dcgan: Workload = {
  name: "dcgan",
  description: "gan-mnist's DCGAN at its defaults: a discriminator step, then a generator step, Adam 2e-4",
  batch: 64,
  setup(mnist) {
    const defaults = Object.fromEntries(Object.entries(ganLab.spec).map(([k, v]) => [k, v.default]));
    const { latent, width, kernel, refine, lr, beta1 } = defaults as {
      latent: number;
      width: number;
      kernel: number;
      refine: Refine;
      lr: number;
      beta1: number;
    };
    const gan = buildDcgan({ latent, width, kernel, refine, rng: new Rng(1) });
    const [optimizerD, optimizerG] = [0, 1].map(() => adam(lr, { ...PYTORCH_ADAM, beta1 }));
    const real = tf.tidy(() => tf.sub(tf.mul(tf.tensor4d(splitImages(mnist.train, 64), [64, 28, 28, 1]), 2), 1));
    let seed = 0;
    return {
      async step() {
        const z = tf.randomNormal([64, latent], 0, 1, "float32", seed++);
        const { loss, dReal, dFake } = discriminatorStep(gan, optimizerD, { real, z, labelSmoothing: 0 });
        const gLoss = generatorStep(gan, optimizerG, { z });
        await gLoss.data();
        tf.dispose([z, loss, dReal, dFake, gLoss]);
      },
      dispose: () => {
        tf.dispose(real);
        gan.generator.dispose();
        gan.discriminator.dispose();
        optimizerD.dispose();
        optimizerG.dispose();
      },
    };
  },
};

const ddpm: Workload = {
  name: "ddpm",
  description: "diffusion-mnist's default U-Net (width 16): one DDPM training step, T = 1000, Adam 1e-3",
  batch: 64,
  setup(mnist) {
    const training = defaultTrainStep(new Rng(1));
    const x0 = tf.tidy(() => tf.sub(tf.mul(tf.tensor4d(splitImages(mnist.train, 64), [64, 28, 28, 1]), 2), 1));
    let seed = 0;
    return {
      async step() {
        const loss = training.step(x0, seed += 2);
        await loss.data();
        loss.dispose();
      },
      dispose: () => {
        x0.dispose();
        training.dispose();
      },
    };
  },
};

export const WORKLOADS: Workload[] = [vae, cnn, dcgan, ddpm, dqn, ppo];
