import assert from "node:assert/strict";
import { decode } from "fast-png";
import { imageGridPng } from "../../lib/image_grid.ts";

Deno.test("image grid - tiles land in row-major order with a border, as 8-bit grey PNG", () => {
  // Five 2x3 images, image n filled with n/4 (so 0, 64, 128, 191, 255 after scaling).
  const pixels = Float32Array.from({ length: 5 * 6 }, (_, i) => Math.floor(i / 6) / 4);
  const png = imageGridPng(pixels, { columns: 3, height: 2, width: 3 });
  assert.equal(png.width, 3 * 4 + 1);
  assert.equal(png.height, 2 * 3 + 1);
  const image = decode(png.bytes);
  assert.equal(image.channels, 1);
  assert.equal(image.width, png.width);
  const at = (x: number, y: number) => image.data[y * image.width + x];
  assert.equal(at(1, 1), 0); // image 0, top-left pixel
  assert.equal(at(5, 1), 64); // image 1
  assert.equal(at(1 + 8, 2), 128); // image 2, second row of its tile
  assert.equal(at(1 + 4, 4), 255); // image 4: second grid row, second column
  assert.equal(at(0, 0), 128); // border
  assert.equal(at(1 + 8, 4), 128); // the empty sixth tile stays border-grey
});

Deno.test("image grid - values are clipped to [0, 1] and a wrong size is refused", () => {
  const png = imageGridPng(Float32Array.from([-1, 2]), { columns: 1, height: 1, width: 2, padding: 0 });
  assert.deepEqual([...decode(png.bytes).data], [0, 255]);
  assert.throws(() => imageGridPng(new Float32Array(7), { columns: 1, height: 2, width: 3 }), /multiple of 2x3/);
});
