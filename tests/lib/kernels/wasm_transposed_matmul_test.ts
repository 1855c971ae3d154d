import { configureWasmKernels } from "../../../lib/kernels/wasm_kernels.ts";
import { tf } from "../../../lib/tf.ts";
import { assertClose } from "../../helpers.ts";
import { uniformInput, valuesOn } from "../../kernel_helpers.ts";

Deno.test("wasm transposed matmul - every transpose case and batch shape matches the cpu backend", async () => {
  configureWasmKernels({ blas: null });
  for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
    for (const batch of [[], [3]]) {
      const compute = () => {
        const a = uniformInput([...batch, ...(ta ? [7, 5] : [5, 7])], 1);
        const b = uniformInput([...batch, ...(tb ? [4, 7] : [7, 4])], 2);
        return [tf.matMul(a, b, ta, tb)];
      };
      const [expected] = await valuesOn("cpu", compute);
      const [actual] = await valuesOn("wasm", compute);
      assertClose(actual, expected, { rtol: 1e-5, atol: 1e-5 });
    }
  }
});

Deno.test("wasm transposed matmul - dense-layer gradients match the cpu backend and leak nothing", async () => {
  configureWasmKernels({ blas: null });
  const compute = () => {
    const x = uniformInput([16, 30], 3);
    const w = uniformInput([30, 20], 4);
    const grad = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.square(tf.relu(tf.matMul(x, w)))));
    return grad([x, w]);
  };
  const expected = await valuesOn("cpu", compute);
  await tf.setBackend("wasm");
  const buffers = () => tf.engine().backend.numDataIds();
  const before = { tensors: tf.memory().numTensors, buffers: buffers() };
  const actual = await valuesOn("wasm", compute);
  // The transposed copies live only inside the kernel: no tensor and no wasm buffer is left.
  assertClose(tf.memory().numTensors, before.tensors);
  assertClose(buffers(), before.buffers);
  expected.forEach((e, i) => assertClose(actual[i], e, { rtol: 1e-4, atol: 1e-5 }));
});
