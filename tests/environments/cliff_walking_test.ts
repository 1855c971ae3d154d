import assert from "node:assert/strict";
import { CliffWalking } from "../../environments/cliff_walking.ts";
import { make } from "../../environments/mod.ts";

const [UP, RIGHT, DOWN, LEFT] = [0, 1, 2, 3];

Deno.test("cliff_walking - the path along the cliff's edge reaches the goal for a return of -13", () => {
  const env = make("CliffWalking-v1");
  assert.deepEqual(env.reset({ seed: 0 }), { obs: 36, info: { prob: 1 } });
  const steps = [UP, ...new Array(11).fill(RIGHT), DOWN].map((a) => env.step(a));
  assert.equal(steps.reduce((total, r) => total + r.reward, 0), -13);
  assert.deepEqual(steps.map((r) => r.terminated).indexOf(true), 12);
  assert.equal(steps[12].obs, 47);
});

Deno.test("cliff_walking - stepping into the cliff costs -100 and returns to the start", () => {
  const env = make("CliffWalking-v1");
  env.reset();
  assert.deepEqual(env.step(RIGHT), { obs: 36, reward: -100, terminated: false, truncated: false, info: { prob: 1 } });
  assert.deepEqual(env.renderState(), {
    kind: "cliff_walking",
    map: ["............", "............", "............", "SCCCCCCCCCCG"],
    row: 3,
    col: 0,
    lastAction: RIGHT,
  });
});

Deno.test("cliff_walking - has no time limit, as Gymnasium registers it", () => {
  const env = make("CliffWalking-v1");
  assert.deepEqual([env.spec.maxEpisodeSteps, env.spec.rewardThreshold], [null, null]);
  env.reset();
  for (let t = 0; t < 2000; t++) assert.equal(env.step(LEFT).truncated, false, `truncated at step ${t + 1}`);
  const capped = make("CliffWalking-v1", { maxEpisodeSteps: 3 });
  capped.reset();
  assert.deepEqual([LEFT, LEFT, LEFT].map((a) => capped.step(a).truncated), [false, false, true]);
});

Deno.test("cliff_walking - slippery moves go straight or sideways with probability 1/3 each", () => {
  const env = new CliffWalking({ isSlippery: true }); // cell 25 is row 2, col 1, above the cliff
  assert.deepEqual(env.P[25][DOWN], [
    { prob: 1 / 3, nextState: 26, reward: -1, terminated: false },
    { prob: 1 / 3, nextState: 36, reward: -100, terminated: false },
    { prob: 1 / 3, nextState: 24, reward: -1, terminated: false },
  ]);
  assert.deepEqual((make("CliffWalkingSlippery-v1").unwrapped as CliffWalking).P, env.P);
  assert.deepEqual(new CliffWalking().P[25][DOWN], [{ prob: 1, nextState: 36, reward: -100, terminated: false }]);
});
