import assert from "node:assert/strict";
import { convInfo, foldAdd, patchLength, patchRows, unfold } from "../../../lib/kernels/im2col.ts";

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

Deno.test("im2col - folding adds each tap back where it came from (the adjoint of unfolding)", () => {
  // <unfold(x), p> = <x, foldAdd(p)> for any x and p
  const shape = [1, 5, 5, 2];
  const info = convInfo(shape, [3, 3, 2, 1], { strides: 1, pad: "same", dataFormat: "NHWC" });
  const x = Float32Array.from({ length: 50 }, (_, i) => Math.sin(i));
  const p = Float32Array.from({ length: patchRows(info) * patchLength(info) }, (_, i) => Math.cos(i));
  const unfolded = new Float32Array(p.length);
  unfold(info, x, unfolded);
  const folded = new Float32Array(x.length);
  foldAdd(info, p, folded);
  const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i], 0);
  assert.ok(Math.abs(dot(unfolded, p) - dot(x, folded)) < 1e-4);
});
