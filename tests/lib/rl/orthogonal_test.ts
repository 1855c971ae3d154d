import assert from "node:assert/strict";
import { orthogonal, orthogonalDense } from "../../../lib/rl/orthogonal.ts";
import { Rng } from "../../../lib/rng.ts";
import { layers, tf } from "../../../lib/tf.ts";
import { assertClose } from "../../helpers.ts";

await tf.setBackend("cpu");

/** The Gram matrix of the short side: W^T W for tall W, W W^T for wide W. */
const gram = (w: tf.Tensor2D) =>
  tf.tidy(() => (w.shape[0] >= w.shape[1] ? tf.matMul(w, w, true, false) : tf.matMul(w, w, false, true)));

Deno.test("orthogonal - tall and wide matrices have orthonormal columns or rows times the gain", () => {
  for (const [rows, cols, gain] of [[64, 4, Math.SQRT2], [4, 64, Math.SQRT2], [64, 64, 1], [64, 2, 0.01]]) {
    const w = orthogonal(rows, cols, gain, 7) as tf.Tensor2D;
    assert.deepEqual(w.shape, [rows, cols]);
    const g = gram(w);
    const short = Math.min(rows, cols);
    assertClose(g.dataSync(), tf.tidy(() => tf.mul(gain * gain, tf.eye(short))).dataSync(), {
      atol: 1e-5 * gain * gain + 1e-6,
    });
    tf.dispose([w, g]);
  }
});

Deno.test("orthogonal - the seed fixes the matrix, another seed gives another", () => {
  const [a, b, c] = [orthogonal(8, 8, 1, 1), orthogonal(8, 8, 1, 1), orthogonal(8, 8, 1, 2)];
  assert.deepEqual(Array.from(a.dataSync()), Array.from(b.dataSync()));
  assert.notDeepEqual(Array.from(a.dataSync()), Array.from(c.dataSync()));
  tf.dispose([a, b, c]);
});

Deno.test("orthogonalDense - orthogonal kernel, zero bias, applied as a dense layer", () => {
  const layer = orthogonalDense({ name: "h", units: 3, fanIn: 5, gain: 2, activation: "tanh", rng: new Rng(3) });
  const model = layers.sequential({ layers: [layer] });
  const [kernel, bias] = model.getWeights() as [tf.Tensor2D, tf.Tensor];
  assert.deepEqual(kernel.shape, [5, 3]);
  assert.deepEqual(Array.from(bias.dataSync()), [0, 0, 0]);
  assertClose(gram(kernel).dataSync(), tf.mul(4, tf.eye(3)).dataSync(), { atol: 1e-4 });
  const x = tf.tensor2d([[0.1, -0.2, 0.3, 0.4, -0.5]]);
  assertClose((model.predict(x) as tf.Tensor).dataSync(), tf.tanh(tf.matMul(x, kernel)).dataSync());
  assert.throws(
    () => orthogonalDense({ name: "bad", units: 0, fanIn: 5, gain: 1, rng: new Rng(1) }),
    /orthogonalDense bad: expected positive integer units and fanIn, got 0 and 5/,
  );
  model.dispose();
});
