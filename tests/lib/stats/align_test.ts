/** Curves on a common grid: exact on straight lines, never extrapolated, the union of steps when it is small. */
import assert from "node:assert/strict";
import { alignCurves, commonGrid, interpolate } from "../../../lib/stats/align.ts";
import { assertClose } from "../../helpers.ts";

Deno.test("align - interpolation is exact on a line, keeps logged values, and is NaN outside the curve", () => {
  const line = { x: [10, 20, 40], y: [1, 3, 7] }; // y = 0.2 x - 1
  const got = interpolate(line, [0, 10, 15, 20, 30, 40, 41]);
  assert.ok(Number.isNaN(got[0]) && Number.isNaN(got[6]), "no value before the first or after the last point");
  assertClose(got.slice(1, 6), [1, 2, 3, 5, 7], { rtol: 1e-12 });
  // Two values logged at one step: the later one is the curve's value there.
  assertClose(interpolate({ x: [0, 5, 5, 10], y: [0, 1, 2, 2] }, [5, 7.5]), [2, 2]);
});

Deno.test("align - seeds logged at the same steps keep them; a shorter curve counts up to its end only", () => {
  const { grid, values } = alignCurves([
    { x: [0, 100, 200], y: [0, 1, 2] },
    { x: [0, 100, 200, 300], y: [5, 6, 7, 8] },
  ]);
  assert.deepEqual([...grid], [0, 100, 200, 300]);
  assert.deepEqual([...values[0]], [0, 1, 2, NaN]);
  assert.deepEqual([...values[1]], [5, 6, 7, 8]);
});

Deno.test("align - many distinct steps give an even grid over the whole span", () => {
  const curves = [0, 1, 2].map((k) => {
    const x = Array.from({ length: 500 }, (_, i) => 3 * i + k); // interleaved: 1,500 distinct steps
    return { x, y: x.map((v) => 2 * v) };
  });
  const { grid, values } = alignCurves(curves, 100);
  assert.equal(grid.length, 100);
  assert.equal(grid[0], 0);
  assert.equal(grid[99], 1499);
  assertClose(grid[1] - grid[0], 1499 / 99, { rtol: 1e-12 });
  // Inside each curve the straight line y = 2x comes back exactly; past a curve's end, NaN.
  assertClose(values[1].slice(1, 99), grid.slice(1, 99).map((x) => 2 * x), { rtol: 1e-12 });
  assert.ok(Number.isNaN(values[0][0]) === false && Number.isNaN(values[1][0]), "curve 1 starts at step 1");
  assert.ok(Number.isNaN(values[0][99]) && Number.isNaN(values[1][99]) && values[2][99] === 2998);
  assert.throws(() => commonGrid(curves, 1), /maxPoints must be an integer >= 2, got 1/);
});
