import assert from "node:assert/strict";
import { clipGradNorm } from "../../../lib/rl/clip_grad_norm.ts";
import { tf } from "../../../lib/tf.ts";
import { assertClose } from "../../helpers.ts";

await tf.setBackend("cpu");
const read = (t: tf.Tensor) => Array.from(t.dataSync());

Deno.test("clip_grad_norm - scales by maxNorm / (global norm + 1e-6) when the norm is larger, as PyTorch", () => {
  // global norm over both tensors: sqrt(3^2 + 4^2 + 12^2) = 13
  const grads = { a: tf.tensor1d([3, 4]), b: tf.tensor2d([[12]]) };
  const { grads: clipped, norm } = clipGradNorm(grads, 6.5);
  const scale = 6.5 / (13 + 1e-6);
  assertClose(read(norm), [13]);
  assertClose(read(clipped.a), [3 * scale, 4 * scale]);
  assertClose(read(clipped.b), [12 * scale]);
  assert.deepEqual(clipped.b.shape, [1, 1]);
  assert.deepEqual(Object.keys(clipped), ["a", "b"]);
  tf.dispose([...Object.values(grads), ...Object.values(clipped), norm]);
});

Deno.test("clip_grad_norm - leaves gradients under the limit unchanged and holds no tensors", () => {
  const grads = { w: tf.tensor1d([0.1, -0.2, 0.2]) };
  const before = tf.memory().numTensors;
  const { grads: clipped, norm } = clipGradNorm(grads, 0.5);
  assert.deepEqual(read(clipped.w), read(grads.w));
  assertClose(read(norm), [0.3]);
  assert.equal(tf.memory().numTensors, before + 2, "only the clipped gradient and the norm are new");
  tf.dispose([grads.w, clipped.w, norm]);
  assert.throws(() => clipGradNorm({}, 0), /maxNorm must be positive, got 0/);
});
