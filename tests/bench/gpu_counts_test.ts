import assert from "node:assert/strict";
import { COUNTED_RUNS, gpuCountsTable } from "../../bench/gpu_counts.ts";
import { LABS } from "../../labs/mod.ts";
import { TINY } from "../labs/tiny_runs.ts";

Deno.test("gpu_counts - every registered lab that trains with tfjs has a counted run, and no other", () => {
  const tfjsLabs = Object.keys(LABS).filter((id) => !TINY[id]?.noTfjs);
  assert.deepEqual(Object.keys(COUNTED_RUNS).sort(), tfjsLabs.sort());
});

Deno.test("gpu_counts - the table shows each lab's counts, or why it has none", () => {
  const lines = gpuCountsTable([
    { lab: "vae-mnist", per: "Adam step", dispatches: 113.3, readbacks: 0.1, uploads: 11 },
    { lab: "dqn-cartpole", per: "gradient step", error: "no WebGPU adapter" },
  ]);
  assert.deepEqual(lines[1], ["vae-mnist", "Adam step", "113.3", "0.100", "11.0", ""]);
  assert.deepEqual(lines[2], ["dqn-cartpole", "gradient step", "fails: no WebGPU adapter", "", "", ""]);
});
