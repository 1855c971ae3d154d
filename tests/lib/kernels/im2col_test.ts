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

/** A wasm memory holding `values` at an unaligned byte offset, as tensors may lie anywhere in tfjs's heap. */
function heapWith(...arrays: (Float32Array | number)[]): { memory: WebAssembly.Memory; views: Float32Array[] } {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const views: Float32Array[] = [];
  let next = 12;
  for (const values of arrays) {
    const length = typeof values === "number" ? values : values.length;
    const view = new Float32Array(memory.buffer, next, length).fill(NaN); // what a kernel must overwrite
    if (typeof values !== "number") view.set(values);
    views.push(view);
    next += length * 4 + 4;
  }
  return { memory, views };
}

Deno.test("im2col - unfolding gives the patches by definition, over channel counts, strides and paddings", () => {
  // 1, 6 and 8 channels: runs of one float, of four-float blocks and a tail, and of blocks alone
  for (const [channels, stride, pad] of [[1, 2, "same"], [6, 1, "valid"], [8, 2, "same"], [3, 3, "same"]] as const) {
    const shape = [2, 6, 5, channels];
    const info = convInfo(shape, [3, 3, channels, 4], { strides: stride, pad, dataFormat: "NHWC" });
    const x = Float32Array.from({ length: shape.reduce((a, b) => a * b) }, (_, i) => i + 1);
    const length = patchRows(info) * patchLength(info);
    const { memory, views: [xs, patches] } = heapWith(x, length);
    unfold(info, memory, xs, patches);
    assert.deepEqual(
      Array.from(patches),
      naivePatches(x, shape, info),
      `${channels} channels, stride ${stride}, ${pad}`,
    );
  }
});

Deno.test("im2col - folding adds each tap back where it came from (the adjoint of unfolding), over channel counts", () => {
  // <unfold(x), p> = <x, foldAdd(p)> for any x and p; 1, 6 and 8 channels cover im2col.wat's
  // one-at-a-time loop, its four-wide loop with a tail, and the four-wide loop alone.
  for (const channels of [1, 6, 8]) {
    const shape = [2, 5, 6, channels];
    const info = convInfo(shape, [3, 3, channels, 1], { strides: 2, pad: "same", dataFormat: "NHWC" });
    const size = shape.reduce((a, b) => a * b);
    const x = Float32Array.from({ length: size }, (_, i) => Math.sin(i));
    const p = Float32Array.from({ length: patchRows(info) * patchLength(info) }, (_, i) => Math.cos(i));
    const { memory, views: [xs, ps, unfolded, folded] } = heapWith(x, p, p.length, size);
    unfold(info, memory, xs, unfolded);
    foldAdd(info, memory, ps, folded);
    const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i], 0);
    assertClose([dot(x, folded)], [dot(unfolded, p)], { rtol: 1e-5, atol: 1e-4 });
  }
});
