import assert from "node:assert/strict";
import { configureWasmKernels } from "../../../lib/kernels/wasm_kernels.ts";
import { NORM_ACTIVATION } from "../../../lib/kernels/wasm_norm_activation.ts";
import {
  composedNormActivation,
  normActivation,
  type NormActivationOptions,
} from "../../../lib/models/norm_activation.ts";
import { tf } from "../../../lib/tf.ts";
import { assertClose } from "../../helpers.ts";
import { normActivationOutputs, uniformInput, valuesOn } from "../../kernel_helpers.ts";

const SHAPES = [
  [2, 5, 7, 3], // odd sizes
  [3, 4, 4, 1], // one channel
  [1, 1, 1, 6], // one pixel: over images, 6 values; over the batch, one value per channel
  [5, 9, 9, 16], // C a multiple of 4: the kernels; the others, tfjs's composition
  [3, 7, 5, 8],
  [2, 12],
  [4, 10], // a dense layer's output
];
const CASES: NormActivationOptions[] = [
  { over: "image", activation: "silu" },
  { over: "image", activation: "linear" },
  { over: "batch", activation: "relu" },
  { over: "batch", activation: "leakyrelu", alpha: 0.2 },
  { over: "batch", activation: "silu", epsilon: 1e-3 },
];

Deno.test("normActivation - the wasm kernels match the composition on the cpu backend, forward and gradients", async () => {
  configureWasmKernels({ blas: null });
  for (const shape of SHAPES) {
    for (const options of CASES) {
      const expected = await valuesOn("cpu", normActivationOutputs(shape, options));
      assert.ok(!tf.getKernel(NORM_ACTIVATION, "cpu"), "the cpu backend runs the composition");
      const actual = await valuesOn("wasm", normActivationOutputs(shape, options));
      const names = ["y", "sum(y w)", "dx", "dgamma", "dbeta"];
      // one pixel over the batch: x - mean is 0, so only float32 rounding is left of xhat; gradients in x vanish
      const atol = shape.length === 4 && shape[0] * shape[1] * shape[2] === 1 && options.over === "batch" ? 1e-2 : 2e-4;
      actual.forEach((values, i) => {
        try {
          assertClose(values, expected[i], { rtol: 2e-4, atol });
        } catch (e) {
          throw new Error(`${names[i]} of [${shape}] ${JSON.stringify(options)}: ${(e as Error).message}`);
        }
      });
    }
  }
});

Deno.test("normActivation - the wasm kernels match the composition on wasm itself (same backend, same inputs)", async () => {
  configureWasmKernels({ blas: null });
  const options: NormActivationOptions = { over: "image", activation: "silu" };
  const [expected, actual] = [
    await valuesOn("wasm", normActivationOutputs([3, 6, 6, 8], options, composedNormActivation)),
    await valuesOn("wasm", normActivationOutputs([3, 6, 6, 8], options)),
  ];
  actual.forEach((values, i) => assertClose(values, expected[i], { rtol: 2e-4, atol: 2e-4 }));
});

Deno.test("normActivation - SiLU saturates as it should far from zero (the SIMD exp's clamped range)", async () => {
  configureWasmKernels({ blas: null });
  const compute = () => {
    const x = tf.tensor4d([-1000, -200, -90, -30, 0, 30, 90, 1000], [1, 1, 2, 4]);
    return [normActivation(x, tf.fill([4], 300), tf.zeros([4]), { over: "image", activation: "silu" })];
  };
  const [expected] = await valuesOn("cpu", compute);
  const [actual] = await valuesOn("wasm", compute);
  assertClose(actual, expected, { rtol: 1e-5, atol: 1e-5 });
  assert.ok(actual.every(Number.isFinite), `SiLU gave ${actual}`);
});

Deno.test("normActivation - training steps leave no tensor and no wasm buffer behind", async () => {
  configureWasmKernels({ blas: null });
  await tf.setBackend("wasm");
  for (const channels of [5, 8]) { // the TypeScript and the SIMD passes
    const x = tf.variable(uniformInput([4, 6, 6, channels], 1));
    const gamma = tf.variable(tf.ones([channels]));
    const beta = tf.variable(tf.zeros([channels]));
    const optimizer = tf.train.sgd(0.1);
    const loss = () =>
      tf.sum(tf.square(normActivation(x, gamma, beta, { over: "batch", activation: "relu" }))) as tf.Scalar;
    optimizer.minimize(loss);
    const [tensors, buffers] = [tf.memory().numTensors, tf.engine().backend.numDataIds()];
    for (let i = 0; i < 3; i++) optimizer.minimize(loss);
    assert.equal(tf.memory().numTensors, tensors);
    assert.equal(tf.engine().backend.numDataIds(), buffers);
    tf.dispose([x, gamma, beta]);
  }
});

Deno.test("normActivation - a bad option names the value and the valid ones", () => {
  const [x, gamma] = [tf.zeros([2, 3]), tf.ones([3])];
  assert.throws(
    () => normActivation(x, gamma, gamma, { over: "pixels" as "image" }),
    /over must be one of image,batch, got pixels/,
  );
  assert.throws(
    () => normActivation(x, gamma, gamma, { over: "batch", activation: "gelu" as "relu" }),
    /activation must be one of linear,relu,leakyrelu,silu, got gelu/,
  );
  tf.dispose([x, gamma]);
});

Deno.test("normActivation - the wasm kernel refuses a channel count that is not a multiple of 4, naming it", async () => {
  configureWasmKernels({ blas: null });
  await tf.setBackend("wasm");
  const [x, gamma, beta] = [tf.ones([2, 3, 3, 6]), tf.ones([6]), tf.zeros([6])];
  const attrs = { over: "image", activation: "silu", alpha: 0.2, epsilon: 1e-5 };
  assert.throws(
    () => tf.engine().runKernel(NORM_ACTIVATION, { x, gamma, beta }, attrs),
    /TflabNormActivation: expected a multiple of 4 channels \(the last axis\), got 6/,
  );
  tf.dispose([x, gamma, beta]);
});
