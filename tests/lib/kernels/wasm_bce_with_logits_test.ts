/**
 * blas's Bernoulli log-likelihood kernels (lib/kernels/wasm_bce_with_logits.ts, through
 * lib/losses.ts's bceWithLogitsSum): the loss against the exact value (in double) and against
 * tfjs's composition on the cpu backend, its gradients in the logits and the targets against the
 * composition's, at the edges (large logits, 0, -0, NaN), for sizes that leave 0 to 7 values after
 * the last pair of vectors; and that `wasm` keeps the composition.
 */
import assert from "node:assert/strict";
import { BCE_WITH_LOGITS_SUM } from "../../../lib/kernels/wasm_bce_with_logits.ts";
import { configureWasmKernels } from "../../../lib/kernels/wasm_kernels.ts";
import { bceWithLogitsSum } from "../../../lib/losses.ts";
import { tf } from "../../../lib/tf.ts";
import { assertClose } from "../../helpers.ts";
import { systemBlasFor, valuesOn } from "../../kernel_helpers.ts";

const blas = systemBlasFor("Bernoulli log-likelihood kernel tests");
const ignore = blas === null;

/** Logits spread over [-scale, scale] and grey-level targets in [0, 1], seeded. */
function inputs(shape: number[], seed: number, scale: number) {
  const logits = tf.mul(tf.randomUniform(shape, -1, 1, "float32", seed), scale);
  const targets = tf.randomUniform(shape, 0, 1, "float32", seed + 1);
  return { logits, targets };
}

/** The loss, then its gradients in logits and targets for an incoming gradient dy. */
const lossAndGradients = (shape: number[], seed: number, scale: number, dy: number) => () => {
  const { logits, targets } = inputs(shape, seed, scale);
  const [dLogits, dTargets] = tf.grads((l: tf.Tensor, x: tf.Tensor) => bceWithLogitsSum(l, x))(
    [logits, targets],
    tf.scalar(dy),
  );
  return [bceWithLogitsSum(logits, targets), dLogits, dTargets, logits, targets];
};

// [128, 784]: a VAE batch; the others leave 1 to 7 values after the last pair of vectors.
const SHAPES = [[128, 784], [3, 5], [7], [1], [2, 9, 3], [33]];

Deno.test({
  name: "blas BCE with logits - the loss is the exact sum, and the composition's, to float32 rounding",
  ignore,
  async fn() {
    configureWasmKernels({ blas });
    for (const [i, shape] of SHAPES.entries()) {
      for (const scale of [3, 30]) {
        const [loss, , , logits, targets] = await valuesOn("wasm", lossAndGradients(shape, i + 1, scale, 1));
        let exact = 0;
        logits.forEach((l, j) => exact += Math.max(l, 0) - l * targets[j] + Math.log1p(Math.exp(-Math.abs(l))));
        assertClose(loss[0], exact, { rtol: 2e-6 });
        const [composed] = await valuesOn("cpu", lossAndGradients(shape, i + 1, scale, 1));
        assertClose(loss[0], composed[0], { rtol: 2e-5 });
      }
    }
  },
});

Deno.test({
  name: "blas BCE with logits - gradients in the logits and the targets match the composition's",
  ignore,
  async fn() {
    configureWasmKernels({ blas });
    for (const [i, shape] of SHAPES.entries()) {
      for (const dy of [1, 1 / 128, -2.5]) {
        const [, dLogits, dTargets, logits, targets] = await valuesOn("wasm", lossAndGradients(shape, i + 7, 8, dy));
        const [, expectedLogits, expectedTargets] = await valuesOn("cpu", lossAndGradients(shape, i + 7, 8, dy));
        // sigmoid(l) - x is below 1 in size: an absolute bound of a few float32 steps at 1, times dy
        assertClose(dLogits, expectedLogits, { rtol: 0, atol: 4e-7 * Math.abs(dy) });
        assertClose(dTargets, expectedTargets, { rtol: 1e-6, atol: 0 });
        const exact = logits.map((l, j) => dy * (1 / (1 + Math.exp(-l)) - targets[j]));
        assertClose(dLogits, exact, { rtol: 0, atol: 2e-7 * Math.abs(dy) });
      }
    }
  },
});

Deno.test({
  name: "blas BCE with logits - large logits stay finite, 0 and -0 give log 2, NaN gives NaN",
  ignore,
  async fn() {
    configureWasmKernels({ blas });
    const cases = [
      { logits: [100, -100, 88.8, -1e30], targets: [0, 1, 1, 0], loss: 200, grad: [1, -1, 0, 0] },
      { logits: [0, -0, 0], targets: [0, 1, 0.5], loss: 3 * Math.LN2, grad: [0.5, -0.5, 0] },
      {
        logits: [1, NaN, 2],
        targets: [0, 0, 0],
        loss: NaN,
        grad: [1 / (1 + Math.exp(-1)), NaN, 1 / (1 + Math.exp(-2))],
      },
    ];
    for (const { logits, targets, loss, grad } of cases) {
      const [value, dLogits] = await valuesOn("wasm", () => {
        const l = tf.tensor1d(logits), x = tf.tensor1d(targets);
        return [bceWithLogitsSum(l, x), tf.grad((l: tf.Tensor) => bceWithLogitsSum(l, x))(l)];
      });
      if (Number.isNaN(loss)) assert.ok(Number.isNaN(value[0]), `NaN logit: loss ${value[0]}`);
      else assertClose(value[0], loss, { rtol: 1e-6 });
      grad.forEach((g, j) =>
        Number.isNaN(g)
          ? assert.ok(Number.isNaN(dLogits[j]), `NaN logit: gradient ${dLogits[j]}`)
          : assertClose(dLogits[j], g, { rtol: 0, atol: 1e-7 })
      );
    }
  },
});

Deno.test({
  name: "blas BCE with logits - one kernel each way on blas; wasm keeps tfjs's composition",
  ignore,
  async fn() {
    configureWasmKernels({ blas });
    await tf.setBackend("wasm");
    const kernelsOf = async (compute: () => tf.Tensor) => {
      const profile = await tf.profile(() => tf.tidy(compute));
      return profile.kernelNames;
    };
    const logits = tf.randomNormal([4, 784]), targets = tf.randomUniform([4, 784]);
    assert.deepEqual(await kernelsOf(() => bceWithLogitsSum(logits, targets)), [BCE_WITH_LOGITS_SUM]);
    configureWasmKernels({ blas: null });
    assert.equal(tf.getKernel(BCE_WITH_LOGITS_SUM, "wasm"), undefined, "wasm without a BLAS has no fused kernel");
    const composed = await kernelsOf(() => bceWithLogitsSum(logits, targets));
    assert.ok(composed.includes("Log1p") && !composed.includes(BCE_WITH_LOGITS_SUM), `composed: ${composed}`);
    tf.dispose([logits, targets]);
    configureWasmKernels({ blas });
  },
});

Deno.test({
  name: "blas BCE with logits - mismatched shapes get tfjs's own error",
  ignore,
  async fn() {
    configureWasmKernels({ blas });
    await tf.setBackend("wasm");
    assert.throws(
      () => tf.tidy(() => bceWithLogitsSum(tf.zeros([2, 3]), tf.zeros([3, 2]))),
      /shapes.*must match/i,
    );
  },
});
