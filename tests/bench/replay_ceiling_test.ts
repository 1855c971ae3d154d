import assert from "node:assert/strict";
import { benchReplayCeiling, replayTable } from "../../bench/replay_ceiling.ts";
import { WORKLOADS } from "../../bench/workloads.ts";
import { useBackend } from "../../lib/backend.ts";
import { loadMnist } from "../../lib/data/mnist.ts";
import { tf } from "../../lib/tf.ts";

Deno.test("replay_ceiling - times a step's kernels alone, then leaves the kernels and the memory as they were", async () => {
  await useBackend("blas");
  const mnist = await loadMnist();
  const backend = tf.backend();
  const kernels = tf.getKernelsForBackend(tf.getBackend());
  const before = { dataIds: backend.numDataIds(), tensors: tf.memory().numTensors };
  const dqn = WORKLOADS.find((w) => w.name === "dqn_update")!;
  const row = await benchReplayCeiling(dqn, mnist, { rounds: 3, seconds: 0.02, label: "blas" });

  assert.equal(row.workload, "dqn_update");
  assert.equal(row.rounds, 3);
  // dqn_update's kernels on blas (README): every top-level call recorded once
  assert.equal(row.kernels, 38);
  assert.ok(row.fullMs > 0 && row.kernelsMs > 0, `${row.fullMs} ${row.kernelsMs}`);
  assert.ok(row.ratioRange[0] <= row.ratio && row.ratio <= row.ratioRange[1]);
  // the recorded inputs are released and every kernel is its own again, not the recording wrapper
  assert.deepEqual({ dataIds: backend.numDataIds(), tensors: tf.memory().numTensors }, before);
  for (const config of kernels) {
    assert.equal(tf.getKernel(config.kernelName, tf.getBackend())!.kernelFunc, config.kernelFunc, config.kernelName);
  }
});

Deno.test("replay_ceiling - the table gives the medians and the range of the ratio", () => {
  const lines = replayTable([{
    workload: "vae",
    backend: "blas",
    kernels: 114,
    fullMs: 13.49,
    kernelsMs: 11.54,
    ratio: 0.856,
    ratioRange: [0.73, 1.07],
    rounds: 5,
  }]);
  assert.deepEqual(lines[1], ["vae", "blas", "114", "13.49", "11.54", "0.86 (0.73-1.07)"]);
});
