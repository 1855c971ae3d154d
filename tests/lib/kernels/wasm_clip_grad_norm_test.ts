/**
 * Clipping by global norm as one kernel (lib/kernels/wasm_clip_grad_norm.ts) against tfjs's own
 * composition (lib/rl/clip_grad_norm.ts without the kernel): bit for bit on wasm, to float32
 * tolerance on the cpu backend; both when the norm exceeds maxNorm (scaled) and when not (unchanged).
 */
import assert from "node:assert/strict";
import { CLIP_GRAD_NORM } from "../../../lib/kernels/wasm_clip_grad_norm.ts";
import { configureWasmKernels, useStockWasmKernels } from "../../../lib/kernels/wasm_kernels.ts";
import { clipGradNorm } from "../../../lib/rl/clip_grad_norm.ts";
import { tf } from "../../../lib/tf.ts";
import { assertClose } from "../../helpers.ts";
import { assertSameBits, uniformInput, valuesOn } from "../../kernel_helpers.ts";

// an MLP's gradients, 4-256-256-2 as DQN's, scaled so that the global norm is about 150 * `scale`
const clipped = (scale: number, maxNorm: number) => () => {
  const shapes = [[4, 256], [256], [256, 256], [256], [256, 2], [2]];
  const grads = Object.fromEntries(shapes.map((shape, i) => [`w${i}`, tf.mul(uniformInput(shape, i + 1), scale)]));
  const { grads: out, norm } = clipGradNorm(grads, maxNorm);
  return [...Object.values(out), norm];
};
const CASES = [[1, 10], [0.01, 10], [3, 0.5]] as const; // clipped, unchanged, clipped hard

Deno.test("wasm clip grad norm - the kernel gives the composition's clipped gradients and norm bit for bit", async () => {
  for (const [scale, maxNorm] of CASES) {
    configureWasmKernels({ blas: null });
    await tf.setBackend("wasm");
    assert.ok(tf.getKernel(CLIP_GRAD_NORM, "wasm"), "the kernel is installed");
    const fused = await valuesOn("wasm", clipped(scale, maxNorm));
    useStockWasmKernels();
    const composed = await valuesOn("wasm", clipped(scale, maxNorm));
    assert.equal(fused.length, 7);
    assertSameBits(fused, composed, `scale ${scale}, maxNorm ${maxNorm}`);
  }
});

Deno.test("wasm clip grad norm - matches the cpu backend, and scales only above maxNorm", async () => {
  configureWasmKernels({ blas: null });
  for (const [scale, maxNorm] of CASES) {
    const expected = await valuesOn("cpu", clipped(scale, maxNorm));
    const actual = await valuesOn("wasm", clipped(scale, maxNorm));
    actual.forEach((values, i) => assertClose(values, expected[i], { rtol: 1e-5, atol: 1e-7 }));
    const norm = actual[6][0];
    const unclipped = await valuesOn("wasm", () => [tf.mul(uniformInput([4, 256], 1), scale)]);
    const ratio = actual[0][0] / unclipped[0][0];
    assertClose([ratio], [Math.min(1, maxNorm / (norm + 1e-6))], { rtol: 1e-5 });
  }
});

Deno.test("wasm clip grad norm - a gradient other than float32 names itself", async () => {
  configureWasmKernels({ blas: null });
  await tf.setBackend("wasm");
  assert.throws(
    () => tf.tidy(() => clipGradNorm({ a: tf.zeros([2]), b: tf.zeros([2], "int32") }, 1)),
    /expected float32 inputs g0, g1, \.\.\., got int32 for g1/,
  );
});
