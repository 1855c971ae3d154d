/**
 * A dense layer's ReLU or tanh and bias gradients as one kernel
 * (lib/kernels/wasm_activation_bias_grad.ts) against tfjs's Relu or Tanh and Add gradients through
 * the tape: bit for bit on wasm (the same backend with tfjs's own kernels), to float32 tolerance on
 * the cpu backend.
 */
import assert from "node:assert/strict";
import { configureWasmKernels } from "../../../lib/kernels/wasm_kernels.ts";
import { ACTIVATION_BIAS_GRAD, type ActivationBiasGradAttrs } from "../../../lib/kernels/wasm_activation_bias_grad.ts";
import { tf } from "../../../lib/tf.ts";
import { assertClose } from "../../helpers.ts";
import { assertSameBits, uniformInput, valuesOn } from "../../kernel_helpers.ts";

type Activation = ActivationBiasGradAttrs["activation"];

/** The kernel where installed, else tfjs's gradients of activation(p + b) for a random dy. */
const gradients = (activation: Activation, rows: number, width: number, seed: number) => () => {
  const p = uniformInput([rows, width], seed);
  const b = uniformInput([width], seed + 1);
  const dy = uniformInput([rows, width], seed + 2);
  const f = (p: tf.Tensor, b: tf.Tensor) => (activation === "relu" ? tf.relu : tf.tanh)(tf.add(p, b));
  if (tf.getKernel(ACTIVATION_BIAS_GRAD, tf.getBackend())) {
    const attrs = { activation } as unknown as tf.NamedAttrMap;
    return tf.engine().runKernel(ACTIVATION_BIAS_GRAD, { dy, y: f(p, b) }, attrs) as tf.Tensor[];
  }
  const [dp, db] = tf.grads(f)([p, b], dy);
  return [dp, db];
};
const SHAPES = [[64, 256], [1, 7], [33, 2]] as const;
const ACTIVATIONS: Activation[] = ["relu", "tanh"];

Deno.test("wasm activation and bias gradient - the kernel gives tfjs's gradients bit for bit", async () => {
  for (const activation of ACTIVATIONS) {
    for (const [rows, width] of SHAPES) {
      configureWasmKernels({ blas: null });
      const fused = await valuesOn("wasm", gradients(activation, rows, width, rows));
      tf.unregisterKernel(ACTIVATION_BIAS_GRAD, "wasm"); // the next configureWasmKernels puts it back
      const composed = await valuesOn("wasm", gradients(activation, rows, width, rows));
      assertSameBits(fused, composed, `${activation} [${rows}, ${width}]`);
    }
  }
  configureWasmKernels({ blas: null });
});

Deno.test("wasm activation and bias gradient - matches the cpu backend", async () => {
  configureWasmKernels({ blas: null });
  for (const activation of ACTIVATIONS) {
    for (const [rows, width] of SHAPES) {
      const expected = await valuesOn("cpu", gradients(activation, rows, width, rows));
      const actual = await valuesOn("wasm", gradients(activation, rows, width, rows));
      // The backends' tanh differ in the last bits, and 1 - y * y cancels them up near |y| = 1.
      const atol = activation === "tanh" ? 1e-5 : 1e-6;
      actual.forEach((values, i) => assertClose(values, expected[i], { rtol: 1e-5, atol }));
    }
  }
});

Deno.test("wasm activation and bias gradient - mismatched shapes and unknown activations name themselves", async () => {
  configureWasmKernels({ blas: null });
  await tf.setBackend("wasm");
  const run = (activation: string, dy: number[], y: number[]) => () =>
    tf.tidy(() =>
      tf.engine().runKernel(ACTIVATION_BIAS_GRAD, { dy: tf.zeros(dy), y: tf.zeros(y) }, {
        activation,
      } as unknown as tf.NamedAttrMap)
    );
  assert.throws(
    run("relu", [2, 3], [3, 2]),
    /expected dy and y float32 of one shape \[B, N\], got dy float32 \[2,3\] and y float32 \[3,2\]/,
  );
  assert.throws(run("sigmoid", [2, 3], [2, 3]), /expected activation relu or tanh, got sigmoid/);
});
