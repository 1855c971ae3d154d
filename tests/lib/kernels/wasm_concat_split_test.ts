import assert from "node:assert/strict";
import { configureWasmKernels } from "../../../lib/kernels/wasm_kernels.ts";
import { tf } from "../../../lib/tf.ts";
import { uniformInput, valuesOn } from "../../kernel_helpers.ts";

Deno.test("wasm Concat and SplitV - equal the cpu backend's on every axis, odd sizes, empty pieces", async () => {
  configureWasmKernels({ blas: null });
  const cases: { shapes: number[][]; axis: number }[] = [
    { shapes: [[2, 5, 5, 16], [2, 5, 5, 16]], axis: 3 }, // the U-Net's skip connections
    { shapes: [[3, 4, 3], [3, 4, 5], [3, 4, 1]], axis: -1 },
    { shapes: [[3, 2, 7], [3, 5, 7]], axis: 1 },
    { shapes: [[2, 3], [4, 3]], axis: 0 },
    { shapes: [[2, 0, 3], [2, 4, 3]], axis: 1 }, // an empty piece
    { shapes: [[7], [2]], axis: 0 },
  ];
  for (const { shapes, axis } of cases) {
    const compute = () => {
      const joined = tf.concat(shapes.map((shape, i) => uniformInput(shape, i + 1)), axis);
      const sizes = shapes.map((shape) => shape.at(axis)!);
      return [joined, ...tf.split(joined, sizes, axis), ...tf.split(joined, [1, -1], axis)];
    };
    const expected = await valuesOn("cpu", compute);
    const actual = await valuesOn("wasm", compute);
    assert.deepEqual(actual, expected, `shapes ${JSON.stringify(shapes)} on axis ${axis}`);
  }
});

Deno.test("wasm Concat and SplitV - int32 goes to tfjs's kernels and stays int32", async () => {
  configureWasmKernels({ blas: null });
  await tf.setBackend("wasm");
  const joined = tf.concat([tf.tensor2d([[1], [2]], [2, 1], "int32"), tf.tensor2d([[3], [4]], [2, 1], "int32")], 1);
  const [left, right] = tf.split(joined, 2, 1);
  assert.deepEqual([joined.dtype, ...await joined.data()], ["int32", 1, 3, 2, 4]);
  assert.deepEqual([left.dtype, ...await left.data(), ...await right.data()], ["int32", 1, 2, 3, 4]);
  tf.dispose([joined, left, right]);
});
