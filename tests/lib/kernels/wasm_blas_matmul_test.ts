import assert from "node:assert/strict";
import { configureWasmKernels } from "../../../lib/kernels/wasm_kernels.ts";
import { tf } from "../../../lib/tf.ts";
import { assertClose } from "../../helpers.ts";
import { systemBlasFor, uniformInput, valuesOn } from "../../kernel_helpers.ts";

const blas = systemBlasFor("BLAS kernel tests");
const ignore = blas === null;

Deno.test({
  name: "blas matmul - transposes, batches and broadcast batches match the cpu backend",
  ignore,
  async fn() {
    configureWasmKernels({ blas });
    const cases: [number[], number[], boolean, boolean][] = [
      [[5, 7], [7, 4], false, false],
      [[7, 5], [7, 4], true, false],
      [[5, 7], [4, 7], false, true],
      [[7, 5], [4, 7], true, true],
      [[3, 5, 7], [3, 7, 4], false, false],
      [[3, 7, 5], [1, 4, 7], true, true], // b broadcast over the batch
    ];
    for (const [aShape, bShape, ta, tb] of cases) {
      const compute = () => [tf.matMul(uniformInput(aShape, 1), uniformInput(bShape, 2), ta, tb)];
      const [expected] = await valuesOn("cpu", compute);
      const [actual] = await valuesOn("wasm", compute);
      assertClose(actual, expected, { rtol: 1e-5, atol: 1e-5 });
    }
  },
});

Deno.test({
  name: "blas matmul - fused dense layers (bias, activations) and their gradients match the cpu backend",
  ignore,
  async fn() {
    configureWasmKernels({ blas });
    for (const activation of ["linear", "relu", "sigmoid", "elu"] as const) {
      const compute = () => {
        const f = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.square(tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias: b, activation })));
        return [
          tf.fused.matMul({
            a: uniformInput([6, 9], 3) as tf.Tensor2D,
            b: uniformInput([9, 4], 4) as tf.Tensor2D,
            bias: uniformInput([4], 5),
            activation,
          }),
          ...tf.grads(f)([uniformInput([6, 9], 3), uniformInput([9, 4], 4), uniformInput([4], 5)]),
        ];
      };
      const expected = await valuesOn("cpu", compute);
      const actual = await valuesOn("wasm", compute);
      expected.forEach((e, i) => assertClose(actual[i], e, { rtol: 1e-4, atol: 1e-5 }));
    }
  },
});

Deno.test({
  name: "blas matmul - switching kernel sets in one process restores wasm's own",
  ignore,
  async fn() {
    configureWasmKernels({ blas });
    const withBlas = tf.getKernel("BatchMatMul", "wasm")!.kernelFunc;
    configureWasmKernels({ blas: null });
    assert.notEqual(tf.getKernel("BatchMatMul", "wasm")!.kernelFunc, withBlas);
    const compute = () => [tf.matMul(uniformInput([4, 3], 1), uniformInput([4, 2], 2), true, false)];
    assertClose((await valuesOn("wasm", compute))[0], (await valuesOn("cpu", compute))[0], { rtol: 1e-5, atol: 1e-5 });
  },
});
