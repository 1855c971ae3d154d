/**
 * Every native entry point (the system BLAS, oneDNN, the project's wasm kernels) refuses buffers
 * smaller than the shapes it is given, before it runs: handed such a shape, native code would
 * read or write past the buffer, into whatever follows it in the heap.
 */
import assert from "node:assert/strict";
import { openOneDnn } from "../../../lib/kernels/onednn.ts";
import { openSystemBlas } from "../../../lib/kernels/system_blas.ts";
import { convInfo, foldAdd, unfold } from "../../../lib/kernels/im2col.ts";
import { configureWasmKernels } from "../../../lib/kernels/wasm_kernels.ts";
import { tf } from "../../../lib/tf.ts";

const blas = openSystemBlas();
const onednn = blas && openOneDnn();

Deno.test({
  name: "native bounds - BLAS's sgemm refuses an A, B or C smaller than its matrix",
  ignore: blas === null,
  fn() {
    const shape = { m: 3, n: 4, k: 5, transposeA: false, transposeB: true };
    const [a, b, c] = [new Float32Array(15), new Float32Array(20), new Float32Array(12)];
    blas!.sgemm(a, b, c, shape); // the right sizes run
    assert.throws(() => blas!.sgemm(a.subarray(1), b, c, shape), /sgemm: A \[3,5\]: needs 15 floats.*holds 14/);
    assert.throws(() => blas!.sgemm(a, b.subarray(4), c, shape), /sgemm: B \[4,5\]: needs 20 floats.*holds 16/);
    assert.throws(() => blas!.sgemm(a, b, c.subarray(0, 11), shape), /sgemm: C \[3,4\]: needs 12 floats/);
    assert.throws(() => blas!.sgemm(a, b, c, { ...shape, m: -1 }), /not a valid size/);
  },
});

Deno.test({
  name: "native bounds - oneDNN's convolutions refuse an input, filter or output smaller than the geometry",
  ignore: !onednn,
  fn() {
    const geometry = {
      batch: 2,
      inHeight: 5,
      inWidth: 5,
      inChannels: 3,
      outHeight: 5,
      outWidth: 5,
      outChannels: 4,
      filterHeight: 3,
      filterWidth: 3,
      strideHeight: 1,
      strideWidth: 1,
      padTop: 1,
      padLeft: 1,
      padBottom: 1,
      padRight: 1,
    };
    const [x, w, y] = [new Float32Array(2 * 25 * 3), new Float32Array(9 * 3 * 4), new Float32Array(2 * 25 * 4)];
    const short = (a: Float32Array) => a.subarray(1);
    const forward = onednn!.convolution("forward", geometry)!;
    forward.run(x, w, y);
    assert.throws(() => forward.run(short(x), w, y), /oneDNN forward: x \[2,5,5,3\]: needs 150 floats/);
    assert.throws(() => forward.run(x, short(w), y), /oneDNN forward: filter/);
    assert.throws(() => forward.run(x, w, short(y)), /oneDNN forward: y/);
    const data = onednn!.convolution("backwardData", geometry)!;
    assert.throws(() => data.run(short(y), w, x), /oneDNN backwardData: y/);
    assert.throws(() => data.run(y, w, short(x)), /oneDNN backwardData: x/);
    const weights = onednn!.convolution("backwardWeights", geometry)!;
    assert.throws(() => weights.run(x, y, short(w)), /oneDNN backwardWeights: filter/);
    assert.throws(() => weights.run(x, short(y), w), /oneDNN backwardWeights: y/);
  },
});

Deno.test("native bounds - im2col's unfold and fold refuse views smaller than the geometry, or outside its memory", () => {
  const info = convInfo([1, 4, 4, 2], [3, 3, 2, 1], { strides: 1, pad: "same", dataFormat: "NHWC" });
  const memory = new WebAssembly.Memory({ initial: 1 });
  const x = new Float32Array(memory.buffer, 0, 32);
  const patches = new Float32Array(memory.buffer, 256, 16 * 18);
  unfold(info, memory, x, patches);
  foldAdd(info, memory, patches, x);
  assert.throws(() => unfold(info, memory, x.subarray(1), patches), /im2col unfold: input \[1,4,4,2\]: needs 32/);
  assert.throws(() => unfold(info, memory, x, patches.subarray(2)), /im2col unfold: patches: needs 288/);
  assert.throws(() => foldAdd(info, memory, patches, x.subarray(0, 31)), /im2col foldAdd: output/);
  assert.throws(() => unfold(info, memory, new Float32Array(32), patches), /views of the wasm memory/);
});

Deno.test("native bounds - wasm MaxPoolGrad and the fused Adam refuse a gradient of another shape", async () => {
  configureWasmKernels({ blas: null });
  await tf.setBackend("wasm");
  const x = tf.zeros([1, 4, 4, 1]);
  const maxPoolGrad = (dy: tf.Tensor) =>
    tf.engine().runKernel("MaxPoolGrad", { dy, input: x, output: x }, { filterSize: 2, strides: 2, pad: "valid" });
  tf.dispose(maxPoolGrad(tf.zeros([1, 2, 2, 1])) as tf.Tensor);
  assert.throws(
    () => maxPoolGrad(tf.zeros([1, 4, 4, 1])),
    /MaxPoolGrad: dy float32 \[1,4,4,1\] must be .* \[1,2,2,1\]/,
  );
  const v = tf.zeros([3]);
  const adam = (gradient: tf.Tensor) =>
    tf.engine().runKernel("TflabFusedAdam", { value: v, m: v, v, gradient, beta1Power: v, beta2Power: v }, {
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
      learningRate: 0.1,
    });
  assert.throws(
    () => adam(tf.zeros([4])),
    /TflabFusedAdam: expected float32 tensors of shape \[3\], got float32 \[4\]/,
  );
  tf.dispose([x, v]);
});
