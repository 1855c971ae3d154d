import assert from "node:assert/strict";
import { probeWebGpu } from "../../lib/backend.ts";
import { runEpochs } from "../../trainers/epoch_loop.ts";
import { gpuCounters, GpuWindow } from "../../lib/gpu_counters.ts";
import { readEvents } from "../../lib/run/run_reader.ts";
import { RunWriter } from "../../lib/run/run_writer.ts";
import { tf } from "../../lib/tf.ts";
import { withTempDir } from "../helpers.ts";

// Deno finds Mesa's software adapter on machines without a GPU, so this runs in CI.
const adapter = await probeWebGpu();

Deno.test("gpu_counters - nothing is counted off WebGPU", async () => {
  await tf.setBackend("cpu");
  assert.equal(gpuCounters(), null);
});

Deno.test({
  name: "gpu_counters - on WebGPU: one read-back per download, one dispatch per kernel",
  ignore: !adapter,
  async fn() {
    assert.ok(await tf.setBackend("webgpu"));
    const counts = gpuCounters()!;
    assert.equal(gpuCounters(), counts, "wrapped once");
    const before = { ...counts };
    const a = tf.ones([64, 64]);
    const b = tf.matMul(a, a); // big enough to run on the GPU, not tfjs's CPU hand-off
    const c = tf.relu(b);
    assert.ok(counts.dispatches - before.dispatches >= 2, `dispatches ${counts.dispatches - before.dispatches}`);
    assert.equal(counts.readbacks, before.readbacks, "no read-back until data() is asked for");
    assert.equal((await c.data())[0], 64);
    assert.equal(counts.readbacks - before.readbacks, 1);
    c.dataSync(); // cached on the CPU now: no second download
    await c.data();
    assert.equal(counts.readbacks - before.readbacks, 1);
    tf.dispose([a, b, c]);
  },
});

Deno.test({
  name: "gpu_counters - on WebGPU: one upload per tensor made on the CPU, none once it is on the GPU",
  ignore: !adapter,
  async fn() {
    assert.ok(await tf.setBackend("webgpu"));
    const counts = gpuCounters()!;
    const before = { ...counts };
    const x = tf.tensor1d(new Float32Array(4096).fill(2)); // big enough for the GPU, not tfjs's CPU hand-off
    const y = tf.relu(x);
    const z = tf.relu(x);
    assert.equal(counts.uploads - before.uploads, 1, "x, once");
    const w = tf.mul(y, 0.5); // the 0.5 becomes a scalar tensor: one more upload
    assert.equal(counts.uploads - before.uploads, 2);
    assert.equal((await w.data())[0], 1);
    tf.dispose([x, y, z, w]);
  },
});

Deno.test("gpu_counters - GpuWindow logs nothing off WebGPU", async () => {
  await tf.setBackend("cpu");
  const window = new GpuWindow(0);
  window.startTraining();
  window.endTraining(4);
  assert.deepEqual(window.take(100), {});
});

Deno.test({
  name: "gpu_counters - GpuWindow: training work per training step, every read-back per env step",
  ignore: !adapter,
  async fn() {
    assert.ok(await tf.setBackend("webgpu"));
    const x = tf.tensor2d(new Float32Array(64 * 64).fill(1), [64, 64]);
    const window = new GpuWindow(100);
    assert.deepEqual(window.take(110), {}, "no training step: nothing to log");
    for (let envStep = 110; envStep < 120; envStep++) {
      const acted = tf.relu(x); // acting: one dispatch and one read-back per env step, not training
      await acted.data();
      acted.dispose();
    }
    window.startTraining();
    const losses = [tf.sum(tf.matMul(x, x)), tf.sum(tf.matMul(x, x))]; // two "steps"
    window.endTraining(2);
    window.startTraining();
    const stacked = tf.stack(losses);
    assert.equal((await stacked.data())[0], 64 * 64 * 64);
    window.endTraining(0);
    const scalars = window.take(120);
    assert.equal(scalars["system/readbacks_per_step"], 0.5, "one read-back of the losses over 2 steps");
    assert.equal(scalars["system/readbacks_per_env_step"], 11 / 10, "10 actions and the losses over 10 env steps");
    assert.ok(scalars["system/dispatches_per_step"] >= 2, `dispatches ${scalars["system/dispatches_per_step"]}`);
    assert.deepEqual(window.take(130), {}, "a new window");
    tf.dispose([x, stacked, ...losses]);
  },
});

Deno.test({
  name: "epoch_loop - on WebGPU the run logs read-backs and dispatches per step: one read-back per log window",
  ignore: !adapter,
  async fn() {
    assert.ok(await tf.setBackend("webgpu"));
    await withTempDir(async (runsDir) => {
      const run = await RunWriter.create({
        runsDir,
        lab: "test",
        title: "test",
        config: {},
        spec: {},
        backend: { name: "webgpu", reason: "test" },
        headline: "train/loss",
        totalSteps: 4,
      });
      const w = tf.variable(tf.fill([32, 32], 0.1));
      const optimizer = tf.train.sgd(0.01);
      await runEpochs({
        run,
        seed: 1,
        epochs: 1,
        batchSize: 1,
        trainCount: 4,
        maxSteps: 0,
        logEvery: 2,
        checkpointEvery: 0,
        startStep: 0,
        trainStep: () => ({ loss: optimizer.minimize(() => tf.mean(tf.square(tf.matMul(w, w))), true)! }),
        endOfEpoch: () => Promise.resolve(""),
        checkpointState: () => Promise.resolve({ tensors: {}, meta: {} }),
      });
      await run.finish(4, {});
      const scalars = (await readEvents(run.dir)).flatMap((e) => e.kind === "scalar" ? [[e.key, e.value]] : []);
      const readbacks = scalars.filter(([key]) => key === "system/readbacks_per_step").map(([, v]) => v);
      const dispatches = scalars.filter(([key]) => key === "system/dispatches_per_step").map(([, v]) => v);
      assert.deepEqual(readbacks, [0.5, 0.5], "the loss read-back once per 2 steps, none inside a step");
      assert.equal(dispatches.length, 2);
      assert.ok(dispatches.every((d) => Number(d) >= 3), `dispatches per step ${dispatches}`);
      tf.dispose([w]);
      optimizer.dispose();
    });
  },
});
