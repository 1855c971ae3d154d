import { openSystemBlas } from "../../../lib/kernels/system_blas.ts";
import { configureWasmKernels } from "../../../lib/kernels/wasm_kernels.ts";
import { tf } from "../../../lib/tf.ts";
import { assertClose } from "../../helpers.ts";
import { assertConvTrainingStepLeavesNoBuffer, uniformInput, valuesOn } from "../../kernel_helpers.ts";

// The im2col products run on whichever BatchMatMul is installed: check both kernel sets.
const kernelSets = [{ name: "portable", blas: null }, { name: "system BLAS", blas: openSystemBlas() }];

Deno.test("wasm conv2d gradients - filter and input gradients match the cpu backend over strides, paddings and shapes", async () => {
  for (const { blas } of kernelSets) {
    configureWasmKernels({ blas });
    await checkConvGradients();
  }
});

async function checkConvGradients() {
  const cases: { x: number[]; filter: number[]; stride: number; pad: "same" | "valid" }[] = [
    { x: [2, 9, 9, 3], filter: [3, 3, 3, 4], stride: 1, pad: "valid" },
    { x: [2, 9, 8, 3], filter: [3, 3, 3, 5], stride: 1, pad: "same" },
    { x: [3, 10, 10, 2], filter: [4, 4, 2, 6], stride: 2, pad: "same" },
    { x: [1, 7, 7, 1], filter: [5, 5, 1, 2], stride: 2, pad: "valid" },
    { x: [2, 8, 7, 6], filter: [3, 3, 6, 4], stride: 2, pad: "same" }, // input gradient four floats at a time, and a tail
  ];
  for (const { x, filter, stride, pad } of cases) {
    const compute = () => {
      const grad = tf.grads((xs: tf.Tensor, w: tf.Tensor) =>
        tf.sum(tf.square(tf.conv2d(xs as tf.Tensor4D, w as tf.Tensor4D, stride, pad)))
      );
      return grad([uniformInput(x, 1), uniformInput(filter, 2)]);
    };
    const [dxCpu, dwCpu] = await valuesOn("cpu", compute);
    const [dxWasm, dwWasm] = await valuesOn("wasm", compute);
    assertClose(dwWasm, dwCpu, { rtol: 1e-4, atol: 1e-4 });
    assertClose(dxWasm, dxCpu, { rtol: 1e-4, atol: 1e-4 });
  }
}

Deno.test("wasm conv2d gradients - a training step leaves no buffer behind", async () => {
  configureWasmKernels({ blas: null });
  await assertConvTrainingStepLeavesNoBuffer();
});
