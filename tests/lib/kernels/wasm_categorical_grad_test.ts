/**
 * A categorical policy's log-probabilities and entropies (categoricalTerms, lib/rl/policy.ts) with
 * their gradient in one kernel (lib/kernels/wasm_categorical_grad.ts), against categoricalLogProb
 * and categoricalEntropy through the tape: values and gradients bit for bit on wasm (the same
 * backend with tfjs's own gradients), and to float32 tolerance against the cpu backend.
 */
import assert from "node:assert/strict";
import { CATEGORICAL_GRAD } from "../../../lib/kernels/wasm_categorical_grad.ts";
import { configureWasmKernels } from "../../../lib/kernels/wasm_kernels.ts";
import { categoricalEntropy, categoricalLogProb, categoricalTerms } from "../../../lib/rl/policy.ts";
import { Rng } from "../../../lib/rng.ts";
import { tf } from "../../../lib/tf.ts";
import { assertClose } from "../../helpers.ts";
import { assertSameBits, uniformInput, valuesOn } from "../../kernel_helpers.ts";

type Terms = (logits: tf.Tensor, actions: tf.Tensor) => { logProb: tf.Tensor; entropy: tf.Tensor };
const composed: Terms = (logits, actions) => ({
  logProb: categoricalLogProb(logits, actions),
  entropy: categoricalEntropy(logits),
});

/**
 * log-probabilities, entropies, a weighted sum of both and its gradient
 * at the logits, for `rows` x `width` logits.
 */
const outputs = (terms: Terms, rows: number, width: number, seed: number) => () => {
  const rng = new Rng(seed);
  const logits = tf.mul(uniformInput([rows, width], seed), 3);
  const actions = tf.tensor1d(Int32Array.from({ length: rows }, () => rng.int(width)), "int32");
  const [wLogProb, wEntropy] = [1, 2].map((k) => uniformInput([rows], seed + k));
  const { logProb, entropy } = terms(logits, actions);
  const loss = (x: tf.Tensor) => {
    const t = terms(x, actions);
    return tf.add(tf.sum(tf.mul(t.logProb, wLogProb)), tf.sum(tf.mul(t.entropy, wEntropy)));
  };
  return [logProb, entropy, tf.grad(loss)(logits)];
};
const SHAPES = [[256, 2], [7, 5], [1, 3]] as const;

Deno.test("categoricalTerms - the kernel gives the tape's values and gradients bit for bit on wasm", async () => {
  for (const [rows, width] of SHAPES) {
    configureWasmKernels({ blas: null });
    const fused = await valuesOn("wasm", outputs(categoricalTerms, rows, width, rows));
    tf.unregisterKernel(CATEGORICAL_GRAD, "wasm"); // the next configureWasmKernels puts it back
    const taped = await valuesOn("wasm", outputs(composed, rows, width, rows));
    assertSameBits(fused, taped, `[${rows}, ${width}]`);
  }
  configureWasmKernels({ blas: null });
});

Deno.test("categoricalTerms - matches the cpu backend", async () => {
  configureWasmKernels({ blas: null });
  for (const [rows, width] of SHAPES) {
    const expected = await valuesOn("cpu", outputs(composed, rows, width, rows));
    const actual = await valuesOn("wasm", outputs(categoricalTerms, rows, width, rows));
    actual.forEach((values, i) => assertClose(values, expected[i], { rtol: 1e-5, atol: 1e-6 }));
  }
});

Deno.test("categoricalTerms - the kernel names mismatched inputs", async () => {
  configureWasmKernels({ blas: null });
  await tf.setBackend("wasm");
  assert.throws(
    () =>
      tf.tidy(() =>
        tf.engine().runKernel(CATEGORICAL_GRAD, {
          dy: tf.zeros([2, 3]),
          logP: tf.zeros([3, 2]),
          p: tf.zeros([3, 2]),
          actions: tf.zeros([4], "int32"),
        })
      ),
    /expected dy float32 \[2, B\], logP and p float32 \[B, A\], actions int32 \[B\], got dy float32 \[2,3\], logP float32 \[3,2\], p float32 \[3,2\], actions int32 \[4\]/,
  );
});
