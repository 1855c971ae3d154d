import assert from "node:assert/strict";
import { ReplayBuffer } from "../../../lib/rl/replay_buffer.ts";
import { Rng } from "../../../lib/rng.ts";

const transition = (i: number) => ({
  obs: [i, -i],
  action: i % 3,
  reward: i / 10,
  nextObs: [i + 1, -i - 1],
  terminated: i % 5 === 4,
});

Deno.test("replay buffer - keeps the newest `capacity` transitions and samples only those, intact", () => {
  const buffer = new ReplayBuffer(8, 2);
  for (let i = 0; i < 20; i++) buffer.add(transition(i));
  assert.equal(buffer.size, 8);
  const batch = buffer.sample(200, new Rng(1));
  const seen = new Set<number>();
  for (let b = 0; b < 200; b++) {
    const i = batch.obs[2 * b];
    seen.add(i);
    assert.deepEqual([batch.obs[2 * b + 1], batch.nextObs[2 * b], batch.nextObs[2 * b + 1]], [-i, i + 1, -i - 1]);
    assert.equal(batch.actions[b], i % 3);
    assert.equal(batch.rewards[b], Math.fround(i / 10));
    assert.equal(batch.terminated[b], i % 5 === 4 ? 1 : 0);
  }
  assert.deepEqual([...seen].sort((a, b) => a - b), [12, 13, 14, 15, 16, 17, 18, 19]);
});

Deno.test("replay buffer - a restored buffer samples exactly as the original", () => {
  const buffer = new ReplayBuffer(16, 2);
  for (let i = 0; i < 11; i++) buffer.add(transition(i));
  const restored = ReplayBuffer.fromArrays(buffer.toArrays());
  assert.equal(restored.size, 11);
  assert.deepEqual(restored.sample(32, new Rng(5)), buffer.sample(32, new Rng(5)));
  buffer.add(transition(99));
  restored.add(transition(99));
  assert.deepEqual(restored.sample(32, new Rng(6)), buffer.sample(32, new Rng(6)));
});

Deno.test("replay buffer - wrong sizes and empty sampling are clear errors", () => {
  const buffer = new ReplayBuffer(4, 2);
  assert.throws(() => buffer.sample(1, new Rng(1)), /empty/);
  assert.throws(() => buffer.add({ ...transition(0), obs: [1, 2, 3] }), /must have 2 values, got 3/);
  assert.throws(() => new ReplayBuffer(0, 2), /positive integers/);
});
