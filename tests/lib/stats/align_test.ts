/** Curves on a common grid: exact on straight lines, never extrapolated, the union of steps when it is small. */
import assert from "node:assert/strict";
import { alignCurves, commonGrid, interpolate } from "../../../lib/stats/align.ts";
import { assertClose } from "../../helpers.ts";

Deno.test("align - interpolation is exact on a line, keeps logged values, and is NaN beyond the curve's reach", () => {
  const line = { x: [10, 20, 40], y: [1, 3, 7] }; // y = 0.2 x - 1
  const { values: got, exact } = interpolate(line, [0, 10, 15, 20, 30, 40, 41]);
  assert.equal(exact, false);
  assert.ok(Number.isNaN(got[0]) && Number.isNaN(got[6]), "no value before the first or after the last point");
  assertClose(got.slice(1, 6), [1, 2, 3, 5, 7], { rtol: 1e-12 });
  // Two values logged at one step: the later one is the curve's value there.
  assertClose(interpolate({ x: [0, 5, 5, 10], y: [0, 1, 2, 2] }, [5, 7.5]).values, [2, 2]);
  assert.equal(interpolate(line, [0, 10, 40, 50]).exact, true, "only logged values (and gaps) are exact");
  const reached = interpolate(line, [7, 8, 42, 43], { reach: 2 });
  assert.deepEqual([...reached.values], [NaN, 1, 7, NaN], "within reach of an end, that end's value");
});

Deno.test("align - seeds logged at the same steps keep them; a shorter curve counts up to its end only", () => {
  const { grid, values, interpolated } = alignCurves([
    { x: [0, 100, 200], y: [0, 1, 2] },
    { x: [0, 100, 200, 300], y: [5, 6, 7, 8] },
  ]);
  assert.equal(interpolated, 0);
  assert.deepEqual([...grid], [0, 100, 200, 300]);
  assert.deepEqual([...values[0]], [0, 1, 2, NaN]);
  assert.deepEqual([...values[1]], [5, 6, 7, 8]);
});

Deno.test("align - many distinct steps give an even grid over the whole span", () => {
  const curves = [0, 1, 2].map((k) => {
    const x = Array.from({ length: 500 }, (_, i) => 3 * i + k); // interleaved: 1,500 distinct steps
    return { x, y: x.map((v) => 2 * v) };
  });
  const { grid, values, interpolated } = alignCurves(curves, 100);
  assert.equal(interpolated, 3);
  assert.equal(grid.length, 100);
  assert.equal(grid[0], 0);
  assert.equal(grid[99], 1499);
  assertClose(grid[1] - grid[0], 1499 / 99, { rtol: 1e-12 });
  // Inside each curve the straight line y = 2x comes back exactly; past a curve's end, NaN.
  assertClose(values[1].slice(1, 99), grid.slice(1, 99).map((x) => 2 * x), { rtol: 1e-12 });
  // Each step of an even grid stands for the half spacing around it: curves that end at 1497, 1498
  // and 1499 all count at the last step, with their last values, as do those starting at 0, 1, 2.
  assertClose(values.map((v) => v[99]), [2994, 2996, 2998]);
  assertClose(values.map((v) => v[0]), [0, 2, 4]);
  assert.throws(() => commonGrid(curves, 1), /maxPoints must be an integer >= 2, got 1/);
});
