/**
 * DQN's loss kernels (lib/kernels/wasm_td_huber_loss.ts) against tfjs's own composition: bit for bit
 * on wasm (the composition on the same backend, the project's kernels removed), and to float32
 * tolerance on the cpu backend, for the loss and its gradient.
 */
import assert from "node:assert/strict";
import { configureWasmKernels, useStockWasmKernels } from "../../../lib/kernels/wasm_kernels.ts";
import { TD_HUBER_LOSS } from "../../../lib/kernels/wasm_td_huber_loss.ts";
import { tdHuberLoss } from "../../../lib/rl/td_huber_loss.ts";
import { tf } from "../../../lib/tf.ts";
import { assertClose } from "../../helpers.ts";
import { assertSameBits, uniformInput, valuesOn } from "../../kernel_helpers.ts";

/** Loss and dLoss/dq (scaled by dy) for B rows of 2 or 3 actions; errors span both sides of delta = 1, and 0. */
const lossAndGradient = (rows: number, width: number, seed: number, dy: number) => () => {
  const q = tf.mul(uniformInput([rows, width], seed), 3) as tf.Tensor2D;
  const actions = tf.tensor1d(Array.from({ length: rows }, (_, i) => (i * 7 + seed) % width), "int32");
  const targets = tf.tidy(() => {
    const taken = tf.sum(tf.mul(q, tf.oneHot(actions, width)), 1);
    const noise = tf.mul(uniformInput([rows], seed + 1), 2);
    return tf.where(tf.less(tf.range(0, rows), 2), taken, tf.add(taken, noise)); // rows 0 and 1: error 0
  });
  const loss = (x: tf.Tensor) => tdHuberLoss(x, actions, targets);
  return [loss(q), tf.grad(loss)(q, tf.scalar(dy))]; // dy: the gradient flowing in
};
const CASES = [[64, 2, 1, 1], [3, 2, 2, 1], [50, 3, 3, 0.7], [128, 2, 4, 1]] as const;

Deno.test("wasm TD Huber loss - the kernels give the composition's loss and gradient bit for bit", async () => {
  for (const [rows, width, seed, dy] of CASES) {
    configureWasmKernels({ blas: null });
    await tf.setBackend("wasm");
    assert.ok(tf.getKernel(TD_HUBER_LOSS, "wasm"), "the kernel is installed");
    const fused = await valuesOn("wasm", lossAndGradient(rows, width, seed, dy));
    useStockWasmKernels();
    assert.equal(tf.getKernel(TD_HUBER_LOSS, "wasm"), undefined, "stock wasm runs the composition");
    const composed = await valuesOn("wasm", lossAndGradient(rows, width, seed, dy));
    assertSameBits(fused, composed, `B ${rows}, A ${width}`);
  }
});

Deno.test("wasm TD Huber loss - matches the cpu backend's composition", async () => {
  configureWasmKernels({ blas: null });
  for (const [rows, width, seed, dy] of CASES) {
    const expected = await valuesOn("cpu", lossAndGradient(rows, width, seed, dy));
    const actual = await valuesOn("wasm", lossAndGradient(rows, width, seed, dy));
    actual.forEach((values, i) => assertClose(values, expected[i], { rtol: 1e-5, atol: 1e-7 }));
  }
});

Deno.test("wasm TD Huber loss - a bad input names itself", async () => {
  configureWasmKernels({ blas: null });
  await tf.setBackend("wasm");
  assert.throws(
    () => tf.tidy(() => tdHuberLoss(tf.zeros([4, 2]), tf.tensor1d([0, 1, 0], "int32"), tf.zeros([4]))),
    /expected q float32 \[B, A\], actions int32 \[B\] and targets float32 \[B\], got q float32 \[4,2\], actions int32 \[3\]/,
  );
});
