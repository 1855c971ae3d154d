/** Grouping runs by their recorded config: the seed and run-only flags vary within a group, anything else the user ticks splits. */
import assert from "node:assert/strict";
import { runFlags } from "../../../runner/lab.ts";
import {
  countLabel,
  defaultGroupBy,
  groupRuns,
  RUN_ONLY_FLAGS,
  SEED_FLAG,
  varyingFlags,
} from "../../../web/shared/seed_groups.ts";

const run = (id: string, config: Record<string, unknown>, lab = "ppo-cartpole") => ({ id, lab, config });
const base = { gamma: 0.99, backend: "wasm", runsDir: "runs", maxSteps: 0 };
const runs = [
  run("a1", { ...base, lr: 0.001, seed: 1 }),
  run("b1", { ...base, lr: 0.01, seed: 1, backend: "webgpu" }),
  run("a2", { ...base, lr: 0.001, seed: 2, runsDir: "elsewhere" }),
  run("b2", { ...base, lr: 0.01, seed: 2, maxSteps: 5000 }),
  run("a3", { ...base, lr: 0.001, seed: 3 }),
];

Deno.test("seed groups - the default key is every differing flag but the seed and the run-only flags", () => {
  assert.deepEqual(varyingFlags(runs), ["backend", "lr", "maxSteps", "runsDir", "seed"]);
  assert.deepEqual(defaultGroupBy(runs), ["lr"]);
  const groups = groupRuns(runs, defaultGroupBy(runs));
  assert.deepEqual(groups.map((g) => [g.label, g.runIds]), [["lr=0.001", ["a1", "a2", "a3"]], ["lr=0.01", [
    "b1",
    "b2",
  ]]]);
  assert.equal(countLabel(3), "n=3 seeds");
});

Deno.test("seed groups - any flag can be part of the key; none makes one group of distinct seeds; the lab always splits", () => {
  assert.deepEqual(groupRuns(runs, ["backend", "lr"]).map((g) => g.label), [
    "backend=wasm lr=0.001",
    "backend=webgpu lr=0.01",
    "backend=wasm lr=0.01",
  ]);
  const lowRate = runs.filter((r) => r.config.lr === 0.001);
  assert.deepEqual(groupRuns(lowRate, []).map((g) => [g.label, g.runIds.length]), [["all runs", 3]]);
  const alone = groupRuns(runs, ["lr", SEED_FLAG]);
  assert.deepEqual(
    alone.map((g) => [g.runIds.length, g.apart]),
    runs.map(() => [1, undefined]),
    "the seed ticked: each run alone",
  );
  const labs = groupRuns([...runs, run("d1", { ...base, lr: 0.001, seed: 1 }, "dqn-cartpole")], ["lr"]);
  assert.deepEqual(labs.map((g) => g.label), [
    "ppo-cartpole lr=0.001",
    "ppo-cartpole lr=0.01",
    "dqn-cartpole lr=0.001",
  ]);
  assert.deepEqual(groupRuns([run("x", { learningRate: 3e-4 })], ["learningRate"])[0].label, "learning-rate=0.0003");
});

Deno.test("seed groups - runs that share a seed are drawn apart, with the reason (two code versions, say)", () => {
  const twice = [...runs, run("a1-again", { ...base, lr: 0.001, seed: 1 })];
  const groups = groupRuns(twice, ["lr"]);
  assert.deepEqual(groups.map((g) => [g.label, g.runIds]), [
    ["lr=0.001 a1", ["a1"]],
    ["lr=0.001 a2", ["a2"]],
    ["lr=0.001 a3", ["a3"]],
    ["lr=0.001 a1-again", ["a1-again"]],
    ["lr=0.01", ["b1", "b2"]],
  ]);
  assert.equal(groups[0].apart, "lr=0.001: seed 1 is in more than one run, so its 4 runs are drawn apart");
  assert.equal(groups[4].apart, undefined);
  assert.deepEqual(groupRuns([run("x", {}), run("y", {})], []).map((g) => g.label), ["x", "y"]);
  assert.equal(countLabel(1), "n=1 run");
});

Deno.test("seed groups - the run-only flags are run flags every lab takes (runner/lab.ts)", () => {
  for (const flag of [...RUN_ONLY_FLAGS, SEED_FLAG]) assert.ok(flag in runFlags, `${flag} is not in runFlags`);
});
