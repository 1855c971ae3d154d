import assert from "node:assert/strict";
import { convInfo, foldAdd, patchLength, patchRows, unfold } from "../../../lib/kernels/im2col.ts";
import { assertClose } from "../../helpers.ts";

/** The patches by definition: row (b, oh, ow), tap (kh, kw, c) is x[b, oh*s + kh - top, ow*s + kw - left, c] or 0. */
function naivePatches(x: Float32Array, shape: number[], info: ReturnType<typeof convInfo>): number[] {
  const [, h, w, c] = shape;
  const out: number[] = [];
  for (let b = 0; b < info.batchSize; b++) {
    for (let oh = 0; oh < info.outHeight; oh++) {
      for (let ow = 0; ow < info.outWidth; ow++) {
        for (let kh = 0; kh < info.filterHeight; kh++) {
          for (let kw = 0; kw < info.filterWidth; kw++) {
            for (let k = 0; k < c; k++) {
              const ih = oh * info.strideHeight + kh - info.padInfo.top;
              const iw = ow * info.strideWidth + kw - info.padInfo.left;
              out.push(ih < 0 || ih >= h || iw < 0 || iw >= w ? 0 : x[((b * h + ih) * w + iw) * c + k]);
            }
          }
        }
      }
    }
  }
  return out;
}

Deno.test("im2col - unfolding in one heap (copyWithin) and across buffers both give the patches by definition", () => {
  const shape = [2, 6, 5, 3];
  const info = convInfo(shape, [3, 3, 3, 4], { strides: 2, pad: "same", dataFormat: "NHWC" });
  const size = shape.reduce((a, b) => a * b);
  const heap = new Float32Array(size + patchRows(info) * patchLength(info) + 7);
  const x = heap.subarray(3, 3 + size); // odd offsets, as tensors sit anywhere in the wasm heap
  x.forEach((_, i) => (x[i] = i + 1));
  const shared = heap.subarray(3 + size, 3 + size + patchRows(info) * patchLength(info)).fill(NaN);
  unfold(info, x, shared);
  const separate = new Float32Array(shared.length).fill(NaN);
  unfold(info, x, separate);
  const expected = naivePatches(x, shape, info);
  assert.deepEqual(Array.from(shared), expected);
  assert.deepEqual(Array.from(separate), expected);
});

Deno.test("im2col - folding adds each tap back where it came from (the adjoint of unfolding), over channel counts", () => {
  // <unfold(x), p> = <x, foldAdd(p)> for any x and p; 1, 6 and 8 channels cover fold_add.wat's
  // one-at-a-time loop, its four-wide loop with a tail, and the four-wide loop alone.
  for (const channels of [1, 6, 8]) {
    const shape = [2, 5, 6, channels];
    const info = convInfo(shape, [3, 3, channels, 1], { strides: 2, pad: "same", dataFormat: "NHWC" });
    const size = shape.reduce((a, b) => a * b);
    const x = Float32Array.from({ length: size }, (_, i) => Math.sin(i));
    const memory = new WebAssembly.Memory({ initial: 1 });
    const patchesAt = 12; // unaligned, as tensors may lie anywhere in the heap
    const p = new Float32Array(memory.buffer, patchesAt, patchRows(info) * patchLength(info));
    p.forEach((_, i) => (p[i] = Math.cos(i)));
    const foldedAt = patchesAt + p.byteLength + 4;
    new Float32Array(memory.buffer, foldedAt, size).fill(NaN); // foldAdd zeroes it first
    foldAdd(info, memory, patchesAt, foldedAt);
    const folded = new Float32Array(memory.buffer, foldedAt, size);
    const unfolded = new Float32Array(p.length);
    unfold(info, x, unfolded);
    const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i], 0);
    assertClose([dot(x, folded)], [dot(unfolded, p)], { rtol: 1e-5, atol: 1e-4 });
  }
});
