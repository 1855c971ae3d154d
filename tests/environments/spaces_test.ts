import assert from "node:assert/strict";
import { Box, Discrete } from "../../environments/mod.ts";
import { Rng } from "../../lib/rng.ts";

Deno.test("spaces - Discrete holds the integers in [start, start + n) and nothing else", () => {
  const space = new Discrete(2);
  assert.deepEqual([0, 1].map((x) => space.contains(x)), [true, true]);
  for (const x of [2, -1, 0.5, NaN, "1", true, null, undefined, [0]]) assert.equal(space.contains(x), false, `${x}`);
  const shifted = new Discrete(3, { start: -1 });
  assert.deepEqual([-2, -1, 0, 1, 2].map((x) => shifted.contains(x)), [false, true, true, true, false]);
  assert.equal(String(space), "Discrete(2)");
  assert.equal(String(shifted), "Discrete(3, start=-1)");
  assert.throws(() => new Discrete(0), /n must be a positive integer, got 0/);
});

Deno.test("spaces - Discrete samples are seeded and cover every value", () => {
  const space = new Discrete(5, { start: 10 });
  space.seed(7);
  const first = Array.from({ length: 200 }, () => space.sample());
  space.seed(7);
  assert.deepEqual(Array.from({ length: 200 }, () => space.sample()), first);
  assert.deepEqual([...new Set(first)].sort(), [10, 11, 12, 13, 14]);
  const external = Array.from({ length: 50 }, ((rng) => () => space.sample(rng))(new Rng(1)));
  assert.deepEqual(external, Array.from({ length: 50 }, ((rng) => () => 10 + rng.int(5))(new Rng(1))));
});

Deno.test("spaces - Box holds arrays of its shape within its float32 bounds", () => {
  const box = new Box([-4.8, -Infinity], [4.8, Infinity]);
  assert.ok(box.contains(new Float32Array([4.8, 1e30])) && box.contains([-1, -1e30]));
  for (const x of [[5, 0], [0], [0, 0, 0], [0, NaN], "00", 0, null, [0, "0"]]) {
    assert.equal(box.contains(x), false, JSON.stringify(x));
  }
  assert.equal(String(box), "Box([-4.8, -inf], [4.8, inf], (2,), float32)");
  assert.equal(String(new Box(-2, 2, { shape: [1] })), "Box(-2.0, 2.0, (1,), float32)");
  assert.equal(String(new Box(0, 1, { shape: [2, 3] })), "Box(0.0, 1.0, (2, 3), float32)");
  assert.throws(() => new Box([1], [0]), /low\[0\] = 1 is above high\[0\] = 0/);
  assert.throws(() => new Box([0, 0], [1]), /high has 1 values, the shape holds 2/);
});

Deno.test("spaces - Box samples uniformly where bounded, normally where not, exponentially from one side", () => {
  const box = new Box([-1, -Infinity, 0, -Infinity], [1, Infinity, Infinity, 5]);
  box.seed(3);
  const n = 20_000;
  const samples = Array.from({ length: n }, () => box.sample());
  assert.ok(samples.every((x) => box.contains(x) && x instanceof Float32Array));
  const column = (j: number) => samples.map((x) => x[j]);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = (xs: number[]) => {
    const m = mean(xs);
    return mean(xs.map((x) => (x - m) ** 2));
  };
  assert.ok(Math.abs(mean(column(0))) < 0.02 && Math.abs(variance(column(0)) - 1 / 3) < 0.02, "uniform(-1, 1)");
  assert.ok(Math.abs(mean(column(1))) < 0.03 && Math.abs(variance(column(1)) - 1) < 0.05, "normal(0, 1)");
  assert.ok(Math.abs(mean(column(2)) - 1) < 0.03, "0 + exponential(1)");
  assert.ok(Math.abs(mean(column(3)) - 4) < 0.03, "5 - exponential(1)");
});
