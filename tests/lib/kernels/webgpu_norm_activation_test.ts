import assert from "node:assert/strict";
import { probeWebGpu, useBackend } from "../../../lib/backend.ts";
import { gpuCounters } from "../../../lib/gpu_counters.ts";
import { NORM_ACTIVATION, NORM_ACTIVATIONS } from "../../../lib/kernels/wasm_norm_activation.ts";
import {
  composedNormActivation,
  normActivation,
  type NormActivationOptions,
} from "../../../lib/models/norm_activation.ts";
import { tf } from "../../../lib/tf.ts";
import { assertClose } from "../../helpers.ts";
import { normActivationOutputs, uniformInput } from "../../kernel_helpers.ts";

// Deno finds Mesa's software adapter on machines without a GPU, so this runs in CI.
const webGpu = await probeWebGpu();

async function values(compute: () => tf.Tensor[]): Promise<Float32Array[]> {
  const outputs = tf.tidy(compute);
  const result = await Promise.all(outputs.map(async (t) => (await t.data()) as Float32Array));
  tf.dispose(outputs);
  return result;
}

const SHAPES = [
  [2, 5, 7, 3], // C not a multiple of 4
  [3, 4, 4, 8], // C a multiple of 4
  [1, 6, 6, 5], // batch 1
  [1, 3, 3, 4],
  [4, 10], // a dense layer's output
  [130, 6], // more values per channel than a workgroup has threads
];

Deno.test({
  name: "webgpu_norm_activation - the kernels match the composition on WebGPU, forward and gradients, every case",
  ignore: !webGpu,
  async fn() {
    await useBackend("webgpu"); // installs the kernels
    assert.ok(tf.getKernel(NORM_ACTIVATION, "webgpu"));
    const names = ["y", "sum(y w)", "dx", "dgamma", "dbeta"];
    for (const shape of SHAPES) {
      for (const over of ["image", "batch"] as const) {
        for (const activation of NORM_ACTIVATIONS) {
          const options: NormActivationOptions = {
            over,
            activation,
            alpha: 0.1,
            epsilon: over === "image" ? 1e-5 : 1e-3,
          };
          const expected = await values(normActivationOutputs(shape, options, composedNormActivation));
          const actual = await values(normActivationOutputs(shape, options, normActivation));
          actual.forEach((a, i) => {
            try {
              assertClose(a, expected[i], { rtol: 2e-4, atol: 2e-4 });
            } catch (e) {
              throw new Error(`${names[i]} of [${shape}] ${JSON.stringify(options)}: ${(e as Error).message}`);
            }
          });
        }
      }
    }
  },
});

Deno.test({
  name: "webgpu_norm_activation - a step is 3 dispatches forward and 4 backward, no read-back, no upload, no leak",
  ignore: !webGpu,
  async fn() {
    await useBackend("webgpu");
    // any channel count (the wasm kernels take a multiple of 4 only)
    for (const [over, channels] of [["image", 8], ["batch", 8], ["image", 5], ["batch", 3]] as const) {
      const x = tf.variable(uniformInput([4, 6, 6, channels], 1));
      const gamma = tf.variable(tf.ones([channels]));
      const beta = tf.variable(tf.zeros([channels]));
      const dy = uniformInput([4, 6, 6, channels], 2);
      const step = () =>
        tf.tidy(() => {
          const f = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) =>
            normActivation(x, gamma, beta, { over, activation: "silu" });
          return tf.grads(f)([x, gamma, beta], dy);
        });
      tf.dispose(step()); // compiles the shaders
      const counts = gpuCounters()!, before = { ...counts };
      const [tensors, buffers] = [tf.memory().numTensors, tf.engine().backend.numDataIds()];
      tf.dispose(step());
      assert.equal(counts.dispatches - before.dispatches, 7, `over ${over}, ${channels} channels`);
      assert.equal(counts.readbacks, before.readbacks);
      assert.equal(counts.uploads, before.uploads, "no constant uploaded per step");
      assert.equal(tf.memory().numTensors, tensors);
      assert.equal(tf.engine().backend.numDataIds(), buffers);
      tf.dispose([x, gamma, beta, dy]);
    }
  },
});

Deno.test({
  name: "webgpu_norm_activation - SiLU saturates far from zero as the composition does, forward and gradients",
  ignore: !webGpu,
  async fn() {
    await useBackend("webgpu");
    const compute = (op: typeof normActivation) => () => {
      const x = tf.tensor4d([-1000, -200, -90, -30, 0, 30, 90, 1000], [1, 1, 2, 4]);
      const f = (x: tf.Tensor, gamma: tf.Tensor) => op(x, gamma, tf.zeros([4]), { over: "image", activation: "silu" });
      return [f(x, tf.fill([4], 300)), ...tf.grads(f)([x, tf.fill([4], 300)])];
    };
    const [expected, actual] = [await values(compute(composedNormActivation)), await values(compute(normActivation))];
    actual.forEach((a, i) => {
      assert.ok(a.every(Number.isFinite), `output ${i}: ${a}`);
      assertClose(a, expected[i], { rtol: 1e-4, atol: 1e-4 });
    });
  },
});
