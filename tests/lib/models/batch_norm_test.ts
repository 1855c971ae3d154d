/** lib/models/batch_norm.ts against a naive loop and against tfjs's own BatchNormalization layer in training mode. */
import assert from "node:assert/strict";
import { BatchNorm } from "../../../lib/models/batch_norm.ts";
import { Rng } from "../../../lib/rng.ts";
import { layers, type Tensor, tf } from "../../../lib/tf.ts";
import { assertClose } from "../../helpers.ts";

await tf.setBackend("cpu");

const SHAPE = [3, 2, 2, 4]; // [B, H, W, C]
const rng = new Rng(4);
const input = () =>
  tf.tensor4d(Float32Array.from({ length: 48 }, () => 2 * rng.normal() + 1), SHAPE as [number, number, number, number]);
const GAMMA = [0.5, 1, 1.5, 2], BETA = [-1, 0, 0.5, 3];

/** A one-layer model around `layer`, with gamma and beta set to GAMMA and BETA. */
function wrap(layer: layers.layers.Layer): layers.LayersModel {
  const model = layers.sequential({ layers: [layers.layers.inputLayer({ inputShape: SHAPE.slice(1) }), layer] });
  for (const w of model.trainableWeights) w.write(tf.tensor1d(w.originalName.endsWith("gamma") ? GAMMA : BETA));
  return model;
}

Deno.test("batch norm - normalises each channel by the batch's mean and variance, then scales and shifts", async () => {
  const x = input();
  const values = await x.data();
  const y = await (wrap(new BatchNorm({ scales: layers.initializers.ones() })).apply(x) as Tensor).data();
  for (let c = 0; c < 4; c++) {
    const channel = Array.from({ length: 12 }, (_, i) => values[i * 4 + c]);
    const mean = channel.reduce((a, b) => a + b) / 12;
    const variance = channel.reduce((a, v) => a + (v - mean) ** 2, 0) / 12; // biased, as in training
    const expected = channel.map((v) => GAMMA[c] * (v - mean) / Math.sqrt(variance + 1e-5) + BETA[c]);
    assertClose(Array.from({ length: 12 }, (_, i) => y[i * 4 + c]), expected, { rtol: 1e-4, atol: 1e-5 });
  }
});

Deno.test("batch norm - output and gradients match tfjs's BatchNormalization layer in training mode", () => {
  const ours = wrap(new BatchNorm({ scales: layers.initializers.ones() }));
  const theirs = wrap(layers.layers.batchNormalization({ epsilon: 1e-5 }));
  const x = input();
  const weights = tf.randomNormal(SHAPE, 0, 1, "float32", 9); // a loss that weighs every output differently
  const gradients = (model: layers.LayersModel) => {
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const f = (x: Tensor) => tf.sum(tf.mul(model.apply(x, { training: true }) as Tensor, weights)) as tf.Scalar;
    const { grads } = tf.variableGrads(() => f(x), vars);
    return {
      x: tf.grad(f)(x),
      y: model.apply(x, { training: true }) as Tensor,
      params: vars.map((v) => grads[v.name]),
    };
  };
  const [a, b] = [gradients(ours), gradients(theirs)];
  assertClose(a.y.dataSync(), b.y.dataSync(), { rtol: 1e-4, atol: 1e-5 });
  assertClose(a.x.dataSync(), b.x.dataSync(), { rtol: 1e-3, atol: 1e-4 });
  assert.equal(a.params.length, 2);
  a.params.forEach((g, i) => assertClose(g.dataSync(), b.params[i].dataSync(), { rtol: 1e-4, atol: 1e-4 }));
  assert.ok(Math.max(...Array.from(a.x.dataSync(), Math.abs)) > 0.1, "the gradient is not trivially zero");
});

Deno.test("batch norm - scales start from their initialiser, shifts at zero; no running statistics", () => {
  const scales = (seed: number) => layers.initializers.randomNormal({ mean: 1, stddev: 0.02, seed });
  const build = (seed: number) => wrapUninitialised(new BatchNorm({ scales: scales(seed) }), [64]);
  const [gamma, beta] = build(3).weights.map((w) => Array.from(w.read().dataSync()));
  assert.equal(build(3).weights.length, 2, "only gamma and beta: nothing to update outside the optimizer");
  assert.deepEqual(Array.from(build(3).weights[0].read().dataSync()), gamma);
  assert.notDeepEqual(Array.from(build(4).weights[0].read().dataSync()), gamma);
  const mean = gamma.reduce((s, g) => s + g) / 64;
  assert.ok(Math.abs(mean - 1) < 0.01 && gamma.every((g) => Math.abs(g - 1) < 0.1), `gamma mean ${mean}`);
  assert.deepEqual(beta, new Array(64).fill(0));
});

function wrapUninitialised(layer: layers.layers.Layer, inputShape: number[]): layers.LayersModel {
  return layers.sequential({ layers: [layers.layers.inputLayer({ inputShape }), layer] });
}
