/**
 * The 2-D latent views: the scatter plot's pixels at known coordinates (decoded back from the PNG),
 * its legend and extent, and the manifold lattice against tabulated normal quantiles.
 */
import assert from "node:assert/strict";
import { decode } from "fast-png";
import { CLASS_COLOURS, latentMapLayout, latentMapPng, manifoldCodes, normalQuantile } from "../../lib/latent_map.ts";
import { assertClose } from "../helpers.ts";

/** The decoded RGB image with a pixel reader. */
function pixels(png: { bytes: Uint8Array }) {
  const image = decode(png.bytes);
  assert.equal(image.channels, 3);
  const at = (x: number, y: number) =>
    Array.from(image.data.subarray((y * image.width + x) * 3, (y * image.width + x) * 3 + 3));
  return { image, at };
}

/** How many pixels of the plot area have this colour. */
function countInPlot(at: (x: number, y: number) => number[], size: number, colour: readonly number[]) {
  const { left, top } = latentMapLayout(size);
  let count = 0;
  for (let y = top; y < top + size; y++) {
    for (let x = left; x < left + size; x++) if (at(x, y).every((v, i) => v === colour[i])) count++;
  }
  return count;
}

Deno.test("latent_map - each point is a 3x3 dot of its class colour where its coordinates fall", () => {
  // extent 2 on 400 px: 100 px per unit, z = 0 at pixel 200 from the plot's top-left corner.
  const points = Float32Array.from([0, 0, 1, -1, -1.99, 1.99, 0.5, 0.5, 0.5, 0.5, 5, 0]);
  const labels = [3, 7, 0, 1, 2, 9];
  const png = latentMapPng(points, labels, { size: 400, extent: 2 });
  const { left, top, width, height } = latentMapLayout(400);
  const { image, at } = pixels(png);
  assert.deepEqual([image.width, image.height, png.width, png.height], [width, height, width, height]);

  assert.deepEqual(at(left + 200, top + 200), CLASS_COLOURS[3]); // (0, 0)
  assert.deepEqual(at(left + 300, top + 300), CLASS_COLOURS[7]); // (1, -1): right of and below the centre
  assert.deepEqual(at(left + 1, top + 1), CLASS_COLOURS[0]); // (-1.99, 1.99): the top-left corner
  assert.deepEqual(at(left + 250, top + 150), CLASS_COLOURS[2], "a later point covers an earlier one");
  assert.equal(countInPlot(at, 400, CLASS_COLOURS[3]), 9);
  assert.equal(countInPlot(at, 400, CLASS_COLOURS[1]), 0);
  assert.equal(countInPlot(at, 400, CLASS_COLOURS[9]), 0, "a point outside the extent is left out");
  assert.deepEqual(at(left + 50, top + 50), [255, 255, 255], "background between grid lines");
});

Deno.test("latent_map - the legend shows the ten class colours in digit order", () => {
  const png = latentMapPng(new Float32Array(2), [0], { size: 200, extent: 1 });
  const { legendLeft, top } = latentMapLayout(200);
  const { at } = pixels(png);
  const swatches = CLASS_COLOURS.map((_, digit) => at(legendLeft + 2, top + digit * 20 + 2));
  assert.deepEqual(swatches, CLASS_COLOURS.map((c) => [...c]));
  assert.equal(new Set(swatches.map(String)).size, 10);
});

Deno.test("latent_map - the default extent is the 99.5th percentile of |z| rounded up, not the outlier", () => {
  // 400 points with |z| up to 2.3 and one at 40: the plot spans [-3, 3], so (2.5, 0) is drawn at 366 px.
  const coords = Array.from({ length: 400 }, (_, i) => [(i % 24) / 10 - 2.3, 0.1]).flat();
  const points = Float32Array.from([...coords, 40, 40, 2.5, 0]);
  const labels = [...Array(400).fill(0), 1, 4];
  const { at } = pixels(latentMapPng(points, labels, { size: 400 }));
  const { left, top } = latentMapLayout(400);
  assert.deepEqual(at(left + Math.floor((5.5 / 6) * 400), top + 200), CLASS_COLOURS[4]);
  assert.throws(() => latentMapPng(new Float32Array(3), [0]), /expected 1 \(z1, z2\) pairs .* got 3 values/);
});

Deno.test("latent_map - normalQuantile inverts the normal CDF at tabulated values", () => {
  // Phi(x) for x = -2.5, -2, 1, 2, 3 (to 16 digits, from erfc).
  const table: [number, number][] = [
    [0.006209665325776132, -2.5],
    [0.022750131948179195, -2],
    [0.5, 0],
    [0.8413447460685429, 1],
    [0.9772498680518208, 2],
    [0.9986501019683699, 3],
  ];
  assertClose(table.map(([p]) => normalQuantile(p)), table.map(([, x]) => x), { atol: 1e-8 });
  assert.throws(() => normalQuantile(1), /expected p in \(0, 1\), got 1/);
});

Deno.test("latent_map - the manifold lattice runs over Gaussian quantiles, z1 left to right, z2 top to bottom", () => {
  const side = 20;
  const codes = manifoldCodes(side);
  assert.equal(codes.length, side * side * 2);
  const code = (row: number, column: number) =>
    Array.from(codes.subarray(2 * (row * side + column), 2 * (row * side + column) + 2));
  const q = 1.959963984540054; // Phi^-1(0.975): the outermost quantiles are (0.5 / 20, 19.5 / 20)
  assertClose(code(0, 0), [-q, q], { atol: 1e-6 });
  assertClose(code(side - 1, side - 1), [q, -q], { atol: 1e-6 });
  for (let i = 0; i < side; i++) {
    assert.equal(code(i, 7)[1], code(i, 0)[1], "z2 is constant along a row");
    assert.equal(code(7, i)[0], code(0, i)[0], "z1 is constant down a column");
    assert.equal(code(0, i)[0], -code(0, side - 1 - i)[0], "symmetric about 0");
  }
});
