import { configureWasmKernels } from "../../../lib/kernels/wasm_kernels.ts";
import { tf } from "../../../lib/tf.ts";
import { assertClose } from "../../helpers.ts";
import { assertFusedConv2DMatchesCpu, systemBlasFor, uniformInput, valuesOn } from "../../kernel_helpers.ts";

const blas = systemBlasFor("BLAS conv tests");
const ignore = blas === null;

const CASES: { x: number[]; filter: number[]; stride: number; pad: "same" | "valid" }[] = [
  { x: [2, 9, 9, 1], filter: [3, 3, 1, 4], stride: 1, pad: "valid" }, // one input channel (a first layer)
  { x: [2, 9, 8, 3], filter: [3, 3, 3, 5], stride: 1, pad: "same" },
  { x: [3, 10, 10, 2], filter: [4, 4, 2, 6], stride: 2, pad: "same" }, // the DCGAN discriminator's
  { x: [1, 7, 7, 1], filter: [5, 5, 1, 2], stride: 2, pad: "valid" },
  // 36x36 rows of 400 taps per image: more than one chunk of patches, so the batch is split
  { x: [10, 40, 40, 16], filter: [5, 5, 16, 3], stride: 1, pad: "valid" },
];

Deno.test({
  name: "blas conv2d - the forward pass matches the cpu backend over strides, paddings, channels and chunked batches",
  ignore,
  async fn() {
    configureWasmKernels({ blas });
    for (const { x, filter, stride, pad } of CASES) {
      const compute =
        () => [tf.conv2d(uniformInput(x, 1) as tf.Tensor4D, uniformInput(filter, 2) as tf.Tensor4D, stride, pad)];
      const [expected] = await valuesOn("cpu", compute);
      const [actual] = await valuesOn("wasm", compute);
      assertClose(actual, expected, { rtol: 1e-4, atol: 1e-4 });
    }
  },
});

Deno.test({
  name: "blas conv2d - the fused inference kernel (bias, activations) matches the cpu backend",
  ignore,
  async fn() {
    configureWasmKernels({ blas });
    await assertFusedConv2DMatchesCpu();
  },
});
