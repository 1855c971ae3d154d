import assert from "node:assert/strict";
import { editDistance, nearestNames } from "../../lib/errors.ts";

Deno.test("errors - edit distance counts insertions, deletions and substitutions", () => {
  assert.equal(editDistance("kitten", "sitting"), 3);
  assert.equal(editDistance("", "abc"), 3);
  assert.equal(editDistance("same", "same"), 0);
});

Deno.test("errors - nearest names rank close candidates first and drop far ones", () => {
  const labs = ["vae-mnist", "gan-mnist", "dqn-cartpole", "ppo-cartpole"];
  assert.deepEqual(nearestNames("vae-mnst", labs), ["vae-mnist", "gan-mnist"]);
  assert.deepEqual(nearestNames("vae", labs), ["vae-mnist"]);
  assert.deepEqual(nearestNames("xyz", labs), []);
});
