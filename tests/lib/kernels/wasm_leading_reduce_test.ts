import assert from "node:assert/strict";
import { configureWasmKernels } from "../../../lib/kernels/wasm_kernels.ts";
import { tf } from "../../../lib/tf.ts";
import { assertClose } from "../../helpers.ts";
import { uniformInput, valuesOn } from "../../kernel_helpers.ts";

// tfjs's own wasm Sum and Mean, before this file installs the project's kernels
await tf.setBackend("wasm");
const TFJS_OWN = await valuesOn("wasm", () => {
  const x = uniformInput([128, 7, 33], 3);
  return [tf.sum(x, 0), tf.mean(x, [0, 1]), tf.sum(tf.reshape(x, [8, 16, 7, 33]), [1, 2])];
});

Deno.test("wasm Sum and Mean - match the cpu backend over leading, trailing, inner and all axes, with and without keepDims", async () => {
  configureWasmKernels({ blas: null });
  const cases: { shape: number[]; axis: number | number[] }[] = [
    { shape: [128, 400], axis: 0 }, // a dense layer's bias gradient
    { shape: [6, 5, 5, 7], axis: [0, 1, 2] }, // a convolution's bias gradient
    { shape: [6, 5, 7], axis: [1, 0] }, // leading axes in another order
    { shape: [6, 5, 7], axis: -1 }, // trailing: tfjs's kernel
    { shape: [6, 5, 7], axis: 1 }, // an inner axis
    { shape: [4, 5, 3, 6], axis: [2, 1] }, // inner axes: a time embedding's gradient over H and W
    { shape: [4, 5, 3, 6], axis: [1, 3] }, // not adjacent: tfjs's kernel
    { shape: [6, 5, 7], axis: [0, 1, 2] }, // all: tfjs's kernel
    { shape: [9], axis: 0 },
  ];
  for (const { shape, axis } of cases) {
    for (const [keepDims, reduce] of [[false, tf.sum], [true, tf.sum], [false, tf.mean], [true, tf.mean]] as const) {
      const compute = () => {
        const reduced = reduce(uniformInput(shape, 1), axis, keepDims);
        return [reduced, tf.tensor(reduced.shape)];
      };
      const [expected, expectedShape] = await valuesOn("cpu", compute);
      const [actual, actualShape] = await valuesOn("wasm", compute);
      assert.deepEqual(actualShape, expectedShape, `${reduce.name} of [${shape}] over ${axis}, keepDims ${keepDims}`);
      assertClose(actual, expected, { rtol: 1e-5, atol: 1e-5 });
    }
  }
});

Deno.test("wasm Sum and Mean - int32 sums over leading axes go to tfjs's kernel and stay int32", async () => {
  configureWasmKernels({ blas: null });
  await tf.setBackend("wasm");
  const sum = tf.sum(tf.tensor2d([[1, 2], [3, 4]], [2, 2], "int32"), 0);
  assert.equal(sum.dtype, "int32");
  assert.deepEqual(Array.from(await sum.data()), [4, 6]);
  sum.dispose();
});

Deno.test("wasm Sum and Mean - equal tfjs's own wasm kernels bit for bit (the same order of additions)", async () => {
  configureWasmKernels({ blas: null });
  const ours = await valuesOn("wasm", () => {
    const x = uniformInput([128, 7, 33], 3);
    return [tf.sum(x, 0), tf.mean(x, [0, 1]), tf.sum(tf.reshape(x, [8, 16, 7, 33]), [1, 2])];
  });
  assert.deepEqual(ours, TFJS_OWN);
});

Deno.test("wasm Sum and Mean - over an empty leading axis: 0, as on the cpu backend", async () => {
  configureWasmKernels({ blas: null });
  const compute = () => [tf.sum(tf.zeros([0, 3]), 0), tf.mean(tf.zeros([0, 2]), 0)];
  const [expectedSum, expectedMean] = await valuesOn("cpu", compute);
  const [sum, mean] = await valuesOn("wasm", compute);
  assert.deepEqual(Array.from(sum), Array.from(expectedSum));
  assert.deepEqual(Array.from(sum), [0, 0, 0]);
  assert.deepEqual(Array.from(mean), Array.from(expectedMean));
});
