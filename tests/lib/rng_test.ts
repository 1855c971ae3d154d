import assert from "node:assert/strict";
import { deriveSeed, Rng } from "../../lib/rng.ts";

const draw = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.nextUint32());

Deno.test("rng - the same seed gives the same stream, another seed another", () => {
  assert.deepEqual(draw(new Rng(42), 100), draw(new Rng(42), 100));
  assert.notDeepEqual(draw(new Rng(42), 100), draw(new Rng(43), 100));
});

Deno.test("rng - a saved state continues the stream exactly", () => {
  const rng = new Rng(7);
  draw(rng, 17);
  const restored = Rng.fromState(rng.state());
  assert.deepEqual(draw(restored, 50), draw(rng, 50));
  assert.throws(() => Rng.fromState([1, 2, 3] as unknown as [number, number, number, number]), /4 integers/);
});

Deno.test("rng - uniform and normal draws have the right moments", () => {
  const rng = new Rng(1);
  const n = 100_000;
  const u = Array.from({ length: n }, () => rng.uniform());
  const z = Array.from({ length: n }, () => rng.normal());
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = (xs: number[]) => {
    const m = mean(xs);
    return mean(xs.map((x) => (x - m) ** 2));
  };
  assert.ok(u.every((x) => x >= 0 && x < 1));
  assert.ok(Math.abs(mean(u) - 0.5) < 0.005, `uniform mean ${mean(u)}`);
  assert.ok(Math.abs(variance(u) - 1 / 12) < 0.002, `uniform variance ${variance(u)}`);
  assert.ok(Math.abs(mean(z)) < 0.01, `normal mean ${mean(z)}`);
  assert.ok(Math.abs(variance(z) - 1) < 0.02, `normal variance ${variance(z)}`);
});

Deno.test("rng - a permutation holds every index once and is not the identity", () => {
  const order = new Rng(3).permutation(1000);
  assert.deepEqual([...order].sort((a, b) => a - b), Array.from({ length: 1000 }, (_, i) => i));
  assert.ok(order.some((v, i) => v !== i));
});

Deno.test("rng - derived seeds differ by stream name and by seed", () => {
  const seeds = new Set([
    deriveSeed(1, "noise"),
    deriveSeed(1, "init"),
    deriveSeed(2, "noise"),
    deriveSeed(1, "shuffle-0"),
  ]);
  assert.equal(seeds.size, 4);
  assert.equal(deriveSeed(1, "noise"), deriveSeed(1, "noise"));
});
