import assert from "node:assert/strict";
import { make } from "../../../environments/mod.ts";
import { evaluatePolicy, recordEpisode } from "../../../lib/rl/evaluate.ts";
import { evaluateBatched } from "../../../lib/rl/evaluate_batched.ts";

// Deterministic policies that depend on the observation, so episodes differ in length.
const cartPolicy = (o: ArrayLike<number>) => (o[2] > 0 ? 1 : 0);
const pendulumPolicy = (o: ArrayLike<number>) => [Math.max(-2, Math.min(2, -3 * o[1] - 0.5 * o[2]))];

const rowsOf = (obs: Float32Array, rows: number) =>
  Array.from({ length: rows }, (_, r) => obs.subarray((r * obs.length) / rows, ((r + 1) * obs.length) / rows));

Deno.test("evaluate_batched - the same returns and lengths as evaluatePolicy, episode for episode", async () => {
  const cart = await evaluateBatched(() => make("CartPole-v1"), (obs, rows) => rowsOf(obs, rows).map(cartPolicy), {
    episodes: 12,
    seed: 40,
  });
  const cartReference = evaluatePolicy(make("CartPole-v1"), cartPolicy, { episodes: 12, seed: 40 });
  const { first, ...evaluation } = cart;
  assert.deepEqual(evaluation, cartReference);
  // episode 0 recorded as recordEpisode records the same episode (seed 40) on its own
  assert.deepEqual(first, await recordEpisode(make("CartPole-v1"), cartPolicy, 40));
  assert.ok(new Set(cart.lengths).size > 3, `lengths ${cart.lengths} should differ between episodes`);

  const pendulum = await evaluateBatched(
    () => make("Pendulum-v1"),
    (obs, rows) => rowsOf(obs, rows).flatMap(pendulumPolicy),
    { episodes: 5, seed: 3 },
  );
  const { first: pendulumFirst, ...pendulumEvaluation } = pendulum;
  assert.deepEqual(pendulumEvaluation, evaluatePolicy(make("Pendulum-v1"), pendulumPolicy, { episodes: 5, seed: 3 }));
  assert.deepEqual(pendulumFirst, await recordEpisode(make("Pendulum-v1"), pendulumPolicy, 3));

  // A policy that answers with a promise (a tfjs policy reading back with `await data()`) is the same.
  const asynchronous = await evaluateBatched(
    () => make("CartPole-v1"),
    (obs, rows) => Promise.resolve(rowsOf(obs, rows).map(cartPolicy)),
    { episodes: 12, seed: 40 },
  );
  assert.deepEqual({ ...asynchronous, first: undefined }, { ...cartReference, first: undefined });
});

Deno.test("evaluate_batched - one policy call per time step, over the episodes still running", async () => {
  const calls: number[] = [];
  const result = await evaluateBatched(() => make("CartPole-v1"), (obs, rows) => {
    calls.push(rows);
    return rowsOf(obs, rows).map(cartPolicy);
  }, { episodes: 6, seed: 0 });
  assert.equal(calls.length, Math.max(...result.lengths));
  assert.equal(calls[0], 6);
  assert.deepEqual(calls, calls.toSorted((a, b) => b - a), "the batch only shrinks");
  assert.equal(calls.reduce((a, b) => a + b, 0), result.lengths.reduce((a, b) => a + b, 0));
  await assert.rejects(
    () => evaluateBatched(() => make("CartPole-v1"), () => [0], { episodes: 2, seed: 0 }),
    /the policy gave 1 numbers for 2 rows/,
  );
});
