/** LTTB: bounded output, first and last kept, spikes kept where striding would lose them. */
import assert from "node:assert/strict";
import { lttbIndices } from "../../../web/shared/downsample.ts";

Deno.test("downsample - keeps first and last, returns increasing indices, at most the target", () => {
  const xs = Array.from({ length: 10_000 }, (_, i) => i);
  const ys = xs.map((x) => Math.sin(x / 100));
  const kept = lttbIndices(xs, ys, 500);
  assert.equal(kept.length, 500);
  assert.equal(kept[0], 0);
  assert.equal(kept.at(-1), 9999);
  assert.ok(kept.every((k, i) => i === 0 || k > kept[i - 1]));
});

Deno.test("downsample - a one-point spike survives", () => {
  const xs = Array.from({ length: 10_000 }, (_, i) => i);
  const ys = xs.map((x) => (x === 4321 ? 1000 : 1));
  assert.ok(lttbIndices(xs, ys, 100).includes(4321));
  // Plain striding would have dropped it.
  assert.ok(!Array.from({ length: 100 }, (_, i) => Math.floor((i * 9999) / 99)).includes(4321));
});

Deno.test("downsample - short series are returned whole", () => {
  assert.deepEqual(lttbIndices([1, 2, 3], [1, 2, 3], 10), [0, 1, 2]);
  assert.deepEqual(lttbIndices([], [], 10), []);
});
