import { type ConvGeometry, type ConvKind, type OneDnn, openOneDnn } from "../../../lib/kernels/onednn.ts";
import { openSystemBlas } from "../../../lib/kernels/system_blas.ts";
import { configureWasmKernels } from "../../../lib/kernels/wasm_kernels.ts";
import { tf } from "../../../lib/tf.ts";
import { assertClose } from "../../helpers.ts";
import {
  assertConvTrainingStepLeavesNoBuffer,
  assertFusedConv2DMatchesCpu,
  uniformInput,
  valuesOn,
} from "../../kernel_helpers.ts";
import assert from "node:assert/strict";

const [blas, onednn] = [openSystemBlas(), openOneDnn()];
const ignore = !blas || !onednn; // CI installs libopenblas0-pthread and libdnnl2; elsewhere skipped, saying why
if (ignore) console.warn("no system BLAS or no oneDNN (apt-get install libopenblas0-pthread libdnnl2): skipped");

/** `onednn`, counting the convolutions it runs itself (a kernel it has none for falls back silently). */
function counting(inner: OneDnn) {
  const ran: ConvKind[] = [];
  const counted: OneDnn = {
    ...inner,
    convolution(kind: ConvKind, geometry: ConvGeometry) {
      const convolution = inner.convolution(kind, geometry);
      return convolution && { ...convolution, run: (...args) => (ran.push(kind), convolution.run(...args)) };
    },
  };
  return { counted, ran };
}

const CASES: { x: number[]; filter: number[]; stride: number; pad: "same" | "valid" }[] = [
  { x: [2, 9, 9, 1], filter: [3, 3, 1, 4], stride: 1, pad: "valid" }, // one input channel (a first layer)
  { x: [2, 9, 8, 3], filter: [3, 3, 3, 5], stride: 1, pad: "same" },
  { x: [3, 10, 10, 2], filter: [4, 4, 2, 6], stride: 2, pad: "same" }, // the DCGAN discriminator's
  { x: [1, 7, 7, 1], filter: [5, 5, 1, 2], stride: 2, pad: "valid" },
  { x: [2, 8, 7, 6], filter: [3, 3, 6, 4], stride: 2, pad: "same" }, // odd sizes: uneven padding
  { x: [4, 14, 14, 32], filter: [3, 3, 32, 16], stride: 1, pad: "same" }, // a U-Net block's (blocked layouts)
];

Deno.test({
  name: "oneDNN conv2d - the forward pass and both gradients match the cpu backend, and oneDNN ran them",
  ignore,
  async fn() {
    const { counted, ran } = counting(onednn!);
    configureWasmKernels({ blas, onednn: counted });
    for (const { x, filter, stride, pad } of CASES) {
      const compute = () => {
        const conv = (xs: tf.Tensor, w: tf.Tensor) => tf.conv2d(xs as tf.Tensor4D, w as tf.Tensor4D, stride, pad);
        const [xs, w] = [uniformInput(x, 1), uniformInput(filter, 2)];
        return [conv(xs, w), ...tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(conv(a, b))))([xs, w])];
      };
      const expected = await valuesOn("cpu", compute);
      ran.length = 0;
      const actual = await valuesOn("wasm", compute);
      assert.deepEqual(ran.toSorted(), ["backwardData", "backwardWeights", "forward", "forward"], `${x} * ${filter}`);
      for (const i of [0, 1, 2]) assertClose(actual[i], expected[i], { rtol: 1e-4, atol: 1e-4 }); // y, dx, dw
    }
  },
});

Deno.test({
  name: "oneDNN conv2d - a transposed convolution (DCGAN's generator) and its gradients match the cpu backend",
  ignore,
  async fn() {
    const { counted, ran } = counting(onednn!);
    configureWasmKernels({ blas, onednn: counted });
    const compute = () => {
      const up = (z: tf.Tensor, w: tf.Tensor) =>
        tf.conv2dTranspose(z as tf.Tensor4D, w as tf.Tensor4D, [3, 14, 14, 8], 2, "same");
      const [z, w] = [uniformInput([3, 7, 7, 16], 3), uniformInput([4, 4, 8, 16], 4)];
      return [up(z, w), ...tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(up(a, b))))([z, w])];
    };
    const expected = await valuesOn("cpu", compute);
    const actual = await valuesOn("wasm", compute);
    assert.ok(ran.includes("backwardData") && ran.includes("forward") && ran.includes("backwardWeights"));
    for (const i of [0, 1, 2]) assertClose(actual[i], expected[i], { rtol: 1e-4, atol: 1e-4 });
  },
});

Deno.test({
  name: "oneDNN conv2d - the fused inference kernel (bias, activations) matches the cpu backend",
  ignore,
  async fn() {
    configureWasmKernels({ blas, onednn });
    await assertFusedConv2DMatchesCpu();
  },
});

Deno.test({
  name: "oneDNN conv2d - the same inputs give the same outputs, bit for bit (seeded runs reproduce)",
  ignore,
  async fn() {
    configureWasmKernels({ blas, onednn });
    const compute = () => {
      const [x, w] = [uniformInput([8, 28, 28, 16], 6), uniformInput([3, 3, 16, 16], 7)];
      return tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, "same")))
      )([x, w]);
    };
    const first = await valuesOn("wasm", compute);
    const second = await valuesOn("wasm", compute);
    assert.deepEqual(second, first);
  },
});

Deno.test({
  name: "oneDNN conv2d - a training step leaves no buffer behind",
  ignore,
  async fn() {
    configureWasmKernels({ blas, onednn });
    await assertConvTrainingStepLeavesNoBuffer();
  },
});
