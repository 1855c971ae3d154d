import { installWasmTransposedMatMul } from "../../../lib/kernels/wasm_transposed_matmul.ts";
import { tf } from "../../../lib/tf.ts";
import { assertClose } from "../../helpers.ts";

/** Runs `compute` on a backend and returns its outputs' values. */
async function on(backend: string, compute: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const outputs = tf.tidy(compute);
  const values = await Promise.all(outputs.map(async (t) => (await t.data()) as Float32Array));
  tf.dispose(outputs);
  return values;
}

const input = (shape: number[], seed: number) => tf.randomUniform(shape, -1, 1, "float32", seed);

Deno.test("wasm transposed matmul - every transpose case and batch shape matches the cpu backend", async () => {
  installWasmTransposedMatMul();
  for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
    for (const batch of [[], [3]]) {
      const compute = () => {
        const a = input([...batch, ...(ta ? [7, 5] : [5, 7])], 1);
        const b = input([...batch, ...(tb ? [4, 7] : [7, 4])], 2);
        return [tf.matMul(a, b, ta, tb)];
      };
      const [expected] = await on("cpu", compute);
      const [actual] = await on("wasm", compute);
      assertClose(actual, expected, { rtol: 1e-5, atol: 1e-5 });
    }
  }
});

Deno.test("wasm transposed matmul - dense-layer gradients match the cpu backend and leak nothing", async () => {
  installWasmTransposedMatMul();
  const compute = () => {
    const x = input([16, 30], 3);
    const w = input([30, 20], 4);
    const grad = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.square(tf.relu(tf.matMul(x, w)))));
    return grad([x, w]);
  };
  const expected = await on("cpu", compute);
  await tf.setBackend("wasm");
  const buffers = () => tf.engine().backend.numDataIds();
  const before = { tensors: tf.memory().numTensors, buffers: buffers() };
  const actual = await on("wasm", compute);
  // The transposed copies live only inside the kernel: no tensor and no wasm buffer is left.
  assertClose(tf.memory().numTensors, before.tensors);
  assertClose(buffers(), before.buffers);
  expected.forEach((e, i) => assertClose(actual[i], e, { rtol: 1e-4, atol: 1e-5 }));
});
