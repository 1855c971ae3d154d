/**
 * dense.wat's passes (lib/kernels/wasm_dense.ts): the fused dense layer's epilogue on blas (bias,
 * then ReLU or linear) bit for bit against BatchMatMul, Add and Relu on the same backend, SIMD rows
 * and odd widths alike.
 */
import assert from "node:assert/strict";
import { configureWasmKernels } from "../../../lib/kernels/wasm_kernels.ts";
import { tf } from "../../../lib/tf.ts";
import { systemBlasFor, uniformInput, valuesOn } from "../../kernel_helpers.ts";

const blas = systemBlasFor("dense epilogue tests");
const ignore = blas === null;

Deno.test({
  name: "wasm dense - blas's fused dense layer equals BatchMatMul, Add and Relu bit for bit",
  ignore,
  async fn() {
    configureWasmKernels({ blas });
    for (const [rows, inner, width] of [[64, 32, 256], [5, 3, 7], [3, 4, 2]]) {
      for (const activation of ["linear", "relu"] as const) {
        const a = () => uniformInput([rows, inner], rows);
        const b = () => uniformInput([inner, width], width);
        // a bias with NaN and -0 in it, so that ReLU's handling of both is compared too
        const bias = () => tf.tensor1d(Array.from({ length: width }, (_, j) => [NaN, -0][j] ?? Math.sin(j)));
        const [fused] = await valuesOn("wasm", () => [tf.fused.matMul({ a: a(), b: b(), bias: bias(), activation })]);
        const [composed] = await valuesOn("wasm", () => {
          const z = tf.add(tf.matMul(a(), b()), bias());
          return [activation === "relu" ? tf.relu(z) : z];
        });
        assert.deepEqual(
          Array.from(fused),
          Array.from(composed),
          `${activation} [${rows}, ${inner}] x [${inner}, ${width}]`,
        );
      }
    }
  },
});
