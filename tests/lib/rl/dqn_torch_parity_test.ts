/**
 * The project's DQN update against PyTorch's, step by step: the same weights and minibatches give
 * the same TD targets, loss, gradients (before and after clipping), Adam-updated weights and target
 * updates, to float32 tolerance. tests/fixtures/dqn_torch_step.json holds PyTorch's numbers; it was
 * written by bench/reference/dqn_step_fixture.py (SB3's DQN.train, torch 1.13), which says what it covers.
 */
import assert from "node:assert/strict";
import { adam, PYTORCH_ADAM } from "../../../lib/adam.ts";
import { buildQNetwork, dqnGradients, dqnUpdate, tdTargets, updateTarget } from "../../../lib/rl/dqn.ts";
import type { Minibatch } from "../../../lib/rl/replay_buffer.ts";
import { configureWasmKernels } from "../../../lib/kernels/wasm_kernels.ts";
import { Rng } from "../../../lib/rng.ts";
import { layers, tf } from "../../../lib/tf.ts";
import { assertClose } from "../../helpers.ts";

type Weights = { shape: number[]; data: number[] }[];
interface Update {
  batch: { obs: number[]; actions: number[]; rewards: number[]; nextObs: number[]; terminated: number[] };
  targets: number[];
  tdErrors: number[];
  loss: number;
  gradNorm: number;
  grads: number[][];
  clippedGrads: number[][];
  onlineAfter: Weights;
}
const fixture = JSON.parse(
  await Deno.readTextFile(new URL("../../fixtures/dqn_torch_step.json", import.meta.url)),
) as {
  sizes: { obs: number; hidden: number; actions: number };
  settings: { gamma: number; lr: number; maxGradNorm: number; tau: number };
  online: Weights;
  target: Weights;
  updates: Update[];
  targetAfterCopy: Weights;
  targetAfterSoft: Weights;
};

const network = (weights: Weights) => {
  const { obs, hidden, actions } = fixture.sizes;
  const net = buildQNetwork({ obsSize: obs, actions, hidden: [hidden, hidden], rng: new Rng(1) });
  net.setWeights(weights.map((w) => tf.tensor(w.data, w.shape)));
  return net;
};
const minibatch = (b: Update["batch"]): Minibatch => ({
  obs: Float32Array.from(b.obs),
  actions: Int32Array.from(b.actions),
  rewards: Float32Array.from(b.rewards),
  nextObs: Float32Array.from(b.nextObs),
  terminated: Float32Array.from(b.terminated),
});
const assertWeights = (net: layers.Sequential, expected: Weights, what: string) =>
  net.getWeights().forEach((w, i) => {
    assert.deepEqual(w.shape, expected[i].shape, `${what}: weight ${i}'s shape`);
    assertClose(w.dataSync(), expected[i].data, { rtol: 1e-4, atol: 2e-6 });
  });

for (const backend of ["wasm", "cpu"]) { // wasm runs the fused Adam kernel, cpu tfjs's own update
  Deno.test(`dqn - three updates and two target updates match PyTorch's to float32 tolerance on ${backend}`, async () => {
    configureWasmKernels({ blas: null });
    await tf.setBackend(backend);
    const { gamma, lr, maxGradNorm, tau } = fixture.settings;
    const c = { gamma, double: false, maxGradNorm };
    const online = network(fixture.online);
    const target = network(fixture.target);
    const nets = {
      online,
      target,
      variables: online.trainableWeights.map((w) => w.read() as tf.Variable),
      optimizer: adam(lr, PYTORCH_ADAM),
    };
    for (const [u, expected] of fixture.updates.entries()) {
      if (u === 2) { // the hard copy between updates 2 and 3
        updateTarget(online, target);
        assertWeights(target, fixture.targetAfterCopy, "target after the copy");
      }
      const batch = minibatch(expected.batch);
      const y = tdTargets(online, target, batch, c);
      assertClose(y.dataSync(), expected.targets, { rtol: 1e-5, atol: 1e-6 });
      const { loss, grads, clipped, norm } = dqnGradients(nets, batch, c);
      assertClose(loss.dataSync()[0], expected.loss, { rtol: 1e-5 });
      assertClose(norm.dataSync()[0], expected.gradNorm, { rtol: 1e-5 });
      nets.variables.forEach((v, i) => {
        assertClose(grads[v.name].dataSync(), expected.grads[i], { rtol: 1e-4, atol: 1e-6 });
        assertClose(clipped[v.name].dataSync(), expected.clippedGrads[i], { rtol: 1e-4, atol: 1e-6 });
      });
      tf.dispose([y, loss, grads, clipped, norm]);
      const stepLoss = dqnUpdate(nets, batch, c);
      assertClose(stepLoss.dataSync()[0], expected.loss, { rtol: 1e-5 });
      stepLoss.dispose();
      assertWeights(online, expected.onlineAfter, `online weights after update ${u + 1}`);
    }
    updateTarget(online, target, tau);
    assertWeights(target, fixture.targetAfterSoft, "target after the soft update");
    online.dispose();
    target.dispose();
    nets.optimizer.dispose();
  });
}

Deno.test("dqn - the PyTorch fixture covers clipped and unclipped updates, terminal transitions and both Huber branches", () => {
  const norms = fixture.updates.map((u) => u.gradNorm > fixture.settings.maxGradNorm);
  assert.ok(norms.includes(true) && norms.includes(false), `clipped: ${norms}`);
  for (const u of fixture.updates) assert.ok(u.batch.terminated.includes(1));
  const errors = fixture.updates.flatMap((u) => u.tdErrors.map(Math.abs));
  assert.ok(errors.some((e) => e < 1) && errors.some((e) => e > 1), "TD errors all on one side of the Huber delta");
});
